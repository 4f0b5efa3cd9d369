// Entry point of the session room (/s/<session_id>/): reads the room's configuration once
// (lib/config.js) and wires the modules together with explicit callbacks: the collaborative
// editor, the shared terminal and its Run/Submit buttons, the members panel, the chat and the
// call. No module reaches into another through globals.
//
// window.codepusher = {config, editor, terminal, chat, call} is set for tests and the console
// only; no module reads it.
import { mountCall } from './call/index.js';
import { mountChat } from './chat/index.js';
import { createEditor } from './editor/index.js';
import { readRoomConfig } from './lib/config.js';
import { onReady } from './lib/dom.js';
import { createTerminal } from './terminal/index.js';

/** Marks members of the panel (#member-list li[data-username]) who have a cursor in the editor. */
function markEditing(usernames) {
  for (const li of document.querySelectorAll('#member-list [data-username]')) {
    if (usernames.has(li.dataset.username)) li.dataset.editing = 'true';
    else delete li.dataset.editing;
  }
}

function start() {
  const root = document.getElementById('room');
  if (!root) return;
  if (!root.dataset.sessionId) {
    console.error('codepusher: #room has no data-session-id');
    return;
  }
  const config = readRoomConfig(root);
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
    otUrl: config.urls.ot,
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
      url: config.urls.terminal,
      username: config.username,
      colors: Object.fromEntries(config.members.map((m) => [m.username, m.color])),
      beforeRun: () => editor.whenSynced(8000),
      onConnection: setButtons,
    });
  }
  if (runButton) runButton.addEventListener('click', runWithCustomInput);
  if (submitButton) submitButton.addEventListener('click', push);

  const editing = () => {
    const names = new Set(editor.members().map((m) => m.username));
    if (editor.isReady()) names.add(config.username);
    markEditing(names);
  };
  editor.onReady(editing);
  editor.onMembers(editing);

  const chatPanel = $('chat');
  const chat = chatPanel
    ? mountChat(chatPanel, {
        url: config.urls.chat,
        username: config.username,
        members: config.members,
        paste: (code) => editor.pasteIntoEditor(code),
      })
    : null;

  const callPanel = $('call');
  const call = callPanel
    ? mountCall(root, callPanel, {
        url: config.urls.call,
        sessionId: config.sessionId,
        username: config.username,
        color: config.color,
      })
    : null;

  window.codepusher = { config, editor, terminal, chat, call };
  root.dataset.ready = 'true';
}

onReady(start);
