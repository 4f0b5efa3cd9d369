// Session chat: mounts itself on <section id="chat"> in the room when that element exists.
//
// WebSocket: #room[data-chat-url] (/ws/sessions/<id>/chat/); frames are described in
// chat/consumers.py. Message HTML comes from the server, rendered from Markdown and sanitised
// with nh3; it is additionally filtered here against the same allow-list before it is shown,
// and everything else a user typed (names, bodies of errors) only ever goes in as text.
//
// Features: history on join and "load earlier messages", live messages deduplicated by id
// (reconnects resend the newest page), direct messages to one member, typing indicators,
// unread count while the panel is collapsed / scrolled out of view / the tab is hidden,
// @mentions highlighted for the mentioned member, "paste into editor" on code blocks, and
// reconnect with exponential backoff.

const TYPING_SEND_EVERY_MS = 2500; // repeat "typing" this often while typing
const TYPING_SHOW_FOR_MS = 4000; // a typing indicator expires unless repeated
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 15000;
const CLOSE_NOT_ALLOWED = 4403;
const MAX_LENGTH = 4000;
const COLLAPSED_KEY = 'codepusher.chat.collapsed';

// The server's allow-list (codepusher/markdown.py); anything else is dropped before display.
const ALLOWED_TAGS = new Set([
  'A', 'P', 'BR', 'HR', 'STRONG', 'EM', 'B', 'I', 'CODE', 'PRE', 'SPAN', 'DIV', 'BLOCKQUOTE',
  'UL', 'OL', 'LI', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TH',
  'TD', 'DEL', 'SUP', 'SUB',
]);
const ALLOWED_ATTRS = new Set(['class', 'href', 'title', 'rel', 'align', 'lang']);
const SAFE_URL = /^(https?:|mailto:)/i;

