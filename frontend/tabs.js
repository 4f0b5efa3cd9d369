// On a narrow screen the room becomes tabs (Problem, Code, Terminal, Chat, Call), code first,
// instead of one very tall page. room.css shows the panel of #room[data-tab]; on a wide screen
// the tab bar is hidden and every panel shows as before.
import { el } from './lib/dom.js';

const TABS = [
  ['problem', 'Problem'],
  ['code', 'Code'],
  ['terminal', 'Terminal'],
  ['chat', 'Chat'],
  ['call', 'Call'],
];

/** Adds the tab bar before #room's panels; returns {select(name)}. */
export function mountTabs(root, { onSelect } = {}) {
  const buttons = new Map();
  const bar = el('nav', { class: 'room-tabs', role: 'tablist', 'aria-label': 'Room' });
  for (const [name, label] of TABS) {
    const button = el('button', { type: 'button', role: 'tab', class: 'room-tab', 'data-tab': name, text: label });
    button.addEventListener('click', () => select(name));
    buttons.set(name, button);
    bar.append(button);
  }
  root.prepend(bar);

  function select(name) {
    root.dataset.tab = name;
    for (const [key, button] of buttons) {
      button.setAttribute('aria-selected', String(key === name));
      button.tabIndex = key === name ? 0 : -1;
    }
    if (onSelect) onSelect(name);
  }

  // Arrow keys move between tabs, as in any tab list.
  bar.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const names = TABS.map(([n]) => n);
    const i = names.indexOf(root.dataset.tab);
    const next = names[(i + (event.key === 'ArrowRight' ? 1 : names.length - 1)) % names.length];
    select(next);
    buttons.get(next).focus();
  });

  // The header wraps on phones: the room's height is the rest of the screen below it.
  const place = () => root.style.setProperty('--room-top', `${Math.round(root.getBoundingClientRect().top + window.scrollY)}px`);
  window.addEventListener('resize', place);
  place();

  select('code');
  return {
    select,
    /** A small count on a tab (unread chat messages); 0 hides it. */
    badge(name, count) {
      const button = buttons.get(name);
      if (button) button.dataset.badge = count ? String(count) : '';
    },
  };
}
