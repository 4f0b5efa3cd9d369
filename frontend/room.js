// Entry point of the session room (/s/<session_id>/): reads the room's configuration once
// (lib/config.js) and wires the modules together with explicit callbacks: the collaborative
// editor, the shared terminal and its Run/Submit buttons, the members panel, the chat and the
// call. No module reaches into another through globals.
//
// window.codepusher = {config, editor, terminal, chat, call, members} is set for tests and the console
// only; no module reads it.
import { mountCall } from './call/index.js';
import { mountChat } from './chat/index.js';
import { createEditor } from './editor/index.js';
import { readRoomConfig } from './lib/config.js';
import { onReady } from './lib/dom.js';
import { mountInvite } from './invite.js';
import { mountHistory } from './history.js';
import { mountLanguage } from './language.js';
import { mountMembers } from './members.js';
import { mountRoles } from './roles.js';
import { createFollowing } from './following.js';
import { mountStats } from './stats.js';
import { mountTabs } from './tabs.js';
import { mountOwner } from './owner.js';
import { createTerminal } from './terminal/index.js';
import { mountInteractiveButton } from './terminal/interactive.js';

const EDITING_FOR_MS = 8000; // "editing" stays this long after your last keystroke

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
      runsUrl: `/api/sessions/${encodeURIComponent(config.sessionId)}/runs/`,
      username: config.username,
      colors: Object.fromEntries(config.members.map((m) => [m.username, m.color])),
      beforeRun: () => editor.whenSynced(8000),
      onConnection: setButtons,
    });
  }
  if (runButton) runButton.addEventListener('click', runWithCustomInput);
  if (terminal && $('interactive-button')) mountInteractiveButton($('interactive-button'), terminal);
  if (submitButton) submitButton.addEventListener('click', push);

  const chatPanel = $('chat');
  const chat = chatPanel
    ? mountChat(chatPanel, {
        url: config.urls.chat,
        username: config.username,
        members: config.members,
        paste: (code) => editor.pasteIntoEditor(code),
      })
    : null;

  // Members panel: live list, quiet lines in the chat, and what we are doing.
  mountInvite($('copy-invite'), $('invite-url'));
  const notice = (text) => chat && chat.notice(text);
  const language = mountLanguage(document.querySelector('.room-toolbar .language-badge'), {
    languages: config.languages,
    current: config.language,
    pick: (key) => members && members.send({ type: 'language', language: key }),
    starterInto: (text) => editor.replaceAll(text),
  });
  const toolbar = document.querySelector('.room-toolbar');
  const following = createFollowing({ editor, anchor: toolbar, me: config.username });
  const roles = mountRoles({
    anchor: toolbar,
    config,
    editor,
    notice,
    askToFollow: () => members && members.send({ type: 'follow.me' }),
  });
  const onFrame = (frame) => {
    if (frame.type === 'roles.changed') roles.changed(frame);
    else if (frame.type === 'follow.request' && frame.user !== config.username) {
      following.follow(frame.user);
      notice(`${frame.user} asked everyone to follow them`);
    } else if (frame.type === 'language.changed') {
      editor.setLanguage(frame.language);
      language.changed(frame, frame.by === config.username);
      notice(`${frame.by} switched the language to ${frame.label || frame.language}`);
    } else if (frame.type === 'error') {
      notice(frame.message);
    }
  };
  const members = $('member-list')
    ? mountMembers($('member-list'), {
        url: config.urls.presence,
        me: config.username,
        onJoined: (user) => notice(`${user} joined the session`),
        onOnline: (user) => notice(`${user} came in`),
        onOffline: (user) => notice(`${user} left`),
        onGone: (user, how) => notice(how === 'removed' ? `${user} was removed from the session` : `${user} left the session`),
        onPick: (user) => following.follow(user),
        onFrame,
      })
    : null;
  const setActivity = (patch) => members && members.setActivity(patch);
  let editingTimer = null;
  editor.onChange(({ remote }) => {
    if (remote) return;
    setActivity({ editing: true }); // sent once per stretch of typing
    clearTimeout(editingTimer);
    editingTimer = setTimeout(() => setActivity({ editing: false }), EDITING_FOR_MS);
  });
  const stats = document.querySelector('.members-panel')
    ? mountStats(document.querySelector('.members-panel'), { sessionId: config.sessionId })
    : null;
  const history = $('history-button')
    ? mountHistory(document.querySelector('.room-work'), $('history-button'), { sessionId: config.sessionId })
    : null;
  let myRun = null;
  if (terminal) {
    terminal.onMessage((msg) => {
      if (msg.type === 'run.finished') {
        if (history) history.refresh();
        if (stats) stats.refresh();
      }
      if (msg.type === 'run.started' && msg.user === config.username) {
        myRun = msg.run;
        setActivity({ running: true });
      } else if (msg.type === 'run.finished' && msg.run === myRun) {
        myRun = null;
        setActivity({ running: false });
      }
    });
  }

  const callPanel = $('call');
  const call = callPanel
    ? mountCall(root, callPanel, {
        url: config.urls.call,
        sessionId: config.sessionId,
        username: config.username,
        color: config.color,
        onChange: ({ joined }) => setActivity({ call: joined }),
      })
    : null;

  // Phones: tabs, code first; the chat tab counts unread messages.
  const tabs = mountTabs(root, {
    onSelect: (name) => {
      if (name === 'code') editor.view.requestMeasure();
      if (name === 'terminal' && terminal) terminal.fit();
    },
  });
  if (chatPanel) {
    new MutationObserver(() => tabs.badge('chat', Number(chatPanel.dataset.unread || 0))).observe(chatPanel, {
      attributes: true,
      attributeFilter: ['data-unread'],
    });
  }

  const owner = mountOwner({ panel: document.querySelector('.members-panel'), room: root, config, subscribe: terminal && terminal.onMessage });
  window.codepusher = { config, editor, terminal, chat, call, members, owner };
  root.dataset.ready = 'true';
}

onReady(start);
