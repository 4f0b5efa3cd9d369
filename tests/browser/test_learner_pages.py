"""The learner's own pages in Chromium: what the challenge page preselects, what the profile
credits after a pair's accepted push."""

from __future__ import annotations

import pytest

from challenges.models import ChallengeLanguage
from execution.models import Run, RunMode, RunStatus, Verdict
from tests.factories import ChallengeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_partner_sees_the_pairs_solution_and_their_language_preselected(
    room_session, user, other_user, new_page, screenshots
):
    Run.objects.create(
        session=room_session,
        user=user,  # the owner pressed Submit
        mode=RunMode.PUSH,
        language="python",
        code="print(3)",
        status=RunStatus.DONE,
        verdict=Verdict.ACCEPTED,
    )
    page = new_page(other_user, "/accounts/profile/")
    solved = page.locator("section.panel", has_text="Solved challenges")
    assert solved.locator("a").all_inner_texts() == [room_session.challenge.title]
    screenshots(page, "profile-solved-by-the-pair")

    later = ChallengeFactory(title="Three Languages")
    for language in ("cpp", "javascript"):
        ChallengeLanguage.objects.create(challenge=later, language=language)
    page.goto(later.get_absolute_url())
    assert page.input_value("#language") == "python"  # not C++, first in the alphabet
    Run.objects.create(
        session=room_session, user=other_user, mode=RunMode.RUN, language="javascript"
    )
    page.reload()
    assert page.input_value("#language") == "javascript"
    screenshots(page, "challenge-language-preselected")
