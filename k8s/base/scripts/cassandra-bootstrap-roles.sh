#!/bin/bash
# Runs before the schema job's --apply-schema (same Job, init container, cqlsh of the Cassandra image). Idempotent:
#  1. waits for a CQL login (on a fresh node the default superuser appears seconds after the port opens),
#  2. replaces the default superuser password "cassandra" by the Secret's superuser-password,
#  3. replicates system_auth like the pipeline's keyspace (else one node down locks everyone out; after changing it
#     on a running cluster run `nodetool repair system_auth` on each node),
#  4. creates (or updates the password of) the pipeline's role; it may create keyspaces, and owns what it creates.
set -euo pipefail
export HOME=/tmp
superuser_password="$(cat /secrets/cassandra/superuser-password)"
pipeline_password="$(cat /secrets/cassandra/pipeline-password)"
quote() { printf "%s" "${1//\'/\'\'}"; }
cql() { cqlsh "${CASSANDRA_HOSTS%%,*}" 9042 --request-timeout=60 -u cassandra -p "$1" -e "$2"; }
password=""
for attempt in $(seq 1 120); do
  if cql "${superuser_password}" "SELECT release_version FROM system.local" >/dev/null 2>&1; then
    password="${superuser_password}"; break
  fi
  if cql cassandra "SELECT release_version FROM system.local" >/dev/null 2>&1; then
    cql cassandra "ALTER ROLE cassandra WITH PASSWORD = '$(quote "${superuser_password}")'"
    password="${superuser_password}"; break
  fi
  echo "waiting for a CQL login at ${CASSANDRA_HOSTS} (attempt ${attempt})"
  sleep 5
done
if [ -z "${password}" ]; then echo "no CQL login after 10 minutes" >&2; exit 1; fi
cql "${password}" "ALTER KEYSPACE system_auth WITH replication = ${SYSTEM_AUTH_REPLICATION}"
cql "${password}" "CREATE ROLE IF NOT EXISTS ${CASSANDRA_USERNAME} WITH PASSWORD = '$(quote "${pipeline_password}")' AND LOGIN = true"
cql "${password}" "ALTER ROLE ${CASSANDRA_USERNAME} WITH PASSWORD = '$(quote "${pipeline_password}")'"
cql "${password}" "GRANT CREATE ON ALL KEYSPACES TO ${CASSANDRA_USERNAME}"
echo "roles ready: ${CASSANDRA_USERNAME}"
