from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from challenges.services import challenges_export, challenges_export_kattis


class Command(BaseCommand):
    help = (
        "Export repositories and challenges as a pack folder that import_challenges reads back, "
        "or (--format kattis) as Kattis problem folders, <path>/<repository>/<challenge>/."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--repository", action="append", dest="repositories", help="Only this repository slug"
        )
        parser.add_argument("--format", choices=["pack", "kattis"], default="pack")

    def handle(self, *args, path: Path, repositories: list[str] | None, format: str, **options):
        if path.exists() and not path.is_dir():
            raise CommandError(f"{path} exists and is not a folder")
        export = challenges_export_kattis if format == "kattis" else challenges_export
        written = export(path=path, repository_slugs=repositories)
        self.stdout.write(
            self.style.SUCCESS(f"Exported to {path}: {len(written)} file(s) written.")
        )
