#!/bin/bash
# Starts Cassandra for Compose: the official image's own cassandra.yaml, edited in place, then the image's own
# entrypoint (which applies its CASSANDRA_* variables and drops root).
#
# Why edit instead of mounting a cassandra.yaml: the image's entrypoint writes the container's address into its
# yaml at every start, and the other ~200 settings keep the defaults of the Cassandra release in the image.
# Only these change:
#   authenticator PasswordAuthenticator, authorizer CassandraAuthorizer   (logins and grants)
#   commitlog_sync group, commitlog_sync_group_window 2ms                 (no acknowledged write lost on a crash,
#                                                                          as in the local stack; see versions.md)
#   memtable_allocation_type offheap_objects                             (memtables off the heap, as in the local
#                                                                          stack and Kubernetes)
# The script stops the container if the file does not end up with them (a new image whose yaml changed shape).
# PIPELINE_CONFIGURE_ONLY=1: edit the file and exit (used by the tests on a copy).
set -euo pipefail

yaml="${CASSANDRA_CONF:-/etc/cassandra}/cassandra.yaml"

# 5.0 writes "authenticator:\n  class_name: AllowAllAuthenticator"; older files "authenticator: AllowAllAuthenticator".
sed -E -i \
    -e 's/^(authenticator:|[[:space:]]+class_name[[:space:]]*:)[[:space:]]*(org\.apache\.cassandra\.auth\.)?AllowAllAuthenticator[[:space:]]*$/\1 PasswordAuthenticator/' \
    -e 's/^(authorizer:|[[:space:]]+class_name[[:space:]]*:)[[:space:]]*(org\.apache\.cassandra\.auth\.)?AllowAllAuthorizer[[:space:]]*$/\1 CassandraAuthorizer/' \
    -e 's/^commitlog_sync:.*$/commitlog_sync: group/' \
    -e 's/^(commitlog_sync_period:.*)$/# \1  (group sync: see commitlog_sync_group_window)/' \
    -e '0,/^#?[[:space:]]*commitlog_sync_group_window:.*$/s//commitlog_sync_group_window: 2ms/' \
    -e 's/^memtable_allocation_type:.*$/memtable_allocation_type: offheap_objects/' \
    "$yaml"
grep -Eq '^commitlog_sync_group_window:' "$yaml" || echo 'commitlog_sync_group_window: 2ms' >> "$yaml"

require() {
    if ! grep -Eq "$1" "$yaml"; then
        echo "start-cassandra: could not set $2 in $yaml; the image's cassandra.yaml changed shape" >&2
        exit 1
    fi
}
require '^(authenticator:|[[:space:]]+class_name[[:space:]]*:)[[:space:]]*PasswordAuthenticator[[:space:]]*$' 'authenticator: PasswordAuthenticator'
require '^(authorizer:|[[:space:]]+class_name[[:space:]]*:)[[:space:]]*CassandraAuthorizer[[:space:]]*$' 'authorizer: CassandraAuthorizer'
require '^commitlog_sync: group$' 'commitlog_sync: group'
require '^memtable_allocation_type: offheap_objects$' 'memtable_allocation_type: offheap_objects'
if [ "$(grep -Ec '^commitlog_sync_group_window:' "$yaml")" != 1 ]; then
    echo "start-cassandra: commitlog_sync_group_window must be set exactly once in $yaml" >&2
    exit 1
fi
if grep -Eq '^commitlog_sync_period:' "$yaml"; then
    echo "start-cassandra: commitlog_sync_period is still set in $yaml (Cassandra refuses it with group sync)" >&2
    exit 1
fi

if [ "${PIPELINE_CONFIGURE_ONLY:-0}" = 1 ]; then
    exit 0
fi
exec docker-entrypoint.sh cassandra -f
