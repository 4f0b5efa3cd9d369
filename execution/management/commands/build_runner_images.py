"""``manage.py build_runner_images [--force] [--from-registry] [LANG ...]``: build runner images."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from execution.images import ImageBuildError, build_images
from execution.languages import LANGUAGES


class Command(BaseCommand):
    help = (
        "Build the Docker images the runner uses, one per language (debootstrap + docker import "
        "by default, no registry needed). Skips up-to-date images unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("languages", nargs="*", metavar="LANG", help=", ".join(LANGUAGES))
        parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
        parser.add_argument(
            "--from-registry",
            action="store_true",
            default=None,
            help="build from execution/runner_images/<lang>.Dockerfile (needs a registry)",
        )

    def handle(self, *args: object, **options: object) -> None:
        try:
            built = build_images(
                options["languages"] or None,
                force=bool(options["force"]),
                from_registry=options["from_registry"],
                progress=lambda line: self.stdout.write(line),
            )
        except ImageBuildError as exc:
            raise CommandError(str(exc)) from None
        except KeyboardInterrupt:
            raise CommandError("interrupted") from None
        self.stdout.write(self.style.SUCCESS(f"built: {', '.join(built) or 'nothing to do'}"))
