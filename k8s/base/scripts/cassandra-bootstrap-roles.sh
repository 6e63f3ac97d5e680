#!/bin/bash
# The pipeline's Cassandra roles, one script for Kubernetes (the cassandra-schema Job, the init containers that wait
# for the tables) and Compose (cassandra-roles, cassandra-grants; Compose mounts this file). It runs in the Cassandra
# image for its cqlsh. Every step is idempotent and may run again.
#
#   roles         before the schema. A superuser of our own (CASSANDRA_ADMIN_USERNAME, default pipeline_admin)
#                 replaces the default one: "cassandra" loses LOGIN and SUPERUSER (again at every run: a node that
#                 joins without reading system_auth may write the default role back, CASSANDRA-12525). system_auth is
#                 replicated like the data (SYSTEM_AUTH_REPLICATION) once CASSANDRA_NODES nodes are in the ring, before
#                 any role is written, so that every role is written to all its replicas and no repair is needed.
#                 (Changing it later, on a running cluster: run `nodetool repair --full system_auth` on every node.)
#                 Then the writer role (CASSANDRA_USERNAME), which may create keyspaces for the schema command, and
#                 the reader role (CASSANDRA_READER_USERNAME, default pipeline_reader) of the query service.
#   grants        after the schema: SELECT on CASSANDRA_KEYSPACE for the reader, and the writer may no longer create
#                 keyspaces (it keeps every permission on the keyspace it created).
#   await-tables  waits until CASSANDRA_LOGIN_USERNAME (password: Secret key CASSANDRA_LOGIN_SECRET_KEY or variable
#                 CASSANDRA_LOGIN_PASSWORD) can read every table of CASSANDRA_TABLES in CASSANDRA_KEYSPACE.
#
# Passwords: the file $CASSANDRA_SECRETS_DIR/<key> when it exists (Kubernetes: the Secret cassandra-credentials,
# keys superuser-password, pipeline-password, reader-password), else a variable (Compose: CASSANDRA_ADMIN_PASSWORD,
# CASSANDRA_PASSWORD, CASSANDRA_READER_PASSWORD). cqlsh gets them from a credentials file of its own (mode 600: cqlsh
# ignores a file that others may read) and statements on stdin, never on a command line.
#
# Every login is retried for up to CASSANDRA_LOGIN_TIMEOUT seconds (default 600), every CASSANDRA_LOGIN_INTERVAL (5):
# a new node's default superuser appears seconds after the CQL port opens, and a node answers a login from its
# credentials cache (credentials_validity, 2 s by default) for a while after the role's password changed or the role
# was created, so the first login with new credentials can fail.
set -euo pipefail

step="${1:?usage: cassandra-bootstrap-roles.sh roles|grants|await-tables}"
host="${CASSANDRA_HOSTS:-cassandra}"
host="${host%%,*}"
port="${CASSANDRA_PORT:-9042}"
timeout="${CASSANDRA_LOGIN_TIMEOUT:-600}"
interval="${CASSANDRA_LOGIN_INTERVAL:-5}"
secrets="${CASSANDRA_SECRETS_DIR:-/secrets/cassandra}"
admin_user="${CASSANDRA_ADMIN_USERNAME:-pipeline_admin}"
writer="${CASSANDRA_USERNAME:-pipeline}"
reader="${CASSANDRA_READER_USERNAME:-pipeline_reader}"

work="$(mktemp -d "${TMPDIR:-/tmp}/cassandra-roles.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# cqlsh reads ~/.cassandra/cqlshrc and writes its history there: a private, empty home.
export HOME="$work"

say() { echo "cassandra-roles ($step): $*"; }
fail() { echo "cassandra-roles ($step): $*" >&2; exit 1; }

identifier() { # $1 = what, $2 = value: a CQL name that needs no quoting
    [[ "$2" =~ ^[a-z][a-z0-9_]{0,47}$ ]] || fail "$1 must be lower case letters, digits and _ (was '$2')"
    printf '%s' "$2"
}
admin_user="$(identifier CASSANDRA_ADMIN_USERNAME "$admin_user")"
writer="$(identifier CASSANDRA_USERNAME "$writer")"
reader="$(identifier CASSANDRA_READER_USERNAME "$reader")"

