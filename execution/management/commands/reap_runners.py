"""``manage.py reap_runners [--max-age SECONDS]``: remove stale runner containers."""

from __future__ import annotations

import docker
from django.core.management.base import BaseCommand, CommandError, CommandParser

from execution.reaper import runners_reap


class Command(BaseCommand):
    help = "Kill and remove runner containers (label codepusher.runner=1) older than --max-age."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--max-age", type=int, default=300, help="seconds (default 300)")

    def handle(self, *args: object, **options: object) -> None:
        try:
            removed = runners_reap(int(options["max_age"]))
        except docker.errors.DockerException as exc:
            raise CommandError(f"docker engine not reachable: {str(exc)[:200]}") from None
        self.stdout.write(f"removed {removed} runner container(s)")
