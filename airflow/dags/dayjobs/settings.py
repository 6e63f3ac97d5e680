"""Where the day jobs run and what they connect to: environment variables of the Airflow containers (set by
compose/compose.yaml and k8s/components/airflow; the names are checked against those files by deploy-checks).
Read when a task runs, not when the DAG file is parsed, so a missing variable fails the task with its name."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Mapping

#: Every variable the day jobs read: name -> what it holds. Paths are paths on the Spark workers: the driver runs
#: there (cluster mode), not in the Airflow container.
ENV = {
    "SPARK_MASTER_REST_URL": "the Spark master's REST submission endpoint, e.g. http://spark-master:6066",
    "DAYJOBS_JAR": "the job jar as the workers see it, e.g. file:/opt/spark/jobs/trades-to-cassandra.jar",
    "DAYJOBS_KAFKA_BOOTSTRAP_SERVERS": "Kafka as the driver sees it, e.g. kafka:9092",
    "DAYJOBS_CASSANDRA_HOST": "Cassandra host(s), e.g. cassandra",
    "DAYJOBS_CASSANDRA_LOCAL_DC": "Cassandra's data centre, as the streaming job's --cassandra-local-dc, e.g. datacenter1",
    "DAYJOBS_CASSANDRA_USERNAME": "the pipeline's Cassandra role, e.g. pipeline",
    "DAYJOBS_CASSANDRA_PASSWORD_FILE": "a file on the workers holding that role's password",
    "DAYJOBS_OPS_JDBC_URL": "the run results database, e.g. jdbc:postgresql://postgres:5432/pipeline_ops",
    "DAYJOBS_OPS_USER": "its role, e.g. pipeline_ops",
    "DAYJOBS_OPS_PASSWORD_FILE": "a file on the workers holding that role's password",
    "DAYJOBS_CORES_MAX": "spark.cores.max of a day job's executors (the streaming job keeps the rest), e.g. 1",
    "DAYJOBS_DRIVER_MEMORY": "spark.driver.memory, e.g. 512m",
    "DAYJOBS_EXECUTOR_MEMORY": "spark.executor.memory, e.g. 512m",
}
#: Optional: more Spark properties, "key=value" separated by spaces (e.g. fixed driver ports for NetworkPolicies).
EXTRA_CONF_ENV = "DAYJOBS_SPARK_CONF"

_MEMORY = re.compile(r"[1-9][0-9]*[kmgt]")


class SettingsError(Exception):
    """A variable is missing or malformed; the message names each one and what it should hold."""


@dataclass(frozen=True)
class DayJobSettings:
    rest_url: str
    jar: str
    bootstrap_servers: str
    cassandra_host: str
    cassandra_local_dc: str
    cassandra_username: str
    cassandra_password_file: str
    ops_jdbc_url: str
    ops_user: str
    ops_password_file: str
    cores_max: int
    driver_memory: str
    executor_memory: str
    extra_conf: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "DayJobSettings":
        environ = os.environ if environ is None else environ
        problems = []
        values = {}
        for name, meaning in ENV.items():
            value = (environ.get(name) or "").strip()
            if not value:
                problems.append(f"{name} is not set: {meaning}")
            values[name] = value
        cores = values["DAYJOBS_CORES_MAX"]
        if cores and not (cores.isdigit() and int(cores) >= 1):
            problems.append(f"DAYJOBS_CORES_MAX={cores!r} is not a whole number >= 1")
        for name in ("DAYJOBS_DRIVER_MEMORY", "DAYJOBS_EXECUTOR_MEMORY"):
            if values[name] and not _MEMORY.fullmatch(values[name].lower()):
                problems.append(f"{name}={values[name]!r} is not a JVM memory size such as 512m or 1g")
        if values["SPARK_MASTER_REST_URL"] and not re.fullmatch(r"https?://[^/\s]+/?", values["SPARK_MASTER_REST_URL"]):
            problems.append(f"SPARK_MASTER_REST_URL={values['SPARK_MASTER_REST_URL']!r} is not http://host:port")
        if values["DAYJOBS_OPS_JDBC_URL"] and not values["DAYJOBS_OPS_JDBC_URL"].startswith("jdbc:postgresql://"):
            problems.append(f"DAYJOBS_OPS_JDBC_URL={values['DAYJOBS_OPS_JDBC_URL']!r} is not a jdbc:postgresql:// URL")
        extra = {}
        for pair in (environ.get(EXTRA_CONF_ENV) or "").split():
            key, eq, value = pair.partition("=")
            if not eq or not key.startswith("spark.") or not value:
                problems.append(f"{EXTRA_CONF_ENV}: {pair!r} is not spark.key=value")
            else:
                extra[key] = value
        if problems:
            raise SettingsError("The day jobs' settings are incomplete; set these environment variables of the "
                                "Airflow scheduler (compose/.env, or the airflow-config ConfigMap):\n  "
                                + "\n  ".join(problems))
        return cls(values["SPARK_MASTER_REST_URL"], values["DAYJOBS_JAR"], values["DAYJOBS_KAFKA_BOOTSTRAP_SERVERS"],
                   values["DAYJOBS_CASSANDRA_HOST"], values["DAYJOBS_CASSANDRA_LOCAL_DC"],
                   values["DAYJOBS_CASSANDRA_USERNAME"],
                   values["DAYJOBS_CASSANDRA_PASSWORD_FILE"], values["DAYJOBS_OPS_JDBC_URL"],
                   values["DAYJOBS_OPS_USER"], values["DAYJOBS_OPS_PASSWORD_FILE"], int(cores),
                   values["DAYJOBS_DRIVER_MEMORY"], values["DAYJOBS_EXECUTOR_MEMORY"], extra)