secret() { # $1 = Secret key, $2 = variable
    local value
    if [ -f "$secrets/$1" ]; then
        value="$(cat "$secrets/$1")"
    else
        value="${!2:-}"
    fi
    [ -n "$value" ] || fail "no password: neither the file $secrets/$1 nor the variable $2 is set"
    [[ "$value" != *$'\n'* ]] || fail "the password of $secrets/$1 / $2 has a line break"
    printf '%s' "$value"
}

literal() { printf "'%s'" "${1//\'/\'\'}"; }

credentials() { # $1 = role, $2 = password: prints the path of a cqlsh credentials file
    local file="$work/credentials-$1-$RANDOM$RANDOM"
    (umask 077 && printf '[PlainTextAuthProvider]\nusername = %s\npassword = %s\n' "$1" "$2" > "$file")
    printf '%s' "$file"
}

cql() { # $1 = credentials file; statements on stdin
    cqlsh "$host" "$port" --credentials "$1" --connect-timeout=10 --request-timeout=60
}

can_login() { # $1 = credentials file; the error, if any, in $work/last-error
    echo 'SELECT release_version FROM system.local;' | cql "$1" > /dev/null 2> "$work/last-error"
}

last_error() { grep -v '^[[:space:]]*$' "$work/last-error" 2>/dev/null | tail -1 || true; }

await_login() { # $1 = role, $2 = credentials file
    local deadline=$((SECONDS + timeout))
    until can_login "$2"; do
        ((SECONDS < deadline)) || fail "no login as $1 at $host:$port within ${timeout} s; last error: $(last_error)"
        say "waiting for a login as $1 at $host:$port"
        sleep "$interval"
    done
}

await_ring() { # $1 = credentials file, $2 = nodes expected
    local deadline=$((SECONDS + timeout)) nodes
    while true; do
        nodes="$(echo 'SELECT count(*) FROM system.peers;' | cql "$1" 2> "$work/last-error" \
            | grep -Eo '^[[:space:]]*[0-9]+[[:space:]]*$' | tr -d '[:space:]' || true)"
        if [ -n "$nodes" ] && ((nodes + 1 >= $2)); then
            return
        fi
        ((SECONDS < deadline)) || fail "the ring has $((${nodes:-0} + 1)) of $2 nodes after ${timeout} s"
        say "waiting for $2 nodes in the ring (has $((${nodes:-0} + 1)))"
        sleep "$interval"
    done
}

