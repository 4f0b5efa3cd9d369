// Collaborative code editor: CodeMirror 6 bound to a ShareDB text-unicode document.
//
// Wire: the unmodified sharedb client over a reconnecting WebSocket at /ws/ot/ (same origin,
// the Django session cookie authenticates). Document: collection "code", id = session id.
//
// - local edits → text-unicode ops (UTF-16 offsets converted to code points)
// - remote ops → CodeMirror changes annotated as remote: no echo, not in the undo history,
//   so undo only undoes your own edits
// - remote cursors/selections through sharedb doc presence, value {start, end, u, c}
//   (start = anchor, end = head, code points; u = username, c = colour)
// - connection badge: connecting / connected / syncing / reconnecting / offline; sharedb keeps
//   unacknowledged ops and resends them after reconnection, so no edit is lost
import {
  Annotation,
  Compartment,
  EditorSelection,
  EditorState,
  StateEffect,
  StateField,
  Transaction,
} from '@codemirror/state';
import { Decoration, EditorView, WidgetType, keymap } from '@codemirror/view';
import { indentWithTab } from '@codemirror/commands';
import { basicSetup } from 'codemirror';
import { oneDark } from '@codemirror/theme-one-dark';
import ReconnectingWebSocket from 'reconnecting-websocket';
import ShareDB from 'sharedb/lib/client';
import { type as textUnicode } from 'ot-text-unicode';

import { Walker, changesToOp, opToChanges, transformPresence } from './textops.js';

// text-unicode has no transformPresence upstream; register a wrapped type under the same
// name/URI (research note §3.3). The server implements the same transform.
ShareDB.types.register({ ...textUnicode, transformPresence });

export const TEXT_UNICODE_URI = textUnicode.uri;
const COLLECTION = 'code';
const OFFLINE_AFTER_MS = 2500;
const PRESENCE_THROTTLE_MS = 40;
const CHECK_LIMIT = 400000; // verify editor == ShareDB snapshot after each op for docs up to this size

/** Marks transactions that come from the server (not to be sent back, not undoable). */
const remoteAnnotation = Annotation.define();

// ---------------------------------------------------------------------------------------------
// Languages

// Each language's grammar is a separate chunk, loaded only when a session uses it.
const LANGUAGES = {
  python: () => import('@codemirror/lang-python').then((m) => m.python()),
  javascript: () => import('@codemirror/lang-javascript').then((m) => m.javascript()),
  typescript: () => import('@codemirror/lang-javascript').then((m) => m.javascript({ typescript: true })),
  cpp: () => import('@codemirror/lang-cpp').then((m) => m.cpp()),
};
const LANGUAGE_ALIASES = {
  py: 'python',
  python3: 'python',
  js: 'javascript',
  node: 'javascript',
  nodejs: 'javascript',
  ts: 'typescript',
  'c++': 'cpp',
  cxx: 'cpp',
  c: 'cpp',
};

/** Resolves to the CodeMirror LanguageSupport for a session language ([] if unknown). */
export async function languageSupport(name) {
  const key = String(name || '').toLowerCase();
  const load = LANGUAGES[LANGUAGE_ALIASES[key] || key];
  return load ? load() : [];
}

// ---------------------------------------------------------------------------------------------
// Remote cursors

const COLOR_RE = /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\)|hsla?\([\d\s.,%deg]+\))$/i;
const FALLBACK_COLORS = ['#e06c75', '#61afef', '#98c379', '#c678dd', '#e5c07b', '#56b6c2', '#d19a66'];

function safeColor(c, seed) {
  if (typeof c === 'string' && COLOR_RE.test(c.trim())) return c.trim();
  let h = 0;
  for (const ch of String(seed || '')) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return FALLBACK_COLORS[h % FALLBACK_COLORS.length];
}

/** The colour with an alpha channel, for selection backgrounds. */
function translucent(color, alpha) {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color);
  if (m) {
    let hex = m[1];
    if (hex.length === 3) hex = [...hex].map((x) => x + x).join('');
    const n = parseInt(hex, 16);
    return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  return `color-mix(in srgb, ${color} ${Math.round(alpha * 100)}%, transparent)`;
}

