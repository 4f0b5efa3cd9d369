"""Kattis problem packages in and out: import (folder and zip), refusal of hostile archives and
broken packages (all or nothing, one line per problem), and export then import changing nothing."""

from __future__ import annotations

import os
import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from challenges.models import Challenge, Repository
from challenges.packs import PackError
from challenges.services import (
    challenges_export_kattis,
    challenges_import,
    challenges_import_kattis,
)
from tests.challenges import kattis_samples as samples
from tests.challenges.test_packs import DEMO_PACK, catalogue_state
from tests.factories import RepositoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def repository() -> Repository:
    return RepositoryFactory(slug="imported", name="Imported")


def errors_of(exc: PackError, root: Path) -> str:
    return "\n".join(exc.lines(root))


def test_a_folder_of_problems_imports_with_everything_the_format_carries(tmp_path, repository):
    root = samples.kattis_folder(tmp_path / "kattis")
    summary = challenges_import_kattis(path=root, repository_slug="imported")
    assert (summary.created, summary.updated) == (2, 0)

    circle = Challenge.objects.get(slug="circlearea")
    assert circle.repository == repository and circle.published is False
    assert (circle.title, circle.author) == ("Circle Area", "Grace Hopper")
    assert (circle.source, circle.source_url, circle.license) == (
        "NCPC 2019", "https://ncpc.example/2019", "cc by-sa"
    )  # fmt: skip
    assert (circle.comparison, circle.validator_flags) == ("tokens", "float_tolerance 1e-6")
    assert (circle.time_limit_ms, circle.memory_limit_mb) == (3000, 512)
    assert sorted(circle.tags.values_list("name", flat=True)) == ["geometry", "math"]
    assert circle.statement.startswith("Given the radius $r$ of a circle, print its *area*.")
    assert "## Input" in circle.statement and "comment" not in circle.statement
    tests = list(circle.test_cases.values_list("position", "stdin", "is_sample"))
    assert tests == [(1, "1\n", True), (2, "1000\n", False), (3, "0.5\n", False)]
    languages = {item.language: item for item in circle.languages.all()}
    assert set(languages) >= {"python", "javascript", "cpp"}
    assert "math.pi" in languages["python"].solution and languages["javascript"].solution == ""
    assert "TODO" in languages["javascript"].starter_code
    assert any("circle.pas" in w for w in summary.warnings)

    order = Challenge.objects.get(slug="sortthem")
    assert (order.title, order.author, order.comparison) == ("Sort Them", "Ada, Alan", "custom")
    assert dict(order.validator_files.values_list("name", "content")) == {
        "validate.py": samples.ORDER_VALIDATOR
    }
    assert list(order.test_cases.values_list("position", "is_sample")) == [(1, True), (2, False)]
    assert (circle.position, order.position) == (1, 2)


def test_a_zip_imports_the_same_and_importing_twice_changes_nothing(tmp_path, repository):
    root = samples.kattis_folder(tmp_path / "kattis")
    archive = samples.zip_folder(root, tmp_path / "contest.zip", prefix="contest/")
    assert challenges_import_kattis(path=archive, repository_slug="imported").created == 2
    state = catalogue_state()
    again = challenges_import_kattis(path=root, repository_slug="imported")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert catalogue_state() == state


def test_a_zip_of_one_problem_at_its_root_is_named_after_the_file(tmp_path, repository):
    problem = samples.order_problem(tmp_path / "src")
    archive = samples.zip_folder(problem, tmp_path / "upload.zip")
    challenges_import_kattis(path=archive, repository_slug="imported", name="Sort-Them.zip")
    assert Challenge.objects.get().slug == "sort-them"


def test_latex_beyond_the_converted_subset_is_kept_preformatted_with_a_warning(
    tmp_path, repository
):
    root = samples.kattis_folder(tmp_path / "kattis")
    tex = root / "circlearea" / "problem_statement" / "problem.en.tex"
    tex.write_text(tex.read_text() + "\\begin{tabular}{cc} a & b \\end{tabular}\n")
    summary = challenges_import_kattis(path=root, repository_slug="imported")
    assert any("\\begin" in w and "preformatted" in w for w in summary.warnings)
    statement = Challenge.objects.get(slug="circlearea").statement
    assert "````latex\n\\problemname{Circle Area}" in statement


