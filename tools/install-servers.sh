#!/usr/bin/env bash
# Make sure the test suite can get a PostgreSQL and a MySQL-family server.
# Nothing to do for a dialect whose server URL is given (TEST_POSTGRES_URL / TEST_MYSQL_URL), whose
# server testcontainers will start (the Docker engine testcontainers would use answers), or whose
# binaries are installed. Otherwise, as root with apt-get, install Debian's packages; anywhere else, say
# what is missing and stop.
# Where each server will come from is asked of the test code itself (`python -m tools.servers plan`), so
# this script and the test run make the same decision. Without the virtualenv it cannot ask and installs
# what is missing (never wrong: a test run that does get containers leaves the binaries unused).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON_FOR_PLAN:-.venv/bin/python}
plan=""
if [ -x "$python" ]; then
    plan=$("$python" -m tools.servers plan 2>/dev/null || true)
fi
provided() {  # provided <dialect> <url variable>: a URL or a container will serve it
    [ -n "${!2:-}" ] || grep -qxE "$1 (environment|testcontainers)" <<<"$plan"
}

need=()
if ! provided postgres TEST_POSTGRES_URL && ! compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null \
        && ! command -v pg_ctl >/dev/null; then
    need+=(postgresql)
fi
if ! provided mysql TEST_MYSQL_URL && ! command -v mariadbd >/dev/null && ! [ -x /usr/sbin/mariadbd ] \
        && ! command -v mysqld >/dev/null && ! [ -x /usr/sbin/mysqld ]; then
    need+=(mariadb-server)
fi
if grep -q testcontainers <<<"$plan"; then
    echo "A Docker engine answers: $(grep testcontainers <<<"$plan" | cut -d' ' -f1 | tr '\n' ' ')from testcontainers."
fi
[ ${#need[@]} -eq 0 ] && exit 0

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
