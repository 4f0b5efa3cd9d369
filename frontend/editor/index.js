// Collaborative code editor: CodeMirror 6 bound to a ShareDB text-unicode document.
//
// Wire: the unmodified sharedb client over a reconnecting WebSocket at /ws/ot/ (same origin,
// the Django session cookie authenticates). Document: collection "code", id = session id.
//
// - local edits → text-unicode ops (UTF-16 offsets converted to code points)
// - remote ops → CodeMirror changes annotated as remote: no echo, not in the undo history,
//   so undo only undoes your own edits
// - remote cursors/selections through sharedb doc presence (presence.js, cursors.js)
// - connection badge (status.js); sharedb keeps unacknowledged ops and resends them after
//   reconnection, so no edit is lost
import { Annotation, Compartment, EditorSelection, EditorState, Transaction } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { indentWithTab } from '@codemirror/commands';
import { basicSetup } from 'codemirror';
import { oneDark } from '@codemirror/theme-one-dark';
import ShareDB from 'sharedb/lib/client';
import { type as textUnicode } from 'ot-text-unicode';

import { reconnectingSocket } from '../lib/socket.js';
import { changesToOp, opToChanges, transformPresence } from '../textops.js';
import { remoteCursorField, safeColor } from './cursors.js';
import { languageSupport } from './languages.js';
import { onUserScroll, revealRemote } from './follow.js';
import { createPresence } from './presence.js';
import { createStatusBadge } from './status.js';

export { languageSupport } from './languages.js';

// text-unicode has no transformPresence upstream; register a wrapped type under the same
// name/URI. The server implements the same transform (docs in frontend/README.md).
ShareDB.types.register({ ...textUnicode, transformPresence });

export const TEXT_UNICODE_URI = textUnicode.uri;
const COLLECTION = 'code';
const CHECK_LIMIT = 400000; // verify editor == ShareDB snapshot after each op for docs up to this size

/** Marks transactions that come from the server (not to be sent back, not undoable). */
const remoteAnnotation = Annotation.define();
const REMOTE = [remoteAnnotation.of(true), Transaction.remote.of(true), Transaction.addToHistory.of(false)];
const READ_ONLY = [EditorState.readOnly.of(true), EditorView.editable.of(false)];

function isHighSurrogate(c) {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLowSurrogate(c) {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The smallest single change turning `current` into `target`, never splitting a surrogate pair. */
function minimalChange(current, target) {
  let start = 0;
  const max = Math.min(current.length, target.length);
  while (start < max && current.charCodeAt(start) === target.charCodeAt(start)) start++;
  let endA = current.length;
  let endB = target.length;
  while (endA > start && endB > start && current.charCodeAt(endA - 1) === target.charCodeAt(endB - 1)) {
    endA--;
    endB--;
  }
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
  if (endA < current.length && isLowSurrogate(current.charCodeAt(endA))) {
    endA++;
    endB++;
  }
  return { from: start, to: endA, insert: target.slice(start, endB) };
}

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
  function on(name, fn) {
    listeners[name].add(fn);
    return () => listeners[name].delete(fn);
  }

  // --- transport ----------------------------------------------------------------------------
  // maxEnqueuedMessages 0 (the socket's default) is required: sharedb resends its own pending ops.
  const socket = reconnectingSocket(opts.otUrl || '/ws/ot/');
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

  let loaded = false;
  let readOnly = false;
  const view = new EditorView({
    state: EditorState.create({
      doc: '',
      extensions: [
        basicSetup,
        keymap.of([...extraKeys, indentWithTab]),
        languageConf.of([]),
        editableConf.of(READ_ONLY),
        oneDark,
        remoteCursorField,
        EditorView.contentAttributes.of({ 'aria-label': 'Shared code editor' }),
      ],
    }),
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
        emit('change', { remote: trs.every((tr) => tr.annotation(remoteAnnotation)) });
      }
      if (selectionMoved) presence.schedule();
    },
  });

  let languageRequest = 0;
  function setLanguage(name) {
    const req = ++languageRequest;
    return languageSupport(name)
      .then((support) => {
        if (req === languageRequest) view.dispatch({ effects: languageConf.reconfigure(support) });
      })
      .catch((err) => console.error('codepusher editor: cannot load language', name, err));
  }
  setLanguage(opts.language);

  const presence = createPresence({
    connection,
    doc,
    collection: COLLECTION,
    view,
    isLoaded: () => loaded,
    username,
    color,
    onMembers: (members) => emit('members', members),
  });
  const badge = createStatusBadge({
    el: opts.statusEl || null,
    connection,
    doc,
    onChange: (s) => emit('status', s),
  });
  const updateStatus = badge.update;

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
    let changes;
    try {
      changes = opToChanges(op, view.state.doc.toString());
    } catch (err) {
      console.error('codepusher editor: bad remote op', err);
      resyncFromDoc();
      return;
    }
    if (changes.length) view.dispatch({ changes, annotations: REMOTE });
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
    view.dispatch({ changes: minimalChange(current, target), annotations: REMOTE });
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
    view.dispatch({ effects: editableConf.reconfigure(on ? [] : READ_ONLY) });
  }

  function onLoaded() {
    if (!doc.type) return;
    resyncFromDoc();
    if (!loaded) {
      loaded = true;
      setEditable(!readOnly);
      emit('ready');
    }
    presence.schedule();
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

  connection.on('error', (err) => console.warn('codepusher editor: connection error', err));
  window.addEventListener('online', () => {
    updateStatus();
    if (socket.readyState !== 1) socket.reconnect();
  });
  window.addEventListener('beforeunload', (e) => {
    if (doc.hasWritePending()) {
      e.preventDefault();
      e.returnValue = '';
    }
  });

  // --- public API ---------------------------------------------------------------------------
  return {
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
    /** Replace the whole code as one normal, undoable edit (e.g. taking a starter code). */
    replaceAll(text) {
      if (!loaded) return false;
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: String(text) },
        userEvent: 'input.replace',
      });
      return true;
    },
    setLanguage,
    /** Read-only while someone else drives (roles); the document still follows everyone. */
    setReadOnly(on) {
      readOnly = !!on;
      if (loaded) setEditable(!readOnly);
    },
    /** Scroll to a member's viewport and cursor; false when they have no cursor here. */
    reveal(name) {
      const remote = presence.members().find((m) => m.username === name);
      return remote ? revealRemote(view, remote) : false;
    },
    /** fn() when the learner scrolls, clicks or types in the editor (follow mode stops). */
    onUserScroll: (fn) => onUserScroll(view, fn),
    /** fn({remote}) after every document change. Returns an unsubscribe function. */
    onChange: (fn) => on('change', fn),
    /** fn([{id, username, color}]) whenever remote cursors come or go. */
    onMembers: (fn) => on('members', fn),
    /** fn(state) on connection badge changes. */
    onStatus: (fn) => on('status', fn),
    onReady: (fn) => (loaded ? (fn(), () => {}) : on('ready', fn)),
    members: presence.members,
    status: badge.current,
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
      presence.leave();
      view.destroy();
      connection.close();
    },
  };
}
