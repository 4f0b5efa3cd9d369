"""``manage.py reap_runners [--max-age SECONDS]``: remove stale runner containers."""

from __future__ import annotations

import docker
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from execution.reaper import runners_reap


class Command(BaseCommand):
    help = (
        "Kill and remove runner containers (label codepusher.runner=1) of runs no worker judges "
        "any more, and any other older than --max-age (default RUNNER_REAP_AFTER_SECONDS)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--max-age",
            type=int,
            default=None,
            help=f"seconds (default RUNNER_REAP_AFTER_SECONDS={settings.RUNNER_REAP_AFTER_SECONDS})",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            max_age = options["max_age"]
            if max_age is None:
                max_age = settings.RUNNER_REAP_AFTER_SECONDS
            removed = runners_reap(int(max_age))
        except docker.errors.DockerException as exc:
            raise CommandError(f"docker engine not reachable: {str(exc)[:200]}") from None
        self.stdout.write(f"removed {removed} runner container(s)")
