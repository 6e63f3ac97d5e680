#!/bin/bash
# One-shot (Compose service cassandra-roles, run from the Cassandra image for its cqlsh), idempotent:
#   1. the default superuser "cassandra" gets CASSANDRA_ADMIN_PASSWORD instead of its well-known default;
#   2. the pipeline's own role CASSANDRA_USERNAME (login, CASSANDRA_PASSWORD) is created or its password updated,
#      and may create keyspaces (the creator of a keyspace gets every permission on it: the schema command of the
#      Spark job creates spark_streaming as this role).
# Passwords go to cqlsh on stdin, not on its command line, except the superuser's login.
set -euo pipefail

host="${CASSANDRA_HOST:-cassandra}"
user="${CASSANDRA_USERNAME:?CASSANDRA_USERNAME is not set}"
password="${CASSANDRA_PASSWORD:?CASSANDRA_PASSWORD is not set}"
admin_password="${CASSANDRA_ADMIN_PASSWORD:?CASSANDRA_ADMIN_PASSWORD is not set}"

if ! [[ "$user" =~ ^[a-z][a-z0-9_]{0,47}$ ]]; then
    echo "create-roles: CASSANDRA_USERNAME must be lower case letters, digits and _ (was '$user')" >&2
    exit 1
fi

cql_literal() { printf "'%s'" "${1//\'/\'\'}"; }

as_superuser() { # $1 = superuser password; statements on stdin
    cqlsh "$host" -u cassandra -p "$1" --request-timeout=30
}

probe='SELECT release_version FROM system.local;'
for attempt in $(seq 1 60); do
    if echo "$probe" | as_superuser "$admin_password" > /dev/null 2>&1; then
        break
    fi
    if echo "$probe" | as_superuser cassandra > /dev/null 2>&1; then
        echo "create-roles: first start, replacing the default superuser password"
        echo "ALTER ROLE cassandra WITH PASSWORD = $(cql_literal "$admin_password");" | as_superuser cassandra
        break
    fi
    if [ "$attempt" = 60 ]; then
        echo "create-roles: cannot log in to $host as cassandra with CASSANDRA_ADMIN_PASSWORD nor the default password" >&2
        exit 1
    fi
    sleep 2
done

as_superuser "$admin_password" <<CQL
CREATE ROLE IF NOT EXISTS $user WITH LOGIN = true AND PASSWORD = $(cql_literal "$password");
ALTER ROLE $user WITH PASSWORD = $(cql_literal "$password");
GRANT CREATE ON ALL KEYSPACES TO $user;
CQL
echo "create-roles: role $user ready"
