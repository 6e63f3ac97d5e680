import datetime as dt
import logging

import pytest

from dayjobs.day_job import (COMMANDS, MAIN_CLASS, day_for_run, day_job_arguments, day_job_request, parse_day,
                             run_day_job)
from dayjobs.settings import ENV, EXTRA_CONF_ENV, DayJobSettings, SettingsError
from dayjobs.spark_rest import DriverFailed, SparkRestClient
from fake_master import FakeMaster

ENVIRON = {
    "SPARK_MASTER_REST_URL": "http://spark-master:6066",
    "DAYJOBS_JAR": "file:/opt/spark/jobs/trades-to-cassandra.jar",
    "DAYJOBS_KAFKA_BOOTSTRAP_SERVERS": "kafka:9092",
    "DAYJOBS_CASSANDRA_HOST": "cassandra",
    "DAYJOBS_CASSANDRA_LOCAL_DC": "datacenter1",
    "DAYJOBS_CASSANDRA_USERNAME": "pipeline",
    "DAYJOBS_CASSANDRA_PASSWORD_FILE": "/tmp/secrets/cassandra-password",
    "DAYJOBS_OPS_JDBC_URL": "jdbc:postgresql://postgres:5432/pipeline_ops",
    "DAYJOBS_OPS_USER": "pipeline_ops",
    "DAYJOBS_OPS_PASSWORD_FILE": "/tmp/secrets/pipeline-ops-password",
    "DAYJOBS_CORES_MAX": "1",
    "DAYJOBS_DRIVER_MEMORY": "512m",
    "DAYJOBS_EXECUTOR_MEMORY": "512m",
}


def settings(**overrides):
    return DayJobSettings.from_env({**ENVIRON, **overrides})


def test_every_variable_is_read():
    assert set(ENVIRON) == set(ENV)
    s = settings()
    assert (s.rest_url, s.cores_max, s.ops_user) == ("http://spark-master:6066", 1, "pipeline_ops")


def test_missing_and_malformed_variables_are_all_named_at_once():
    with pytest.raises(SettingsError) as error:
        DayJobSettings.from_env({"DAYJOBS_CORES_MAX": "0", "DAYJOBS_DRIVER_MEMORY": "lots",
                                 "SPARK_MASTER_REST_URL": "spark://spark-master:7077",
                                 EXTRA_CONF_ENV: "spark.driver.port=7100 nonsense"})
    message = str(error.value)
    for name in set(ENV) - {"DAYJOBS_CORES_MAX", "DAYJOBS_DRIVER_MEMORY", "SPARK_MASTER_REST_URL"}:
        assert f"{name} is not set" in message
    assert "DAYJOBS_CORES_MAX='0' is not a whole number >= 1" in message
    assert "DAYJOBS_DRIVER_MEMORY='lots' is not a JVM memory size" in message
    assert "SPARK_MASTER_REST_URL='spark://spark-master:7077' is not http://host:port" in message
    assert "DAYJOBS_SPARK_CONF: 'nonsense' is not spark.key=value" in message


def test_extra_spark_properties_are_added():
    s = settings(**{EXTRA_CONF_ENV: "spark.driver.port=7100  spark.driver.blockManager.port=7101"})
    properties = day_job_request(s, "rollups", "2026-12-01")["sparkProperties"]
    assert properties["spark.driver.port"] == "7100"
    assert properties["spark.driver.blockManager.port"] == "7101"


def test_the_job_gets_its_fixed_interface_and_password_files_never_passwords():
    args = day_job_arguments(settings(), "daily-close", "2026-12-01")
    assert args == ["daily-close", "--day", "2026-12-01",
                    "--bootstrap-servers", "kafka:9092",
                    "--cassandra-host", "cassandra",
                    "--cassandra-local-dc", "datacenter1",
                    "--cassandra-username", "pipeline",
                    "--cassandra-password-file", "/tmp/secrets/cassandra-password",
                    "--ops-jdbc-url", "jdbc:postgresql://postgres:5432/pipeline_ops",
                    "--ops-user", "pipeline_ops",
                    "--ops-password-file", "/tmp/secrets/pipeline-ops-password"]
    assert not any(a.startswith("--") and a.endswith("-password") for a in args)


