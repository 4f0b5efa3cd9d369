// The session's status for everyone, and the owner's controls, in the members panel.
//
// Every member sees a banner while the session is read-only or closed (it follows the
// `session.status` event the server sends on the room's sockets). The owner also gets: a new
// invite link (the old one stops working), open / read-only / closed, and removing a member
// (their sockets close at once). All three go through the session API (sessions_app/apis.py).
import { api } from './lib/api.js';
import { el } from './lib/dom.js';

const BANNERS = {
  read_only: 'Read-only: the owner froze the code. Chat and runs go on.',
  closed: 'This session is closed: nothing can change any more.',
};
const STATUS_LABELS = { open: 'Open', read_only: 'Read-only', closed: 'Closed' };

/**
 * @param {object} opts
 * @param {HTMLElement} opts.panel        the members panel (controls go at its end)
 * @param {HTMLElement} opts.room         #room (gets data-status; the banner goes above the editor)
 * @param {object} opts.config            room config: username, owner, status, api, urls
 * @param {(fn: (msg: object) => void) => void} [opts.subscribe]  server events of a room socket
 */
export function mountOwner({ panel, room, config, subscribe }) {
  const banner = el('div', { class: 'owner-banner', role: 'status', hidden: true });
  (room.querySelector('.room-work') || room).prepend(banner);
  const isOwner = config.owner === config.username;
  let controls = null;

  const setStatus = (status) => {
    room.dataset.status = status;
    banner.hidden = !BANNERS[status];
    banner.textContent = BANNERS[status] || '';
    banner.dataset.status = status;
    if (controls) controls.status.value = status;
  };

  const setInvite = (url) => {
    const button = document.getElementById('copy-invite');
    const field = document.getElementById('invite-url');
    if (button) button.dataset.inviteUrl = url;
    if (field) field.value = url;
  };

  if (isOwner && panel) controls = ownerControls(panel, config, { setStatus, setInvite });
  setStatus(config.status || 'open');

  if (subscribe) {
    subscribe((msg) => {
      if (msg.type === 'session.status') setStatus(msg.status);
      else if (msg.type === 'session.invite') setInvite(new URL(msg.invite_path, location.origin).href);
    });
  }
  return { setStatus, isOwner };
}

function ownerControls(panel, config, { setStatus, setInvite }) {
  const message = el('div', { class: 'owner-message', role: 'status' });
  const say = (text, kind = 'ok') => {
    message.textContent = text;
    message.dataset.kind = kind;
  };
  const attempt = (button, work) => async () => {
    button.disabled = true;
    try {
      say(await work());
    } catch (error) {
      say(error.message, 'error');
    } finally {
      button.disabled = false;
    }
  };

  const rotate = el('button', { class: 'button small ghost', type: 'button', 'data-owner': 'rotate', text: 'New invite link' });
  rotate.addEventListener('click', attempt(rotate, async () => {
    const session = await api(`${config.api}invite/`, 'POST');
    setInvite(session.invite_url);
    return 'New link made: the old one no longer works.';
  }));

  const status = el('select', { class: 'owner-status', 'aria-label': 'Session status', 'data-owner': 'status' },
    ...Object.entries(STATUS_LABELS).map(([value, label]) => el('option', { value, text: label })));
  status.addEventListener('change', attempt(status, async () => {
    const session = await api(config.api, 'PATCH', { status: status.value });
    setStatus(session.status);
    return `The session is now ${STATUS_LABELS[session.status].toLowerCase()}.`;
  }));

  const who = el('select', { class: 'owner-member', 'aria-label': 'Member to remove', 'data-owner': 'member' });
  const fillMembers = () => {
    const names = [...document.querySelectorAll('#member-list li[data-username]')]
      .map((li) => li.dataset.username)
      .filter((name) => name !== config.owner);
    who.replaceChildren(el('option', { value: '', text: 'Remove a member…' }),
      ...names.map((name) => el('option', { value: name, text: name })));
  };
  who.addEventListener('focus', fillMembers);
  who.addEventListener('pointerdown', fillMembers);
  fillMembers();
  const remove = el('button', { class: 'button small ghost owner-remove', type: 'button', 'data-owner': 'remove', text: 'Remove' });
  remove.addEventListener('click', attempt(remove, async () => {
    const name = who.value;
    if (!name) throw new Error('Pick the member to remove first.');
    if (!window.confirm(`Remove ${name}? Their editor, terminal, chat and call close now.`)) return '';
    await api(`${config.api}members/${encodeURIComponent(name)}/`, 'DELETE');
    const item = document.querySelector(`#member-list li[data-username="${CSS.escape(name)}"]`);
    if (item) item.remove();
    fillMembers();
    return `${name} was removed.`;
  }));

  const box = el('div', { class: 'owner-controls', 'aria-label': 'Owner controls' },
    el('div', { class: 'owner-row' }, el('span', { class: 'muted', text: 'Status' }), status, rotate),
    el('div', { class: 'owner-row' }, who, remove),
    message);
  panel.append(box);
  return { status };
}
