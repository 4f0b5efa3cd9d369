"""Writes to the catalogue: importing and exporting challenge packs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from challenges.models import (
    Challenge,
    ChallengeLanguage,
    Repository,
    Tag,
    TestCase,
    ValidatorFile,
)
from challenges.packs import ChallengeSpec, RepositorySpec, TestCaseSpec, pack_read, pack_write

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

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def challenges_import(*, path: Path) -> ImportSummary:
    """Import a pack all or nothing; rows that already match the pack are not written at all."""
    repositories = pack_read(path)
    summary = ImportSummary()
    with transaction.atomic():
        for repository_spec in repositories:
            repository = _repository_upsert(repository_spec)
            for challenge_spec in repository_spec.challenges:
                changed, created = _challenge_upsert(repository, challenge_spec)
                if created:
                    summary.created += 1
                elif changed:
                    summary.updated += 1
                else:
                    summary.unchanged += 1
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
