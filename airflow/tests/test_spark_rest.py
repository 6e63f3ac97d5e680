import socket

import pytest

from dayjobs.spark_rest import DriverFailed, SparkRestClient, SparkRestError, driver_request, run_driver
from fake_master import FakeMaster

REQUEST = driver_request("file:/opt/spark/jobs/job.jar", "io.example.Main", ["a", "--b", "c"],
                         {"spark.cores.max": 1}, "3.5.7")


def no_sleep(seconds):
    pass


def test_request_runs_the_driver_in_cluster_mode_with_the_given_properties():
    assert REQUEST["action"] == "CreateSubmissionRequest"
    assert REQUEST["appResource"] == "file:/opt/spark/jobs/job.jar"
    assert REQUEST["mainClass"] == "io.example.Main"
    assert REQUEST["appArgs"] == ["a", "--b", "c"]
    assert REQUEST["clientSparkVersion"] == "3.5.7"
    properties = REQUEST["sparkProperties"]
    assert properties["spark.submit.deployMode"] == "cluster"
    assert properties["spark.driver.supervise"] == "false"
    assert properties["spark.jars"] == "file:/opt/spark/jobs/job.jar"
    # the protocol carries strings only
    assert properties["spark.cores.max"] == "1"


def test_finished_driver_is_returned_after_polling_until_it_ends():
    with FakeMaster(states=["SUBMITTED", "RUNNING", "RUNNING", "FINISHED"]) as master:
        status = run_driver(SparkRestClient(master.url), REQUEST, "test", sleep=no_sleep)
    assert status.state == "FINISHED"
    assert status.submission_id == "driver-20261203000000-0000"
    assert master.submissions() == [REQUEST]
    polls = [path for method, path, _ in master.requests if method == "GET"]
    assert polls == ["/v1/submissions/status/driver-20261203000000-0000"] * 4
    assert master.killed == []


@pytest.mark.parametrize("state", ["FAILED", "ERROR", "KILLED"])
def test_a_driver_that_did_not_finish_cleanly_fails_with_its_state_and_worker(state):
    with FakeMaster(states=["RUNNING", state]) as master:
        with pytest.raises(DriverFailed) as failed:
            run_driver(SparkRestClient(master.url), REQUEST, "daily-close 2026-12-01", sleep=no_sleep)
    assert failed.value.status.state == state
    assert str(failed.value) == (f"daily-close 2026-12-01: driver driver-20261203000000-0000 ended {state} "
                                 "on worker 10.0.0.7:7078")
    assert master.killed == [], "an ended driver is not killed"


def test_a_driver_the_master_forgot_fails():
    with FakeMaster(states=["RUNNING", None]) as master:
        with pytest.raises(DriverFailed, match="ended None .*does not know this driver"):
            run_driver(SparkRestClient(master.url), REQUEST, "x", sleep=no_sleep)


def test_refused_submission_says_why():
    answer = (200, {"action": "CreateSubmissionResponse", "success": False, "message": "Master is not ALIVE"})
    with FakeMaster(submit_answer=answer) as master:
        with pytest.raises(SparkRestError, match="refused the submission: Master is not ALIVE"):
            run_driver(SparkRestClient(master.url), REQUEST, "x", sleep=no_sleep)


def test_malformed_request_error_shows_the_first_line_of_the_masters_message():
    answer = (400, {"action": "ErrorResponse",
                    "message": "Malformed request: Validation of message CreateSubmissionRequest failed!\n\tat x.y(z)"})
    with FakeMaster(submit_answer=answer) as master:
        with pytest.raises(SparkRestError) as error:
            SparkRestClient(master.url).create(REQUEST)
    assert str(error.value).endswith("HTTP 400: Malformed request: Validation of message CreateSubmissionRequest failed!")


def test_an_unreachable_endpoint_names_the_setting_to_check():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(SparkRestError, match=f"cannot reach .* spark.master.rest.enabled=true .* port {port}"):
        SparkRestClient(f"http://127.0.0.1:{port}", timeout_seconds=2).create(REQUEST)


def test_a_few_failed_polls_are_waited_out():
    with FakeMaster(states=["RUNNING", "FINISHED"], status_failures=3) as master:
        status = run_driver(SparkRestClient(master.url), REQUEST, "x", sleep=no_sleep, max_poll_errors=4)
    assert status.state == "FINISHED"
    assert master.killed == []


def test_the_driver_is_killed_when_its_state_cannot_be_had():
    with FakeMaster(states=["RUNNING"], status_failures=10) as master:
        with pytest.raises(SparkRestError, match="HTTP 503"):
            run_driver(SparkRestClient(master.url), REQUEST, "x", sleep=no_sleep, max_poll_errors=3)
    assert master.killed == ["driver-20261203000000-0000"]


class Stopped(BaseException):
    """What Airflow raises in a task it stops or times out (not an Exception subclass either)."""


def test_the_driver_is_killed_when_the_task_is_stopped_while_waiting():
    polls = []

    def stop_on_second_poll(seconds):
        polls.append(seconds)
        if len(polls) == 2:
            raise Stopped()

    with FakeMaster(states=["RUNNING"]) as master:
        with pytest.raises(Stopped):
            run_driver(SparkRestClient(master.url), REQUEST, "x", poll_seconds=7, sleep=stop_on_second_poll)
    assert polls == [7, 7]
    assert master.killed == ["driver-20261203000000-0000"]
