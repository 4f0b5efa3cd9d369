// Following another member: scroll to keep their viewport and cursor in view, and notice when
// the learner scrolls or types themselves (following stops then).
import { EditorView } from '@codemirror/view';

import { Walker, cpLength } from '../textops.js';

/** Scroll `view` to `remote` ({head: code point, vp: [first, last] lines}); false if unknown. */
export function revealRemote(view, remote) {
  const doc = view.state.doc;
  const effects = [];
  if (Array.isArray(remote.vp) && Number.isInteger(remote.vp[0])) {
    const first = Math.min(Math.max(remote.vp[0], 1), doc.lines);
    effects.push(EditorView.scrollIntoView(doc.line(first).from, { y: 'start' }));
  }
  if (typeof remote.head === 'number') {
    const text = doc.toString();
    const head = new Walker(text).toU16(Math.min(Math.max(remote.head, 0), cpLength(text)));
    // Then make sure the caret itself is on screen (their window may be taller than ours).
    effects.push(EditorView.scrollIntoView(head, { y: 'nearest', yMargin: 40 }));
  }
  if (!effects.length) return false;
  for (const effect of effects) view.dispatch({ effects: effect });
  return true;
}

/** fn() when the learner scrolls, clicks or types in the editor themselves. */
export function onUserScroll(view, fn) {
  for (const type of ['wheel', 'touchmove', 'keydown', 'mousedown']) {
    view.scrollDOM.addEventListener(type, fn, { passive: true });
  }
}
