// Run history: a panel over the terminal listing the session's runs (GET
// /api/sessions/<id>/runs/, newest first, older pages on demand): who, when, mode, document
// version, verdict and a mark per test. A mark of a test the push broke or fixed carries the
// blame. Clicking a run shows its tests (GET /api/runs/<id>/) and "Diff with previous" shows the
// unified diff of the two runs' code (GET /api/runs/<id>/diff/?against=…).
import { api } from './lib/api.js';
import { el } from './lib/dom.js';
import { pageWalker } from './lib/pages.js';

const VERDICT_SHORT = {
  ACCEPTED: 'passed', WRONG_ANSWER: 'wrong answer', TIME_LIMIT_EXCEEDED: 'time limit',
  MEMORY_LIMIT_EXCEEDED: 'memory limit', OUTPUT_LIMIT_EXCEEDED: 'output limit',
  RUNTIME_ERROR: 'runtime error', COMPILATION_ERROR: 'compile error', INTERNAL_ERROR: 'internal error',
};

/** "test 4 broke: bo changed lines 12-14 (v311-v329)": also the replay's run panel. */
export function blameText(change) {
  const who = (change.blame || [])
    .map((b) => `${b.user} changed ${b.lines[0] === b.lines[1] ? `line ${b.lines[0]}` : `lines ${b.lines[0]}-${b.lines[1]}`} (v${b.versions[0]}${b.versions[1] !== b.versions[0] ? `-v${b.versions[1]}` : ''})`)
    .join(' · ');
  const what = change.after === 'ACCEPTED' ? 'fixed' : 'broke';
  return `test ${change.position} ${what}: ${who || change.note || 'no edit to blame'}`;
}

function outcome(run) {
  if (run.status !== 'done') return run.status;
  if (run.mode === 'run') return run.verdict === 'ACCEPTED' ? `exit ${run.exit_code ?? 0}` : VERDICT_SHORT[run.verdict] || run.verdict;
  return VERDICT_SHORT[run.verdict] || run.verdict;
}

function marks(run) {
  const changed = new Map((run.changes || []).map((c) => [c.position, c]));
  const row = el('span', { class: 'run-marks' });
  for (const m of run.marks || []) {
    const change = changed.get(m.position);
    const title = change ? blameText(change) : `test ${m.position}${m.sample ? ' (sample)' : ''}: ${VERDICT_SHORT[m.verdict] || m.verdict}`;
    row.append(el('span', { class: 'run-mark', 'data-verdict': m.verdict, 'data-changed': change ? 'true' : null, title }));
  }
  return row;
}

/**
 * @param {HTMLElement} work    .room-work (the panel opens over the terminal)
 * @param {HTMLElement} button  the toolbar's History button
 * @param {object} o            {sessionId}
 */
export function mountHistory(work, button, { sessionId }) {
  const list = el('ol', { class: 'run-list', 'aria-label': 'Runs, newest first' });
  const more = el('button', { type: 'button', class: 'button small ghost run-more', hidden: true, text: 'Load older runs' });
  const detail = el('div', { class: 'run-detail', hidden: true });
  const status = el('p', { class: 'muted run-status' });
  const close = el('button', { type: 'button', class: 'button small ghost', text: 'Close' });
  const panel = el('section', { class: 'run-history', hidden: true, 'aria-label': 'Run history' },
    el('div', { class: 'panel-head' }, el('h2', { text: 'Run history' }), close),
    status, list, more, detail);
  work.append(panel);
  const firstPage = `/api/sessions/${encodeURIComponent(sessionId)}/runs/`;
  let pages = null;
  let runs = [];

  function row(run, index) {
    const when = run.created_at ? new Date(run.created_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '';
    const item = el('li', { class: 'run-item', 'data-run': String(run.id), 'data-verdict': run.verdict || '' },
      el('button', { type: 'button', class: 'run-open' },
        el('span', { class: 'run-id', text: `#${run.id}` }),
        el('span', { class: 'run-who', text: run.user }),
        el('span', { class: 'run-mode', text: run.mode === 'push' ? 'submit' : 'run' }),
        el('span', { class: 'muted', text: run.version != null ? `v${run.version}` : 'own code' }),
        el('time', { class: 'muted', datetime: run.created_at || '', text: when }),
        el('span', { class: 'run-outcome', text: outcome(run) })),
      marks(run));
    item.querySelector('.run-open').addEventListener('click', () => show(run, runs[index + 1]));
    return item;
  }

  /** The first page again (`fresh`), or the next older one. */
  async function load(fresh) {
    status.textContent = 'Loading…';
    if (fresh || !pages) pages = pageWalker(firstPage);
    const walker = pages;
    try {
      const results = (await walker.next()) || [];
      if (walker !== pages) return; // a fresh load started meanwhile
      runs = fresh ? results : runs.concat(results);
      list.replaceChildren(...runs.map(row));
      more.hidden = walker.done();
      status.textContent = runs.length ? '' : 'No runs yet: Run or Submit, and they show here.';
    } catch (error) {
      status.textContent = `Could not load the runs: ${error.message}`;
    }
  }

  async function show(run, older) {
    detail.hidden = false;
    detail.replaceChildren(el('p', { class: 'muted', text: `Loading #${run.id}…` }));
    for (const item of list.children) item.classList.toggle('run-selected', item.dataset.run === String(run.id));
    let full;
    try {
      full = await api(`/api/runs/${run.id}/`);
    } catch (error) {
      detail.replaceChildren(el('p', { class: 'run-error', text: error.message }));
      return;
    }
    const tests = el('ul', { class: 'run-tests' },
      ...(full.tests || []).map((t) => el('li', { 'data-verdict': t.verdict },
        `test ${t.position}: ${VERDICT_SHORT[t.verdict] || t.verdict}${t.time_ms != null ? ` · ${t.time_ms} ms` : ''}${t.detail ? ` — ${t.detail}` : ''}`)));
    const changes = el('ul', { class: 'run-changes' }, ...(full.changes || []).map((c) => el('li', { text: blameText(c) })));
    const against = full.previous || (older && older.id);
    const diffButton = el('button', { type: 'button', class: 'button small ghost', 'data-diff': 'previous', text: 'Diff with previous', disabled: !against });
    const diff = el('pre', { class: 'run-diff', hidden: true });
    diffButton.addEventListener('click', async () => {
      diff.hidden = false;
      diff.textContent = 'Loading…';
      try {
        const body = await api(`/api/runs/${run.id}/diff/?against=${against}`);
        diff.replaceChildren(...(body.diff || '(no change)').split('\n').map((line) =>
          el('span', { class: line.startsWith('+') ? 'diff-add' : line.startsWith('-') ? 'diff-del' : line.startsWith('@@') ? 'diff-hunk' : '', text: `${line}\n` })));
      } catch (error) {
        diff.textContent = error.message;
      }
    });
    detail.replaceChildren(
      el('h3', { text: `#${run.id} · ${run.user} · ${outcome(full)}${full.detail ? ` — ${full.detail}` : ''}` }),
      tests, changes, diffButton, diff);
  }

  function toggle(open) {
    panel.hidden = !open;
    work.classList.toggle('history-open', open);
    button.setAttribute('aria-pressed', String(open));
    if (open) load(true);
  }

  button.addEventListener('click', () => toggle(panel.hidden));
  close.addEventListener('click', () => toggle(false));
  more.addEventListener('click', () => pages && !pages.done() && load(false));

  return {
    /** A run finished: refresh the list if it is open. */
    refresh() {
      if (!panel.hidden) load(true);
    },
  };
}
