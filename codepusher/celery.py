"""The Celery app: the run launcher works on the `runs` queue, index updates on `celery`."""

import os

from celery import Celery
from celery.signals import celeryd_after_setup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codepusher.settings")

app = Celery("codepusher")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@celeryd_after_setup.connect
def _consume_runner_host_queue(sender, instance, **kwargs) -> None:
    """A worker on a runner host also takes the work bound to its own engine (its reaper)."""
    from django.conf import settings

    if settings.RUNNER_HOST_QUEUE:
        instance.app.amqp.queues.select_add(settings.RUNNER_HOST_QUEUE)
