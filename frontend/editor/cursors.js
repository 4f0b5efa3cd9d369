// Remote cursors and selections drawn in CodeMirror: a caret in the member's colour with their
// name, and a translucent selection. Positions arrive in code points (text-unicode).
import { StateEffect, StateField } from '@codemirror/state';
import { Decoration, EditorView, WidgetType } from '@codemirror/view';

import { Walker } from '../textops.js';

const COLOR_RE = /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\)|hsla?\([\d\s.,%deg]+\))$/i;
const FALLBACK_COLORS = ['#e06c75', '#61afef', '#98c379', '#c678dd', '#e5c07b', '#56b6c2', '#d19a66'];

/** A CSS colour we accept from another member, else a stable colour picked from `seed`. */
export function safeColor(c, seed) {
  if (typeof c === 'string' && COLOR_RE.test(c.trim())) return c.trim();
  let h = 0;
  for (const ch of String(seed || '')) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  return FALLBACK_COLORS[h % FALLBACK_COLORS.length];
}

/** The colour with an alpha channel, for selection backgrounds. */
function translucent(color, alpha) {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color);
  if (m) {
    let hex = m[1];
    if (hex.length === 3) hex = [...hex].map((x) => x + x).join('');
    const n = parseInt(hex, 16);
    return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  return `color-mix(in srgb, ${color} ${Math.round(alpha * 100)}%, transparent)`;
}

// A remote caret: a thin line with a small flag in the member's colour at its top, always
// visible and small enough to sit in the gap between lines; the name shows on hover only, so it
// never covers the code being edited.
class CaretWidget extends WidgetType {
  constructor(name, color, below) {
    super();
    this.name = name;
    this.color = color;
    this.below = below;
  }

  eq(other) {
    return other.name === this.name && other.color === this.color && other.below === this.below;
  }

  toDOM() {
    const caret = document.createElement('span');
    caret.className = 'cp-remote-caret';
    caret.style.borderLeftColor = this.color;
    caret.dataset.user = this.name;
    const flag = document.createElement('span');
    flag.className = 'cp-remote-flag';
    flag.style.backgroundColor = this.color;
    flag.title = this.name;
    const label = document.createElement('span');
    label.className = 'cp-remote-label' + (this.below ? ' cp-remote-label-below' : '');
    label.style.backgroundColor = this.color;
    label.textContent = this.name;
    caret.append(flag, label);
    return caret;
  }

  ignoreEvent() {
    return true;
  }
}

const setRemoteCursors = StateEffect.define();

/** Decorations for remote cursors; rebuilt on presence changes, mapped through edits. */
export const remoteCursorField = StateField.define({
  create() {
    return Decoration.none;
  },
  update(deco, tr) {
    for (const e of tr.effects) if (e.is(setRemoteCursors)) return e.value;
    return tr.docChanged ? deco.map(tr.changes) : deco;
  },
  provide: (f) => EditorView.decorations.from(f),
});

/** The effect that shows `cursors` ([{start, end, name, color}]) in the view. */
export function remoteCursorsEffect(state, cursors) {
  const text = state.doc.toString();
  const ranges = [];
  for (const cur of cursors) {
    const walker = new Walker(text);
    const a = Math.max(0, Math.min(cur.start, cur.end));
    const b = Math.max(0, Math.max(cur.start, cur.end));
    const from = walker.toU16(a);
    const to = walker.toU16(b);
    const head = cur.end >= cur.start ? to : from;
    if (to > from) {
      ranges.push(
        Decoration.mark({
          class: 'cp-remote-selection',
          attributes: { style: `background-color: ${translucent(cur.color, 0.28)}` },
        }).range(from, to),
      );
    }
    const line = state.doc.lineAt(head);
    ranges.push(
      Decoration.widget({
        widget: new CaretWidget(cur.name, cur.color, line.number === 1),
        side: cur.end >= cur.start ? 1 : -1,
      }).range(head),
    );
  }
  return setRemoteCursors.of(Decoration.set(ranges, true));
}
