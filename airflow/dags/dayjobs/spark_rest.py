"""The Spark standalone master's REST submission protocol (``/v1/submissions``, ``spark.master.rest.enabled``):
create a driver in cluster mode, ask for its state, kill it. The endpoint has no authentication: it must only be
reachable from inside the deployment (Compose: not published; Kubernetes: a NetworkPolicy)."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Callable

log = logging.getLogger(__name__)

#: Driver states (org.apache.spark.deploy.master.DriverState) after which nothing changes any more.
SUCCEEDED = frozenset({"FINISHED"})
FAILED = frozenset({"FAILED", "ERROR", "KILLED"})


class SparkRestError(Exception):
    """The endpoint could not be reached, or refused a request."""


class DriverFailed(Exception):
    """The driver ended in a state other than FINISHED (its main method exited non-zero, threw, or was killed)."""

    def __init__(self, status: "DriverStatus", what: str):
        self.status = status
        super().__init__(
            f"{what}: driver {status.submission_id} ended {status.state}"
            + (f" on worker {status.worker}" if status.worker else "")
            + (f" ({status.message})" if status.message else "")
        )


@dataclass(frozen=True)
class DriverStatus:
    submission_id: str
    #: None when the master does not know the driver (e.g. it was restarted without recovery).
    state: str | None
    worker: str | None = None
    message: str | None = None

    @property
    def finished(self) -> bool:
        return self.state in SUCCEEDED or self.state in FAILED or self.state is None


def driver_request(app_resource: str, main_class: str, app_args: list[str], spark_properties: dict[str, str],
                   client_spark_version: str) -> dict:
    """A CreateSubmissionRequest: run ``main_class`` of the jar ``app_resource`` (a path the workers can read) in
    cluster mode, i.e. the driver on a worker."""
    properties = {
        "spark.submit.deployMode": "cluster",
        "spark.driver.supervise": "false",
        "spark.jars": app_resource,
    }
    properties.update(spark_properties)
    return {
        "action": "CreateSubmissionRequest",
        "clientSparkVersion": client_spark_version,
        "appResource": app_resource,
        "mainClass": main_class,
        "appArgs": list(app_args),
        "environmentVariables": {},
        "sparkProperties": {k: str(v) for k, v in properties.items()},
    }


class SparkRestClient:
    """A client of one master's REST endpoint, e.g. ``http://spark-master:6066``."""

    def __init__(self, base_url: str, timeout_seconds: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.timeout_seconds = timeout_seconds

    def create(self, request: dict) -> str:
        """Submits the driver; returns its submission id (``driver-...``)."""
        answer = self._call("POST", "/v1/submissions/create", request)
        if not answer.get("success") or not answer.get("submissionId"):
            raise SparkRestError(f"the Spark master at {self.base_url} refused the submission: "
                                 f"{answer.get('message', answer)}")
        return answer["submissionId"]

    def status(self, submission_id: str) -> DriverStatus:
        answer = self._call("GET", f"/v1/submissions/status/{submission_id}")
        if not answer.get("success"):
            return DriverStatus(submission_id, None, message=answer.get("message")
                                or "the master does not know this driver (restarted without recovery?)")
        return DriverStatus(submission_id, answer.get("driverState"), answer.get("workerHostPort"),
                            _first_line(answer.get("message")))

    def kill(self, submission_id: str) -> bool:
        """Asks the master to kill the driver; False if it had already ended."""
        return bool(self._call("POST", f"/v1/submissions/kill/{submission_id}").get("success"))

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.base_url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json;charset=UTF-8"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            # The master answers malformed requests with 400 and an ErrorResponse carrying a stack trace.
            detail = _first_line(_json_message(e.read())) or e.reason
            raise SparkRestError(f"{method} {self.base_url}{path}: HTTP {e.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            raise SparkRestError(f"{method} {self.base_url}{path}: cannot reach the Spark master's REST endpoint "
                                 f"({reason}); is spark.master.rest.enabled=true on the master, and port "
                                 f"{self.base_url.rsplit(':', 1)[-1]} reachable from here?") from None
        except ValueError as e:
            raise SparkRestError(f"{method} {self.base_url}{path}: not a JSON answer ({e})") from None


def run_driver(client: SparkRestClient, request: dict, what: str, poll_seconds: float = 10.0,
               max_poll_errors: int = 6, sleep: Callable[[float], None] = time.sleep) -> DriverStatus:
    """Submits the driver and waits until it ends; returns its FINISHED status, raises DriverFailed otherwise.

    If the wait is interrupted (the task is stopped, times out, or the master cannot be asked ``max_poll_errors``
    times in a row) the driver is killed before the exception goes on: a day job does not outlive its task.
    """
    submission_id = client.create(request)
    log.info("%s: submitted as %s to %s", what, submission_id, client.base_url)
    ended = False
    try:
        errors = 0
        last_state = None
        while True:
            try:
                status = client.status(submission_id)
                errors = 0
            except SparkRestError as e:
                errors += 1
                if errors >= max_poll_errors:
                    raise
                log.warning("%s: state of %s unknown for now (%d/%d): %s", what, submission_id, errors,
                            max_poll_errors, e)
                sleep(poll_seconds)
                continue
            if status.state != last_state:
                log.info("%s: driver %s is %s%s", what, submission_id, status.state,
                         f" on worker {status.worker}" if status.worker else "")
                last_state = status.state
            if status.finished:
                ended = True
                if status.state in SUCCEEDED:
                    return status
                raise DriverFailed(status, what)
            sleep(poll_seconds)
    finally:
        if not ended:
            _kill_quietly(client, submission_id, what)


def _kill_quietly(client: SparkRestClient, submission_id: str, what: str) -> None:
    try:
        killed = client.kill(submission_id)
        log.warning("%s: the wait was interrupted; driver %s %s", what, submission_id,
                    "killed" if killed else "had already ended")
    except SparkRestError as e:
        log.error("%s: could not kill driver %s: %s (kill it in the Spark master UI)", what, submission_id, e)


def _json_message(raw: bytes) -> str | None:
    try:
        return json.loads(raw.decode("utf-8")).get("message")
    except (ValueError, AttributeError):
        return raw.decode("utf-8", "replace")


def _first_line(text: str | None) -> str | None:
    return text.strip().splitlines()[0] if text and text.strip() else None