roles() {
    local admin_password writer_password reader_password admin legacy default login=""
    admin_password="$(secret superuser-password CASSANDRA_ADMIN_PASSWORD)"
    writer_password="$(secret pipeline-password CASSANDRA_PASSWORD)"
    reader_password="$(secret reader-password CASSANDRA_READER_PASSWORD)"
    admin="$(credentials "$admin_user" "$admin_password")"
    # what earlier versions of this script left: the default superuser with the new password
    legacy="$(credentials cassandra "$admin_password")"
    default="$(credentials cassandra cassandra)"

    local deadline=$((SECONDS + timeout)) candidate
    while [ -z "$login" ]; do
        for candidate in "$admin" "$legacy" "$default"; do
            if can_login "$candidate"; then
                login="$candidate"
                break
            fi
        done
        if [ -z "$login" ]; then
            ((SECONDS < deadline)) || fail "no login at $host:$port within ${timeout} s as $admin_user nor as \
cassandra (with the superuser password or the default one); last error: $(last_error). If Cassandra runs, its roles \
were set up with another superuser password: use that one (Compose: the env file this project's volumes were first \
started with), or start over with empty volumes (docker compose down -v deletes all data)."
            say "waiting for a CQL login at $host:$port"
            sleep "$interval"
        fi
    done

    if [ -n "${SYSTEM_AUTH_REPLICATION:-}" ]; then
        await_ring "$login" "${CASSANDRA_NODES:-1}"
        say "system_auth replication: ${SYSTEM_AUTH_REPLICATION}"
        echo "ALTER KEYSPACE system_auth WITH replication = ${SYSTEM_AUTH_REPLICATION};" | cql "$login"
    fi

    if [ "$login" != "$admin" ]; then
        say "creating the superuser $admin_user; the default superuser cassandra will no longer log in"
        cql "$login" <<CQL
CREATE ROLE IF NOT EXISTS $admin_user WITH SUPERUSER = true AND LOGIN = true AND PASSWORD = $(literal "$admin_password");
ALTER ROLE $admin_user WITH SUPERUSER = true AND LOGIN = true AND PASSWORD = $(literal "$admin_password");
CQL
        await_login "$admin_user" "$admin"
    fi
    cql "$admin" <<CQL
ALTER ROLE cassandra WITH SUPERUSER = false AND LOGIN = false;
CREATE ROLE IF NOT EXISTS $writer WITH LOGIN = true AND PASSWORD = $(literal "$writer_password");
ALTER ROLE $writer WITH LOGIN = true AND PASSWORD = $(literal "$writer_password");
GRANT CREATE ON ALL KEYSPACES TO $writer;
CREATE ROLE IF NOT EXISTS $reader WITH LOGIN = true AND PASSWORD = $(literal "$reader_password");
ALTER ROLE $reader WITH LOGIN = true AND PASSWORD = $(literal "$reader_password");
CQL
    # the schema command logs in as the writer next
    await_login "$writer" "$(credentials "$writer" "$writer_password")"
    say "roles ready: $admin_user (superuser), $writer (writer), $reader (reader); cassandra cannot log in"
}

grants() {
    local keyspace admin
    keyspace="$(identifier CASSANDRA_KEYSPACE "${CASSANDRA_KEYSPACE:-spark_streaming}")"
    admin="$(credentials "$admin_user" "$(secret superuser-password CASSANDRA_ADMIN_PASSWORD)")"
    await_login "$admin_user" "$admin"
    cql "$admin" <<CQL
GRANT SELECT ON KEYSPACE $keyspace TO $reader;
REVOKE CREATE ON ALL KEYSPACES FROM $writer;
CQL
    say "$reader may read $keyspace; $writer keeps $keyspace and may create no other keyspace"
}

await_tables() {
    local keyspace user login statements="" table
    keyspace="$(identifier CASSANDRA_KEYSPACE "${CASSANDRA_KEYSPACE:-spark_streaming}")"
    user="$(identifier CASSANDRA_LOGIN_USERNAME "${CASSANDRA_LOGIN_USERNAME:?CASSANDRA_LOGIN_USERNAME is not set}")"
    login="$(credentials "$user" "$(secret "${CASSANDRA_LOGIN_SECRET_KEY:-none}" CASSANDRA_LOGIN_PASSWORD)")"
    for table in ${CASSANDRA_TABLES//,/ }; do
        statements+="SELECT * FROM $keyspace.$(identifier CASSANDRA_TABLES "$table") LIMIT 1;"$'\n'
    done
    [ -n "$statements" ] || fail "CASSANDRA_TABLES is empty"
    local deadline=$((SECONDS + timeout))
    until printf '%s' "$statements" | cql "$login" > /dev/null 2> "$work/last-error"; do
        ((SECONDS < deadline)) || fail "$user cannot read $keyspace.{${CASSANDRA_TABLES}} after ${timeout} s; last \
error: $(last_error). The schema Job (cassandra-schema) creates the tables and the grants: see its logs."
        say "waiting until $user can read $keyspace.{${CASSANDRA_TABLES}}"
        sleep "$interval"
    done
    say "$user can read $keyspace.{${CASSANDRA_TABLES}}"
}

case "$step" in
    roles) roles ;;
    grants) grants ;;
    await-tables) await_tables ;;
    *) fail "unknown step '$step' (roles, grants, await-tables)" ;;
esac
