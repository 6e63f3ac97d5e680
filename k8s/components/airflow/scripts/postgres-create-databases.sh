#!/bin/bash
# Postgres' first start (the official image runs /docker-entrypoint-initdb.d/* once, on an empty data directory, as
# the superuser): two databases, each owned by its own role that can reach only its own database.
#   airflow       Airflow's metadata (role airflow)
#   pipeline_ops  the day jobs' run results (role pipeline_ops; the jobs create their tables)
# Passwords come from the environment (Compose: the env file; Kubernetes: the Secret postgres-credentials) and reach
# psql through \getenv, never its command line. Used as it is by Compose (mounted) and Kubernetes (ConfigMap).
set -euo pipefail

: "${AIRFLOW_DB_PASSWORD:?AIRFLOW_DB_PASSWORD is not set: the password of the role airflow}"
: "${PIPELINE_OPS_PASSWORD:?PIPELINE_OPS_PASSWORD is not set: the password of the role pipeline_ops}"

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres <<'SQL'
\getenv airflow_password AIRFLOW_DB_PASSWORD
\getenv ops_password PIPELINE_OPS_PASSWORD
CREATE ROLE airflow LOGIN PASSWORD :'airflow_password';
CREATE ROLE pipeline_ops LOGIN PASSWORD :'ops_password';
CREATE DATABASE airflow OWNER airflow;
CREATE DATABASE pipeline_ops OWNER pipeline_ops;
REVOKE ALL ON DATABASE airflow FROM PUBLIC;
REVOKE ALL ON DATABASE pipeline_ops FROM PUBLIC;
SQL
echo "databases airflow and pipeline_ops created, each owned by its own role"
