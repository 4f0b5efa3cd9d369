// Session chat, mounted on <section id="chat"> by room.js.
//
// WebSocket /ws/sessions/<id>/chat/; frames are described in chat/consumers.py. Message HTML is
// filtered against the server's allow-list (sanitize.js); everything else a user typed (names,
// bodies of errors) only ever goes in as text.
//
// Features: history on join and "load earlier messages", live messages deduplicated by id
// (reconnects resend the newest page), direct messages to one member, typing indicators,
// unread count while the panel is collapsed / scrolled out of view / the tab is hidden,
// @mentions highlighted for the mentioned member, "paste into editor" on code blocks, and
// reconnect with backoff.
import { el } from '../lib/dom.js';
import { CLOSE, jsonSocket } from '../lib/socket.js';
import { renderMessage } from './message.js';
import { createTypingIndicator } from './typing.js';
import { createUnread } from './unread.js';

export { safeFragment } from './sanitize.js';

const TYPING_SEND_EVERY_MS = 2500; // repeat "typing" this often while typing
const MAX_LENGTH = 4000;

function buildPanel(panel) {
  const parts = {};
  parts.badge = el('span', { className: 'chat-unread', title: 'Unread messages', hidden: true });
  parts.status = el('span', { className: 'chat-status', 'data-state': 'connecting', text: 'connecting…' });
  parts.toggle = el('button', { type: 'button', className: 'button small ghost chat-toggle', 'aria-expanded': 'true', text: 'Hide' });
  const head = el('div', { className: 'panel-head chat-head' }, el('h2', {}, 'Chat ', parts.badge), parts.status, parts.toggle);
  parts.earlier = el('button', { type: 'button', className: 'chat-earlier', hidden: true, text: 'Load earlier messages' });
  parts.list = el('ol', { className: 'chat-list', 'aria-label': 'Chat messages', 'aria-live': 'polite' });
  parts.empty = el('p', {
    className: 'chat-empty',
    hidden: true,
    text: 'No messages yet. Say hello, ask for a hint, or share code in ``` fences: it gets a "Paste into editor" button.',
  });
  parts.scroller = el('div', { className: 'chat-scroll' }, parts.earlier, parts.empty, parts.list);
  parts.typingLine = el('div', { className: 'chat-typing', 'aria-live': 'polite' });
  parts.errorText = el('span', { className: 'chat-error-text' });
  parts.errorClose = el('button', { type: 'button', className: 'chat-error-close', 'aria-label': 'Dismiss', text: '×' });
  parts.errorBox = el('div', { className: 'chat-error', role: 'alert', hidden: true }, parts.errorText, parts.errorClose);
  parts.recipient = el('select', { className: 'chat-to', 'aria-label': 'Send to' }, el('option', { value: '', text: 'Everyone' }));
  parts.input = el('textarea', {
    className: 'chat-input',
    rows: '2',
    'aria-label': 'Message',
    placeholder: 'Message (Markdown) · Enter sends · Shift+Enter: new line',
  });
  parts.sendButton = el('button', { type: 'submit', className: 'button small chat-send', text: 'Send' });
  parts.form = el('form', { className: 'chat-form' }, el('div', { className: 'chat-form-row' }, parts.recipient, parts.sendButton), parts.input);
  parts.body = el('div', { className: 'chat-body' }, parts.scroller, parts.typingLine, parts.errorBox, parts.form);
  panel.textContent = '';
  panel.classList.add('chat-mounted');
  panel.append(head, parts.body);
  return parts;
}

/**
 * @param {HTMLElement} panel
 * @param {object} options
 * @param {string} options.url               chat WebSocket path
 * @param {string} options.username          you
 * @param {{username: string, color: string}[]} [options.members]
 * @param {(code: string) => boolean} [options.paste]  "Paste into editor" (false: not ready)
 */
