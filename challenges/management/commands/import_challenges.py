from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from challenges.packs import PackError
from challenges.services import challenges_import, challenges_import_kattis


class Command(BaseCommand):
    help = (
        "Import a challenge pack folder, or Kattis problem packages (a problem folder, a folder "
        "of them, or a .zip) into one repository; all or nothing. See challenges/packs/README.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--format",
            choices=["auto", "pack", "kattis"],
            default="auto",
            help="auto: kattis for a .zip or a folder holding problem.yaml files, else pack",
        )
        parser.add_argument("--repository", help="Kattis only: the repository slug to import into")
        parser.add_argument(
            "--publish", action="store_true", help="Kattis only: publish new problems at once"
        )

    def handle(
        self, *args, path: Path, format: str, repository: str | None, publish: bool, **options
    ):
        if format == "auto":
            kattis = (
                path.suffix == ".zip"
                or any(path.glob("problem.yaml"))
                or any(path.glob("*/problem.yaml"))
            )
            format = "kattis" if kattis else "pack"
        self.stdout.write(f"Importing {format} challenges from {path} ...")
        try:
            if format == "kattis":
                if not repository:
                    raise CommandError("--repository is required to import Kattis problems")
                summary = challenges_import_kattis(
                    path=path, repository_slug=repository, publish=publish
                )
            else:
                summary = challenges_import(path=path)
        except PackError as exc:
            for line in exc.lines(path):
                self.stderr.write(f"error: {line}")
            raise CommandError(
                f"{len(exc.problems)} problem(s) found; nothing was imported"
            ) from None
        for warning in summary.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        self.stdout.write(self.style.SUCCESS(f"Challenges: {summary}."))
