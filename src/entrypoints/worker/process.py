"""The module `inkwell worker` hands to Dramatiq's command line: each worker process imports it and finds
the broker, with Inkwell's middleware and actors, in `broker`."""

from entrypoints import logs
from entrypoints.settings import Settings
from entrypoints.worker.setup import worker_runtime

_settings = Settings()
logs.configure(_settings.log_level)
broker = worker_runtime(_settings, export_metrics=_settings.worker_metrics_port is not None).broker
