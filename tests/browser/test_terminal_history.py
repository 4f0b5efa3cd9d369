"""The terminal's run history across reloads, in Chromium: a session with more runs than one page
of GET /api/sessions/<id>/runs/ opens with the latest few listed; scrolling up above them loads
the older ones page by page, each run once, the view staying on the lines it showed, down to the
session's first run (real daphne, PostgreSQL, Redis and Chromium; the runs are stored rows)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from execution.models import Run, RunMode, RunStatus, Verdict

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUFFER_LINES = """() => {
  const buffer = window.codepusher.terminal.term.buffer.active;
  const lines = [];
  for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i).translateToString(true));
  return lines;
}"""
TOP_LINE = """() => {
  const buffer = window.codepusher.terminal.term.buffer.active;
  return {y: buffer.viewportY, text: buffer.getLine(buffer.viewportY).translateToString(true)};
}"""
MARK = re.compile(r"#(\d+) ")


def run_ids_listed(page) -> list[int]:
    """The run ids of the summary lines ("  #12 ada submit · …"), top to bottom."""
    return [
        int(m.group(1))
        for line in page.evaluate(BUFFER_LINES)
        if (m := MARK.match(line.strip() + " "))
    ]


def scroll_up(page) -> str:
    """What a reader does: the wheel, far up. Returns the line it brings to the top of the view."""
    top = page.evaluate(
        "window.codepusher.terminal.term.buffer.active.getLine(0).translateToString(true)"
    )
    box = page.locator("#terminal").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -20_000)
    return top


def test_scrolling_up_loads_older_runs_page_by_page(new_page, user, other_user, room_session):
    page_size = settings.REST_FRAMEWORK["PAGE_SIZE"]
    runs = [
        Run.objects.create(
            session=room_session,
            user=(user, other_user)[i % 2],
            mode=RunMode.PUSH if i % 3 else RunMode.RUN,
            language=room_session.language,
            code="print(1)\n",
            status=RunStatus.DONE,
            verdict=Verdict.ACCEPTED if i % 2 else Verdict.WRONG_ANSWER,
        )
        for i in range(2 * page_size + 7)
    ]
    ids = [run.pk for run in runs]  # oldest first

    page = new_page(user, room_session.get_absolute_url())
    page.wait_for_function("() => window.codepusher && window.codepusher.terminal.isConnected()")
    page.wait_for_function(f"() => ({BUFFER_LINES})().some((l) => l.includes('#{ids[-2]} '))")
    listed = run_ids_listed(page)
    assert listed and ids[0] not in listed and len(listed) < page_size, listed
    assert listed == ids[-len(listed) - 1 : -1]  # the latest few; the latest run is replayed
    # More lines than the view holds, so the view's position is something to keep.
    page.evaluate(
        "for (let i = 0; i < 80; i++) window.codepusher.terminal.println('output line ' + i)"
    )

    for _ in range(10):  # a page a scroll; a hang guard, not a count
        if ids[0] in listed:
            break
        seen = len(listed)
        top_text = scroll_up(page)
        page.wait_for_function(
            f"(n) => ({BUFFER_LINES})().filter((l) => /^#\\d+ /.test(l.trim())).length > n",
            arg=seen,
        )
        page.wait_for_function(  # drawn and scrolled back
            "() => window.codepusher.terminal.term.buffer.active.viewportY > 0"
        )
        top = page.evaluate(TOP_LINE)
        assert top["text"] == top_text, (top, top_text)  # the view did not jump
        listed = run_ids_listed(page)
        assert 0 < len(listed) - seen <= page_size

    assert listed == ids[:-1], listed  # every run from the first on, each once, in order
    first_line = page.evaluate(BUFFER_LINES)[0]
    assert "start of the session's runs" in first_line, first_line

    # The History panel walks the same pages with its "Load older runs" button.
    page.click("#history-button")
    items = page.locator(".run-history .run-item")
    page.wait_for_selector(f".run-history .run-item[data-run='{ids[-1]}']")
    assert items.count() == page_size
    for shown in (2 * page_size, len(ids)):
        page.click(".run-history .run-more")
        page.wait_for_function(
            "(n) => document.querySelectorAll('.run-history .run-item').length === n", arg=shown
        )
    assert page.is_hidden(".run-history .run-more")
    assert items.last.get_attribute("data-run") == str(ids[0])
