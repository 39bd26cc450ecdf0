#!/usr/bin/env bash
# Make sure the test suite can get a PostgreSQL and a MySQL-family server.
# Nothing to do when a server URL is given (TEST_POSTGRES_URL / TEST_MYSQL_URL), when a Docker engine
# answers (testcontainers starts them), or when the binaries are installed. Otherwise, as root with
# apt-get, install Debian's packages; anywhere else, say what is missing and stop.
set -euo pipefail

need=()
if [ -z "${TEST_POSTGRES_URL:-}" ] && ! compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null \
        && ! command -v pg_ctl >/dev/null; then
    need+=(postgresql)
fi
if [ -z "${TEST_MYSQL_URL:-}" ] && ! command -v mariadbd >/dev/null && ! [ -x /usr/sbin/mariadbd ] \
        && ! command -v mysqld >/dev/null && ! [ -x /usr/sbin/mysqld ]; then
    need+=(mariadb-server)
fi
[ ${#need[@]} -eq 0 ] && exit 0

if command -v docker >/dev/null && timeout 5 docker info >/dev/null 2>&1; then
    echo "A Docker engine answers: testcontainers will start ${need[*]/-server/}."
    exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "No Docker engine and no local ${need[*]}: installing Debian packages for throwaway test servers."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    exit 0
fi

echo "Missing database servers for the tests: ${need[*]}." >&2
echo "Install them (sudo apt-get install ${need[*]}), or set TEST_POSTGRES_URL / TEST_MYSQL_URL" >&2
echo "to admin URLs of running servers, or start a Docker engine." >&2
exit 1