def test_broken_packages_import_nothing_and_every_problem_gets_a_line(tmp_path, repository):
    root = samples.kattis_folder(tmp_path / "kattis")
    (root / "circlearea" / "data" / "secret" / "small.ans").unlink()
    (root / "circlearea" / "problem.yaml").write_text(
        "name: Circle\nvalidator_flags: float_tolerance lots\n"
    )
    samples.write(root / "guess", {"problem.yaml": "name: Guess\nvalidation: custom interactive\n"})
    samples.write(
        root / "newguess", {"problem.yaml": "name: Guess\ntype: [pass-fail, interactive]\n"}
    )
    samples.write(root / "linked", {"problem.yaml": "name: L\nsource_url: javascript:alert(1)\n"})
    (root / "sortthem" / "output_validators" / "order_checker" / "validate.py").rename(
        root / "sortthem" / "output_validators" / "order_checker" / "validate.rb"
    )
    with pytest.raises(PackError) as error:
        challenges_import_kattis(path=root, repository_slug="imported")
    lines = errors_of(error.value, root)
    assert "circlearea/data/secret/small.in: has no matching small.ans" in lines
    assert "circlearea/problem.yaml: 'validator_flags': 'float_tolerance' needs a number" in lines
    assert "guess/problem.yaml: interactive problems are not supported" in lines
    assert "newguess/problem.yaml: interactive problems are not supported" in lines
    assert "linked/problem.yaml: 'source_url' must be an http:// or https:// address" in lines
    assert (
        "sortthem/output_validators: validation is custom but unsupported validator file" in lines
    )
    assert Challenge.objects.count() == 0


def test_slugs_of_other_repositories_and_missing_repositories_are_refused(tmp_path, repository):
    root = samples.kattis_folder(tmp_path / "kattis")
    challenges_import_kattis(path=root, repository_slug="imported")
    RepositoryFactory(slug="other")
    with pytest.raises(PackError, match="problem") as error:
        challenges_import_kattis(path=root, repository_slug="other")
    assert "circlearea: the slug is already used in repository 'imported'" in errors_of(
        error.value, root
    )
    with pytest.raises(PackError) as error:
        challenges_import_kattis(path=root, repository_slug="nowhere")
    assert "there is no repository 'nowhere'" in errors_of(error.value, root)


