// Entry point of the session room (/s/<session_id>/): wires the collaborative editor, the
// shared terminal, the Run/Submit buttons and the members hook. Configuration comes from
// data-* attributes on #room (see templates/sessions_app/room.html):
//
//   data-session-id  data-language  data-username  data-user-color
//   data-ot-url (default /ws/ot/)   data-terminal-url (default /ws/sessions/<id>/terminal/)
//
// and, optionally, <script id="room-config" type="application/json"> with
// {"members": [{"username", "color"}]} (colours of run headers in the terminal).
//
// Exposes window.codepusher = {editor, terminal, pasteIntoEditor, getText, onMembers, config}.
import { createEditor } from './editor.js';
import { createTerminal } from './terminal.js';
import './chat.js';
import './call.js';

/** Extra configuration from {{ room_config|json_script:"room-config" }}, if the page has it. */
function readJsonConfig() {
  const el = document.getElementById('room-config');
  if (!el) return {};
  try {
    const value = JSON.parse(el.textContent);
    return value && typeof value === 'object' ? value : {};
  } catch (e) {
    return {};
  }
}

function readConfig(root) {
  const d = root.dataset;
  const sessionId = d.sessionId;
  const extra = readJsonConfig();
  const members = Array.isArray(extra.members) ? extra.members : [];
  return {
    sessionId,
    members,
    language: d.language || 'python',
    username: d.username || 'anonymous',
    color: d.userColor || '',
    otUrl: d.otUrl || '/ws/ot/',
    terminalUrl: d.terminalUrl || `/ws/sessions/${encodeURIComponent(sessionId)}/terminal/`,
  };
}

function renderMembers(el, self, members) {
  // Who has a cursor in the editor right now (one chip per person, even with several tabs).
  const seen = new Map();
  seen.set(self.username, { username: self.username, color: self.color, self: true });
  for (const m of members) if (!seen.has(m.username)) seen.set(m.username, m);
  el.textContent = '';
  for (const m of seen.values()) {
    const chip = document.createElement('span');
    chip.className = 'cp-member' + (m.self ? ' cp-member-self' : '');
    chip.style.setProperty('--member-color', m.color);
    chip.textContent = m.self ? `${m.username} (you)` : m.username;
    chip.title = m.self ? 'You' : `${m.username} is in the editor`;
    el.appendChild(chip);
  }
}

function start() {
  const root = document.getElementById('room');
  if (!root) return;
  if (!root.dataset.sessionId) {
    console.error('codepusher: #room has no data-session-id');
    return;
  }
  const config = readConfig(root);
  const $ = (id) => document.getElementById(id);

  const runButton = $('run-button');
  const submitButton = $('submit-button');
  const customInput = $('custom-input');
  let terminal = null;

  const runWithCustomInput = () => terminal && terminal.run('run', customInput ? customInput.value : '');
  const push = () => terminal && terminal.run('push');

  const editor = createEditor({
    parent: $('editor'),
    sessionId: config.sessionId,
    language: config.language,
    username: config.username,
    color: config.color,
    otUrl: config.otUrl,
    statusEl: $('connection-status'),
    keys: { run: runWithCustomInput, submit: push },
  });

  const setButtons = (connected) => {
    for (const b of [runButton, submitButton]) {
      if (!b) continue;
      b.disabled = !connected;
      b.title = connected ? '' : 'Terminal not connected';
    }
  };
  setButtons(false);

  if ($('terminal')) {
    terminal = createTerminal({
      parent: $('terminal'),
      url: config.terminalUrl,
      username: config.username,
      colors: Object.fromEntries(
        config.members.filter((m) => m && m.username).map((m) => [m.username, m.color]),
      ),
      beforeRun: () => editor.whenSynced(8000),
      onConnection: setButtons,
    });
  }

  if (runButton) runButton.addEventListener('click', runWithCustomInput);
  if (submitButton) submitButton.addEventListener('click', push);

  // Members hook: other modules (the online list, the call) can listen for who is editing.
  const self = { username: config.username, color: editor.color };
  const membersEl = $('editor-members');
  const memberListeners = new Set();
  const markEditing = (members) => {
    // The members panel (#member-list li[data-username]) shows who has a cursor in the editor.
    const editing = new Set(members.map((m) => m.username));
    if (editor.isReady()) editing.add(self.username);
    for (const li of document.querySelectorAll('#member-list [data-username]')) {
      if (editing.has(li.dataset.username)) li.dataset.editing = 'true';
      else delete li.dataset.editing;
    }
  };
  editor.onReady(() => markEditing(editor.members()));
  editor.onMembers((members) => {
    markEditing(members);
    if (membersEl) renderMembers(membersEl, self, members);
    root.dispatchEvent(new CustomEvent('codepusher:members', { detail: { self, members }, bubbles: true }));
    for (const fn of memberListeners) fn(members, self);
  });
  if (membersEl) renderMembers(membersEl, self, []);

  window.codepusher = Object.assign(window.codepusher || {}, {
    config,
    editor,
    terminal,
    getText: () => editor.getText(),
    pasteIntoEditor: (text) => editor.pasteIntoEditor(text),
    /** fn(members, self) whenever someone's cursor appears or leaves. */
    onMembers(fn) {
      memberListeners.add(fn);
      fn(editor.members(), self);
      return () => memberListeners.delete(fn);
    },
  });
  root.dataset.ready = 'true';
  root.dispatchEvent(new CustomEvent('codepusher:ready', { bubbles: true }));
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
