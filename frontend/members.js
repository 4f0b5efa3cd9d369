// The Members panel, live: who is a member, who is online, and what each one is doing (editing,
// running, in the call), over /ws/sessions/<id>/presence/ (sessions_app/presence.py).
// Our own activity is sent when it changes and as a heartbeat; a member not heard from for
// STALE_MS is shown offline even if the server could not say so (it died with their socket).
import { el } from './lib/dom.js';
import { jsonSocket } from './lib/socket.js';

const HEARTBEAT_MS = 25000;
const STALE_MS = 70000;
const LEAVE_GRACE_MS = 4000; // a reload is not a leave: wait this long before saying someone left
const ACTIVITY_LABEL = { editing: 'editing', running: 'running', call: 'in the call' };

/**
 * @param {HTMLElement} list  #member-list
 * @param {object} o
 * @param {string} o.url
 * @param {string} o.me
 * @param {(user: string) => void} [o.onJoined]   a new member joined the session
 * @param {(user: string) => void} [o.onOnline]
 * @param {(user: string) => void} [o.onOffline]
 * @param {(user: string, how: string) => void} [o.onGone]  a member left the session or was removed
 * @param {(user: string) => void} [o.onPick]     a member's name was clicked
 * @param {(frame: object) => void} [o.onFrame]   any other frame of the socket (language, roles)
 */
export function mountMembers(list, { url, me, onJoined, onOnline, onOffline, onGone, onPick, onFrame }) {
  const members = new Map(); // user → {color, owner, online, activity, seen}
  const mine = { editing: false, running: false, call: false };
  let sentKey = '';

  function member(user) {
    if (!members.has(user)) {
      members.set(user, { color: '', owner: false, online: false, activity: {}, seen: 0 });
    }
    return members.get(user);
  }

  // The page's own list (server-rendered) gives names and colours before the socket answers.
  for (const li of list.querySelectorAll('[data-username]')) {
    const m = member(li.dataset.username);
    const dot = li.querySelector('.dot');
    m.color = (dot && dot.style.background) || '';
    m.owner = !!li.querySelector('.member-role');
  }

  function render() {
    const items = [];
    for (const [user, m] of members) {
      const state = m.online ? 'online' : 'offline';
      const doing = m.online
        ? Object.keys(ACTIVITY_LABEL).filter((k) => m.activity[k]).map((k) => el('span', { class: `member-doing member-${k}`, text: ACTIVITY_LABEL[k] }))
        : [];
      const name = el('button', { type: 'button', class: 'member-name', title: user === me ? 'You' : `Follow ${user}` , text: user });
      name.addEventListener('click', () => onPick && onPick(user));
      const dot = el('span', { class: 'dot', 'aria-hidden': 'true' });
      dot.style.background = m.color || 'var(--cp-muted)';
      const li = el('li', { class: 'member', 'data-username': user, 'data-online': String(m.online) },
        dot, name,
        m.owner ? el('span', { class: 'muted member-role', text: 'owner' }) : null,
        user === me ? el('span', { class: 'muted member-role', text: 'you' }) : null,
        el('span', { class: 'member-state', 'aria-label': state, title: state }),
        el('span', { class: 'member-activity' }, ...doing));
      for (const k of Object.keys(ACTIVITY_LABEL)) if (m.online && m.activity[k]) li.dataset[k] = 'true';
      items.push(li);
    }
    list.replaceChildren(...items);
  }

  const leaving = new Map(); // user → timer of the "left" notice
  function announce(user, online) {
    if (online && leaving.has(user)) {
      clearTimeout(leaving.get(user)); // back within the grace: nothing to say
      leaving.delete(user);
    } else if (online) {
      if (onOnline) onOnline(user);
    } else {
      leaving.set(user, setTimeout(() => {
        leaving.delete(user);
        if (onOffline) onOffline(user);
      }, LEAVE_GRACE_MS));
    }
  }

  function setOnline(user, online) {
    const m = member(user);
    const was = m.online;
    m.online = online;
    if (online) m.seen = Date.now();
    else m.activity = {};
    if (was !== online && user !== me) announce(user, online);
  }

  function sendActivity(force) {
    const key = JSON.stringify(mine);
    if (!force && key === sentKey) return;
    if (socket.send({ type: 'activity', ...mine })) sentKey = key;
  }

  const socket = jsonSocket(url, {
    onOpen: () => sendActivity(true),
    onMessage(frame) {
      switch (frame.type) {
        case 'presence': {
          const online = new Set(frame.online || []);
          for (const info of frame.members || []) Object.assign(member(info.user), { color: info.color, owner: info.owner });
          for (const [user, m] of members) {
            m.online = online.has(user) || user === me;
            m.seen = Date.now();
            m.activity = (frame.activity || {})[user] || {};
          }
          break;
        }
        case 'member.joined': {
          const isNew = !members.has(frame.user);
          member(frame.user).color = frame.color;
          if (isNew && onJoined) onJoined(frame.user);
          break;
        }
        case 'member.left':
        case 'member.removed':
          if (!members.delete(frame.user)) return;
          clearTimeout(leaving.get(frame.user)); // no "left" line on top of this one
          leaving.delete(frame.user);
          if (onGone) onGone(frame.user, frame.type === 'member.removed' ? 'removed' : 'left');
          break;
        case 'member.online':
          setOnline(frame.user, true);
          break;
        case 'member.offline':
          if (frame.user === me || !members.has(frame.user)) return; // removed ones stay gone
          setOnline(frame.user, false);
          break;
        case 'member.activity':
          setOnline(frame.user, true);
          member(frame.user).activity = frame.activity || {};
          break;
        default:
          if (onFrame) onFrame(frame);
          return;
      }
      render();
    },
  });

  setInterval(() => sendActivity(true), HEARTBEAT_MS);
  setInterval(() => {
    let changed = false;
    for (const [user, m] of members) {
      if (user !== me && m.online && Date.now() - m.seen > STALE_MS) {
        setOnline(user, false);
        changed = true;
      }
    }
    if (changed) render();
  }, 10000);
  if (members.has(me)) member(me).online = true;
  render();

  return {
    /** Send a frame on the presence socket (e.g. a language switch); false when offline. */
    send: (frame) => socket.send(frame),
    /** Our own activity: {editing?, running?, call?}; sent when it changes. */
    setActivity(patch) {
      if (Object.keys(patch).every((k) => mine[k] === patch[k])) return;
      Object.assign(mine, patch);
      member(me).activity = { ...mine };
      render();
      sendActivity(false);
    },
    state: () => Object.fromEntries([...members].map(([u, m]) => [u, { online: m.online, ...m.activity }])),
  };
}
