"""A stand-in for the few names of Airflow 3's ``airflow.sdk`` that the DAG files use (DAG, Param, task,
get_current_context), enough to load a DAG file without Airflow, see its tasks and their order, and run the task
functions in that order. Not Airflow: test_dags.py checks statically that the DAG files use nothing else."""

_NOTSET = object()
_current_dag = None
_context = {}


class Param:
    def __init__(self, default=_NOTSET, **schema):
        self.default = default
        self.schema = schema

    @property
    def required(self):
        return self.default is _NOTSET


class DAG:
    def __init__(self, dag_id, **kwargs):
        self.dag_id = dag_id
        self.kwargs = kwargs
        self.tasks = {}

    def __enter__(self):
        global _current_dag
        _current_dag = self
        return self

    def __exit__(self, *exc):
        global _current_dag
        _current_dag = None
        return False


class TaskNode:
    def __init__(self, function, args, kwargs):
        self.function = function
        self.task_id = function.__name__
        self.args = args
        self.kwargs = kwargs
        self.upstream = {a.task_id for a in list(args) + list(kwargs.values()) if isinstance(a, TaskNode)}

    def __rshift__(self, other):
        other.upstream.add(self.task_id)
        return other


def task(function):
    def create(*args, **kwargs):
        if _current_dag is None:
            raise RuntimeError(f"task {function.__name__} called outside a DAG")
        node = TaskNode(function, args, kwargs)
        _current_dag.tasks[node.task_id] = node
        return node

    create.function = function
    return create


def get_current_context():
    return _context


def run(dag, context):
    """Runs the DAG's task functions in dependency order, passing return values on as Airflow passes XComs.
    A task that raises stops the run (later tasks are 'upstream_failed'); returns {task_id: state}."""
    _context.clear()
    _context.update(context)
    results, states = {}, {}
    pending = dict(dag.tasks)
    while pending:
        ready = [t for t in pending.values() if t.upstream <= set(results)]
        if not ready:
            break
        for node in ready:
            del pending[node.task_id]
            args = [results[a.task_id] if isinstance(a, TaskNode) else a for a in node.args]
            try:
                results[node.task_id] = node.function(*args)
                states[node.task_id] = "success"
            except Exception as e:
                states[node.task_id] = f"failed: {e}"
                for rest in pending:
                    states[rest] = "upstream_failed"
                return states
    return states
