"""The DAG files without Airflow: statically (they compile, import only what the official image ships, and declare
the schedule, catchup and concurrency the README promises), then loaded against a stand-in of airflow.sdk to see
their tasks, their order, and what each task submits."""

import ast
import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest

from dayjobs import day_job
from dayjobs.day_job import COMMANDS

DAGS = Path(__file__).resolve().parent.parent / "dags"
FAKE_SDK = Path(__file__).resolve().parent / "fake_sdk"
DAG_FILES = {"trades_daily_close": DAGS / "trades_daily_close.py", "trades_replay_day": DAGS / "trades_replay_day.py"}
#: What the DAG files may take from Airflow: the Task SDK's public names (Airflow 3), nothing from airflow.models
#: or airflow.operators (Airflow 2 paths) and no provider.
SDK_NAMES = {"DAG", "Param", "task", "get_current_context"}
#: Third-party modules of the official apache/airflow image that the DAG files may import (none needed so far).
IMAGE_MODULES = set()


def tree(path):
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imports(path):
    """(module, names) of every import statement of the file."""
    found = []
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module, {alias.name for alias in node.names}))
    return found


def dag_call(path):
    calls = [n for n in ast.walk(tree(path)) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "DAG"]
    assert len(calls) == 1, f"{path.name}: one DAG(...) per file"
    return {k.arg: k.value for k in calls[0].keywords}


def literal(node):
    return ast.literal_eval(node)


def test_the_dag_folder_holds_these_dag_files_and_the_helper_package():
    assert sorted(p.name for p in DAGS.glob("*.py")) == sorted(p.name for p in DAG_FILES.values())
    assert (DAGS / ".airflowignore").read_text().splitlines()[-1] == "dayjobs/"


@pytest.mark.parametrize("path", sorted(DAGS.rglob("*.py")), ids=lambda p: str(p.relative_to(DAGS)))
def test_every_file_compiles(path):
    compile(path.read_text(encoding="utf-8"), str(path), "exec")


@pytest.mark.parametrize("path", sorted(DAG_FILES.values()), ids=lambda p: p.name)
def test_dag_files_import_only_the_task_sdk_the_image_and_the_helper_package(path):
    for module, names in imports(path):
        top = module.split(".")[0]
        if module == "airflow.sdk":
            assert names <= SDK_NAMES, f"{path.name}: from airflow.sdk import {names - SDK_NAMES}"
        else:
            assert top in sys.stdlib_module_names or top in IMAGE_MODULES or top == "dayjobs", \
                f"{path.name} imports {module}: not in the official Airflow image"


@pytest.mark.parametrize("path", sorted((DAGS / "dayjobs").glob("*.py")), ids=lambda p: p.name)
def test_the_helper_package_needs_the_standard_library_only(path):
    for module, _ in imports(path):
        top = module.split(".")[0]
        assert top in sys.stdlib_module_names or top == "dayjobs", f"{path.name} imports {module}"


@pytest.mark.parametrize("dag_id", sorted(DAG_FILES))
def test_one_run_at_a_time_no_catchup_utc(dag_id):
    args = dag_call(DAG_FILES[dag_id])
    assert literal(args["dag_id"]) == dag_id
    assert literal(args["catchup"]) is False
    assert literal(args["max_active_runs"]) == 1
    start = args["start_date"]
    assert [ast.unparse(k) for k in start.keywords] == ["tzinfo=timezone.utc"]


def test_daily_close_runs_daily_shortly_after_midnight_utc():
    minute, hour, day_of_month, month, day_of_week = literal(dag_call(DAG_FILES["trades_daily_close"])["schedule"]).split()
    assert (day_of_month, month, day_of_week) == ("*", "*", "*")
    assert hour == "0" and 0 < int(minute) < 60


def test_replay_is_started_by_hand_with_a_required_day():
    args = dag_call(DAG_FILES["trades_replay_day"])
    assert literal(args["schedule"]) is None
    day = args["params"].values[0]
    assert not day.args, "no default: the trigger form asks for the day"


@pytest.mark.parametrize("dag_id", sorted(DAG_FILES))
def test_tasks_submit_only_known_commands(dag_id):
    # the DAG file's own tasks, and the tail every DAG adds with close_then_roll_up
    files = (DAG_FILES[dag_id], DAGS / "dayjobs" / "day_job.py")
    commands = [literal(n.args[0]) for path in files for n in ast.walk(tree(path))
                if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "run_day_job"]
    assert commands and set(commands) <= set(COMMANDS)


