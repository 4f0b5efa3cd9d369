"""The Celery app: the run launcher works on the `runs` queue, index updates on `celery`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "codepusher.settings")

app = Celery("codepusher")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
