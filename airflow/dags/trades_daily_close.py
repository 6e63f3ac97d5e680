"""
### trades_daily_close

Every day at 00:30 UTC, for the UTC day that just ended (or the `day` parameter):

1. **daily-close**: per symbol, the day's trades in Kafka against the rows in Cassandra and the 1-minute candles'
   trade counts, dead letters by reason; one result row per symbol in Postgres (`pipeline_ops`). The task fails
   when anything does not match (the job exits 1): repair the day with `trades_replay_day`.
2. **rollups**: the day's hourly and daily candles from its 1-minute candles (idempotent).

Both run as `io.streamingpipeline.spark.batch.DayJobsMain` on the Spark cluster (cluster mode, submitted to the
master's REST endpoint); this file only orders them.
"""

from datetime import datetime, timedelta, timezone

from airflow.sdk import DAG, Param, get_current_context, task

from dayjobs.day_job import close_then_roll_up, day_for_run

with DAG(
    dag_id="trades_daily_close",
    description="Reconcile yesterday's trades (Kafka vs Cassandra vs candles), then build its 1h/1d candles",
    schedule="30 0 * * *",
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    params={
        "day": Param(None, type=["null", "string"], format="date",
                     description="UTC day YYYY-MM-DD; empty: the day before the run was due"),
    },
    default_args={"retries": 0, "execution_timeout": timedelta(hours=2)},
    tags=["trades", "day-jobs"],
    doc_md=__doc__,
):

    @task
    def choose_day() -> str:
        context = get_current_context()
        return day_for_run(context["params"].get("day"), context["dag_run"].run_after)

    close_then_roll_up(task, choose_day())
