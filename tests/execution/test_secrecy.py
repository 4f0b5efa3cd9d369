"""Hidden tests keep their secrets: a hostile probe in Python, JavaScript and C++.

The probe's hidden inputs carry a marker; whatever the program does with them (raise it, exit
with one of its bytes, die by a signal, print it to stdout or stderr, leave it in a file for the
next test), the marker and anything derived from it never reach a member: not through the API,
the terminal's live events, its backlog, the run's detail or output. The sample test comes last
by position but is judged first, so what it prints (what earlier tests left behind) is nothing.
"""

from __future__ import annotations

import json
import re

import pytest
from asgiref.sync import sync_to_async

from challenges.models import ChallengeLanguage, TestCase
from execution.models import Run, Verdict
from sessions_app.services import session_create
from tests.execution.test_launcher import (  # noqa: F401 (terminal_socket is a fixture)
    receive_until,
    terminal_socket,
    wait_done,
)
from tests.factories import ChallengeFactory

pytestmark = [pytest.mark.docker, pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]

MARKER = "SECRET"
# mode-last byte: the last byte is what a program would exit with ('Z' = 90, 'K' = 75, ...).
HIDDEN = ["SECRET-raise-Q\n", "SECRET-exit-Z\n", "SECRET-signal-K\n", "SECRET-print-W\n"]
SAMPLE = "sample\n"

PROBES = {
    "python": r"""
import os, sys
d = sys.stdin.read()
left = []
for p in ('/tmp/carry', 'carry', '/dev/shm/carry', '/sandbox/carry'):
    try:
        left.append(open(p).read())
    except OSError:
        pass
print('left:', left, sorted(os.listdir('.')), sorted(os.listdir('/tmp')))
for p in ('/tmp/carry', 'carry', '/dev/shm/carry'):
    open(p, 'w').write(d)
sys.stderr.write('stderr says ' + d)
mode = d.split('-')[1] if d.startswith('SECRET') else ''
if mode == 'raise':
    raise Exception(repr(d))
if mode == 'exit':
    sys.exit(ord(d.strip()[-1]))
if mode == 'signal':
    os.kill(os.getpid(), 11)
print(d)
""",
    "javascript": r"""
const fs = require('fs');
const d = fs.readFileSync(0, 'utf8');
const left = [];
for (const p of ['/tmp/carry', 'carry', '/dev/shm/carry']) {
  try { left.push(fs.readFileSync(p, 'utf8')); } catch (e) {}
}
console.log('left:', JSON.stringify(left), fs.readdirSync('.').sort().join(','));
for (const p of ['/tmp/carry', 'carry', '/dev/shm/carry']) fs.writeFileSync(p, d);
process.stderr.write('stderr says ' + d);
const mode = d.startsWith('SECRET') ? d.split('-')[1] : '';
if (mode === 'raise') throw new Error(JSON.stringify(d));
if (mode === 'exit') process.exit(d.trim().charCodeAt(d.trim().length - 1));
if (mode === 'signal') process.kill(process.pid, 'SIGSEGV');
console.log(d);
""",
    "cpp": r"""
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <string>
int main() {
  std::string d((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  std::cout << "left:";
  for (const char* p : {"/tmp/carry", "carry", "/dev/shm/carry"}) {
    std::ifstream in(p); std::stringstream s; s << in.rdbuf(); std::cout << " [" << s.str() << "]";
  }
  std::cout << std::endl;
  for (const char* p : {"/tmp/carry", "carry", "/dev/shm/carry"}) { std::ofstream(p) << d; }
  std::cerr << "stderr says " << d;
  std::string mode = d.rfind("SECRET", 0) == 0 ? d.substr(7, d.find('-', 7) - 7) : "";
  std::string t = d.substr(0, d.find_last_not_of("\n") + 1);
  if (mode == "raise") throw std::runtime_error(d);
  if (mode == "exit") std::exit(t.back());
  if (mode == "signal") std::raise(SIGSEGV);
  std::cout << d << std::endl;
}
""",
}


def probe_session(owner, language: str):
    challenge = ChallengeFactory(time_limit_ms=10_000)  # a loaded host must not turn it into TLE
    challenge.test_cases.all().delete()
    for position, stdin in enumerate(HIDDEN, start=1):
        TestCase.objects.create(
            challenge=challenge, position=position, stdin=stdin, expected_output="no\n"
        )
    TestCase.objects.create(
        challenge=challenge, position=9, stdin=SAMPLE, expected_output="x\n", is_sample=True
    )
    if language != "python":
        ChallengeLanguage.objects.create(challenge=challenge, language=language, starter_code="")
    return session_create(challenge=challenge, owner=owner, language=language)


