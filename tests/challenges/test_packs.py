"""Challenge packs: the demo pack imports, export round-trips exactly, broken packs import nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from challenges.models import Challenge, ChallengeLanguage, Repository, TestCase
from challenges.packs import PackError, pack_read
from challenges.services import challenges_export, challenges_import
from execution.languages import LANGUAGES

DEMO_PACK = Path(settings.BASE_DIR) / "challenges" / "packs" / "demo"


def catalogue_state() -> list:
    """Everything a pack carries, in a comparable form (ids and timestamps excluded)."""
    state = []
    for challenge in Challenge.objects.order_by("slug"):
        state.append(
            (
                challenge.repository.slug, challenge.repository.name, challenge.repository.owner,
                challenge.repository.description, challenge.slug, challenge.title,
                challenge.statement, challenge.difficulty, challenge.author, challenge.time_limit_ms,
                challenge.memory_limit_mb, challenge.comparison, challenge.tolerance,
                challenge.published, challenge.position,
                sorted(challenge.tags.values_list("name", flat=True)),
                list(challenge.languages.order_by("language").values_list("language", "starter_code", "solution")),
                list(challenge.test_cases.order_by("position").values_list("position", "stdin", "expected_output", "is_sample")),
                challenge.validator_flags, challenge.source, challenge.source_url, challenge.license,
                list(challenge.validator_files.order_by("name").values_list("name", "content")),
            )
        )  # fmt: skip
    return state


# The demo pack has a starter and a reference solution in every registered language.
DEMO_LANGUAGES = set(LANGUAGES)


@pytest.mark.django_db
def test_demo_pack_meets_the_brief():
    summary = challenges_import(path=DEMO_PACK)
    assert summary.created >= 12
    assert Repository.objects.filter(challenges__isnull=False).distinct().count() >= 2
    for challenge in Challenge.objects.all():
        languages = set(challenge.languages.values_list("language", flat=True))
        assert languages == DEMO_LANGUAGES, challenge.slug
        assert all(item.solution.strip() for item in challenge.languages.all()), challenge.slug
        assert challenge.test_cases.filter(is_sample=True).exists(), challenge.slug
        assert challenge.test_cases.filter(is_sample=False).exists(), challenge.slug


@pytest.mark.django_db
def test_export_then_import_changes_nothing(tmp_path):
    challenges_import(path=DEMO_PACK)
    before = catalogue_state()
    updated_at = dict(Challenge.objects.values_list("slug", "updated_at"))

    challenges_export(path=tmp_path / "pack")
    summary = challenges_import(path=tmp_path / "pack")

    assert summary.created == 0 and summary.updated == 0
    assert catalogue_state() == before
    assert dict(Challenge.objects.values_list("slug", "updated_at")) == updated_at


@pytest.mark.django_db
def test_export_reproduces_the_pack_files_byte_for_byte(tmp_path):
    challenges_import(path=DEMO_PACK)
    challenges_export(path=tmp_path / "pack")
    source = {p.relative_to(DEMO_PACK): p.read_bytes() for p in DEMO_PACK.rglob("*") if p.is_file()}
    exported = {
        p.relative_to(tmp_path / "pack"): p.read_bytes()
        for p in (tmp_path / "pack").rglob("*")
        if p.is_file()
    }
    assert exported == source


@pytest.mark.django_db
def test_edits_in_the_database_survive_a_round_trip(tmp_path, challenge):
    challenge.statement = "Ünïcode, tabs\tand\r\nCRLF lines\n"
    challenge.save()
    TestCase.objects.filter(challenge=challenge, position=2).update(stdin="  spaced  \n\n")
    before = catalogue_state()
    challenges_export(path=tmp_path / "pack")
    Challenge.objects.all().delete()
    challenges_import(path=tmp_path / "pack")
    assert catalogue_state() == before


@pytest.fixture
def broken_pack(tmp_path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(DEMO_PACK, pack)
    return pack


def first_challenge(pack: Path) -> Path:
    return sorted(p for p in pack.glob("*/*") if (p / "challenge.toml").is_file())[0]


@pytest.mark.django_db
def test_a_broken_pack_reports_every_problem_and_imports_nothing(broken_pack):
    folder = first_challenge(broken_pack)
    config = folder / "challenge.toml"
    config.write_text(config.read_text().replace('difficulty = "', 'difficulty = "impossible-'))
    (folder / "tests" / "01.out").unlink()
    (folder / "statement.md").write_bytes(b"\xff\xfe broken")
    other = sorted(p for p in broken_pack.glob("*/*") if (p / "challenge.toml").is_file())[-1]
    (other / "challenge.toml").write_text("title = [unclosed\n")

    with pytest.raises(PackError) as error:
        challenges_import(path=broken_pack)

    lines = "\n".join(error.value.lines(broken_pack))
    assert f"{folder.relative_to(broken_pack)}/challenge.toml: 'difficulty' must be one of" in lines
    assert f"{folder.relative_to(broken_pack)}/tests/01.in: has no matching 01.out" in lines
    assert f"{folder.relative_to(broken_pack)}/statement.md: not valid UTF-8" in lines
    assert f"{other.relative_to(broken_pack)}/challenge.toml: invalid TOML" in lines
    assert Challenge.objects.count() == 0
    assert Repository.objects.count() == 0


def test_unknown_and_missing_keys_are_named(broken_pack):
    config = first_challenge(broken_pack) / "challenge.toml"
    text = config.read_text().replace("memory_limit_mb", "memory_mb")
    config.write_text(text)
    with pytest.raises(PackError) as error:
        pack_read(broken_pack)
    lines = "\n".join(error.value.lines(broken_pack))
    assert "unknown key 'memory_mb'" in lines
    assert "missing key 'memory_limit_mb'" in lines


def test_duplicate_slugs_across_repositories_are_refused(broken_pack):
    folder = first_challenge(broken_pack)
    repositories = sorted(p for p in broken_pack.iterdir() if p.is_dir())
    target = next(r for r in repositories if r != folder.parent) / folder.name
    shutil.copytree(folder, target)
    with pytest.raises(PackError, match="problem"):
        pack_read(broken_pack)


@pytest.mark.django_db
def test_import_command_prints_one_line_per_problem(broken_pack, capsys):
    (first_challenge(broken_pack) / "starter" / "cobol.cob").write_text("STOP RUN.\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_challenges", str(broken_pack))
    err = capsys.readouterr().err
    assert "starter/cobol.cob: unexpected file" in err


@pytest.mark.django_db
def test_import_is_idempotent():
    first = challenges_import(path=DEMO_PACK)
    second = challenges_import(path=DEMO_PACK)
    assert second.created == 0 and second.updated == 0 and second.unchanged == first.created
    assert ChallengeLanguage.objects.count() == len(DEMO_LANGUAGES) * first.created
