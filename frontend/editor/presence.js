// Cursors over sharedb doc presence: ours is sent (throttled) as {start, end, u, c} in code
// points; the others' are drawn with cursors.js and reported as the members in the editor.
import { Walker } from '../textops.js';
import { remoteCursorsEffect, safeColor } from './cursors.js';

const PRESENCE_THROTTLE_MS = 40;

/** [first, last] line numbers on screen. */
export function visibleLines(view) {
  const top = view.scrollDOM.scrollTop;
  const first = view.lineBlockAtHeight(top);
  const last = view.lineBlockAtHeight(top + view.scrollDOM.clientHeight - 1);
  return [view.state.doc.lineAt(first.from).number, view.state.doc.lineAt(last.from).number];
}

/**
 * @param {object} o
 * @param {object} o.connection  sharedb Connection
 * @param {object} o.doc         the sharedb Doc
 * @param {string} o.collection
 * @param {import('@codemirror/view').EditorView} o.view
 * @param {() => boolean} o.isLoaded
 * @param {string} o.username
 * @param {string} o.color
 * @param {(members: object[]) => void} o.onMembers
 */
export function createPresence({ connection, doc, collection, view, isLoaded, username, color, onMembers }) {
  const presence = connection.getDocPresence(collection, doc.id);
  const localPresence = presence.create();
  const remotes = new Map(); // presence id → value
  presence.subscribe((err) => {
    if (err) console.warn('codepusher editor: presence subscribe failed', err);
  });
  presence.on('receive', (id, value) => {
    // While we are disconnected, sharedb still transforms the cached remote cursors by our
    // offline edits and re-emits them; they are stale, so keep them hidden until the others
    // re-send theirs after we resubscribe.
    if (connection.state !== 'connected') return;
    if (value && typeof value === 'object') remotes.set(id, value);
    else remotes.delete(id);
    scheduleRender();
  });
  presence.on('error', (err) => console.warn('codepusher editor: presence error', err));

  let timer = null;
  let lastKey = null;
  function schedule(force) {
    if (force) lastKey = null;
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      send();
    }, PRESENCE_THROTTLE_MS);
  }
  function send() {
    if (!isLoaded() || !doc.type || !connection.canSend) return;
    const sel = view.state.selection.main;
    const walker = new Walker(view.state.doc.toString());
    const lo = walker.toCp(Math.min(sel.anchor, sel.head));
    const hi = walker.toCp(Math.max(sel.anchor, sel.head));
    const value = {
      start: sel.anchor <= sel.head ? lo : hi,
      end: sel.anchor <= sel.head ? hi : lo,
      u: username,
      c: color,
      vp: visibleLines(view), // viewports travel with presence: others can follow ours
    };
    const key = `${value.start}:${value.end}:${doc.version}:${value.vp}`;
    if (key === lastKey) return;
    lastKey = key;
    localPresence.submit(value, (err) => {
      if (err && err.code !== 'ERR_DOC_DOES_NOT_EXIST') {
        console.warn('codepusher editor: presence not accepted', err.code || err.message);
      }
    });
  }

  let renderQueued = false;
  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    // Presence events can fire in the middle of applying an op; render once things settle.
    queueMicrotask(() => {
      renderQueued = false;
      render();
    });
  }
  function members() {
    const list = [];
    for (const [id, v] of remotes) {
      list.push({
        id,
        username: String(v.u || 'anonymous'),
        color: safeColor(v.c, v.u || id),
        head: typeof v.end === 'number' ? v.end : null, // code points
        vp: Array.isArray(v.vp) ? v.vp.slice(0, 2).map(Number) : null,
      });
    }
    return list;
  }
  function render() {
    const cursors = [];
    for (const [id, v] of remotes) {
      if (typeof v.start !== 'number' || typeof v.end !== 'number') continue;
      cursors.push({
        start: v.start,
        end: v.end,
        name: String(v.u || 'anonymous').slice(0, 40),
        color: safeColor(v.c, v.u || id),
      });
    }
    view.dispatch({ effects: remoteCursorsEffect(view.state, cursors) });
    onMembers(members());
  }

  view.scrollDOM.addEventListener('scroll', () => schedule(), { passive: true });

  connection.on('state', (st) => {
    if (st === 'connected') {
      schedule(true); // the server dropped our cursor when we left; show it again
    } else if (remotes.size) {
      // Remote cursors go stale while we are away; the others resend theirs after we resubscribe.
      remotes.clear();
      scheduleRender();
    }
  });

  return {
    schedule,
    members,
    leave() {
      try {
        localPresence.submit(null);
      } catch {
        /* ignore */
      }
    },
  };
}
