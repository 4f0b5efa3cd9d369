// Older runs as you scroll up: the terminal lists the runs of its first backlog (the latest few);
// when its view is at the top and you scroll further up, the next page of
// GET /api/sessions/<id>/runs/ (newest first) goes above what is shown, one dim line per run
// older than any listed, and the lines that were in view stay in view. Page by page, until the
// session's first run.
import { pageWalker } from '../lib/pages.js';
import { A } from './ansi.js';

const RETRY_AFTER_MS = 5000;

/**
 * @param {object} o
 * @param {import('@xterm/xterm').Terminal} o.term
 * @param {HTMLElement} o.parent                        where the wheel is heard
 * @param {{prepend: (lines: string[]) => Promise<void>, println: (line: string) => void}} o.shell
 * @param {(run: object) => string} o.summaryLine       the line of one run (render.js)
 * @param {string} o.runsUrl                            the session's run list, first page
 * @returns {{noteBacklog: (msg: object) => void, load: () => Promise<void>}}
 */
export function createOlderRuns({ term, parent, shell, summaryLine, runsUrl }) {
  let oldest; // the oldest run id listed: undefined until the first backlog, null if it had none
  let pages = null;
  let loading = false;
  let ended = false;
  let failedAt = -Infinity;

  /** Only the first backlog counts: every run after it was shown live, so is newer. */
  function noteBacklog(msg) {
    if (oldest !== undefined) return;
    const ids = (Array.isArray(msg.runs) ? msg.runs : []).map((r) => Number(r && (r.id ?? r.run))).filter(Number.isInteger);
    oldest = ids.length ? Math.min(...ids) : null;
    if (oldest === null) ended = true; // no run before this page connected
  }

  async function load() {
    if (loading || ended || !oldest || performance.now() - failedAt < RETRY_AFTER_MS) return;
    loading = true;
    try {
      pages = pages || pageWalker(runsUrl);
      const lines = [];
      while (!lines.length && !pages.done()) {
        // Pages shift when runs are added meanwhile: the id filter drops what is listed already.
        const older = ((await pages.next()) || []).filter((r) => r.id < oldest);
        if (!older.length) continue;
        oldest = Math.min(...older.map((r) => r.id));
        lines.push(...older.reverse().map(summaryLine));
      }
      if (pages.done()) {
        ended = true;
        lines.unshift(`${A.dim}── start of the session's runs ──${A.reset}`);
      }
      await shell.prepend(lines);
    } catch (error) {
      failedAt = performance.now();
      shell.println(`${A.yellow}! could not load older runs: ${error.message}${A.reset}`);
    } finally {
      loading = false;
    }
  }

  // A scroll that reaches the top of a scrollback (wheel, scrollbar, keys), not the wipe of
  // `clear` (no scrollback left); and the wheel turned up at the top, or over a short history.
  // Capture: the view's scroll event does not bubble, and xterm keeps its wheel events.
  parent.addEventListener('scroll', (e) => {
    const view = e.target;
    if (view.scrollTop === 0 && view.scrollHeight > view.clientHeight) load();
  }, true);
  parent.addEventListener('wheel', (e) => e.deltaY < 0 && term.buffer.active.viewportY === 0 && load(), { passive: true, capture: true });
  return { noteBacklog, load };
}
