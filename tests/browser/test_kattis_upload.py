"""Staff upload a Kattis problem package in the admin, in a real browser; learners then see the
problem's source and license on its page."""

from __future__ import annotations

import pytest

from challenges.models import Challenge
from tests.challenges import kattis_samples as samples
from tests.factories import RepositoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_upload_a_zip_and_a_broken_one_imports_nothing(new_page, tmp_path, user):
    staff = UserFactory(is_staff=True, is_superuser=True)
    RepositoryFactory(slug="contest", name="Contest 2026")
    root = samples.kattis_folder(tmp_path / "kattis")
    good = samples.zip_folder(root, tmp_path / "contest.zip")
    (root / "sortthem" / "data" / "sample" / "01.ans").unlink()
    broken = samples.zip_folder(root, tmp_path / "broken.zip")

    page = new_page(staff, "/admin/challenges/challenge/")
    page.get_by_role("link", name="Import Kattis problems").click()
    page.select_option("#id_repository", "contest")
    page.set_input_files("#id_archive", str(broken))
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector("#import-problems")
    assert "sortthem/data/sample/01.in: has no matching 01.ans" in page.inner_text(
        "#import-problems"
    )
    assert not Challenge.objects.exists()

    page.select_option("#id_repository", "contest")
    page.set_input_files("#id_archive", str(good))
    page.check("#id_publish")
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector(".messagelist")
    messages = page.inner_text(".messagelist")
    assert "Imported contest.zip: 2 created, 0 updated, 0 unchanged." in messages
    assert "circle.pas: not used as a reference solution" in messages
    assert page.get_by_role("link", name="Circle Area").count() == 1

    learner = new_page(user, "/challenges/circlearea/")
    assert learner.inner_text("h1") == "Circle Area"
    origin = learner.inner_text(".challenge-origin")
    assert origin == "Source: NCPC 2019 · License: cc by-sa"
    link = learner.get_by_role("link", name="NCPC 2019")
    assert link.get_attribute("href") == "https://ncpc.example/2019"
    assert "by Grace Hopper" in learner.inner_text(".card-meta")
