// The room's language: the toolbar badge becomes a select of the challenge's languages. A switch
// goes to the server (presence socket), which tells every room; the member who switched is
// offered the new language's starter code, never forced to take it.
import { el } from './lib/dom.js';

/**
 * @param {HTMLElement} badge   the toolbar's .language-badge
 * @param {object} o            {languages: [{key, label}], current, pick(key), starterInto(text)}
 */
export function mountLanguage(badge, { languages, current, pick, starterInto }) {
  if (!badge || !languages || languages.length < 2) return { changed() {} };
  const select = el('select', { class: 'language-select', id: 'language-select', 'aria-label': 'Language' });
  for (const { key, label } of languages) select.append(el('option', { value: key, text: label }));
  select.value = current;
  badge.replaceWith(select);
  select.addEventListener('change', () => {
    const key = select.value;
    select.value = current; // until the server says it changed
    pick(key);
  });

  let offer = null;
  function offerStarter(label, starter) {
    if (offer) offer.remove();
    if (!starter) return;
    const use = el('button', { type: 'button', class: 'button small', 'data-starter': 'use', text: 'Replace the code' });
    const keep = el('button', { type: 'button', class: 'button small ghost', 'data-starter': 'keep', text: 'Keep mine' });
    offer = el('div', { class: 'starter-offer', role: 'status' },
      el('span', { text: `Start from the ${label} starter code?` }), use, keep);
    use.addEventListener('click', () => {
      starterInto(starter);
      offer.remove();
    });
    keep.addEventListener('click', () => offer.remove());
    select.closest('.room-toolbar').after(offer);
  }

  return {
    /** A language.changed frame: follow it; `mine` when we asked for it. */
    changed(frame, mine) {
      current = frame.language;
      select.value = current;
      if (mine) offerStarter(frame.label || frame.language, frame.starter);
      else if (offer) offer.remove();
    },
  };
}
