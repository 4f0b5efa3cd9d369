// The timeline under the scrubber: one track per member (typing in their colour, pastes
// flagged), and markers for runs (coloured by verdict), messages, joins/leaves and calls.
import { el } from '../lib/dom.js';

const BUCKETS = 600; // typing is drawn as this many slots per track, whatever the session's length

export function verdictClass(verdict) {
  if (!verdict) return 'pending';
  return verdict === 'ACCEPTED' ? 'ok' : verdict === 'INTERNAL_ERROR' ? 'warn' : 'err';
}

/**
 * Render into `parent`. `onPick(event)` is called with a clicked run / message / member marker.
 * Returns {setTime(t)} that moves the playhead and {highlight(blame)} that rings blamed ops.
 */
export function renderTracks(parent, model, memberTracks, colors, onPick) {
  const span = Math.max(1, model.end - model.start);
  const pct = (t) => `${(((t - model.start) / span) * 100).toFixed(3)}%`;
  const rows = [];
  const opMarks = []; // {user, versions, mark}: what a push's blame can highlight
  const opsOf = new Map(); // user → their ops, to know which versions each mark covers
  for (const op of model.ops) {
    if (op.create || !op.user) continue;
    if (!opsOf.has(op.user)) opsOf.set(op.user, []);
    opsOf.get(op.user).push(op);
  }
  const slotOf = (t) => Math.min(BUCKETS - 1, Math.floor(((t - model.start) / span) * BUCKETS));

  for (const track of memberTracks) {
    const color = colors[track.user] || '#9aa1bd';
    const lane = el('div', { class: 'replay-lane', 'data-user': track.user });
    const slotVersions = new Map(); // slot → versions of this member's typing drawn there
    for (const op of opsOf.get(track.user) || []) {
      if (op.paste) continue;
      const slot = slotOf(op.at);
      if (!slotVersions.has(slot)) slotVersions.set(slot, []);
      slotVersions.get(slot).push(op.v);
    }
    for (const [slot, versions] of slotVersions) {
      const tick = el('span', { class: 'replay-edit' });
      tick.style.left = `${(slot / BUCKETS) * 100}%`;
      tick.style.width = `${100 / BUCKETS}%`;
      tick.style.background = color;
      lane.append(tick);
      opMarks.push({ user: track.user, versions, mark: tick });
    }
    for (const op of (opsOf.get(track.user) || []).filter((o) => o.paste)) {
      const flag = el('span', { class: 'replay-paste', title: `${track.user} pasted a large block`, text: '⎘' });
      flag.style.left = pct(op.at);
      lane.append(flag);
      opMarks.push({ user: track.user, versions: [op.v], mark: flag });
    }
    const people = [...model.members, ...model.calls].filter((e) => e.user === track.user);
    for (const e of people) {
      const label = e.kind === 'call' ? `call ${e.action}` : e.action;
      const mark = el('button', { type: 'button', class: `replay-marker replay-member-marker kind-${e.kind} action-${e.action}`, title: `${e.user} ${label}`, text: e.kind === 'call' ? '☎' : e.action === 'joined' ? '+' : '−' });
      mark.style.left = pct(e.at);
      mark.addEventListener('click', () => onPick(e));
      lane.append(mark);
    }
    const name = el('span', { class: 'replay-lane-name', text: track.user });
    name.style.color = color;
    rows.push(el('div', { class: 'replay-track' }, name, lane));
  }

  const events = el('div', { class: 'replay-lane replay-events' });
  for (const run of model.runs) {
    const mark = el('button', {
      type: 'button',
      class: `replay-marker replay-run verdict-${verdictClass(run.verdict)}`,
      'data-run': run.id,
      title: `${run.user} ${run.mode === 'push' ? 'submitted' : 'ran'}: ${run.verdict || 'no verdict'}`,
      text: '▲',
    });
    mark.style.left = pct(run.at);
    mark.addEventListener('click', () => onPick(run));
    events.append(mark);
  }
  for (const message of model.messages) {
    const mark = el('button', { type: 'button', class: 'replay-marker replay-message', 'data-message': message.id, title: `${message.user}: ${message.body.slice(0, 80)}`, text: '●' });
    mark.style.left = pct(message.at);
    mark.addEventListener('click', () => onPick(message));
    events.append(mark);
  }
  rows.push(el('div', { class: 'replay-track' }, el('span', { class: 'replay-lane-name muted', text: 'runs · chat' }), events));

  const head = el('div', { class: 'replay-playhead' });
  const body = el('div', { class: 'replay-tracks-body' }, ...rows, head);
  parent.replaceChildren(body);
  return {
    /** Ring the op marks of each blame entry's member whose versions fall in its range; [] clears. */
    highlight(blame) {
      for (const { user, versions, mark } of opMarks) {
        const entry = blame.find((b) => b.user === user && versions.some((v) => v >= b.versions[0] && v <= b.versions[1]));
        mark.classList.toggle('replay-blamed', !!entry);
        mark.style.setProperty('--blame-color', entry ? colors[user] || '#9aa1bd' : '');
      }
    },
    setTime(t) {
      head.style.left = `calc(var(--replay-name-width) + (100% - var(--replay-name-width)) * ${((t - model.start) / span).toFixed(5)})`;
    },
  };
}
