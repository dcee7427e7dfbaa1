#!/usr/bin/env bash
# Start the local PostgreSQL server (Debian's packaged cluster, on 127.0.0.1 only) and make a
# login role for PeerCircle's tests, then print the URL the tests read:
#   export PEERCIRCLE_TEST_POSTGRESQL_URL=$(scripts/start_test_postgresql.sh)
# Safe to run again. The role may create databases: each test run makes its own and drops it.
# Needs the "postgresql" package, and root or sudo.
set -euo pipefail

ROLE=peercircle
PASSWORD=peercircle-tests-only
PORT=5432

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$version" ]; then
    echo "PostgreSQL is not installed (apt-get install postgresql)." >&2
    exit 1
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
    as_root pg_createcluster "$version" main --port "$PORT" >&2
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' \
    | grep -q .; then
    # Debian's cluster listens on localhost only; pg_ctlcluster waits until it accepts.
    as_root pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')

cd /  # psql run as postgres cannot read the caller's folder
as_postgres psql --quiet --no-psqlrc -v ON_ERROR_STOP=1 --port "$port" --dbname postgres <<SQL >&2
DO \$\$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
        ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
    ELSE
        CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
    END IF;
END
\$\$;
SQL
echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$port/postgres"
