// One chat message as a list item: author in their colour, direct-message label, time, the
// sanitised HTML with @mentions of you highlighted, and "Paste into editor" on code blocks.
import { el } from '../lib/dom.js';
import { safeFragment } from './sanitize.js';

function formatTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return { short: '', long: '' };
  return {
    short: date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
    long: date.toLocaleString(),
  };
}

/** Adds a paste button to each code block; paste(code) returns false when the editor refused. */
function addPasteButtons(container, paste, showError) {
  for (const pre of container.querySelectorAll('pre')) {
    const block = pre.closest('.highlight') || pre;
    if (block.querySelector(':scope > .chat-paste')) continue;
    block.classList.add('chat-code');
    const button = el('button', { type: 'button', className: 'chat-paste', title: 'Paste this code into the editor', text: 'Paste into editor' });
    button.addEventListener('click', () => {
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

/**
 * @param {object} m        a message frame {id, author, color, to, body, html, mentions, created_at}
 * @param {object} ctx      {me, colorOf(username), paste(code), showError(text)}
 */
export function renderMessage(m, { me, colorOf, paste, showError }) {
  const meLower = me.toLowerCase();
  const mine = m.author === me;
  const mentionsMe = (m.mentions || []).some((u) => u.toLowerCase() === meLower);
  const time = formatTime(m.created_at);
  const author = el('span', { className: 'chat-author', text: mine ? `${m.author} (you)` : m.author });
  author.style.setProperty('--author-color', m.color || colorOf(m.author) || 'var(--accent)');
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
  addPasteButtons(content, paste, showError);
  const classes = ['chat-msg'];
  if (mine) classes.push('chat-mine');
  if (m.to) classes.push('chat-dm');
  if (mentionsMe && !mine) classes.push('chat-mentions-me');
  return el('li', { className: classes.join(' '), 'data-id': String(m.id), 'data-author': m.author }, meta, content);
}
