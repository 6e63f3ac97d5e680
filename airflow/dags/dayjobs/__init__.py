"""What the DAGs need to start the pipeline's Java day jobs on the Spark cluster: the settings (environment), the
submission to the Spark master's REST endpoint and the wait for the driver. Standard library only, so that it runs
in the official Airflow image unchanged and is tested without Airflow (airflow/tests)."""
