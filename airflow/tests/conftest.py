import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DAGS = HERE.parent / "dags"
# The DAG folder is on sys.path in Airflow too (its helper package is imported as `dayjobs`).
sys.path.insert(0, str(DAGS))
