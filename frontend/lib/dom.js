// One way to build DOM nodes in every room module. Text always goes in as text, never as HTML.

/**
 * el('button', {class: 'button', text: 'Join', onclick: fn, hidden: true}, child, …)
 * `class`/`className` set the class, `text` the text content, `on<event>` adds a listener,
 * `true` sets an empty attribute, `false`/null/undefined leave it out.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class' || key === 'className') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}

/** Run `fn` once the DOM is parsed. */
export function onReady(fn) {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn);
  else fn();
}
