"""Staff curate in the admin; nobody else gets in."""

from __future__ import annotations

import pytest

from challenges.models import Challenge
from tests.factories import ChallengeFactory, RepositoryFactory

pytestmark = pytest.mark.django_db


def test_learners_are_sent_to_the_admin_login(client, user):
    client.force_login(user)
    response = client.get("/admin/challenges/challenge/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_edit_a_challenge_with_inline_test_cases(client, staff_user, challenge):
    client.force_login(staff_user)
    page = client.get(f"/admin/challenges/challenge/{challenge.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "test_cases-0-stdin" in html and "languages-0-starter_code" in html


def test_publish_and_unpublish_actions(client, staff_user):
    drafts = [ChallengeFactory(published=False) for _ in range(2)]
    client.force_login(staff_user)
    response = client.post(
        "/admin/challenges/challenge/",
        {"action": "publish", "_selected_action": [c.pk for c in drafts]},
        follow=True,
    )
    assert "2 challenge(s) published" in response.content.decode()
    assert Challenge.objects.filter(published=True).count() == 2
    client.post(
        "/admin/challenges/challenge/",
        {"action": "unpublish", "_selected_action": [drafts[0].pk]},
    )
    assert not Challenge.objects.get(pk=drafts[0].pk).published


def test_admin_search_and_filters(client, staff_user):
    ChallengeFactory(title="Knapsack Deluxe", difficulty="hard")
    client.force_login(staff_user)
    html = client.get("/admin/challenges/challenge/?q=knapsack&difficulty__exact=hard").content
    assert b"Knapsack Deluxe" in html


def _change_form(challenge: Challenge, **changes) -> dict:
    """The change form's fields for a challenge without inline rows, with ``changes`` applied."""
    data = {
        "repository": challenge.repository_id, "title": challenge.title, "slug": challenge.slug,
        "author": challenge.author, "position": challenge.position, "published": "on",
        "statement": challenge.statement, "difficulty": challenge.difficulty,
        "time_limit_ms": challenge.time_limit_ms, "memory_limit_mb": challenge.memory_limit_mb,
        "comparison": challenge.comparison, "tolerance": challenge.tolerance,
        "validator_flags": "", "source": "", "source_url": "", "license": "",
    }  # fmt: skip
    for prefix in ("languages", "test_cases", "validator_files", "validator_failures"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data | changes


def test_staff_set_validator_flags_and_bad_flags_are_refused(client, staff_user):
    challenge = Challenge.objects.create(
        repository=RepositoryFactory(), slug="areas", title="Areas", statement="x", author="ada"
    )
    client.force_login(staff_user)
    url = f"/admin/challenges/challenge/{challenge.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="validator_flags"' in page and 'name="license"' in page
    assert "validator_files-TOTAL_FORMS" in page

    bad = client.post(url, _change_form(challenge, comparison="tokens", validator_flags="fuzzy"))
    assert bad.status_code == 200
    assert "unknown validator flag &#x27;fuzzy&#x27;" in bad.content.decode()
    challenge.refresh_from_db()
    assert challenge.validator_flags == ""

    flags = "case_sensitive float_tolerance 1e-4"
    good = client.post(
        url,
        _change_form(
            challenge, comparison="tokens", validator_flags=flags, license="cc by-sa",
            source="NWERC 2020",
        ),
    )  # fmt: skip
    assert good.status_code == 302, good.content.decode()[:2000]
    challenge.refresh_from_db()
    assert (challenge.comparison, challenge.validator_flags) == ("tokens", flags)
    assert (challenge.license, challenge.source) == ("cc by-sa", "NWERC 2020")


def test_learners_cannot_reach_the_kattis_upload(client, user):
    client.force_login(user)
    response = client.get("/admin/challenges/challenge/import-kattis/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_the_add_permission_are_refused(client, db):
    from tests.factories import UserFactory

    clerk = UserFactory(is_staff=True)
    client.force_login(clerk)
    assert client.get("/admin/challenges/challenge/import-kattis/").status_code == 403


def test_a_broken_zip_upload_lists_every_problem_and_imports_nothing(client, staff_user, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.challenges import kattis_samples as samples

    root = samples.kattis_folder(tmp_path / "kattis")
    (root / "sortthem" / "data" / "sample" / "01.ans").unlink()
    (root / "circlearea" / "problem.yaml").write_text("name: x\nvalidation: custom interactive\n")
    archive = samples.zip_folder(root, tmp_path / "broken.zip")
    RepositoryFactory(slug="contest")
    client.force_login(staff_user)
    response = client.post(
        "/admin/challenges/challenge/import-kattis/",
        {
            "repository": "contest",
            "archive": SimpleUploadedFile("broken.zip", archive.read_bytes()),
        },
    )
    html = response.content.decode()
    assert "sortthem/data/sample/01.in: has no matching 01.ans" in html
    assert "circlearea/problem.yaml: interactive problems are not supported" in html
    assert "Nothing was imported." in html and not Challenge.objects.exists()

    not_zip = client.post(
        "/admin/challenges/challenge/import-kattis/",
        {"repository": "contest", "archive": SimpleUploadedFile("notes.txt", b"hello")},
    )
    assert "Upload a .zip file." in not_zip.content.decode()


def test_a_custom_comparison_without_a_usable_validator_is_flagged(client, staff_user):
    challenge = Challenge.objects.create(
        repository=RepositoryFactory(), slug="checked", title="Checked", statement="x", author="ada"
    )
    client.force_login(staff_user)
    url = f"/admin/challenges/challenge/{challenge.pk}/change/"
    saved = client.post(url, _change_form(challenge, comparison="custom"), follow=True)
    assert "The output validator is unusable: the output validator has no source file" in (
        saved.content.decode()
    )
    form = _change_form(challenge, comparison="custom") | {
        "validator_files-TOTAL_FORMS": 1, "validator_files-0-name": "validate.py",
        "validator_files-0-content": "import sys\nsys.exit(42)\n",
    }  # fmt: skip
    fixed = client.post(url, form, follow=True)
    assert "unusable" not in fixed.content.decode()
    assert challenge.validator_files.get().name == "validate.py"


def test_validator_flags_need_a_comparison_that_uses_them(client, staff_user):
    challenge = Challenge.objects.create(
        repository=RepositoryFactory(), slug="plain", title="Plain", statement="x", author="ada"
    )
    client.force_login(staff_user)
    url = f"/admin/challenges/challenge/{challenge.pk}/change/"
    response = client.post(url, _change_form(challenge, validator_flags="case_sensitive"))
    assert "Validator flags go with the &#x27;tokens&#x27; or &#x27;custom&#x27; comparison." in (
        response.content.decode()
    )
