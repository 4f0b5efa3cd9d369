// Conversions between CodeMirror (UTF-16 code unit offsets) and the text-unicode OT type
// (Unicode code point offsets), plus the presence transform the server mirrors.
//
// Pure functions, no DOM: unit-testable in Node.

function isHigh(c) {
  return c >= 0xd800 && c <= 0xdbff;
}
function isLow(c) {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Number of code points in a JS string (a lone surrogate counts as one). */
export function cpLength(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    if (isHigh(s.charCodeAt(i)) && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) i++;
    n++;
  }
  return n;
}

/**
 * Walks a string once, converting increasing offsets in either unit.
 * Offsets must be asked for in non-decreasing order (which is how ops and change sets come).
 */
export class Walker {
  constructor(str) {
    this.s = str;
    this.u = 0; // utf-16 offset
    this.c = 0; // code point offset
  }

  /** UTF-16 offset → code point offset. */
  toCp(u16) {
    if (u16 < this.u) {
      this.u = 0;
      this.c = 0;
    }
    const s = this.s;
    while (this.u < u16 && this.u < s.length) {
      if (isHigh(s.charCodeAt(this.u)) && this.u + 1 < s.length && isLow(s.charCodeAt(this.u + 1))) {
        // An offset in the middle of a pair never comes from CodeMirror; count the pair whole.
        this.u += 2;
      } else {
        this.u += 1;
      }
      this.c++;
    }
    return this.c;
  }

  /** Code point offset → UTF-16 offset (clamped to the string's end). */
  toU16(cp) {
    if (cp < this.c) {
      this.u = 0;
      this.c = 0;
    }
    const s = this.s;
    while (this.c < cp && this.u < s.length) {
      if (isHigh(s.charCodeAt(this.u)) && this.u + 1 < s.length && isLow(s.charCodeAt(this.u + 1))) {
        this.u += 2;
      } else {
        this.u += 1;
      }
      this.c++;
    }
    return this.u;
  }
}

/**
 * A CodeMirror ChangeSet (applied to `oldText`) → one normalized text-unicode op.
 * Deletes carry the deleted text ({d: "str"}) so the op is invertible: on a rejected op the
 * sharedb client can roll back softly instead of refetching the whole document.
 */
export function changesToOp(changes, oldText) {
  const walker = new Walker(oldText);
  const op = [];
  let lastCp = 0;
  const push = (c) => {
    if (typeof c === 'number') {
      if (c === 0) return;
      if (typeof op[op.length - 1] === 'number') op[op.length - 1] += c;
      else op.push(c);
    } else if (typeof c === 'string') {
      if (c === '') return;
      if (typeof op[op.length - 1] === 'string') op[op.length - 1] += c;
      else op.push(c);
    } else {
      if (c.d === '') return;
      const last = op[op.length - 1];
      if (last && typeof last === 'object') last.d += c.d;
      else op.push(c);
    }
  };
  changes.iterChanges((fromA, toA, _fromB, _toB, inserted) => {
    const fromCp = walker.toCp(fromA);
    push(fromCp - lastCp);
    const ins = inserted.toString();
    push(ins);
    if (toA > fromA) {
      push({ d: oldText.slice(fromA, toA) });
      lastCp = walker.toCp(toA);
    } else {
      lastCp = fromCp;
    }
  });
  return op;
}

/**
 * A text-unicode op (to be applied to `oldText`) → CodeMirror change specs in `oldText`'s
 * UTF-16 coordinates, sorted and non-overlapping.
 */
export function opToChanges(op, oldText) {
  const walker = new Walker(oldText);
  const changes = [];
  let cp = 0;
  for (const c of op) {
    if (typeof c === 'number') {
      cp += c;
    } else if (typeof c === 'string') {
      const at = walker.toU16(cp);
      changes.push({ from: at, to: at, insert: c });
    } else if (c && typeof c === 'object' && 'd' in c) {
      const n = typeof c.d === 'number' ? c.d : cpLength(c.d);
      const from = walker.toU16(cp);
      const to = walker.toU16(cp + n);
      changes.push({ from, to });
      cp += n;
    } else {
      throw new Error('Invalid text-unicode op component: ' + JSON.stringify(c));
    }
  }
  // Merge an insert immediately followed by a delete at the same place into one replacement.
  const merged = [];
  for (const ch of changes) {
    const last = merged[merged.length - 1];
    if (last && last.to === ch.from && last.from === last.to && ch.insert === undefined) {
      last.to = ch.to;
    } else {
      merged.push({ ...ch });
    }
  }
  return merged;
}

/**
 * Transform one code point position by a text-unicode op. With isOwnOp, the author's own
 * insert at the cursor pushes it along (the author typed there); others' inserts at the
 * cursor leave it in place (same as ot-text-unicode's transformPosition).
 * The server implements the same transform (sessions_app/ot, the presence transform).
 */
export function transformPosition(cursor, op, isOwnOp) {
  let pos = 0;
  for (const c of op) {
    if (cursor < pos || (cursor === pos && !isOwnOp)) break;
    if (typeof c === 'number') {
      pos += c;
    } else if (typeof c === 'string') {
      const n = cpLength(c);
      pos += n;
      cursor += n;
    } else {
      cursor -= Math.min(typeof c.d === 'number' ? c.d : cpLength(c.d), cursor - pos);
    }
  }
  return cursor;
}

/** Presence value shape: {start, end, u, c} — start = anchor, end = head, in code points. */
export function transformPresence(p, op, isOwnOp) {
  if (!p || typeof p !== 'object') return null;
  const out = { ...p };
  if (typeof p.start === 'number') out.start = transformPosition(p.start, op, isOwnOp);
  if (typeof p.end === 'number') out.end = transformPosition(p.end, op, isOwnOp);
  return out;
}
