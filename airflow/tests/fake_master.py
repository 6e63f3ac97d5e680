"""An HTTP server that answers like a Spark master's REST endpoint, scripted per test: the driver's states in
order, and which requests fail."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeMaster:
    def __init__(self, states=("SUBMITTED", "RUNNING", "FINISHED"), submit_answer=None, status_failures=0):
        self.states = list(states)
        self.submit_answer = submit_answer
        self.status_failures = status_failures
        self.requests = []
        self.killed = []
        master = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, code, body):
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                master.requests.append(("POST", self.path, json.loads(body) if body else None))
                if self.path == "/v1/submissions/create":
                    self._answer(*(master.submit_answer or (200, {
                        "action": "CreateSubmissionResponse", "success": True,
                        "submissionId": "driver-20261203000000-0000",
                        "message": "Driver successfully submitted as driver-20261203000000-0000"})))
                elif self.path.startswith("/v1/submissions/kill/"):
                    driver = self.path.rsplit("/", 1)[1]
                    master.killed.append(driver)
                    self._answer(200, {"action": "KillSubmissionResponse", "success": True, "submissionId": driver})
                else:
                    self._answer(404, {"action": "ErrorResponse", "message": "no such path"})

            def do_GET(self):
                master.requests.append(("GET", self.path, None))
                if not self.path.startswith("/v1/submissions/status/"):
                    self._answer(404, {"action": "ErrorResponse", "message": "no such path"})
                    return
                if master.status_failures > 0:
                    master.status_failures -= 1
                    self._answer(503, {"action": "ErrorResponse", "message": "busy"})
                    return
                driver = self.path.rsplit("/", 1)[1]
                state = master.states.pop(0) if len(master.states) > 1 else master.states[0]
                if state is None:
                    self._answer(200, {"action": "SubmissionStatusResponse", "success": False, "submissionId": driver})
                else:
                    self._answer(200, {"action": "SubmissionStatusResponse", "success": True, "submissionId": driver,
                                       "driverState": state, "workerHostPort": "10.0.0.7:7078",
                                       "workerId": "worker-1"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def submissions(self):
        return [body for method, path, body in self.requests if path == "/v1/submissions/create"]