# ------------------------------------------------------------------ loaded against the stand-in of airflow.sdk

@pytest.fixture
def sdk(monkeypatch):
    monkeypatch.syspath_prepend(str(FAKE_SDK))
    for name in ("airflow", "airflow.sdk"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    import airflow.sdk
    monkeypatch.setattr(day_job, "run_day_job", day_job.run_day_job)  # restored after the test: dag_of replaces it
    yield airflow.sdk
    for name in ("airflow", "airflow.sdk"):
        sys.modules.pop(name, None)


def dag_of(dag_id, sdk, calls, fail=()):
    """Loads the DAG file (its run_day_job replaced by one that records the calls) and returns its DAG."""
    entered = []
    original = sdk.DAG.__enter__

    def enter(dag):
        entered.append(dag)
        return original(dag)

    sdk.DAG.__enter__ = enter
    try:
        spec = importlib.util.spec_from_file_location(f"dag_file_{dag_id}", DAG_FILES[dag_id])
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sdk.DAG.__enter__ = original

    def fake_run_day_job(command, day):
        calls.append((command, day))
        if command in fail:
            raise RuntimeError(f"{command} {day}: driver ended FAILED")
        return "driver-1"

    module.run_day_job = fake_run_day_job  # the DAG file's own tasks
    day_job.run_day_job = fake_run_day_job  # the tasks of close_then_roll_up
    [dag] = entered
    return dag


class DagRun:
    def __init__(self, run_after):
        self.run_after = run_after


DUE = dt.datetime(2026, 12, 3, 0, 30, tzinfo=dt.timezone.utc)


def test_daily_close_closes_then_rolls_up_the_day_before_the_run(sdk):
    calls = []
    dag = dag_of("trades_daily_close", sdk, calls)
    assert set(dag.tasks) == {"choose_day", "daily_close", "rollups"}
    assert dag.tasks["daily_close"].upstream == {"choose_day"}
    assert dag.tasks["rollups"].upstream == {"choose_day", "daily_close"}
    assert dag.kwargs["params"]["day"].default is None

    states = sdk.run(dag, {"params": {"day": None}, "dag_run": DagRun(DUE)})
    assert states == {"choose_day": "success", "daily_close": "success", "rollups": "success"}
    assert calls == [("daily-close", "2026-12-02"), ("rollups", "2026-12-02")]


def test_daily_close_takes_the_day_parameter(sdk):
    calls = []
    sdk.run(dag_of("trades_daily_close", sdk, calls), {"params": {"day": "2026-11-20"}, "dag_run": DagRun(DUE)})
    assert calls == [("daily-close", "2026-11-20"), ("rollups", "2026-11-20")]


def test_a_mismatch_fails_the_close_and_no_rollups_are_built(sdk):
    calls = []
    states = sdk.run(dag_of("trades_daily_close", sdk, calls, fail={"daily-close"}),
                     {"params": {"day": None}, "dag_run": DagRun(DUE)})
    assert states["daily_close"].startswith("failed: daily-close 2026-12-02")
    assert states["rollups"] == "upstream_failed"
    assert calls == [("daily-close", "2026-12-02")]


def test_replay_repairs_then_closes_then_rolls_up_the_given_day(sdk):
    calls = []
    dag = dag_of("trades_replay_day", sdk, calls)
    assert dag.kwargs["schedule"] is None
    assert dag.kwargs["params"]["day"].required
    assert dag.tasks["daily_close"].upstream == {"replay"}
    assert dag.tasks["rollups"].upstream == {"replay", "daily_close"}
    states = sdk.run(dag, {"params": {"day": "2026-11-30"}, "dag_run": DagRun(DUE)})
    assert set(states.values()) == {"success"}
    assert calls == [("replay", "2026-11-30"), ("daily-close", "2026-11-30"), ("rollups", "2026-11-30")]


def test_replay_of_a_malformed_day_submits_nothing(sdk):
    calls = []
    states = sdk.run(dag_of("trades_replay_day", sdk, calls), {"params": {"day": "30.11.2026"}})
    assert states["replay"].startswith("failed: day '30.11.2026' is not a date")
    assert calls == []
