// The replay's data: every event of the timeline API, the code at any version (checkpoints
// every CHECKPOINT_EVERY versions plus the ops since), and what happened when. Pure: no DOM, no
// fetch, so Node's test runner checks it (model.test.js).
import { type as textUnicode } from 'ot-text-unicode';

export const CHECKPOINT_EVERY = 200;
export const PASTE_CHARS = 80; // an insert this long in one op is flagged as a paste
export const IDLE_MS = 3000; // "skip idle" jumps gaps longer than this

/** Characters (code points) an op inserts. */
export function insertedChars(op) {
  let n = 0;
  for (const c of op || []) if (typeof c === 'string') n += [...c].length;
  return n;
}

/**
 * The model of a session's timeline, fed page by page with `addEvents` (in the API's order):
 * ops[i] = {v, at, user, op, paste, create}; texts at checkpoints; runs, messages, members, calls.
 */
export function createModel({ pasteChars = PASTE_CHARS } = {}) {
  const model = {
    ops: [], checkpoints: new Map(), runs: [], messages: [], members: [], calls: [],
    finalText: '', lastVersion: 0, start: 0, end: 0,
  };
  model.addEvents = (events) => {
    let text = model.finalText;
    for (const e of events) {
      const at = Date.parse(e.at);
      model.start = model.start && model.start < at ? model.start : at;
      model.end = Math.max(model.end, at);
      if (e.kind === 'op') {
        text = e.create ? textUnicode.create(e.create.data) : textUnicode.apply(text, e.op);
        const paste = !e.create && insertedChars(e.op) > pasteChars;
        model.ops.push({ v: e.v, at, user: e.user, op: e.op || null, paste, create: !!e.create });
        if (e.v % CHECKPOINT_EVERY === 0 || e.v === 1) model.checkpoints.set(e.v, text);
        model.lastVersion = e.v;
      } else if (e.kind === 'run') model.runs.push({ ...e, at });
      else if (e.kind === 'message') model.messages.push({ ...e, at });
      else if (e.kind === 'member') model.members.push({ ...e, at });
      else if (e.kind === 'call') model.calls.push({ ...e, at });
    }
    model.finalText = text;
    return model;
  };
  return model;
}

/** The model of a whole timeline at once. */
export function buildModel(events, options = {}) {
  return createModel(options).addEvents(events);
}

/** The code at version v (1 = as created), from the nearest checkpoint at or below it. */
export function textAt(model, v) {
  if (v <= 0 || !model.ops.length) return '';
  v = Math.min(v, model.lastVersion);
  let base = Math.floor(v / CHECKPOINT_EVERY) * CHECKPOINT_EVERY;
  if (base < 1 || !model.checkpoints.has(base)) base = 1;
  let text = model.checkpoints.get(base);
  const first = model.ops[0].v;
  for (let i = base + 1 - first; i < v + 1 - first; i += 1) text = textUnicode.apply(text, model.ops[i].op);
  return text;
}

/** The latest version committed at or before time t (ms). The code exists from the session's
 * start (its create op is version 1), so before that it is version 1 too; 0 with no ops. */
export function versionAt(model, t) {
  const ops = model.ops;
  let lo = 0;
  let hi = ops.length - 1;
  let found = ops.length ? ops[0].v : 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ops[mid].at <= t) {
      found = ops[mid].v;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The time of the first op producing version v (for jumping to a run's version). */
export function timeOfVersion(model, v) {
  const op = model.ops.find((o) => o.v === v);
  return op ? op.at : model.start;
}

/** Every event time, sorted: the player's "next thing that happens" for skipping idle gaps. */
export function eventTimes(model) {
  return [...model.ops, ...model.runs, ...model.messages, ...model.members, ...model.calls]
    .map((x) => x.at)
    .sort((a, b) => a - b);
}

/** Where the clock goes after `elapsed` ms of playing from t at `speed`, skipping idle gaps. */
export function advance(times, t, elapsed, speed, skipIdle, idleMs = IDLE_MS) {
  let next = t + elapsed * speed;
  if (!skipIdle) return next;
  // The first event after the current time: if it is more than idleMs away, jump to just before it.
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  if (lo < times.length && times[lo] - t > idleMs) next = Math.max(next, times[lo] - 200);
  return next;
}

/** Per member, the op times and the pastes: the tracks under the scrubber. */
export function tracks(model) {
  const byUser = new Map();
  for (const op of model.ops) {
    if (op.create || !op.user) continue;
    if (!byUser.has(op.user)) byUser.set(op.user, { user: op.user, edits: [], pastes: [] });
    const track = byUser.get(op.user);
    (op.paste ? track.pastes : track.edits).push(op.at);
  }
  for (const e of [...model.runs, ...model.members, ...model.calls, ...model.messages]) {
    if (e.user && !byUser.has(e.user)) byUser.set(e.user, { user: e.user, edits: [], pastes: [] });
  }
  return [...byUser.values()];
}