def test_request_caps_the_batch_jobs_cores_and_carries_the_jdk17_options():
    request = day_job_request(settings(DAYJOBS_CORES_MAX="2"), "replay", "2026-12-01")
    assert request["mainClass"] == MAIN_CLASS == "io.streamingpipeline.spark.batch.DayJobsMain"
    assert request["appResource"] == "file:/opt/spark/jobs/trades-to-cassandra.jar"
    properties = request["sparkProperties"]
    assert properties["spark.cores.max"] == "2"
    assert properties["spark.executor.cores"] == "2"
    assert properties["spark.driver.cores"] == "1"
    assert properties["spark.app.name"] == "day-job replay 2026-12-01"
    for side in ("driver", "executor"):
        options = properties[f"spark.{side}.extraJavaOptions"].split()
        assert "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED" in options
        assert "-Djdk.reflect.useDirectMethodHandle=false" in options


@pytest.mark.parametrize("command", ["close", "", "daily_close"])
def test_unknown_commands_are_refused(command):
    with pytest.raises(ValueError, match="is not one of daily-close, rollups, replay"):
        day_job_arguments(settings(), command, "2026-12-01")
    assert COMMANDS == ("daily-close", "rollups", "replay")


@pytest.mark.parametrize("text", ["2026-12-1", "20261201", "2026-13-01", "yesterday", "", "2026-12-01T00:00"])
def test_days_are_strict_dates(text):
    with pytest.raises(ValueError, match="is not a date YYYY-MM-DD"):
        parse_day(text)


def test_day_of_a_run_is_the_parameter_or_the_utc_day_before_it_was_due():
    due = dt.datetime(2026, 12, 3, 0, 30, tzinfo=dt.timezone.utc)
    assert day_for_run(None, due) == "2026-12-02"
    assert day_for_run("", due) == "2026-12-02"
    assert day_for_run("2026-11-15", due) == "2026-11-15"
    # 01:30 in UTC+2 is 23:30 UTC the day before
    assert day_for_run(None, dt.datetime(2026, 12, 3, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))) == "2026-12-01"
    with pytest.raises(ValueError):
        day_for_run("2026-11-31", due)


def test_run_day_job_submits_and_waits(caplog):
    caplog.set_level(logging.INFO)
    with FakeMaster(states=["RUNNING", "FINISHED"]) as master:
        driver = run_day_job("daily-close", "2026-12-01", {**ENVIRON, "SPARK_MASTER_REST_URL": master.url},
                             poll_seconds=0)
    assert driver == "driver-20261203000000-0000"
    [request] = master.submissions()
    assert request["appArgs"][:3] == ["daily-close", "--day", "2026-12-01"]
    assert "daily-close 2026-12-01: driver driver-20261203000000-0000 is RUNNING on worker 10.0.0.7:7078" in caplog.text


def test_a_mismatch_fails_the_task_and_says_where_to_look(caplog):
    with FakeMaster(states=["RUNNING", "FAILED"]) as master:
        with pytest.raises(DriverFailed, match="daily-close 2026-12-01: driver .* ended FAILED"):
            run_day_job("daily-close", "2026-12-01", {**ENVIRON, "SPARK_MASTER_REST_URL": master.url},
                        poll_seconds=0)
    assert "exits 1 when the day does not reconcile" in caplog.text
    assert "jdbc:postgresql://postgres:5432/pipeline_ops" in caplog.text


def test_settings_are_checked_before_anything_is_submitted():
    with FakeMaster() as master:
        with pytest.raises(SettingsError, match="DAYJOBS_OPS_USER is not set"):
            run_day_job("rollups", "2026-12-01", {k: v for k, v in ENVIRON.items() if k != "DAYJOBS_OPS_USER"},
                        client=SparkRestClient(master.url))
    assert master.requests == []
