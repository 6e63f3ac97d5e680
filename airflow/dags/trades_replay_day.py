"""
### trades_replay_day

Started by hand with a `day` (UTC, YYYY-MM-DD): **replay** re-reads the day from Kafka (within retention) and
upserts its trades (ids are assigned once, so this is safe to repeat), then recomputes the day's 1-minute candles
from the stored trades; then **daily-close** proves the day and **rollups** rebuilds its hourly and daily candles.
Every step is recorded in Postgres (`pipeline_ops`).
"""

from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, Param, get_current_context, task

from dayjobs.day_job import close_then_roll_up, parse_day, run_day_job

with DAG(
    dag_id="trades_replay_day",
    description="Re-read one UTC day from Kafka into Cassandra, recompute its candles, then close it",
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    params={"day": Param(type="string", format="date", description="UTC day YYYY-MM-DD to replay")},
    default_args={"retries": 0, "execution_timeout": timedelta(hours=2)},
    tags=["trades", "day-jobs"],
    doc_md=__doc__,
):

    @task
    def replay() -> str:
        day = parse_day(get_current_context()["params"]["day"]).isoformat()
        run_day_job("replay", day)
        return day

    close_then_roll_up(task, replay())
