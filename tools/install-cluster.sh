#!/usr/bin/env bash
# Make sure `make test-cluster` and `make bench CLUSTER=1` can start their clusters from local binaries:
# MariaDB (mariadbd, mariadb-install-db), Debian's Galera provider (galera-4) with rsync for the state
# transfer, and PostgreSQL (pg_ctl, pg_basebackup). As root with apt-get, install what is missing;
# anywhere else, say what is missing and stop. (A Docker engine does not help here: the clusters are
# started from local binaries.)
set -euo pipefail

need=()
command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || need+=(mariadb-server)
[ -e "${GALERA_PROVIDER:-/usr/lib/galera/libgalera_smm.so}" ] || need+=(galera-4)
command -v rsync >/dev/null || need+=(rsync)
compgen -G "/usr/lib/postgresql/*/bin/pg_basebackup" >/dev/null || command -v pg_basebackup >/dev/null \
    || need+=(postgresql)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages for the throwaway clusters: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    exit 0
fi

echo "Missing for the cluster tests: ${need[*]}." >&2
echo "Install them (sudo apt-get install ${need[*]}), then run make test-cluster again." >&2
exit 1