export function mountChat(panel, { url, username: me, members = [], paste }) {
  const meLower = me.toLowerCase();
  const colors = new Map(members.map((m) => [m.username, m.color]));
  const { badge, status, toggle, earlier, empty, list, scroller, typingLine, errorText, errorClose, errorBox, recipient, input, sendButton, form, body } =
    buildPanel(panel);

  // ---- members and the recipient select ----------------------------------------------------
  const knownMembers = new Set();
  function addMember(username, color) {
    if (!username) return;
    if (color && !colors.has(username)) colors.set(username, color);
    if (username === me || knownMembers.has(username)) return;
    knownMembers.add(username);
    const option = el('option', { value: username, text: `${username} (direct)` });
    const after = [...recipient.options].slice(1).find((o) => o.value.localeCompare(username) > 0);
    recipient.insertBefore(option, after || null);
  }
  for (const m of members) addMember(m.username, m.color);

  // ---- errors -------------------------------------------------------------------------------
  let errorTimer = null;
  function showError(message) {
    errorText.textContent = message;
    errorBox.hidden = false;
    clearTimeout(errorTimer);
    errorTimer = setTimeout(() => (errorBox.hidden = true), 8000);
  }
  errorClose.addEventListener('click', () => (errorBox.hidden = true));

  // ---- messages -----------------------------------------------------------------------------
  const items = new Map(); // id -> <li>
  const typing = createTypingIndicator(typingLine, me);
  const unread = createUnread({ panel, body, list, scroller, badge, toggle });
  const messageContext = { me, colorOf: (u) => colors.get(u), paste, showError };
  let hasMore = false;
  let loadingEarlier = false;
  let lastSent = '';

  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  // Quiet notices (joins, leaves) sit in the list without an id; messages are ordered by id.
  const messagesShown = () => list.querySelectorAll(':scope > [data-id]');
  const edgeId = (first) => {
    const shown = messagesShown();
    const node = first ? shown[0] : shown[shown.length - 1];
    return node ? Number(node.dataset.id) : null;
  };
  const showEmpty = () => (empty.hidden = items.size > 0);

  /** Insert a message in id order; returns false when it is already shown. */
  function insert(m) {
    if (items.has(m.id)) return false;
    addMember(m.author, m.color);
    if (m.to) addMember(m.to);
    const li = renderMessage(m, messageContext);
    items.set(m.id, li);
    let before = null;
    const newest = edgeId(false);
    if (newest !== null && newest > m.id) {
      before = [...messagesShown()].find((node) => Number(node.dataset.id) > m.id) || null;
    }
    list.insertBefore(li, before);
    showEmpty();
    return true;
  }

  function resetEarlierButton() {
    earlier.hidden = !hasMore;
    earlier.disabled = false;
    earlier.textContent = 'Load earlier messages';
  }

  function onHistory(frame) {
    const messages = frame.messages || [];
    if (frame.before === null || frame.before === undefined) {
      // Newest page: on first connect, or after a reconnect. If messages were missed beyond
      // this page there would be a gap, so start over from this page.
      const newest = edgeId(false);
      if (newest !== null && messages.length && messages[0].id > newest && frame.has_more) {
        list.textContent = '';
        items.clear();
        showEmpty();
      }
      const stick = nearBottom() || items.size === 0;
      const hadMessages = items.size > 0;
      for (const m of messages) insert(m);
      if (!hadMessages || items.size === messages.length) hasMore = Boolean(frame.has_more);
      if (stick) scroller.scrollTop = scroller.scrollHeight;
    } else {
      const height = scroller.scrollHeight;
      const top = scroller.scrollTop;
      for (const m of messages) insert(m);
      scroller.scrollTop = top + (scroller.scrollHeight - height);
      hasMore = Boolean(frame.has_more);
      loadingEarlier = false;
    }
    resetEarlierButton();
    showEmpty();
  }

  function onMessage(m) {
    const stick = nearBottom() || m.author === me;
    if (m.author === me && m.body === lastSent) lastSent = ''; // it went through
    if (!insert(m)) return;
    typing.clear(m.author);
    if (stick) scroller.scrollTop = scroller.scrollHeight;
    if (m.author !== me && !unread.isSeen()) {
      unread.add((m.mentions || []).some((u) => u.toLowerCase() === meLower));
    }
  }

  earlier.addEventListener('click', () => {
    const before = edgeId(true);
    if (before === null || loadingEarlier) return;
    if (!socket.send({ type: 'history', before })) return;
    loadingEarlier = true;
    earlier.disabled = true;
    earlier.textContent = 'Loading…';
  });

  // ---- sending ------------------------------------------------------------------------------
  let lastTypingSent = 0;
  input.addEventListener('input', () => {
    const now = Date.now();
    if (!input.value.trim() || now - lastTypingSent < TYPING_SEND_EVERY_MS) return;
    lastTypingSent = now;
    socket.send(recipient.value ? { type: 'typing', to: recipient.value } : { type: 'typing' });
  });

  function submit() {
    const text = input.value;
    if (!text.trim()) return showError('The message is empty.');
    if (text.length > MAX_LENGTH) {
      return showError(`The message is too long: ${text.length} characters, the limit is ${MAX_LENGTH}.`);
    }
    const frame = { type: 'message', body: text };
    if (recipient.value) frame.to = recipient.value;
    if (!socket.send(frame)) return showError('Not connected: the message was not sent. Reconnecting…');
    lastSent = text;
    input.value = '';
    lastTypingSent = 0;
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });

  // ---- connection ---------------------------------------------------------------------------
  let connections = 0; // newest history pages received: successful (re)connections
  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
    panel.dataset.connection = state;
    sendButton.disabled = state !== 'live';
  }
  setStatus('connecting', 'connecting…');

  const socket = jsonSocket(url, {
    onMessage(frame) {
      if (frame.type === 'history') {
        if (frame.before === null || frame.before === undefined) {
          connections += 1;
          setStatus('live', 'live');
        }
        onHistory(frame);
      } else if (frame.type === 'message') onMessage(frame);
      else if (frame.type === 'typing') typing.onTyping(frame);
      else if (frame.type === 'error') {
        loadingEarlier = false;
        resetEarlierButton();
        if (lastSent && !input.value) input.value = lastSent; // give the refused text back
        lastSent = '';
        showError(frame.message || 'Something went wrong.');
      }
    },
    onClose(_code, { refused }) {
      loadingEarlier = false;
      if (refused) {
        setStatus('refused', 'not a member');
        showError('You are not a member of this session, so you cannot read or send messages.');
        return;
      }
      setStatus('offline', 'offline · reconnecting…');
    },
  });
  window.addEventListener('online', () => {
    if (!socket.isOpen()) socket.reconnect();
  });

  return {
    /** A quiet line in the list (a member joined or left); not a message, not stored. */
    notice(text) {
      const stick = nearBottom();
      list.append(el('li', { className: 'chat-notice', role: 'status', text }));
      if (stick) scroller.scrollTop = scroller.scrollHeight;
    },
    get unread() {
      return unread.count;
    },
    get connections() {
      return connections;
    },
    /** Close for good (tests, page teardown). */
    stop: () => socket.close(),
    /** Drop the connection as a network failure would; it reconnects with backoff. */
    drop: () => socket.reconnect(CLOSE.DROPPED, 'dropped'),
  };
}
