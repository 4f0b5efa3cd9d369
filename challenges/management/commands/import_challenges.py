from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from challenges.packs import PackError
from challenges.services import challenges_import


class Command(BaseCommand):
    help = "Import a challenge pack folder (all or nothing). See challenges/packs/README.md."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        self.stdout.write(f"Importing challenges from {path} ...")
        try:
            summary = challenges_import(path=path)
        except PackError as exc:
            for line in exc.lines(path):
                self.stderr.write(f"error: {line}")
            raise CommandError(
                f"{len(exc.problems)} problem(s) found; nothing was imported"
            ) from None
        self.stdout.write(self.style.SUCCESS(f"Challenges: {summary}."))
