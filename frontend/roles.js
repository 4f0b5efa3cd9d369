// Roles in the room (GET/PATCH /api/sessions/<id>/roles/, `roles.changed` on the presence
// socket): in driver mode only the driver edits; everyone else's editor is read-only under a
// banner naming the driver, with "Request the keyboard"; the driver or the owner gives it with one
// click; a rotation shows its countdown. The owner switches modes and can ask everyone to follow.
import { api } from './lib/api.js';
import { el } from './lib/dom.js';

const ROTATIONS = [null, 5, 10, 15, 30];

function countdown(iso) {
  const ms = new Date(iso).getTime() - Date.now();
  if (!Number.isFinite(ms)) return '';
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * @param {object} o
 * @param {HTMLElement} o.anchor   the bar goes after it (the toolbar)
 * @param {object} o.config        room config: sessionId, username, owner
 * @param {object} o.editor        setReadOnly(on)
 * @param {(text: string) => void} o.notice  a quiet chat line
 * @param {() => void} o.askToFollow         the owner's "Ask everyone to follow me"
 */
export function mountRoles({ anchor, config, editor, notice, askToFollow }) {
  const me = config.username;
  const isOwner = config.owner === me;
  const url = `/api/sessions/${encodeURIComponent(config.sessionId)}/roles/`;
  const bar = el('div', { class: 'roles-bar', role: 'status', hidden: true });
  anchor.after(bar);
  let roles = null;

  const patch = (body) =>
    api(url, 'PATCH', body)
      .then(apply)
      .catch((error) => notice(error.message));

  const button = (text, data, onclick, ghost = true) =>
    el('button', { type: 'button', class: `button small${ghost ? ' ghost' : ''}`, 'data-roles': data, text, onclick });

  function nextDriver() {
    const order = roles.members || [];
    const i = order.indexOf(roles.driver);
    return order.length ? order[(i + 1) % order.length] : '';
  }

  function render() {
    const driving = roles.mode === 'driver';
    const mine = driving && roles.driver === me;
    editor.setReadOnly(driving && !mine);
    const parts = [];
    if (!driving) {
      if (isOwner) {
        parts.push(el('span', { class: 'roles-text', text: 'Everyone edits.' }),
          button('Driver mode', 'driver-mode', () => patch({ mode: 'driver' })));
      }
    } else {
      parts.push(el('span', { class: 'roles-text', text: mine ? 'You have the keyboard.' : `Read-only: ${roles.driver} is driving.` }));
      if (roles.next_rotation_at) {
        parts.push(el('span', { class: 'roles-countdown', 'data-at': roles.next_rotation_at,
          text: `${nextDriver()} takes over in ${countdown(roles.next_rotation_at)}` }));
      }
      const asked = (roles.requests || []).includes(me);
      if (!mine) {
        parts.push(asked
          ? button('Withdraw my request', 'withdraw', () => patch({ request_keyboard: false }))
          : button('Request the keyboard', 'request', () => patch({ request_keyboard: true }), false));
      }
      if (mine || isOwner) {
        for (const user of roles.requests || []) {
          if (user === roles.driver) continue;
          parts.push(el('span', { class: 'roles-request', text: `${user} asks for the keyboard` }),
            button(`Give it to ${user}`, 'give', () => patch({ driver: user }), false));
        }
      }
      if (isOwner) {
        const rotation = el('select', { class: 'roles-rotation', 'aria-label': 'Rotate the keyboard' });
        for (const m of ROTATIONS) rotation.append(el('option', { value: m ?? '', text: m ? `rotate every ${m} min` : 'no rotation' }));
        rotation.value = roles.rotation_minutes ?? '';
        rotation.addEventListener('change', () => patch({ rotation_minutes: rotation.value ? Number(rotation.value) : null }));
        parts.push(rotation, button('Free mode', 'free-mode', () => patch({ mode: 'free' })));
      }
    }
    if (isOwner) parts.push(button('Ask everyone to follow me', 'follow-me', askToFollow));
    bar.replaceChildren(...parts);
    bar.hidden = parts.length === 0;
    bar.dataset.mode = roles.mode;
  }

  function apply(next) {
    if (!next) return;
    roles = next;
    render();
  }

  setInterval(() => {
    const clock = bar.querySelector('.roles-countdown');
    if (clock && roles) clock.textContent = `${nextDriver()} takes over in ${countdown(clock.dataset.at)}`;
  }, 1000);
  api(url).then(apply).catch(() => {});

  return {
    /** A roles.changed frame from the presence socket. */
    changed(frame) {
      const before = roles;
      apply(frame.roles);
      if (!before || !roles) return;
      if (before.mode !== roles.mode) notice(roles.mode === 'driver' ? `Driver mode: ${roles.driver} has the keyboard` : 'Free mode: everyone edits');
      else if (before.driver !== roles.driver && roles.driver) notice(`${roles.driver} has the keyboard now`);
      else if (frame.reason === 'request' && (roles.requests || []).length > (before.requests || []).length) {
        notice(`${roles.requests[roles.requests.length - 1]} asks for the keyboard`);
      }
    },
  };
}