def hostile_zip(path: Path, name: str, data: bytes = b"x", mode: int | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo(name)
        if mode is not None:
            info.external_attr = mode << 16
        zf.writestr(info, data)
    return path


@pytest.mark.parametrize(
    ("name", "mode", "message"),
    [
        ("/etc/cron.d/evil", None, "has an absolute path"),
        ("problem/../../evil", None, "climbs out of the archive"),
        ("problem\\..\\..\\evil", None, "climbs out of the archive"),
        ("problem/data/sample/1.in", stat.S_IFLNK | 0o777, "is a symbolic link"),
        ("problem/fifo", stat.S_IFIFO | 0o644, "not a regular file"),
    ],
)
def test_hostile_archives_are_refused(tmp_path, repository, name, mode, message):
    archive = hostile_zip(tmp_path / "evil.zip", name, b"/etc/passwd", mode)
    with pytest.raises(PackError) as error:
        challenges_import_kattis(path=archive, repository_slug="imported")
    assert message in errors_of(error.value, tmp_path)
    assert not (tmp_path.parent / "evil").exists() and Challenge.objects.count() == 0


def test_a_zip_bomb_is_refused_before_it_fills_the_disk(tmp_path, repository, monkeypatch):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("p/problem.yaml", "name: x\n")
        zf.writestr("p/data/secret/1.in", b"0" * (300 << 20))  # 300 MB of zeros: ~300 KB zipped
    assert archive.stat().st_size < 2 << 20
    with pytest.raises(PackError) as error:
        challenges_import_kattis(path=archive, repository_slug="imported")
    assert "over the 268435456-byte limit (zip bomb?)" in errors_of(error.value, tmp_path)


def test_symlinks_in_a_folder_are_refused(tmp_path, repository):
    root = samples.kattis_folder(tmp_path / "kattis")
    target = root / "circlearea" / "data" / "secret" / "small.in"
    target.unlink()
    os.symlink("/etc/passwd", target)
    with pytest.raises(PackError) as error:
        challenges_import_kattis(path=root, repository_slug="imported")
    assert "circlearea/data/secret/small.in: is a symbolic link" in errors_of(error.value, root)


def test_export_then_import_changes_nothing(tmp_path):
    challenges_import(path=DEMO_PACK)
    repository = Repository.objects.order_by("slug").first()
    kattis = samples.kattis_folder(tmp_path / "kattis")
    challenges_import_kattis(path=kattis, repository_slug=repository.slug)
    before = catalogue_state()
    updated_at = dict(Challenge.objects.values_list("slug", "updated_at"))

    challenges_export_kattis(path=tmp_path / "out")
    for folder in sorted((tmp_path / "out").iterdir()):
        summary = challenges_import_kattis(path=folder, repository_slug=folder.name)
        assert (summary.created, summary.updated) == (0, 0), folder.name

    assert catalogue_state() == before
    assert dict(Challenge.objects.values_list("slug", "updated_at")) == updated_at
    exported = tmp_path / "out" / repository.slug / "sortthem"
    assert (exported / "output_validators" / "validator" / "validate.py").is_file()
    assert "validation: custom" in (exported / "problem.yaml").read_text()


def test_exported_problems_import_into_an_empty_site_the_same(tmp_path):
    challenges_import(path=DEMO_PACK)
    before = catalogue_state()
    challenges_export_kattis(path=tmp_path / "out")
    Challenge.objects.all().delete()
    for folder in sorted((tmp_path / "out").iterdir()):
        challenges_import_kattis(path=folder, repository_slug=folder.name)
    assert catalogue_state() == before


def test_the_commands_speak_kattis(tmp_path, repository, capsys):
    root = samples.kattis_folder(tmp_path / "kattis")
    call_command("import_challenges", str(root), "--repository", "imported", "--publish")
    out = capsys.readouterr().out
    assert "Importing kattis challenges" in out and "2 created" in out
    assert "warning: circlearea: submissions/accepted/circle.pas" in out
    assert Challenge.objects.filter(published=True).count() == 2
    call_command("export_challenges", str(tmp_path / "out"), "--format", "kattis")
    assert (tmp_path / "out" / "imported" / "circlearea" / "problem.yaml").is_file()
    with pytest.raises(CommandError, match="--repository is required"):
        call_command("import_challenges", str(root))
    shutil.rmtree(root / "sortthem" / "data")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_challenges", str(root), "--repository", "imported")
    assert "sortthem/data: has no test" in capsys.readouterr().err


def test_the_api_shows_origin_and_flags_but_never_the_validator(tmp_path, repository, api_client):
    from tests.factories import UserFactory

    challenges_import_kattis(path=samples.kattis_folder(tmp_path / "k"), repository_slug="imported")
    Challenge.objects.update(published=True)
    api_client.force_authenticate(UserFactory())
    circle = api_client.get(
        f"/api/challenges/{Challenge.objects.get(slug='circlearea').pk}/"
    ).json()
    assert (circle["source"], circle["license"]) == ("NCPC 2019", "cc by-sa")
    assert circle["validator_flags"] == "float_tolerance 1e-6"
    order = api_client.get(f"/api/challenges/{Challenge.objects.get(slug='sortthem').pk}/").json()
    assert order["comparison"] == "custom" and "judgemessage" not in str(order)
    assert [t["is_sample"] for t in order["test_cases"]] == [True]


def test_testdata_yaml_settings_are_ignored_with_a_warning(tmp_path, repository):
    root = samples.kattis_folder(tmp_path / "kattis")
    samples.write(root / "circlearea", {"data/secret/testdata.yaml": "accept_score: 10\n"})
    summary = challenges_import_kattis(path=root, repository_slug="imported")
    assert "circlearea: testdata.yaml settings (groups, scoring, per-group flags) are ignored" in (
        summary.warnings
    )
    assert summary.created == 2


def test_kattis_problems_survive_a_round_trip_through_our_own_pack_format(tmp_path, repository):
    challenges_import_kattis(path=samples.kattis_folder(tmp_path / "k"), repository_slug="imported")
    before = catalogue_state()
    call_command("export_challenges", str(tmp_path / "pack"))
    Challenge.objects.all().delete()
    assert challenges_import(path=tmp_path / "pack").created == 2
    assert catalogue_state() == before
