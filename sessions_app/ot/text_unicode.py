"""The ``text-unicode`` OT type, agreeing with the npm package ``ot-text-unicode`` 4.x.

The browser editor talks to the server through the unmodified ShareDB client, which runs
``ot-text-unicode`` locally.  Server and clients only converge if this module computes exactly
what the JS library computes, so the algorithms below follow the library step by step
(including its tie-breaking and the way it splits and merges components).

Op format (JSON list of components, walking the document from position 0):

* ``N`` (int > 0): skip (retain) N characters;
* ``"text"`` (non-empty str): insert the text;
* ``{"d": N}`` (int > 0): delete N characters;
* ``{"d": "text"}`` (non-empty str): delete those characters (makes the op invertible).

All lengths and positions count Unicode code points, which is what Python ``str`` indexing
already does.  An op must not end with a skip and must not contain two adjacent skips; ``[]``
is the no-op.

Deliberate differences from the JS library (all of them reject input the library would
accept; none changes a result for input both accept):

* ``check_op`` also rejects booleans, floats, ``null``, nested lists, delete objects with extra
  keys, integers above 2**53 - 1 and strings containing lone surrogates (JS counts a lone
  surrogate as half of a pair, Python as one code point, so positions would disagree);
* ``apply`` (with ``strict=True``, the default) rejects a delete that runs past the end of the
  document and a ``{"d": "text"}`` whose text differs from the document; the library silently
  truncates and does not compare.  ``strict=False`` reproduces the library exactly;
* ``make_invertible``/``invert_with_doc`` reject ops longer than the document (the library
  would silently produce a shorter delete).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

__all__ = [
    "MAX_SAFE_INTEGER",
    "NAMES",
    "Component",
    "InvalidOpError",
    "InvalidPresenceError",
    "NotInvertibleError",
    "Op",
    "apply",
    "check_and_normalize",
    "check_op",
    "compose",
    "create",
    "insert",
    "invert",
    "invert_with_doc",
    "is_invertible",
    "is_noop",
    "make_invertible",
    "name",
    "normalize",
    "post_length",
    "pre_length",
    "remove",
    "strip_invertible",
    "transform",
    "transform_position",
    "transform_presence",
    "transform_selection",
    "trim",
    "uri",
]

name = "text-unicode"
uri = "http://sharejs.org/types/text-unicode"
#: Both spellings a ShareDB client may put in ``create.type``; store and broadcast ``uri``.
NAMES = frozenset({name, uri})

#: Largest integer a JS number holds exactly; bigger skips/deletes cannot round-trip to clients.
MAX_SAFE_INTEGER = 2**53 - 1

Component: TypeAlias = int | str | dict[str, int | str]
Op: TypeAlias = list[Component]
Side: TypeAlias = Literal["left", "right"]

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


class InvalidOpError(ValueError):
    """The op is malformed or does not fit the document (ShareDB: ERR_OT_OP_BADLY_FORMED /
    ERR_OT_OP_NOT_APPLIED)."""


class NotInvertibleError(InvalidOpError):
    """The op has ``{"d": N}`` deletes, so the deleted text needed for an inverse is unknown."""


class InvalidPresenceError(InvalidOpError):
    """A presence value that cannot be transformed (not an object, or non-integer positions)."""


def _has_lone_surrogate(s: str) -> bool:
    return not s.isascii() and _SURROGATE_RE.search(s) is not None


def _dlen(d: int | str) -> int:
    return d if type(d) is int else len(d)


# --------------------------------------------------------------------------- validation


def _check_component_type(c: Any) -> None:
    """Reject anything that is not a well-typed component (zero/empty values are allowed here)."""
    t = type(c)
    if t is int:
        if c < 0:
            raise InvalidOpError("Skip components must be >0")
        if c > MAX_SAFE_INTEGER:
            raise InvalidOpError("Skip is too large")
    elif t is str:
        if _has_lone_surrogate(c):
            raise InvalidOpError("Inserted text contains a lone surrogate")
    elif t is dict:
        if len(c) != 1 or "d" not in c:
            raise InvalidOpError("Delete components must be {d: number | string}")
        d = c["d"]
        td = type(d)
        if td is int:
            if d < 0:
                raise InvalidOpError("Deletes must not be empty")
            if d > MAX_SAFE_INTEGER:
                raise InvalidOpError("Delete is too large")
        elif td is str:
            if _has_lone_surrogate(d):
                raise InvalidOpError("Deleted text contains a lone surrogate")
        else:
            raise InvalidOpError("Delete must be number or string")
    else:
        raise InvalidOpError(f"Invalid op component: {c!r}")


def check_op(op: Any) -> None:
    """Raise ``InvalidOpError`` unless ``op`` is well formed.

    Rejects everything JS ``checkOp`` rejects (non-list, empty inserts/deletes, skips <= 0,
    adjacent skips, a trailing skip) plus non-JSON-integer numbers, booleans, stray types and
    lone surrogates.  Adjacent inserts or deletes are accepted, as in JS.
    """
    if type(op) is not list:
        raise InvalidOpError("Op must be an array of components")
    last_skip = False
    for c in op:
        t = type(c)
        if t is int:
            if c <= 0:
                raise InvalidOpError("Skip components must be >0")
            if last_skip:
                raise InvalidOpError("Adjacent skip components should be combined")
            if c > MAX_SAFE_INTEGER:
                raise InvalidOpError("Skip is too large")
            last_skip = True
            continue
        last_skip = False
        if t is str:
            if not c:
                raise InvalidOpError("Inserts cannot be empty")
            if _has_lone_surrogate(c):
                raise InvalidOpError("Inserted text contains a lone surrogate")
        elif t is dict:
            if len(c) != 1 or "d" not in c:
                raise InvalidOpError("Delete components must be {d: number | string}")
            d = c["d"]
            td = type(d)
            if td is int:
                if d <= 0:
                    raise InvalidOpError("Deletes must not be empty")
                if d > MAX_SAFE_INTEGER:
                    raise InvalidOpError("Delete is too large")
            elif td is str:
                if not d:
                    raise InvalidOpError("Deletes must not be empty")
                if _has_lone_surrogate(d):
                    raise InvalidOpError("Deleted text contains a lone surrogate")
            else:
                raise InvalidOpError("Delete must be number or string")
        else:
            raise InvalidOpError(f"Invalid op component: {c!r}")
    if last_skip:
        raise InvalidOpError("Op has a trailing skip")


# --------------------------------------------------------------------------- building blocks


def _append(out: Op, c: Component) -> None:
    """Append ``c`` to ``out`` merging like components (JS ``makeAppend``); never aliases dicts."""
    t = type(c)
    if t is int:
        if c == 0:
            return
        if out and type(out[-1]) is int:
            out[-1] += c
        else:
            out.append(c)
    elif t is str:
        if not c:
            return
        if out and type(out[-1]) is str:
            out[-1] += c
        else:
            out.append(c)
    else:
        d = c["d"]
        if d == 0 or d == "":
            return
        if out and type(out[-1]) is dict:
            last = out[-1]["d"]
            if type(last) is str and type(d) is str:
                out[-1] = {"d": last + d}  # keeps the text, so the op stays invertible
            else:
                out[-1] = {"d": _dlen(last) + _dlen(d)}  # mixed forms: the text is lost
        else:
            out.append({"d": d})


def trim(op: Op) -> Op:
    """Drop a trailing skip (in place, like JS ``trim``) and return the op."""
    if op and type(op[-1]) is int:
        op.pop()
    return op


def normalize(op: Any) -> Op:
    """Return the canonical form of ``op``: zero/empty components dropped, like neighbours merged,
    trailing skip removed.  Raises ``InvalidOpError`` for components of the wrong type."""
    if type(op) is not list:
        raise InvalidOpError("Op must be an array of components")
    out: Op = []
    for c in op:
        _check_component_type(c)
        _append(out, c)
    return trim(out)


def check_and_normalize(op: Any) -> Op:
    """Validate an op from the wire (``check_op``) and return its normalized form.

    A server should commit only normalized ops: ``["a", "b"]`` passes ``checkOp`` but the
    transform tie-break treats its two inserts separately, so other clients' transforms against
    it would not converge (the JS library behaves the same; its client always normalizes).
    """
    check_op(op)
    return normalize(op)


class _Taker:
    """Reads an op component by component, splitting components on demand (JS ``makeTake``).

    ``take(n, indivisible)`` returns up to ``n`` characters' worth of the next component
    (``n == -1``: the whole rest of it, or ``None`` once the op is exhausted).  Past the end the
    op implicitly skips forever, so ``take(n)`` returns ``n``.  ``indivisible`` names the kind
    that is returned whole: ``"i"`` (inserts, for transform) or ``"d"`` (deletes, for compose).
    """

    __slots__ = ("op", "idx", "offset", "n_components")

    def __init__(self, op: Op) -> None:
        self.op = op
        self.idx = 0
        self.offset = 0  # code points into op[idx]
        self.n_components = len(op)

    def peek(self) -> Component | None:
        return self.op[self.idx] if self.idx < self.n_components else None

    def take(self, n: int, indivisible: str) -> Component | None:
        idx = self.idx
        if idx == self.n_components:
            return None if n == -1 else n
        c = self.op[idx]
        off = self.offset
        t = type(c)
        if t is int:
            rest = c - off
            if n == -1 or rest <= n:
                self.idx = idx + 1
                self.offset = 0
                return rest
            self.offset = off + n
            return n
        if t is str:
            if n == -1 or indivisible == "i" or len(c) - off <= n:
                self.idx = idx + 1
                self.offset = 0
                return c[off:] if off else c
            self.offset = off + n
            return c[off : off + n]
        d = c["d"]
        if n == -1 or indivisible == "d" or _dlen(d) - off <= n:
            self.idx = idx + 1
            self.offset = 0
            return {"d": (d - off) if type(d) is int else d[off:]}
        self.offset = off + n
        return {"d": n if type(d) is int else d[off : off + n]}


# --------------------------------------------------------------------------- the OT type


def create(initial: str | None = None) -> str:
    """Return the snapshot for a new document (ShareDB ``create.data``; ``None`` means "")."""
    if initial is None:
        return ""
    if type(initial) is not str:
        raise InvalidOpError("Initial data must be a string")
    if _has_lone_surrogate(initial):
        raise InvalidOpError("Initial data contains a lone surrogate")
    return initial


def apply(snapshot: str, op: Any, *, strict: bool = True) -> str:
    """Return ``snapshot`` with ``op`` applied.

    Raises ``InvalidOpError`` if the op is malformed or skips past the end of the document.
    With ``strict`` (the default) it also rejects deletes past the end and ``{"d": "text"}``
    deletes whose text is not what the document holds there: both mean the sender's document
    differs from ours.  ``strict=False`` is exactly the JS library's behaviour.
    """
    if type(snapshot) is not str:
        raise InvalidOpError("Invalid document snapshot")
    check_op(op)
    n = len(snapshot)
    parts: list[str] = []
    pos = 0
    for c in op:
        t = type(c)
        if t is int:
            end = pos + c
            if end > n:
                raise InvalidOpError("The op is too long for this document")
            parts.append(snapshot[pos:end])
            pos = end
        elif t is str:
            parts.append(c)
        else:
            d = c["d"]
            end = pos + _dlen(d)
            if end > n:
                if strict:
                    raise InvalidOpError("The op deletes past the end of the document")
                end = n
            if strict and type(d) is str and snapshot[pos:end] != d:
                raise InvalidOpError("Deleted text does not match the document")
            pos = end
    if not parts:
        return snapshot[pos:]
    parts.append(snapshot[pos:])
    return "".join(parts)


def transform(op: Any, other: Any, side: Side) -> Op:
    """Rewrite ``op`` so it applies after the concurrent ``other``.

    ``side`` breaks ties between inserts at the same position: ``"left"`` puts ``op``'s insert
    first.  A ShareDB server transforms an incoming op against each committed op with ``"left"``.
    """
    if side != "left" and side != "right":
        raise ValueError(f"side ({side!r}) must be 'left' or 'right'")
    check_op(op)
    check_op(other)
    out: Op = []
    reader = _Taker(op)
    take = reader.take
    for c2 in other:
        t2 = type(c2)
        if t2 is int:
            length = c2
            while length > 0:
                c1 = take(length, "i")
                _append(out, c1)
                t1 = type(c1)
                if t1 is int:
                    length -= c1
                elif t1 is dict:
                    length -= _dlen(c1["d"])
        elif t2 is str:
            if side == "left" and type(reader.peek()) is str:
                _append(out, take(-1, "i"))
            _append(out, len(c2))
        else:
            length = _dlen(c2["d"])
            while length > 0:
                c1 = take(length, "i")
                t1 = type(c1)
                if t1 is int:
                    length -= c1
                elif t1 is str:
                    _append(out, c1)
                else:
                    length -= _dlen(c1["d"])
    while (c := take(-1, "i")) is not None:
        _append(out, c)
    return trim(out)


def compose(a: Any, b: Any) -> Op:
    """Return one op equivalent to applying ``a`` then ``b`` (used to merge pending ops)."""
    check_op(a)
    check_op(b)
    out: Op = []
    take = _Taker(a).take
    for c in b:
        t = type(c)
        if t is int:
            length = c
            while length > 0:
                chunk = take(length, "d")
                _append(out, chunk)
                tc = type(chunk)
                if tc is int:
                    length -= chunk
                elif tc is str:
                    length -= len(chunk)
        elif t is str:
            _append(out, c)
        else:
            d = c["d"]
            d_is_int = type(d) is int
            length = _dlen(d)
            offset = 0
            while offset < length:
                chunk = take(length - offset, "d")
                tc = type(chunk)
                if tc is int:
                    # b deletes text that a kept: delete the original text.
                    _append(out, {"d": chunk if d_is_int else d[offset : offset + chunk]})
                    offset += chunk
                elif tc is str:
                    offset += len(chunk)  # b deletes what a inserted: both vanish
                else:
                    _append(out, chunk)  # a's own delete stays
    while (c := take(-1, "d")) is not None:
        _append(out, c)
    return trim(out)


def transform_position(cursor: int, op: Any, is_own_op: bool = False) -> int:
    """Move a cursor (code-point offset) over ``op`` (JS ``transformPosition``).

    An insert exactly at the cursor leaves it in place, as in JS, unless ``is_own_op``: the
    author's own cursor must move past the text they just typed (the library has no such flag;
    it is needed for presence).  A cursor inside a deleted range moves to the range's start.
    """
    check_op(op)
    pos = 0
    for c in op:
        if cursor < pos or (cursor == pos and not is_own_op):
            break
        t = type(c)
        if t is int:
            pos += c
        elif t is str:
            n = len(c)
            pos += n
            cursor += n
        else:
            cursor -= min(_dlen(c["d"]), cursor - pos)
    return cursor


def transform_selection(
    selection: int | list[int], op: Any, is_own_op: bool = False
) -> int | list[int]:
    """Transform a cursor or an ``[anchor, focus]`` list (JS ``transformSelection``)."""
    if type(selection) is int:
        return transform_position(selection, op, is_own_op)
    if type(selection) in (list, tuple) and all(type(s) is int for s in selection):
        return [transform_position(s, op, is_own_op) for s in selection]
    raise InvalidPresenceError("Invalid selection")


#: Keys of a presence value that hold code-point positions; other keys pass through unchanged.
PRESENCE_POSITION_KEYS = ("start", "end")


def transform_presence(presence: Any, op: Any, is_own_op: bool) -> dict[str, Any] | None:
    """Transform a text presence value ``{"start": int, "end": int, ...extra}`` over ``op``.

    ot-text-unicode has no ``transformPresence``; the client registers a wrapped type with this
    same behaviour (docs/ot.md).  ``None`` (presence withdrawn) stays ``None``; keys
    other than ``start``/``end`` are copied untouched.  ``is_own_op`` is true when the op came
    from the presence's own connection, so the author's cursor follows their insert.
    """
    if presence is None:
        return None
    if not isinstance(presence, Mapping):
        raise InvalidPresenceError("Presence must be an object or null")
    result = dict(presence)
    for key in PRESENCE_POSITION_KEYS:
        if key in result:
            value = result[key]
            if type(value) is not int or value < 0:
                raise InvalidPresenceError(f"Presence {key} must be a non-negative integer")
            result[key] = transform_position(value, op, is_own_op)
    return result


# --------------------------------------------------------------------------- inversion


def is_noop(op: Op) -> bool:
    """True for the empty op, which changes nothing."""
    return len(op) == 0


def is_invertible(op: Op) -> bool:
    """True when every delete carries its text, so ``invert`` can undo the op."""
    return not any(type(c) is dict and type(c["d"]) is int for c in op)


def make_invertible(op: Any, doc: str) -> Op:
    """Replace ``{"d": N}`` deletes by the text they delete from ``doc`` (the pre-op document)."""
    check_op(op)
    if pre_length(op) > len(doc):
        raise InvalidOpError("The op is too long for this document")
    out: Op = []
    pre = 0
    for c in op:
        t = type(c)
        if t is int:
            _append(out, c)
            pre += c
        elif t is str:
            _append(out, c)
        else:
            d = c["d"]
            if type(d) is int:
                _append(out, {"d": doc[pre : pre + d]})
                pre += d
            else:
                _append(out, {"d": d})
                pre += len(d)
    return trim(out)


def invert(op: Any) -> Op:
    """Return the op that undoes ``op``; raises ``NotInvertibleError`` on ``{"d": N}``."""
    check_op(op)
    out: Op = []
    for c in op:
        t = type(c)
        if t is int:
            _append(out, c)
        elif t is str:
            _append(out, {"d": c})
        else:
            d = c["d"]
            if type(d) is int:
                raise NotInvertibleError(
                    "Cannot invert text op: Deleted characters missing from operation. "
                    "makeInvertible must be called first."
                )
            _append(out, d)
    return trim(out)


def invert_with_doc(op: Any, doc: str) -> Op:
    """Invert ``op`` using ``doc`` (the document before ``op``) to recover deleted text."""
    return invert(make_invertible(op, doc))


def strip_invertible(op: Any) -> Op:
    """Replace ``{"d": "text"}`` by ``{"d": len}`` (smaller ops when undo is not needed)."""
    check_op(op)
    out: Op = []
    for c in op:
        if type(c) is dict:
            _append(out, {"d": _dlen(c["d"])})
        else:
            _append(out, c)
    return trim(out)


# --------------------------------------------------------------------------- helpers


def pre_length(op: Op) -> int:
    """Characters of the document the op reads (skips + deletes): the minimum document length."""
    total = 0
    for c in op:
        t = type(c)
        if t is int:
            total += c
        elif t is dict:
            total += _dlen(c["d"])
    return total


def post_length(op: Op) -> int:
    """Characters the op's covered region has afterwards (skips + inserts)."""
    total = 0
    for c in op:
        t = type(c)
        if t is int:
            total += c
        elif t is str:
            total += len(c)
    return total


def insert(pos: int, text: str) -> Op:
    """Op inserting ``text`` at code-point ``pos`` (JS ``insert``)."""
    if not text:
        return []
    return [text] if pos == 0 else [pos, text]


def remove(pos: int, text_or_len: int | str) -> Op:
    """Op deleting a count or a known text at code-point ``pos`` (JS ``remove``)."""
    if _dlen(text_or_len) == 0:
        return []
    return [{"d": text_or_len}] if pos == 0 else [pos, {"d": text_or_len}]
