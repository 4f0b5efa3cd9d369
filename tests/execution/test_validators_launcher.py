"""Imported Kattis problems judged end to end: Celery worker -> Docker runner -> the challenge's
token comparison or its output validator (in its own container)."""

from __future__ import annotations

import pytest

from challenges.models import Challenge, ValidatorFailure, ValidatorFile
from challenges.services import challenges_import_kattis
from execution.models import Verdict
from execution.services import run_create
from execution.validators import LEARNER_DETAIL
from sessions_app.services import session_create
from tests.challenges import kattis_samples as samples
from tests.execution.test_launcher import wait_done
from tests.factories import RepositoryFactory, UserFactory

pytestmark = [pytest.mark.docker, pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]


@pytest.fixture
def imported(tmp_path, settings):
    settings.RUNNER_RUNS_PER_MINUTE = 1000
    RepositoryFactory(slug="contest")
    challenges_import_kattis(
        path=samples.kattis_folder(tmp_path / "kattis"), repository_slug="contest", publish=True
    )
    return {c.slug: c for c in Challenge.objects.all()}


def push(challenge: Challenge, language: str, code: str):
    owner = UserFactory()
    session = session_create(challenge=challenge, owner=owner, language=language)
    return wait_done(run_create(session=session, user=owner, mode="push", code=code).pk)


def test_float_tolerance_problem_accepts_close_answers_only(live_celery_worker, imported):
    circle = imported["circlearea"]
    for language, name in (("python", "circle.py"), ("cpp", "circle.cpp")):
        run = push(circle, language, samples.CIRCLE_SOLUTIONS[name])
        assert (run.verdict, run.detail) == (Verdict.ACCEPTED, ""), language
    wrong = push(circle, "python", samples.CIRCLE_WRONG)
    assert wrong.verdict == Verdict.WRONG_ANSWER
    assert wrong.detail.startswith("test 1: line 1: expected '3.141592654', got '3.140000000'")


def test_custom_validator_problem_accepts_any_valid_output(live_celery_worker, imported):
    order = imported["sortthem"]
    run = push(order, "python", samples.ORDER_SOLUTION)
    assert (run.verdict, run.tests.count()) == (Verdict.ACCEPTED, 2)
    wrong = push(order, "python", samples.ORDER_WRONG)
    assert wrong.verdict == Verdict.WRONG_ANSWER
    sample, hidden = wrong.tests.order_by("position")
    assert (sample.verdict, sample.detail) == (Verdict.WRONG_ANSWER, "not in increasing order")
    assert (hidden.verdict, hidden.detail) == (Verdict.WRONG_ANSWER, "")


def test_a_crashing_validator_is_internal_error_with_a_staff_note(live_celery_worker, imported):
    order = imported["sortthem"]
    ValidatorFile.objects.filter(challenge=order).update(
        content="import sys\nprint(open(sys.argv[2]).read(), file=sys.stderr)\nraise SystemExit(1)\n"
    )
    run = push(order, "python", samples.ORDER_SOLUTION)
    assert run.verdict == Verdict.INTERNAL_ERROR
    assert [t.detail for t in run.tests.order_by("position")] == [LEARNER_DETAIL] * 2
    assert "-1 0 5 5" not in run.detail + run.output  # the hidden answer stays with staff
    notes = ValidatorFailure.objects.filter(challenge=order, run_id=run.pk).order_by(
        "test_position"
    )
    assert [n.test_position for n in notes] == [1, 2]
    assert "exited with code 1" in notes[1].message and "-1 0 5 5" in notes[1].message
