from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from challenges.services import challenges_export


class Command(BaseCommand):
    help = "Export repositories and challenges as a pack folder that import_challenges reads back."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--repository", action="append", dest="repositories", help="Only this repository slug"
        )

    def handle(self, *args, path: Path, repositories: list[str] | None, **options):
        if path.exists() and not path.is_dir():
            raise CommandError(f"{path} exists and is not a folder")
        written = challenges_export(path=path, repository_slugs=repositories)
        self.stdout.write(
            self.style.SUCCESS(f"Exported to {path}: {len(written)} file(s) written.")
        )
