"""Writes to the catalogue: importing and exporting challenge packs."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from challenges.archives import ArchiveError, folder_check, zip_extract
from challenges.kattis import kattis_read, kattis_write
from challenges.models import (
    Challenge,
    ChallengeLanguage,
    Repository,
    Tag,
    TestCase,
    ValidatorFile,
)
from challenges.packs import (
    ChallengeSpec,
    PackError,
    RepositorySpec,
    TestCaseSpec,
    pack_read,
    pack_write,
    writer,
)

CHALLENGE_FIELDS = (
    "title", "difficulty", "author", "time_limit_ms", "memory_limit_mb", "comparison",
    "tolerance", "published", "position", "statement", "validator_flags", "source", "source_url",
    "license",
)  # fmt: skip


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"

    def count(self, changed: bool, created: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1


def challenges_import(*, path: Path) -> ImportSummary:
    """Import a pack all or nothing; rows that already match the pack are not written at all."""
    repositories = pack_read(path)
    summary = ImportSummary()
    with transaction.atomic():
        for repository_spec in repositories:
            repository = _repository_upsert(repository_spec)
            for challenge_spec in repository_spec.challenges:
                summary.count(*_challenge_upsert(repository, challenge_spec))
    return summary


def _repository_upsert(spec: RepositorySpec) -> Repository:
    repository, created = Repository.objects.get_or_create(
        slug=spec.slug,
        defaults={"name": spec.name, "owner": spec.owner, "description": spec.description},
    )
    wanted = {"name": spec.name, "owner": spec.owner, "description": spec.description}
    if not created and any(getattr(repository, k) != v for k, v in wanted.items()):
        for key, value in wanted.items():
            setattr(repository, key, value)
        repository.save()
    return repository


def _challenge_upsert(repository: Repository, spec: ChallengeSpec) -> tuple[bool, bool]:
    challenge = Challenge.objects.filter(slug=spec.slug).first()
    created = challenge is None
    if created:
        challenge = Challenge(slug=spec.slug)
    changed = created or challenge.repository_id != repository.pk
    for name in CHALLENGE_FIELDS:
        if getattr(challenge, name) != getattr(spec, name):
            setattr(challenge, name, getattr(spec, name))
            changed = True
    challenge.repository = repository
    related_changed = created or spec_related(challenge_to_spec(challenge)) != spec_related(spec)
    if changed or related_changed:
        challenge.save()
    if related_changed:
        tags = [Tag.objects.get_or_create(name=name)[0] for name in spec.tags]
        challenge.tags.set(tags)
        challenge.languages.all().delete()
        ChallengeLanguage.objects.bulk_create(
            ChallengeLanguage(
                challenge=challenge,
                language=language,
                starter_code=spec.starters.get(language, ""),
                solution=spec.solutions.get(language, ""),
            )
            for language in sorted(spec.starters.keys() | spec.solutions.keys())
        )
        challenge.test_cases.all().delete()
        TestCase.objects.bulk_create(
            TestCase(
                challenge=challenge,
                position=test.position,
                stdin=test.stdin,
                expected_output=test.expected_output,
                is_sample=test.is_sample,
            )
            for test in spec.tests
        )
        challenge.validator_files.all().delete()
        ValidatorFile.objects.bulk_create(
            ValidatorFile(challenge=challenge, name=name, content=content)
            for name, content in sorted(spec.validators.items())
        )
    return changed or related_changed, created


def spec_related(spec: ChallengeSpec) -> tuple:
    """What of a challenge lives outside its own row: tags, languages and test cases."""
    starters = {
        lang: spec.starters.get(lang, "") for lang in spec.starters.keys() | spec.solutions.keys()
    }
    return (
        sorted(spec.tags),
        sorted(starters.items()),
        sorted(spec.solutions.items()),
        [(t.position, t.stdin, t.expected_output, t.is_sample) for t in spec.tests],
        sorted(spec.validators.items()),
    )


def challenge_to_spec(challenge: Challenge) -> ChallengeSpec:
    languages = list(challenge.languages.all())
    return ChallengeSpec(
        slug=challenge.slug,
        tags=sorted(tag.name for tag in challenge.tags.all()),
        starters={item.language: item.starter_code for item in languages},
        solutions={item.language: item.solution for item in languages if item.solution},
        tests=[
            TestCaseSpec(t.position, t.stdin, t.expected_output, t.is_sample)
            for t in challenge.test_cases.order_by("position", "id")
        ],
        validators={f.name: f.content for f in challenge.validator_files.all()},
        **{name: getattr(challenge, name) for name in CHALLENGE_FIELDS},
    )


def challenges_export(*, path: Path, repository_slugs: list[str] | None = None) -> list[Path]:
    """Write the catalogue (or some repositories of it) as a pack; returns the files changed."""
    repositories = Repository.objects.order_by("slug")
    if repository_slugs:
        repositories = repositories.filter(slug__in=repository_slugs)
    specs = [
        RepositorySpec(
            slug=repository.slug,
            name=repository.name,
            owner=repository.owner,
            description=repository.description,
            challenges=[
                challenge_to_spec(challenge)
                for challenge in repository.challenges.order_by("position", "slug")
            ],
        )
        for repository in repositories
    ]
    return pack_write(Path(path), specs)


def challenges_import_kattis(
    *, path: Path, repository_slug: str, publish: bool = False, name: str = ""
) -> ImportSummary:
    """Import Kattis problem packages (a folder or a ``.zip``) into one repository, all or nothing.

    ``name`` is the upload's file name when ``path`` is a temporary file (names a lone problem).
    Raises PackError with one line per problem: unsafe archives, broken packages, a slug that
    another repository already uses, a repository that does not exist.
    """
    path = Path(path)
    repository = Repository.objects.filter(slug=repository_slug).first()
    if repository is None:
        raise PackError([(path, f"there is no repository '{repository_slug}'; create it first")])
    label = Path(name or path.name)  # what problems are reported against
    with tempfile.TemporaryDirectory(prefix="kattis-") as scratch:
        root = path
        try:
            if path.is_file():
                root = Path(scratch)
                zip_extract(path, root)
            else:
                folder_check(path)
        except ArchiveError as exc:
            raise PackError([(label, str(exc))]) from None
        try:
            specs, warnings = kattis_read(root, slug_hint=label.stem)
        except PackError as exc:
            if root == path:
                raise
            raise PackError(
                [(label / p.relative_to(root), message) for p, message in exc.problems]
            ) from None
    taken = dict(
        Challenge.objects.filter(slug__in=[s.slug for s in specs])
        .exclude(repository=repository)
        .values_list("slug", "repository__slug")
    )
    if taken:
        raise PackError(
            [(path, f"{slug}: the slug is already used in repository '{other}'")
             for slug, other in sorted(taken.items())]
        )  # fmt: skip
    summary = ImportSummary(warnings=warnings)
    with transaction.atomic():
        positions = dict(repository.challenges.values_list("slug", "position"))
        next_position = (repository.challenges.aggregate(top=Max("position"))["top"] or 0) + 1
        for spec in specs:
            if spec.position < 0:
                spec.position = positions.get(spec.slug, next_position)
                next_position += spec.slug not in positions
            spec.published = spec.published or publish
            summary.count(*_challenge_upsert(repository, spec))
    return summary


def challenges_export_kattis(
    *, path: Path, repository_slugs: list[str] | None = None
) -> list[Path]:
    """Write challenges as Kattis problem folders, ``<path>/<repository>/<challenge>/``."""
    repositories = Repository.objects.order_by("slug")
    if repository_slugs:
        repositories = repositories.filter(slug__in=repository_slugs)
    written: list[Path] = []
    put = writer(written)
    for repository in repositories:
        for challenge in repository.challenges.order_by("position", "slug"):
            kattis_write(
                Path(path) / repository.slug / challenge.slug, challenge_to_spec(challenge), put
            )
    return written