def assert_no_secret(text: str, where: str) -> None:
    assert MARKER not in text, f"{where} shows a hidden input: {text[:2000]}"
    # Exit codes and signal names derived from the hidden inputs' bytes.
    for leaked in ("exit code 90", "exit code 81", "SIGSEGV", '"exit_code": 90'):
        assert leaked not in text, f"{where} shows {leaked!r}"


@pytest.mark.parametrize("language", ["python", "javascript", "cpp"])
async def test_hidden_tests_leak_nothing(
    live_celery_worker,
    user,
    language,
    terminal_socket,  # noqa: F811
):
    session = await sync_to_async(probe_session)(user, language)
    alice = await terminal_socket(user, session.id)
    await alice.receive_json_from()
    run = await sync_to_async(Run.objects.create)(
        session=session, user=user, mode="push", language=language, code=PROBES[language]
    )
    from execution.scheduler import runs_dispatch

    await sync_to_async(runs_dispatch)()
    live = await receive_until(alice, "run.finished", run.pk)
    await alice.disconnect()
    run = await sync_to_async(wait_done)(run.pk)

    results = {t.position: t for t in await sync_to_async(list)(run.tests.all())}
    assert results[5].is_sample and results[5].verdict == Verdict.WRONG_ANSWER
    assert "left:" in results[5].output_excerpt
    assert_no_secret(results[5].output_excerpt, "the sample's output (files carried over)")
    assert results[1].verdict == Verdict.RUNTIME_ERROR  # the verdict itself may be known
    assert MARKER in results[1].detail or results[1].detail, "staff keep the full detail"

    frames = json.dumps(live)
    assert_no_secret(frames, "the live terminal")
    hidden_lines = [f for f in live if f["type"] == "test.result" and not f["sample"]]
    assert len(hidden_lines) == 4
    for line in hidden_lines:
        assert line["detail"] == "" and line["memory_kb"] is None
        assert set(line) >= {"verdict", "time_ms", "cpu_ms"} and "actual" not in line
    outputs = [i for i, f in enumerate(live) if f["type"] == "output"]
    first_hidden = min(i for i, f in enumerate(live) if f in hidden_lines)
    assert outputs and all(i < first_hidden for i in outputs), "only the sample's is streamed"
    assert re.fullmatch(r"hidden test 1: Runtime Error", run.detail)

    bob = await terminal_socket(user, session.id)
    backlog = await receive_until(bob, "run.finished", run.pk)
    await bob.disconnect()
    assert_no_secret(json.dumps(backlog), "the terminal's backlog")
    assert_no_secret(run.output + run.detail, "the run's output and detail")


def test_the_api_shows_hidden_tests_by_verdict_and_time_only(live_celery_worker, api_client, user):
    session = probe_session(user, "python")
    api_client.force_authenticate(user)
    url = f"/api/sessions/{session.id}/runs/"
    run_id = api_client.post(url, {"mode": "push", "code": PROBES["python"]}, format="json").json()[
        "id"
    ]
    wait_done(run_id)
    data = api_client.get(f"/api/runs/{run_id}/").json()
    assert_no_secret(json.dumps(data), "GET /api/runs/<id>/")
    hidden = [t for t in data["tests"] if not t["is_sample"]]
    assert [t["verdict"] for t in hidden] == [
        Verdict.RUNTIME_ERROR, Verdict.RUNTIME_ERROR, Verdict.RUNTIME_ERROR, Verdict.WRONG_ANSWER,
    ]  # fmt: skip
    for test in hidden:
        assert test["detail"] == "" and test["memory_kb"] is None and "output_excerpt" not in test
        assert test["time_ms"] >= 0 and test["cpu_ms"] is not None
    sample = next(t for t in data["tests"] if t["is_sample"])
    assert sample["memory_kb"] > 0 and sample["output_excerpt"].startswith("left: []")


def test_the_admin_shows_runs_to_staff_only(client, user, staff_user):
    session = probe_session(user, "python")
    run = Run.objects.create(session=session, user=user, mode="push", language="python", code="")
    run.tests.create(position=1, verdict=Verdict.RUNTIME_ERROR, detail="Exception: 'SECRET-x'")
    client.force_login(user)
    response = client.get(f"/admin/execution/run/{run.pk}/change/")
    assert response.status_code == 302 and MARKER not in response.content.decode()
    response = client.get("/admin/execution/run/")
    assert response.status_code == 302 and MARKER not in response.content.decode()
    client.force_login(staff_user)
    assert "SECRET-x" in client.get(f"/admin/execution/run/{run.pk}/change/").content.decode()
