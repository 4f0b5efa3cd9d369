// Contributions (GET /api/sessions/<id>/stats/): per member, characters inserted and deleted,
// ops, active typing time, time as driver, runs and pushes (and tests fixed or broken when the
// server counts them). A disclosure at the end of the room's Members panel and on the replay page,
// fetched when opened (`open: true` opens it, and so fetches, at once).
import { api } from './lib/api.js';
import { el } from './lib/dom.js';

const COLUMNS = [
  ['inserted', 'Inserted', (v) => v],
  ['deleted', 'Deleted', (v) => v],
  ['ops', 'Ops', (v) => v],
  ['typing_seconds', 'Typing', minutes],
  ['driver_seconds', 'Driving', minutes],
  ['runs', 'Runs', (v) => v],
  ['pushes', 'Submits', (v) => v],
  ['tests_fixed', 'Fixed', (v) => v],
  ['tests_broken', 'Broke', (v) => v],
];

function minutes(seconds) {
  const s = Math.round(Number(seconds) || 0);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function mountStats(panel, { sessionId, open = false }) {
  const body = el('div', { class: 'stats-body' });
  const box = el('details', { class: 'stats' }, el('summary', { text: 'Contributions' }), body);
  panel.append(box);

  async function load() {
    body.replaceChildren(el('p', { class: 'muted', text: 'Counting…' }));
    let data;
    try {
      data = await api(`/api/sessions/${encodeURIComponent(sessionId)}/stats/`);
    } catch (error) {
      body.replaceChildren(el('p', { class: 'muted', text: `Could not count: ${error.message}` }));
      return;
    }
    const rows = data.members || [];
    const columns = COLUMNS.filter(([key]) => rows.some((m) => key in m));
    const head = el('tr', {}, el('th', { text: 'Member' }), ...columns.map(([, label]) => el('th', { text: label })));
    const lines = rows.map((m) => {
      const name = el('th', { scope: 'row', text: m.username });
      name.style.setProperty('--member-color', m.color || 'var(--accent)');
      return el('tr', { 'data-username': m.username }, name,
        ...columns.map(([key, , fmt]) => el('td', { 'data-key': key, text: String(fmt(m[key] ?? 0)) })));
    });
    body.replaceChildren(el('table', { class: 'stats-table' }, el('thead', {}, head), el('tbody', {}, ...lines)));
  }

  box.addEventListener('toggle', () => box.open && load());
  box.open = open; // the toggle event then loads it
  return { refresh: () => box.open && load() };
}
