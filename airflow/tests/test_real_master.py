"""The submission path of the DAGs against a real Spark master: run by SparkRestSubmissionIT (Maven, failsafe),
which starts the local stack's standalone cluster with its REST endpoint and sets SPARK_REST_URL and
TRADES_JOB_JAR. Skipped when run without them (plain pytest)."""

import os
import socket
import zipfile

import pytest

from dayjobs.day_job import MAIN_CLASS, SPARK_VERSION, run_day_job, spark_properties
from dayjobs.settings import DayJobSettings
from dayjobs.spark_rest import DriverFailed, SparkRestClient, driver_request, run_driver
from test_day_job import ENVIRON

REST_URL = os.environ.get("SPARK_REST_URL")
JAR = os.environ.get("TRADES_JOB_JAR")
JOB_CLASS = "io.streamingpipeline.spark.TradesToCassandraJob"

pytestmark = pytest.mark.skipif(not (REST_URL and JAR), reason="needs SPARK_REST_URL and TRADES_JOB_JAR "
                                                              "(SparkRestSubmissionIT sets them)")


def request(*args):
    """The streaming job's jar run with the properties a day job gets (cores cap, memory, JDK 17 options)."""
    settings = DayJobSettings.from_env({**ENVIRON, "SPARK_MASTER_REST_URL": REST_URL, "DAYJOBS_JAR": "file:" + JAR})
    properties = spark_properties(settings, "probe", "2026-12-01")
    properties["spark.app.name"] = "rest-probe " + " ".join(args)
    return driver_request(settings.jar, JOB_CLASS, list(args), properties, SPARK_VERSION)


def test_a_driver_that_exits_zero_is_finished():
    status = run_driver(SparkRestClient(REST_URL), request("--help"), "help", poll_seconds=1)
    assert status.state == "FINISHED"
    assert status.submission_id.startswith("driver-")
    print(f"FINISHED {status.submission_id}")


def test_a_driver_that_exits_non_zero_fails_the_wait():
    with pytest.raises(DriverFailed) as failed:
        run_driver(SparkRestClient(REST_URL), request("--no-such-option"), "bad option", poll_seconds=1)
    assert failed.value.status.state == "FAILED"
    print(f"FAILED {failed.value.status.submission_id}")


def jar_has(class_name):
    with zipfile.ZipFile(JAR) as jar:
        return class_name.replace(".", "/") + ".class" in jar.namelist()


def test_the_day_jobs_main_class_runs_with_the_dags_properties():
    if not jar_has(MAIN_CLASS):
        pytest.skip(f"{MAIN_CLASS} is not in the job jar yet")
    settings = DayJobSettings.from_env({**ENVIRON, "SPARK_MASTER_REST_URL": REST_URL, "DAYJOBS_JAR": "file:" + JAR})
    request = driver_request(settings.jar, MAIN_CLASS, ["daily-close", "--help"],
                             spark_properties(settings, "daily-close", "2026-12-01"), SPARK_VERSION)
    status = run_driver(SparkRestClient(REST_URL), request, "daily-close --help", poll_seconds=1)
    assert status.state == "FINISHED"
    print(f"DAYJOBS {status.submission_id}")


def test_the_dag_tasks_command_line_is_accepted_by_day_jobs_main(tmp_path):
    """run_day_job, as the DAG tasks call it, with every argument real: DayJobsMain parses them all, then fails
    where it first needs a store (Postgres, on a port where nothing listens: exit 3)."""
    if not jar_has(MAIN_CLASS):
        pytest.skip(f"{MAIN_CLASS} is not in the job jar yet")
    for name in ("cassandra-password", "ops-password"):
        (tmp_path / name).write_text("not-used\n")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    environ = {**ENVIRON, "SPARK_MASTER_REST_URL": REST_URL, "DAYJOBS_JAR": "file:" + JAR,
               "DAYJOBS_CASSANDRA_PASSWORD_FILE": str(tmp_path / "cassandra-password"),
               "DAYJOBS_OPS_PASSWORD_FILE": str(tmp_path / "ops-password"),
               "DAYJOBS_OPS_JDBC_URL": f"jdbc:postgresql://127.0.0.1:{closed_port}/pipeline_ops"}
    with pytest.raises(DriverFailed) as failed:
        run_day_job("daily-close", "2026-12-01", environ, poll_seconds=1)
    assert failed.value.status.state == "FAILED"
    print(f"CLOSE {failed.value.status.submission_id}")
