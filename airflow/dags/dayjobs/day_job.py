"""One day job (daily-close, rollups or replay of one UTC day) as the DAGs run it: the submission of
io.streamingpipeline.spark.batch.DayJobsMain to the Spark cluster, and the wait for its driver. Its exit code
decides: 0 FINISHED (the task succeeds); 1 (a mismatch), 2 (bad arguments) or 3 (Kafka, Cassandra or Postgres
failed) FAILED (the task fails)."""

from __future__ import annotations

import datetime as dt
import logging
import os
from typing import Mapping

from dayjobs.settings import DayJobSettings
from dayjobs.spark_rest import SparkRestClient, driver_request, run_driver

log = logging.getLogger(__name__)

MAIN_CLASS = "io.streamingpipeline.spark.batch.DayJobsMain"
COMMANDS = ("daily-close", "rollups", "replay")
#: The Spark the cluster runs (spark-streaming/pom.xml, the apache/spark image of Dockerfile.spark-job).
SPARK_VERSION = "3.5.7"
#: Spark 3.5 on JDK 17, for the driver and the executors (spark-submit would take them from spark-defaults.conf;
#: a REST submission carries them itself). A copy of local-stack/src/main/resources/spark/jdk17-options.txt, the one
#: list: local-stack's SparkJdk17OptionsTest compares them.
JDK17_OPTIONS = (
    "-Djdk.reflect.useDirectMethodHandle=false",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.net=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
    "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
    "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
)
POLL_SECONDS = 10.0


def parse_day(text: str) -> dt.date:
    """A UTC day as YYYY-MM-DD; ValueError (naming the format) otherwise."""
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except (ValueError, TypeError):
        raise ValueError(f"day {text!r} is not a date YYYY-MM-DD (UTC)") from None


def day_for_run(param_day: str | None, run_after: dt.datetime) -> str:
    """The day a run works on: the ``day`` parameter if given, else the UTC day before the run was due (a run
    scheduled at 00:30 UTC closes the day that just ended)."""
    if param_day:
        return parse_day(param_day).isoformat()
    if run_after.tzinfo is None:
        raise ValueError(f"run_after {run_after} has no time zone")
    return (run_after.astimezone(dt.timezone.utc).date() - dt.timedelta(days=1)).isoformat()


def spark_properties(settings: DayJobSettings, command: str, day: str) -> dict[str, str]:
    java_options = " ".join(JDK17_OPTIONS)
    properties = {
        "spark.app.name": f"day-job {command} {day}",
        "spark.driver.cores": "1",
        "spark.driver.memory": settings.driver_memory,
        "spark.executor.memory": settings.executor_memory,
        # The batch job's executors take at most this many cores, one executor: the streaming job keeps its own.
        "spark.cores.max": str(settings.cores_max),
        "spark.executor.cores": str(settings.cores_max),
        "spark.driver.extraJavaOptions": java_options,
        "spark.executor.extraJavaOptions": java_options,
    }
    properties.update(settings.extra_conf)
    return properties


def day_job_arguments(settings: DayJobSettings, command: str, day: str) -> list[str]:
    """DayJobsMain's command line: passwords only as file paths (on the worker), never as values. The Cassandra
    data centre goes through to the streaming job's connection options, which DayJobsMain shares."""
    if command not in COMMANDS:
        raise ValueError(f"command {command!r} is not one of {', '.join(COMMANDS)}")
    return [command, "--day", parse_day(day).isoformat(),
            "--bootstrap-servers", settings.bootstrap_servers,
            "--cassandra-host", settings.cassandra_host,
            "--cassandra-local-dc", settings.cassandra_local_dc,
            "--cassandra-username", settings.cassandra_username,
            "--cassandra-password-file", settings.cassandra_password_file,
            "--ops-jdbc-url", settings.ops_jdbc_url,
            "--ops-user", settings.ops_user,
            "--ops-password-file", settings.ops_password_file]


def day_job_request(settings: DayJobSettings, command: str, day: str) -> dict:
    return driver_request(settings.jar, MAIN_CLASS, day_job_arguments(settings, command, day),
                          spark_properties(settings, command, day), SPARK_VERSION)


def run_day_job(command: str, day: str, environ: Mapping[str, str] | None = None,
                client: SparkRestClient | None = None, poll_seconds: float = POLL_SECONDS) -> str:
    """Runs ``command`` for ``day`` on the Spark cluster and waits; returns the driver's id once it FINISHED.
    Raises DriverFailed (exit 1: the day does not reconcile; 2: bad arguments; 3: a store failed; the driver's
    stderr says which),
    SettingsError, or SparkRestError (the master cannot be reached)."""
    settings = DayJobSettings.from_env(os.environ if environ is None else environ)
    request = day_job_request(settings, command, day)
    client = client or SparkRestClient(settings.rest_url)
    what = f"{command} {day}"
    try:
        status = run_driver(client, request, what, poll_seconds=poll_seconds)
    except Exception as e:
        log.error("%s failed. The job exits 1 when the day does not reconcile, 2 on bad arguments, 3 when Kafka, "
                  "Cassandra or Postgres failed; its stderr is "
                  "on the Spark worker that ran the driver, in $SPARK_HOME/work/<driver id>/stderr (Compose: "
                  "docker compose exec spark-worker cat /opt/spark/work/<driver id>/stderr); its result rows are in "
                  "the database of %s.", what, settings.ops_jdbc_url)
        raise e
    log.info("%s: driver %s FINISHED", what, status.submission_id)
    return status.submission_id


def close_then_roll_up(task, day):
    """Adds to the DAG being defined its last two tasks for `day` (a string or the XComArg of an earlier task):
    daily_close, then rollups. `task` is airflow.sdk.task, passed in so that this package needs only the
    standard library."""

    @task
    def daily_close(day: str) -> str:
        return run_day_job("daily-close", day)

    @task
    def rollups(day: str) -> str:
        return run_day_job("rollups", day)

    return daily_close(day) >> rollups(day)
