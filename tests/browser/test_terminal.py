"""The shared terminal in the room: a run started in one browser is seen in every member's, and
still there after a reload (real daphne, Celery worker, Docker runner and Chromium)."""

from __future__ import annotations

import pytest

from sessions_app.models import Document

pytestmark = [pytest.mark.browser, pytest.mark.docker, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 120_000  # a hang guard: the first run may wait for a runner container to start
SOLUTION = "a, b = map(int, input().split())\nprint(a + b)\n"
TERMINAL_TEXT = """() => {
  const buffer = window.codepusher.terminal.term.buffer.active;
  const lines = [];
  for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i).translateToString(true));
  return lines.join('\\n');
}"""


REPLAYED_AFTER_RECONNECT = """() => new Promise((resolve) => {
  const terminal = window.codepusher.terminal;
  const stop = terminal.onMessage((msg) => {
    if (msg.type === 'run.finished') { stop(); resolve(); }
  });
  terminal.socket.reconnect();
})"""


def terminal_text(page) -> str:
    return page.evaluate(TERMINAL_TEXT)


def wait_for_terminal(page, *needles: str) -> None:
    try:
        page.wait_for_function(
            f"(needles) => needles.every((n) => ({TERMINAL_TEXT})().includes(n))",
            arg=list(needles),
            timeout=TIMEOUT_MS,
        )
    except Exception as exc:
        raise AssertionError(f"{needles} not in the terminal:\n{terminal_text(page)}") from exc


@pytest.fixture
def terminals(live_celery_worker, new_page, user, other_user, room_session):
    """Both members' rooms, terminals connected, on a session whose code solves the challenge."""
    Document.objects.filter(collection="code", doc_id=room_session.id).update(data=SOLUTION)
    path = room_session.get_absolute_url()
    pages = new_page(user, path), new_page(other_user, path)
    for page in pages:
        page.wait_for_function("() => window.codepusher.terminal.isConnected()")
    return pages


def test_a_push_is_shown_to_every_member_and_after_a_reload(terminals, user):
    first, second = terminals
    first.click("#submit-button")
    for page in (first, second):
        wait_for_terminal(page, "test 1", "test 2", "ACCEPTED 2/2 tests passed")
    # The terminal uses the toolbar's word for a push.
    assert f"{user.username} (you) submit · all test cases" in terminal_text(first)
    assert f"{user.username} submit · all test cases" in terminal_text(second)

    # A reconnect replays the finished run; the terminal that showed it live skips it.
    first.evaluate(REPLAYED_AFTER_RECONNECT)
    assert terminal_text(first).count("ACCEPTED 2/2 tests passed") == 1

    second.reload()
    second.wait_for_function("() => window.codepusher.terminal.isConnected()")
    wait_for_terminal(second, "(replay)", "ACCEPTED 2/2 tests passed")
    text = terminal_text(second)
    assert text.count("ACCEPTED 2/2 tests passed") == 1, "the replayed run is shown once"
    assert "(earlier)" not in text, "the latest run is not called an earlier one"


def test_a_run_prints_the_program_output_in_both_terminals(terminals):
    first, second = terminals
    first.evaluate("() => window.codepusher.terminal.run('run', '20 22\\n')")
    for page in (first, second):
        wait_for_terminal(page, "run · custom input", "\n42\n", "■ Finished · exit 0")
    # A run without expected output has nothing to accept.
    assert "ACCEPTED" not in terminal_text(first)


WRAPPED_ROWS = """() => {
  const buffer = window.codepusher.terminal.term.buffer.active;
  const rows = [];
  let start = 1;  // from the run's header on (the greeting was printed at the wider size)
  while (start < buffer.length && !buffer.getLine(start - 1).translateToString(true).includes('▶')) start++;
  for (let i = start; i < buffer.length; i++) {
    const line = buffer.getLine(i);
    if (line.isWrapped) rows.push(buffer.getLine(i - 1).translateToString(true) + '|' + line.translateToString(true));
  }
  return rows;
}"""


def test_on_a_phone_the_verdict_breaks_between_words(terminals, user):
    first, _ = terminals
    first.set_viewport_size({"width": 390, "height": 844})
    first.click(".room-tab[data-tab='terminal']")
    first.wait_for_function("() => window.codepusher.terminal.term.cols < 50")
    first.evaluate("() => window.codepusher.terminal.run('push')")
    wait_for_terminal(first, "2/2 tests passed")
    # Lines longer than the terminal were broken at a space by us, not cut by the terminal.
    assert first.evaluate(WRAPPED_ROWS) == []
    text = terminal_text(first)
    assert "ACCEPTED 2/2 tests passed" in text
    assert f"({user.username}'s submit #" in text.replace("\n", " ")


BROKEN = "a, b = map(int, input().split())\nprint(a - b)\n"


def test_a_push_that_breaks_tests_names_whose_edit_and_the_history_shows_it(
    terminals, other_user, screenshots
):
    first, second = terminals
    first.evaluate("() => window.codepusher.terminal.run('push')")
    wait_for_terminal(first, "ACCEPTED 2/2 tests passed")

    # The partner breaks the solution; the next push blames their edit.
    second.wait_for_function("() => window.codepusher.editor.isReady()")
    second.evaluate("(code) => window.codepusher.editor.replaceAll(code)", BROKEN)
    first.wait_for_function("(code) => window.codepusher.editor.getText() === code", arg=BROKEN)
    second.wait_for_function("() => !window.codepusher.editor.hasPendingEdits()")
    first.evaluate("() => window.codepusher.terminal.run('push')")
    wait_for_terminal(first, "0/2 tests passed", f"test 1 broke: {other_user.username} changed")
    assert f"test 2 broke: {other_user.username} changed" in terminal_text(first)

    # The history panel lists both pushes, newest first; the broken tests' marks carry the blame.
    first.click("#history-button")
    first.wait_for_selector(".run-history .run-item >> nth=1")
    items = first.locator(".run-history .run-item")
    assert items.count() == 2
    assert first.is_hidden(".run-history .run-more"), "two runs: no older page"
    newest = items.nth(0)
    assert newest.locator(".run-mark[data-changed='true']").count() == 2
    assert f"broke: {other_user.username} changed" in (
        newest.locator(".run-mark").first.get_attribute("title")
    )
    assert first.is_hidden("#terminal"), "the history takes the terminal's place"

    newest.locator(".run-open").click()
    first.wait_for_selector(".run-detail .run-changes li")
    first.click(".run-detail [data-diff=previous]")
    first.wait_for_selector(".run-diff .diff-add")
    diff = first.inner_text(".run-diff")
    assert "-print(a + b)" in diff and "+print(a - b)" in diff
    screenshots(first, "room-run-history-blame")
    first.click(".run-history .panel-head button")
    assert first.is_visible("#terminal")

    # A reload keeps the story: the earlier push listed, the latest replayed.
    second.reload()
    second.wait_for_function("() => window.codepusher.terminal.isConnected()")
    wait_for_terminal(second, "Earlier runs", "(replay)", "0/2 tests passed")
    text = terminal_text(second)
    assert "submit · ACCEPTED" in text and "(earlier)" not in text