// A remote caret's name label shows while its owner moves it, then fades (room.css), so it
// never sits on top of the code; `moves` counts the moves, and a new count redraws the label.
class CaretWidget extends WidgetType {
  constructor(name, color, below, moves) {
    super();
    this.name = name;
    this.color = color;
    this.below = below;
    this.moves = moves;
  }

  eq(other) {
    return (
      other.name === this.name &&
      other.color === this.color &&
      other.below === this.below &&
      other.moves === this.moves
    );
  }

  toDOM() {
    const caret = document.createElement('span');
    caret.className = 'cp-remote-caret';
    caret.style.borderLeftColor = this.color;
    caret.setAttribute('aria-hidden', 'true');
    const label = document.createElement('span');
    label.className = 'cp-remote-label' + (this.below ? ' cp-remote-label-below' : '');
    label.style.backgroundColor = this.color;
    label.textContent = this.name;
    caret.appendChild(label);
    return caret;
  }

  ignoreEvent() {
    return true;
  }
}

const setRemoteCursors = StateEffect.define();

/** Decorations for remote cursors; rebuilt on presence changes, mapped through edits. */
const remoteCursorField = StateField.define({
  create() {
    return Decoration.none;
  },
  update(deco, tr) {
    for (const e of tr.effects) if (e.is(setRemoteCursors)) return e.value;
    return tr.docChanged ? deco.map(tr.changes) : deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

function buildCursorDecorations(state, cursors) {
  const text = state.doc.toString();
  const ranges = [];
  for (const cur of cursors) {
    const walker = new Walker(text);
    const a = Math.max(0, Math.min(cur.start, cur.end));
    const b = Math.max(0, Math.max(cur.start, cur.end));
    const from = walker.toU16(a);
    const to = walker.toU16(b);
    const head = cur.end >= cur.start ? to : from;
    if (to > from) {
      ranges.push(
        Decoration.mark({
          class: 'cp-remote-selection',
          attributes: { style: `background-color: ${translucent(cur.color, 0.28)}` },
        }).range(from, to),
      );
    }
    const line = state.doc.lineAt(head);
    ranges.push(
      Decoration.widget({
        widget: new CaretWidget(cur.name, cur.color, line.number === 1, cur.moves),
        side: cur.end >= cur.start ? 1 : -1,
      }).range(head),
    );
  }
  return Decoration.set(ranges, true);
}

// ---------------------------------------------------------------------------------------------
// Connection badge

const STATUS_TEXT = {
  connecting: 'Connecting…',
  connected: 'Connected',
  syncing: 'Syncing…',
  reconnecting: 'Reconnecting…',
  offline: 'Offline · edits saved locally, will sync',
  offlineClean: 'Offline',
  error: 'Error',
};

function renderStatus(el, state, detail) {
  if (!el) return;
  el.dataset.state = state === 'offlineClean' ? 'offline' : state;
  el.classList.add('cp-connection');
  el.setAttribute('role', 'status');
  el.setAttribute('aria-live', 'polite');
  let dot = el.querySelector('.cp-connection-dot');
  let label = el.querySelector('.cp-connection-label');
  if (!dot || !label) {
    el.textContent = '';
    dot = document.createElement('span');
    dot.className = 'cp-connection-dot';
    label = document.createElement('span');
    label.className = 'cp-connection-label';
    el.append(dot, label);
  }
  label.textContent = STATUS_TEXT[state] || state;
  el.title = detail || '';
}

// ---------------------------------------------------------------------------------------------
// The editor

/**
 * @param {object} opts
 * @param {HTMLElement} opts.parent        where CodeMirror mounts (#editor)
 * @param {string} opts.sessionId          document id
 * @param {string} [opts.language]         python | javascript | cpp
 * @param {string} [opts.username]
 * @param {string} [opts.color]            the user's colour (#rrggbb)
 * @param {string} [opts.otUrl]            path or absolute ws(s) URL, default /ws/ot/
 * @param {HTMLElement} [opts.statusEl]    connection badge (#connection-status)
 * @param {object} [opts.keys]             {run: fn, submit: fn} for Ctrl-Enter / Ctrl-Shift-Enter
 */
export function createEditor(opts) {
  const sessionId = String(opts.sessionId);
  const username = opts.username || 'anonymous';
  const color = safeColor(opts.color, username);
  const statusEl = opts.statusEl || null;

  const listeners = { change: new Set(), members: new Set(), status: new Set(), ready: new Set() };
  const emit = (name, ...args) => {
    for (const fn of listeners[name]) {
      try {
        fn(...args);
      } catch (e) {
        console.error(e);
      }
    }
  };

  // --- transport --------------------------------------------------------------------------
  const url = wsUrl(opts.otUrl || '/ws/ot/');
  const socket = new ReconnectingWebSocket(url, [], {
    maxEnqueuedMessages: 0, // required: sharedb resends its own pending ops (share/sharedb#608)
    minReconnectionDelay: 500 + Math.random() * 500,
    maxReconnectionDelay: 8000,
    reconnectionDelayGrowFactor: 1.5,
    connectionTimeout: 6000,
  });
  const connection = new ShareDB.Connection(socket);
  const doc = connection.get(COLLECTION, sessionId);

  // --- CodeMirror ---------------------------------------------------------------------------
  const languageConf = new Compartment();
  const editableConf = new Compartment();
  const extraKeys = [];
  if (opts.keys && opts.keys.run) {
    extraKeys.push({ key: 'Mod-Enter', run: () => (opts.keys.run(), true), preventDefault: true });
  }
  if (opts.keys && opts.keys.submit) {
    extraKeys.push({ key: 'Mod-Shift-Enter', run: () => (opts.keys.submit(), true), preventDefault: true });
  }

  const state = EditorState.create({
    doc: '',
    extensions: [
      basicSetup,
      keymap.of([...extraKeys, indentWithTab]),
      languageConf.of([]),
      editableConf.of([EditorState.readOnly.of(true), EditorView.editable.of(false)]),
      oneDark,
      remoteCursorField,
      EditorView.contentAttributes.of({ 'aria-label': 'Shared code editor' }),
    ],
  });

  let loaded = false;
  let languageRequest = 0;
  function setLanguage(name) {
    const req = ++languageRequest;
    return languageSupport(name)
      .then((support) => {
        if (req === languageRequest) view.dispatch({ effects: languageConf.reconfigure(support) });
      })
      .catch((err) => console.error('codepusher editor: cannot load language', name, err));
  }

  const view = new EditorView({
    state,
    parent: opts.parent,
    dispatchTransactions(trs, v) {
      v.update(trs);
      let selectionMoved = false;
      for (const tr of trs) {
        if (tr.annotation(remoteAnnotation)) continue;
        if (tr.docChanged) submitChanges(tr);
        if (tr.docChanged || tr.selection) selectionMoved = true;
      }
      if (trs.some((tr) => tr.docChanged)) {
        const remote = trs.every((tr) => tr.annotation(remoteAnnotation));
        emit('change', { remote });
      }
      if (selectionMoved) schedulePresence();
    },
  });

  setLanguage(opts.language);

  function submitChanges(tr) {
    if (!loaded || !doc.type) {
      // Cannot happen while read-only; never let the two copies drift.
      console.warn('codepusher editor: edit before the document loaded, resyncing');
      queueMicrotask(resyncFromDoc);
      return;
    }
    // Only the text up to the last change is needed to count code points.
    let end = 0;
    tr.changes.iterChangedRanges((_fromA, toA) => {
      end = toA;
    });
    const op = changesToOp(tr.changes, tr.startState.doc.sliceString(0, end));
    if (!op.length) return;
    try {
      doc.submitOp(op, { source: true }, (err) => {
        if (err) console.warn('codepusher editor: op rejected', err);
        updateStatus();
      });
    } catch (err) {
      console.error('codepusher editor: submitOp failed', err);
      queueMicrotask(resyncFromDoc);
      return;
    }
    checkConsistency('local');
    updateStatus();
  }

  /** Apply a remote op (already applied to doc.data) to CodeMirror. */
  function applyRemoteOp(op) {
    const before = view.state.doc.toString();
    let changes;
    try {
      changes = opToChanges(op, before);
    } catch (err) {
      console.error('codepusher editor: bad remote op', err);
      resyncFromDoc();
      return;
    }
    if (changes.length) {
      view.dispatch({
        changes,
        annotations: [remoteAnnotation.of(true), Transaction.remote.of(true), Transaction.addToHistory.of(false)],
      });
    }
    checkConsistency('remote');
  }

  /** Replace the editor contents by the ShareDB snapshot with a minimal change. */
  function resyncFromDoc() {
    // Without a type the client is between snapshots (e.g. a hard rollback refetching); the
    // following 'load' brings the text, so keep what is on screen until then.
    if (!doc.type) return;
    const target = typeof doc.data === 'string' ? doc.data : '';
    const current = view.state.doc.toString();
    if (current === target) return;
    let start = 0;
    const max = Math.min(current.length, target.length);
    while (start < max && current.charCodeAt(start) === target.charCodeAt(start)) start++;
    let endA = current.length;
    let endB = target.length;
    while (endA > start && endB > start && current.charCodeAt(endA - 1) === target.charCodeAt(endB - 1)) {
      endA--;
      endB--;
    }
    // Do not split a surrogate pair.
    if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
    if (endA < current.length && isLowSurrogate(current.charCodeAt(endA))) {
      endA++;
      endB++;
    }
    view.dispatch({
      changes: { from: start, to: endA, insert: target.slice(start, endB) },
      annotations: [remoteAnnotation.of(true), Transaction.remote.of(true), Transaction.addToHistory.of(false)],
    });
    if (view.state.doc.toString() !== target) {
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: target },
        annotations: [remoteAnnotation.of(true), Transaction.addToHistory.of(false)],
      });
    }
  }

  function checkConsistency(where) {
    if (!doc.type || typeof doc.data !== 'string' || doc.data.length > CHECK_LIMIT) return;
    if (view.state.doc.length !== doc.data.length || view.state.doc.toString() !== doc.data) {
      console.error(`codepusher editor: editor and document diverged after ${where} op; resyncing`);
      resyncFromDoc();
    }
  }

  function setEditable(on) {
    view.dispatch({
      effects: editableConf.reconfigure(
        on ? [] : [EditorState.readOnly.of(true), EditorView.editable.of(false)],
      ),
    });
  }

  function onLoaded() {
    if (!doc.type) return;
    resyncFromDoc();
    if (!loaded) {
      loaded = true;
      setEditable(true);
      emit('ready');
    }
    schedulePresence();
  }

  // --- ShareDB document -----------------------------------------------------------------------
  doc.on('op', (op, source) => {
    if (source) return; // our own op, already in CodeMirror
    applyRemoteOp(op);
    updateStatus();
  });
  doc.on('load', () => onLoaded());
  doc.on('create', () => onLoaded());
  doc.on('del', () => {
    loaded = false;
    setEditable(false);
    updateStatus('The document was deleted');
  });
  doc.on('nothing pending', () => updateStatus());
  doc.on('error', (err) => {
    console.error('codepusher editor: document error', err);
    updateStatus(err && err.message);
  });

  doc.subscribe((err) => {
    if (err) {
      console.error('codepusher editor: subscribe failed', err);
      updateStatus(err.message);
      return;
    }
    if (!doc.type) {
      // The server normally creates the document with the starter code when the session is
      // made; if it does not exist yet, create it empty. A concurrent create by someone else
      // fails harmlessly and the client reloads their snapshot.
      doc.create('', TEXT_UNICODE_URI, (createErr) => {
        if (createErr && createErr.code !== 'ERR_DOC_ALREADY_CREATED') {
          console.warn('codepusher editor: create failed', createErr);
        }
        if (doc.type) onLoaded();
        else doc.fetch(() => onLoaded());
      });
      return;
    }
    onLoaded();
  });

  // --- presence -----------------------------------------------------------------------------
  const presence = connection.getDocPresence(COLLECTION, sessionId);
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
    scheduleCursorRender();
  });
  presence.on('error', (err) => console.warn('codepusher editor: presence error', err));

  let presenceTimer = null;
  let lastPresenceKey = null;
  function schedulePresence(force) {
    if (force) lastPresenceKey = null;
    if (presenceTimer) return;
    presenceTimer = setTimeout(() => {
      presenceTimer = null;
      sendPresence();
    }, PRESENCE_THROTTLE_MS);
  }
  function sendPresence() {
    if (!loaded || !doc.type || !connection.canSend) return;
    const sel = view.state.selection.main;
    const walker = new Walker(view.state.doc.toString());
    const lo = walker.toCp(Math.min(sel.anchor, sel.head));
    const hi = walker.toCp(Math.max(sel.anchor, sel.head));
    const value = {
      start: sel.anchor <= sel.head ? lo : hi,
      end: sel.anchor <= sel.head ? hi : lo,
      u: username,
      c: color,
    };
    const key = `${value.start}:${value.end}:${doc.version}`;
    if (key === lastPresenceKey) return;
    lastPresenceKey = key;
    localPresence.submit(value, (err) => {
      if (err && err.code !== 'ERR_DOC_DOES_NOT_EXIST') {
        console.warn('codepusher editor: presence not accepted', err.code || err.message);
      }
    });
  }

  let cursorRenderQueued = false;
  function scheduleCursorRender() {
    if (cursorRenderQueued) return;
    cursorRenderQueued = true;
    // Presence events can fire in the middle of applying an op; render once things settle.
    queueMicrotask(() => {
      cursorRenderQueued = false;
      renderCursors();
    });
  }
  function members() {
    const list = [];
    for (const [id, v] of remotes) {
      list.push({ id, username: String(v.u || 'anonymous'), color: safeColor(v.c, v.u || id) });
    }
    return list;
  }
  const caretMoves = new Map(); // presence id → {start, end, moves}
  function movesOf(id, v) {
    const last = caretMoves.get(id);
    if (last && last.start === v.start && last.end === v.end) return last.moves;
    const moves = last ? last.moves + 1 : 0;
    caretMoves.set(id, { start: v.start, end: v.end, moves });
    return moves;
  }
  function renderCursors() {
    const cursors = [];
    for (const id of caretMoves.keys()) if (!remotes.has(id)) caretMoves.delete(id);
    for (const [id, v] of remotes) {
      if (typeof v.start !== 'number' || typeof v.end !== 'number') continue;
      cursors.push({
        start: v.start,
        end: v.end,
        moves: movesOf(id, v),
        name: String(v.u || 'anonymous').slice(0, 40),
        color: safeColor(v.c, v.u || id),
      });
    }
    view.dispatch({ effects: setRemoteCursors.of(buildCursorDecorations(view.state, cursors)) });
    emit('members', members());
  }

  // --- connection state ---------------------------------------------------------------------
  let everConnected = false;
  let disconnectedAt = null;
  let offlineTimer = null;
  let currentStatus = null;

  function computeStatus() {
    const st = connection.state;
    if (st === 'connected') {
      return doc.hasWritePending() ? 'syncing' : 'connected';
    }
    if (!everConnected && st === 'connecting' && navigator.onLine !== false) return 'connecting';
    const pending = doc.hasWritePending();
    const long = disconnectedAt !== null && Date.now() - disconnectedAt >= OFFLINE_AFTER_MS;
    if (navigator.onLine === false || long || !everConnected) return pending ? 'offline' : 'offlineClean';
    return 'reconnecting';
  }

  function updateStatus(detail) {
    const s = computeStatus();
    const pendingOps = (doc.inflightOp ? 1 : 0) + (doc.pendingOps ? doc.pendingOps.length : 0);
    const d =
      detail ||
      (pendingOps ? `${pendingOps} change${pendingOps > 1 ? 's' : ''} waiting for the server` : '');
    if (s !== currentStatus || detail) {
      currentStatus = s;
      renderStatus(statusEl, s, d);
      emit('status', s);
    } else if (statusEl) {
      statusEl.title = d;
    }
  }

  connection.on('state', (st) => {
    if (st === 'connected') {
      everConnected = true;
      disconnectedAt = null;
      clearTimeout(offlineTimer);
      schedulePresence(true); // the server dropped our cursor when we left; show it again
    } else {
      if (disconnectedAt === null) disconnectedAt = Date.now();
      clearTimeout(offlineTimer);
      offlineTimer = setTimeout(() => updateStatus(), OFFLINE_AFTER_MS + 50);
      // Remote cursors go stale while we are away; the others resend theirs after we resubscribe.
      if (remotes.size) {
        remotes.clear();
        scheduleCursorRender();
      }
    }
    updateStatus();
  });
  connection.on('error', (err) => console.warn('codepusher editor: connection error', err));
  window.addEventListener('online', () => {
    updateStatus();
    if (socket.readyState !== 1) socket.reconnect();
  });
  window.addEventListener('offline', () => updateStatus());
  window.addEventListener('beforeunload', (e) => {
    if (doc.hasWritePending()) {
      e.preventDefault();
      e.returnValue = '';
    }
  });
  updateStatus();

  // --- public API ---------------------------------------------------------------------------
  const api = {
    view,
    doc,
    connection,
    socket,
    username,
    color,
    getText: () => view.state.doc.toString(),
    /** Insert text at the cursor (replacing the selection), as a normal undoable edit. */
    pasteIntoEditor(text) {
      if (!loaded) return false;
      const insert = String(text);
      const { from, to } = view.state.selection.main;
      view.dispatch({
        changes: { from, to, insert },
        selection: EditorSelection.cursor(from + insert.length),
        scrollIntoView: true,
        userEvent: 'input.paste',
      });
      view.focus();
      return true;
    },
    setLanguage,
    /** fn({remote}) after every document change. Returns an unsubscribe function. */
    onChange: (fn) => on('change', fn),
    /** fn([{id, username, color}]) whenever remote cursors come or go. */
    onMembers: (fn) => on('members', fn),
    /** fn(state) on connection badge changes. */
    onStatus: (fn) => on('status', fn),
    onReady: (fn) => (loaded ? (fn(), () => {}) : on('ready', fn)),
    members,
    status: () => currentStatus,
    isReady: () => loaded,
    hasPendingEdits: () => doc.hasWritePending(),
    /** Resolves true once the server has every local edit, false after timeoutMs. */
    whenSynced(timeoutMs = 8000) {
      return new Promise((resolve) => {
        if (loaded && !doc.hasWritePending() && connection.state === 'connected') return resolve(true);
        const timer = setTimeout(() => resolve(false), timeoutMs);
        doc.whenNothingPending(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
    focus: () => view.focus(),
    destroy() {
      try {
        localPresence.submit(null);
      } catch (e) {
        /* ignore */
      }
      view.destroy();
      connection.close();
    },
  };
  function on(name, fn) {
    listeners[name].add(fn);
    return () => listeners[name].delete(fn);
  }
  return api;
}

function isHighSurrogate(c) {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c) {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** '/ws/ot/' → 'wss://host/ws/ot/' (same origin); absolute ws(s):// URLs pass through. */
export function wsUrl(pathOrUrl) {
  if (/^wss?:\/\//i.test(pathOrUrl)) return pathOrUrl;
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const path = pathOrUrl.startsWith('/') ? pathOrUrl : '/' + pathOrUrl;
  return `${proto}//${location.host}${path}`;
}