/** Parse server HTML into an inert fragment holding only allow-listed tags and attributes. */
export function safeFragment(html) {
  const template = document.createElement('template');
  template.innerHTML = html; // template content is inert: no scripts run, no images load
  const walk = (parent) => {
    for (const node of [...parent.childNodes]) {
      if (node.nodeType === Node.TEXT_NODE) continue;
      if (node.nodeType !== Node.ELEMENT_NODE || !ALLOWED_TAGS.has(node.tagName)) {
        node.remove();
        continue;
      }
      for (const attr of [...node.attributes]) {
        const name = attr.name.toLowerCase();
        const bad = !ALLOWED_ATTRS.has(name) || (name === 'href' && !SAFE_URL.test(attr.value.trim()));
        if (bad) node.removeAttribute(attr.name);
      }
      if (node.tagName === 'A') {
        node.target = '_blank';
        node.rel = 'noopener noreferrer nofollow';
      }
      walk(node);
    }
  };
  walk(template.content);
  return template.content;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key === 'className') node.className = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function wsUrl(path) {
  if (/^wss?:\/\//i.test(path)) return path;
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}${path.startsWith('/') ? path : '/' + path}`;
}

function readRoomConfig() {
  const script = document.getElementById('room-config');
  if (!script) return {};
  try {
    return JSON.parse(script.textContent) || {};
  } catch {
    return {};
  }
}

function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return { short: '', long: '' };
  return {
    short: date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
    long: date.toLocaleString(),
  };
}

export function mountChat(panel, options = {}) {
  const room = document.getElementById('room');
  const roomConfig = readRoomConfig();
  const me = options.username || room?.dataset.username || roomConfig.username || '';
  const meLower = me.toLowerCase();
  const sessionId = room?.dataset.sessionId || roomConfig.sessionId;
  const url = options.url || room?.dataset.chatUrl || `/ws/sessions/${encodeURIComponent(sessionId)}/chat/`;
  const colors = new Map((roomConfig.members || []).map((m) => [m.username, m.color]));

  // ---- DOM ----------------------------------------------------------------------------------
  const unreadBadge = el('span', { className: 'chat-unread', title: 'Unread messages', hidden: true });
  const status = el('span', { className: 'chat-status', 'data-state': 'connecting', text: 'connecting…' });
  const toggle = el('button', { type: 'button', className: 'button small ghost chat-toggle', 'aria-expanded': 'true', text: 'Hide' });
  const head = el('div', { className: 'panel-head chat-head' }, el('h2', {}, 'Chat ', unreadBadge), status, toggle);
  const earlier = el('button', { type: 'button', className: 'chat-earlier', hidden: true, text: 'Load earlier messages' });
  const list = el('ol', { className: 'chat-list', 'aria-label': 'Chat messages', 'aria-live': 'polite' });
  const scroller = el('div', { className: 'chat-scroll' }, earlier, list);
  const typingLine = el('div', { className: 'chat-typing', 'aria-live': 'polite' });
  const errorText = el('span', { className: 'chat-error-text' });
  const errorClose = el('button', { type: 'button', className: 'chat-error-close', 'aria-label': 'Dismiss', text: '×' });
  const errorBox = el('div', { className: 'chat-error', role: 'alert', hidden: true }, errorText, errorClose);
  const recipient = el('select', { className: 'chat-to', 'aria-label': 'Send to' }, el('option', { value: '', text: 'Everyone' }));
  const input = el('textarea', {
    className: 'chat-input',
    rows: '2',
    'aria-label': 'Message',
    placeholder: 'Message (Markdown) · Enter sends · Shift+Enter: new line',
  });
  const sendButton = el('button', { type: 'submit', className: 'button small chat-send', text: 'Send' });
  const form = el('form', { className: 'chat-form' }, el('div', { className: 'chat-form-row' }, recipient, sendButton), input);
  const body = el('div', { className: 'chat-body' }, scroller, typingLine, errorBox, form);
  panel.textContent = '';
  panel.classList.add('chat-mounted');
  panel.append(head, body);

  // ---- members and the recipient select ----------------------------------------------------
  const knownMembers = new Set();
  function addMember(username, color) {
    if (!username) return;
    if (color && !colors.has(username)) colors.set(username, color);
    if (username === me || knownMembers.has(username)) return;
    knownMembers.add(username);
    const options = [...recipient.options].slice(1);
    const option = el('option', { value: username, text: `${username} (direct)` });
    const after = options.find((o) => o.value.localeCompare(username) > 0);
    recipient.insertBefore(option, after || null);
  }
  for (const m of roomConfig.members || []) addMember(m.username, m.color);

  // ---- messages -----------------------------------------------------------------------------
  const items = new Map(); // id -> <li>
  let hasMore = false;
  let loadingEarlier = false;

  function nearBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  }

  function addPasteButtons(container) {
    for (const pre of container.querySelectorAll('pre')) {
      const block = pre.closest('.highlight') || pre;
      if (block.querySelector(':scope > .chat-paste')) continue;
      block.classList.add('chat-code');
      const button = el('button', { type: 'button', className: 'chat-paste', title: 'Paste this code into the editor', text: 'Paste into editor' });
      button.addEventListener('click', () => {
        const paste = window.codepusher && window.codepusher.pasteIntoEditor;
        const code = (pre.querySelector('code') || pre).textContent;
        if (typeof paste !== 'function' || paste(code) === false) {
          showError('The editor is not ready yet; try again in a moment.');
          return;
        }
        button.textContent = 'Pasted ✓';
        setTimeout(() => (button.textContent = 'Paste into editor'), 1500);
      });
      block.append(button);
    }
  }

  function renderMessage(m) {
    const mine = m.author === me;
    const mentionsMe = (m.mentions || []).some((u) => u.toLowerCase() === meLower);
    const time = formatTime(m.created_at);
    const author = el('span', { className: 'chat-author', text: mine ? `${m.author} (you)` : m.author });
    author.style.setProperty('--author-color', m.color || colors.get(m.author) || 'var(--accent)');
    const meta = el('div', { className: 'chat-meta' }, author);
    if (m.to) {
      const label = mine ? `→ ${m.to} · direct` : '→ you · direct';
      meta.append(el('span', { className: 'chat-dm-label', text: label }));
    }
    meta.append(el('time', { datetime: m.created_at, title: time.long, text: time.short }));
    const content = el('div', { className: 'chat-html' });
    content.append(safeFragment(m.html || ''));
    for (const span of content.querySelectorAll('span.mention')) {
      if (span.textContent.slice(1).toLowerCase() === meLower) span.classList.add('mention-me');
    }
    addPasteButtons(content);
    const classes = ['chat-msg'];
    if (mine) classes.push('chat-mine');
    if (m.to) classes.push('chat-dm');
    if (mentionsMe && !mine) classes.push('chat-mentions-me');
    const li = el('li', { className: classes.join(' '), 'data-id': String(m.id), 'data-author': m.author }, meta, content);
    return li;
  }

  /** Insert a message in id order; returns false when it is already shown. */
  function insert(m) {
    if (items.has(m.id)) return false;
    addMember(m.author, m.color);
    if (m.to) addMember(m.to);
    const li = renderMessage(m);
    items.set(m.id, li);
    let before = null;
    const last = list.lastElementChild;
    if (last && Number(last.dataset.id) > m.id) {
      before = [...list.children].find((node) => Number(node.dataset.id) > m.id) || null;
    }
    list.insertBefore(li, before);
    return true;
  }

  function oldestId() {
    const first = list.firstElementChild;
    return first ? Number(first.dataset.id) : null;
  }

  function newestId() {
    const last = list.lastElementChild;
    return last ? Number(last.dataset.id) : null;
  }

  function onHistory(frame) {
    const messages = frame.messages || [];
    if (frame.before === null || frame.before === undefined) {
      // Newest page: on first connect, or after a reconnect. If messages were missed beyond
      // this page there would be a gap, so start over from this page.
      const newest = newestId();
      if (newest !== null && messages.length && messages[0].id > newest && frame.has_more) {
        list.textContent = '';
        items.clear();
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
    earlier.hidden = !hasMore;
    earlier.disabled = false;
    earlier.textContent = 'Load earlier messages';
  }

  function onMessage(m) {
    const stick = nearBottom() || m.author === me;
    if (m.author === me && m.body === lastSent) lastSent = ''; // it went through
    if (!insert(m)) return;
    clearTyping(m.author);
    if (stick) scroller.scrollTop = scroller.scrollHeight;
    if (m.author !== me && !isSeen()) {
      unread += 1;
      if ((m.mentions || []).some((u) => u.toLowerCase() === meLower)) unreadMention = true;
      showUnread();
    }
  }

  earlier.addEventListener('click', () => {
    const before = oldestId();
    if (before === null || loadingEarlier) return;
    if (!send({ type: 'history', before })) return;
    loadingEarlier = true;
    earlier.disabled = true;
    earlier.textContent = 'Loading…';
  });

  // ---- typing -------------------------------------------------------------------------------
  const typing = new Map(); // username -> {timer, direct}
  function renderTyping() {
    const names = [...typing.keys()];
    if (!names.length) {
      typingLine.textContent = '';
      return;
    }
    const direct = names.length === 1 && typing.get(names[0]).direct ? ' (to you)' : '';
    const who = names.length <= 2 ? names.join(' and ') : `${names.length} people`;
    typingLine.textContent = `${who} ${names.length === 1 ? 'is' : 'are'} typing${direct}…`;
  }
  function onTyping(frame) {
    if (!frame.user || frame.user === me) return;
    const current = typing.get(frame.user);
    if (current) clearTimeout(current.timer);
    const timer = setTimeout(() => clearTyping(frame.user), TYPING_SHOW_FOR_MS);
    typing.set(frame.user, { timer, direct: Boolean(frame.direct) });
    renderTyping();
  }
  function clearTyping(username) {
    const current = typing.get(username);
    if (!current) return;
    clearTimeout(current.timer);
    typing.delete(username);
    renderTyping();
  }

  let lastTypingSent = 0;
  input.addEventListener('input', () => {
    const now = Date.now();
    if (!input.value.trim() || now - lastTypingSent < TYPING_SEND_EVERY_MS) return;
    lastTypingSent = now;
    send(recipient.value ? { type: 'typing', to: recipient.value } : { type: 'typing' });
  });

  // ---- errors -------------------------------------------------------------------------------
  let errorTimer = null;
  function showError(message) {
    errorText.textContent = message;
    errorBox.hidden = false;
    clearTimeout(errorTimer);
    errorTimer = setTimeout(() => (errorBox.hidden = true), 8000);
  }
  errorClose.addEventListener('click', () => (errorBox.hidden = true));

  // ---- sending ------------------------------------------------------------------------------
  let lastSent = '';
  function submit() {
    const text = input.value;
    if (!text.trim()) {
      showError('The message is empty.');
      return;
    }
    if (text.length > MAX_LENGTH) {
      showError(`The message is too long: ${text.length} characters, the limit is ${MAX_LENGTH}.`);
      return;
    }
    const frame = { type: 'message', body: text };
    if (recipient.value) frame.to = recipient.value;
    if (!send(frame)) {
      showError('Not connected: the message was not sent. Reconnecting…');
      return;
    }
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

  // ---- unread -------------------------------------------------------------------------------
  let unread = 0;
  let unreadMention = false;
  let collapsed = localStorage.getItem(COLLAPSED_KEY) === '1';
  let inView = true;
  const baseTitle = document.title;

  function isSeen() {
    return !collapsed && inView && document.visibilityState !== 'hidden';
  }
  function showUnread() {
    unreadBadge.hidden = unread === 0;
    unreadBadge.textContent = unread > 99 ? '99+' : String(unread);
    unreadBadge.classList.toggle('chat-unread-mention', unreadMention);
    panel.dataset.unread = String(unread);
    document.title = unread ? `(${unread}) ${baseTitle}` : baseTitle;
  }
  function markSeen() {
    if (!isSeen() || unread === 0) return;
    unread = 0;
    unreadMention = false;
    showUnread();
  }
  function applyCollapsed() {
    panel.classList.toggle('chat-collapsed', collapsed);
    body.hidden = collapsed;
    toggle.textContent = collapsed ? 'Show' : 'Hide';
    toggle.setAttribute('aria-expanded', String(!collapsed));
    if (!collapsed) scroller.scrollTop = scroller.scrollHeight;
  }
  toggle.addEventListener('click', () => {
    collapsed = !collapsed;
    localStorage.setItem(COLLAPSED_KEY, collapsed ? '1' : '0');
    applyCollapsed();
    markSeen();
  });
  document.addEventListener('visibilitychange', markSeen);
  window.addEventListener('focus', markSeen);
  if ('IntersectionObserver' in window) {
    new IntersectionObserver((entries) => {
      inView = entries[entries.length - 1].isIntersecting;
      markSeen();
    }).observe(list);
  }
  applyCollapsed();
  showUnread();

  // ---- connection ---------------------------------------------------------------------------
  let socket = null;
  let connections = 0; // successful connections, for tests and diagnostics
  let attempt = 0;
  let reconnectTimer = null;
  let stopped = false;

  function setStatus(state, text) {
    status.dataset.state = state;
    status.textContent = text;
    panel.dataset.connection = state;
    sendButton.disabled = state !== 'live';
  }

  function send(frame) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  function connect() {
    clearTimeout(reconnectTimer);
    setStatus('connecting', attempt ? 'reconnecting…' : 'connecting…');
    const ws = new WebSocket(wsUrl(url));
    socket = ws;
    ws.addEventListener('message', (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type === 'history') {
        if (frame.before === null || frame.before === undefined) {
          connections += 1;
          attempt = 0;
          setStatus('live', 'live');
        }
        onHistory(frame);
      } else if (frame.type === 'message') onMessage(frame);
      else if (frame.type === 'typing') onTyping(frame);
      else if (frame.type === 'error') {
        loadingEarlier = false;
        earlier.disabled = false;
        earlier.textContent = 'Load earlier messages';
        if (lastSent && !input.value) input.value = lastSent; // give the refused text back
        lastSent = '';
        showError(frame.message || 'Something went wrong.');
      }
    });
    ws.addEventListener('close', (event) => {
      if (socket !== ws) return;
      socket = null;
      loadingEarlier = false;
      if (stopped) return;
      if (event.code === CLOSE_NOT_ALLOWED) {
        setStatus('refused', 'not a member');
        showError('You are not a member of this session, so you cannot read or send messages.');
        return;
      }
      const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** attempt) * (0.75 + Math.random() * 0.5);
      attempt += 1;
      setStatus('offline', `offline · retrying in ${Math.ceil(delay / 1000)} s`);
      reconnectTimer = setTimeout(connect, delay);
    });
  }
  window.addEventListener('online', () => {
    if (!socket) {
      attempt = 0;
      connect();
    }
  });
  connect();

  return {
    get unread() {
      return unread;
    },
    get connections() {
      return connections;
    },
    /** Close for good (tests, page teardown). */
    stop() {
      stopped = true;
      clearTimeout(reconnectTimer);
      if (socket) socket.close();
    },
    /** Drop the connection as a network failure would; it reconnects with backoff. */
    drop() {
      if (socket) socket.close(4000, 'dropped');
    },
  };
}

function start() {
  const panel = document.getElementById('chat');
  if (!panel || panel.dataset.chatMounted) return;
  panel.dataset.chatMounted = 'true';
  const chat = mountChat(panel);
  window.codepusher = Object.assign(window.codepusher || {}, { chat });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
