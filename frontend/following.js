// Follow mode: clicking a member's name keeps your editor on their viewport and cursor until you
// scroll or type yourself; then a "Follow again" hint. The owner can ask everyone to follow them.
import { el } from './lib/dom.js';

/**
 * @param {object} o
 * @param {object} o.editor     editor/index.js API (reveal, onMembers, onUserScroll)
 * @param {HTMLElement} o.anchor  the hint bar goes after it (the toolbar)
 * @param {string} o.me
 */
export function createFollowing({ editor, anchor, me }) {
  let following = null;
  let lastLeader = null;
  const text = el('span');
  const again = el('button', { type: 'button', class: 'button small ghost', 'data-follow': 'again', text: 'Follow again', hidden: true });
  const stop = el('button', { type: 'button', class: 'button small ghost', 'data-follow': 'stop', text: 'Stop following' });
  const bar = el('div', { class: 'follow-bar', role: 'status', hidden: true }, text, again, stop);
  anchor.after(bar);

  function show(kind) {
    bar.hidden = kind === 'none';
    bar.dataset.state = kind;
    again.hidden = kind !== 'stopped';
    stop.hidden = kind !== 'following';
    if (kind === 'following') text.textContent = `Following ${following}: your editor shows where they are.`;
    if (kind === 'stopped') text.textContent = `You stopped following ${lastLeader}.`;
  }

  function follow(user) {
    if (!user || user === me) return;
    following = lastLeader = user;
    show('following');
    editor.reveal(user);
  }

  function unfollow(hint) {
    if (!following) return;
    following = null;
    show(hint ? 'stopped' : 'none');
  }

  editor.onMembers(() => {
    if (following) editor.reveal(following);
  });
  editor.onUserScroll(() => unfollow(true));
  again.addEventListener('click', () => follow(lastLeader));
  stop.addEventListener('click', () => unfollow(false));

  return { follow, unfollow, following: () => following };
}
