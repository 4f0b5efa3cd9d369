"""Tests of the Python ``text-unicode`` OT type.

Vectors re-expressed from ottypes/text-unicode ``test/text.js`` and
``test/text-transform-tests.json`` (converted as the upstream ``readOp`` does), plus rejection
cases and seeded randomized properties.  The random generators here are also used by the
differential test against the JS library.
"""

from __future__ import annotations

import random

import pytest

from sessions_app.ot import text_unicode as tu
from sessions_app.ot.text_unicode import InvalidOpError

# --------------------------------------------------------------------------- random generators

#: Text units used to build documents and inserts: ASCII, astral emoji, multi-code-point emoji
#: sequences (ZWJ, flags, skin tones, keycaps), combining marks, CJK (BMP and astral), and JSON /
#: Unicode edge cases (quotes, backslash, NUL, U+2028, BOM, highest code points).
TEXT_UNITS = (
    *"abcdefghijklmnopqrstuvwxyz",
    *"ABCXYZ0123456789",
    " ",
    " ",
    "\n",
    "\t",
    "(",
    ")",
    "{",
    "}",
    ":",
    ";",
    '"',
    "\\",
    "😀",
    "👻",
    "🥰",
    "💃",
    "🤖",
    "𝄞",
    "𠀋",
    "👨‍👩‍👧",
    "🇫🇷",
    "👍🏽",
    "1️⃣",
    "e\u0301",
    "a\u0308",
    "\u0301",
    "é",
    "中",
    "文",
    "字",
    "漢",
    "한",
    "글",
    "\u200b",
    "\ufeff",
    "\u2028",
    "\x00",
    "\x7f",
    "\ud7ff",
    "\ue000",
    "\uffff",
    "\U0010ffff",
)


def random_text(rng: random.Random, max_units: int = 4) -> str:
    return "".join(rng.choice(TEXT_UNITS) for _ in range(rng.randint(1, max_units)))


def random_doc(rng: random.Random, max_units: int = 30) -> str:
    if rng.random() < 0.05:
        return ""
    return "".join(rng.choice(TEXT_UNITS) for _ in range(rng.randint(1, max_units)))


def _merge_skips(comps: list) -> list:
    """Make a component list checkOp-valid: merge adjacent skips, drop the trailing skip."""
    out: list = []
    for c in comps:
        if type(c) is int and out and type(out[-1]) is int:
            out[-1] += c
        else:
            out.append(c)
    if out and type(out[-1]) is int:
        out.pop()
    return out


def _merge_all(comps: list) -> list:
    """Fully normalized form (reference implementation independent of the module)."""
    out: list = []
    for c in comps:
        if out and type(c) is type(out[-1]):
            if type(c) is dict:
                a, b = out[-1]["d"], c["d"]
                both_str = type(a) is str and type(b) is str
                out[-1] = {"d": a + b if both_str else _dl(a) + _dl(b)}
            else:
                out[-1] = out[-1] + c
        else:
            out.append(c)
    if out and type(out[-1]) is int:
        out.pop()
    return out


def _dl(d: int | str) -> int:
    return d if type(d) is int else len(d)


def random_op(
    rng: random.Random,
    doc: str,
    *,
    invertible: bool | None = None,
    normalized: bool | None = None,
) -> list:
    """A valid op that fits ``doc``.

    ``invertible``: True → string deletes only, False → count deletes only, None → mixed.
    ``normalized``: False keeps adjacent inserts/deletes (still valid), None → random.
    """
    n = len(doc)
    pos = 0
    comps: list = []
    while rng.random() < 0.85:
        r = rng.random()
        if r < 0.35 and pos < n:
            k = rng.randint(1, min(n - pos, 12))
            comps.append(k)
            pos += k
        elif r < 0.65:
            comps.append(random_text(rng))
        elif pos < n:
            k = rng.randint(1, min(n - pos, 8))
            as_text = rng.random() < 0.5 if invertible is None else invertible
            comps.append({"d": doc[pos : pos + k] if as_text else k})
            pos += k
    if normalized is None:
        normalized = rng.random() < 0.5
    return _merge_all(comps) if normalized else _merge_skips(comps)


def random_typing_op(rng: random.Random, doc: str) -> list:
    """What an editor sends per keystroke: one insert, or one small delete."""
    n = len(doc)
    pos = rng.randint(0, n)
    if n and rng.random() < 0.3:
        pos = min(pos, n - 1)
        k = rng.randint(1, min(3, n - pos))
        return tu.remove(pos, doc[pos : pos + k] if rng.random() < 0.5 else k)
    return tu.insert(pos, rng.choice(TEXT_UNITS))


# --------------------------------------------------------------------------- identity, create


def test_identity_matches_the_js_type() -> None:
    assert tu.name == "text-unicode"
    assert tu.uri == "http://sharejs.org/types/text-unicode"
    assert {"text-unicode", "http://sharejs.org/types/text-unicode"} == tu.NAMES


def test_create() -> None:
    assert tu.create(None) == ""
    assert tu.create() == ""
    assert tu.create("") == ""
    assert tu.create("oh hi 👻") == "oh hi 👻"


@pytest.mark.parametrize("bad", [123, ["a"], {"a": 1}, b"abc", True, "x\ud800y", "\udc00"])
def test_create_rejects_non_strings_and_lone_surrogates(bad: object) -> None:
    with pytest.raises(InvalidOpError):
        tu.create(bad)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- normalize

NORMALIZE_VECTORS = [
    ([0], []),
    ([""], []),
    ([{"d": 0}], []),
    ([{"d": ""}], []),
    ([{"d": 2}], [{"d": 2}]),
    ([1, 1], []),
    ([2, 0], []),
    ([1, 1, "hi"], [2, "hi"]),
    ([{"d": 1}, {"d": 1}, "hi"], [{"d": 2}, "hi"]),
    (["a", 100], ["a"]),
    (["a", "b"], ["ab"]),
    (["ab", ""], ["ab"]),
    ([0, "a", 0, "b", 0], ["ab"]),
    (["a", 1, "b"], ["a", 1, "b"]),
    # Delete forms: two texts stay a text, mixed forms lose the text.
    ([{"d": "ab"}, {"d": "c👻"}], [{"d": "abc👻"}]),
    ([{"d": "ab"}, {"d": 2}], [{"d": 4}]),
    ([{"d": 1}, {"d": "👻"}, 3], [{"d": 2}]),
    (["👻", "🥰"], ["👻🥰"]),
    ([], []),
]


@pytest.mark.parametrize(("op", "expected"), NORMALIZE_VECTORS)
def test_normalize_vectors(op: list, expected: list) -> None:
    original = [dict(c) if isinstance(c, dict) else c for c in op]
    assert tu.normalize(op) == expected
    assert op == original, "normalize must not mutate its input"


@pytest.mark.parametrize("bad", [[True], [1.0], [None], [[1]], [-1], [{"d": -1}], [{}], "ab"])
def test_normalize_rejects_wrong_component_types(bad: object) -> None:
    with pytest.raises(InvalidOpError):
        tu.normalize(bad)


def test_normalize_output_does_not_alias_input_dicts() -> None:
    op = [{"d": "ab"}]
    out = tu.normalize(op)
    out[0]["d"] = "zz"
    assert op == [{"d": "ab"}]


# --------------------------------------------------------------------------- check_op

JS_REJECTED = [
    pytest.param("abc", id="not-a-list-str"),
    pytest.param({"d": 1}, id="not-a-list-dict"),
    pytest.param(None, id="not-a-list-none"),
    pytest.param(5, id="not-a-list-int"),
    pytest.param([0, "a"], id="zero-skip"),
    pytest.param([-2, "a"], id="negative-skip"),
    pytest.param(["a", ""], id="empty-insert"),
    pytest.param([{"d": 0}], id="empty-delete-count"),
    pytest.param([{"d": ""}], id="empty-delete-text"),
    pytest.param([{"d": -3}], id="negative-delete"),
    pytest.param([1, 2, "a"], id="adjacent-skips"),
    pytest.param(["a", 3], id="trailing-skip"),
    pytest.param([3], id="only-skip"),
    pytest.param([{}], id="delete-without-d"),
    pytest.param([{"i": "x"}], id="legacy-insert-object"),
    pytest.param([{"d": None}], id="delete-null"),
    pytest.param([{"d": [1]}], id="delete-list"),
    pytest.param([None], id="null-component"),
    pytest.param([[1]], id="nested-list"),
]

#: Accepted by JS checkOp but rejected here on purpose (see the module docstring).
PYTHON_ONLY_REJECTED = [
    pytest.param([True, "a"], id="bool-skip"),
    pytest.param(["a", False], id="bool-component"),
    pytest.param([1.5, "a"], id="float-skip"),
    pytest.param([2.0, "a"], id="integral-float-skip"),
    pytest.param([{"d": 1.5}], id="float-delete"),
    pytest.param([{"d": True}], id="bool-delete"),
    pytest.param([{"d": 1, "x": 2}], id="delete-extra-key"),
    pytest.param([{"d": 1, "i": "a"}], id="delete-with-insert-key"),
    pytest.param(["a\ud800b"], id="lone-high-surrogate-insert"),
    pytest.param(["\udc00"], id="lone-low-surrogate-insert"),
    pytest.param(["\ud83d\ude00"], id="unjoined-surrogate-pair-insert"),
    pytest.param([1, {"d": "\ud800"}], id="lone-surrogate-delete"),
    pytest.param([2**53, "a"], id="skip-beyond-js-safe-integer"),
    pytest.param([{"d": 2**60}], id="delete-beyond-js-safe-integer"),
    pytest.param((1, "a"), id="tuple-op"),
]


@pytest.mark.parametrize("op", JS_REJECTED + PYTHON_ONLY_REJECTED)
def test_check_op_rejects(op: object) -> None:
    with pytest.raises(InvalidOpError):
        tu.check_op(op)


@pytest.mark.parametrize("op", JS_REJECTED + PYTHON_ONLY_REJECTED)
def test_every_entry_point_rejects_malformed_ops(op: object) -> None:
    good = [1, "x"]
    calls = [
        lambda: tu.apply("hello world", op),
        lambda: tu.transform(op, good, "left"),
        lambda: tu.transform(good, op, "right"),
        lambda: tu.compose(op, good),
        lambda: tu.compose(good, op),
        lambda: tu.transform_position(3, op),
        lambda: tu.invert(op),
    ]
    for call in calls:
        with pytest.raises(InvalidOpError):
            call()


@pytest.mark.parametrize(
    "op",
    [
        [],
        ["a"],
        [1, "a"],
        [{"d": 1}],
        [{"d": "👻"}],
        ["a", "b"],  # adjacent inserts: JS checkOp accepts them
        [{"d": 1}, {"d": "x"}],  # adjacent deletes likewise
        [3, "a", {"d": 2}, 4, {"d": "é"}],
        ["a", {"d": 1}, "b"],
        [2**53 - 1, "a"],
        ["👨‍👩‍👧🇫🇷e\u0301"],
    ],
)
def test_check_op_accepts(op: list) -> None:
    tu.check_op(op)


def test_check_and_normalize() -> None:
    assert tu.check_and_normalize(["a", "b", 2, {"d": "x"}, {"d": "y"}]) == ["ab", 2, {"d": "xy"}]
    with pytest.raises(InvalidOpError):
        tu.check_and_normalize([1, 1, "a"])  # checkOp rejects it; normalize alone would fix it


# --------------------------------------------------------------------------- apply


@pytest.mark.parametrize(
    ("doc", "op", "expected"),
    [
        ("", [], ""),
        ("", ["hi"], "hi"),
        ("hello", [], "hello"),
        ("hello", [5, " world"], "hello world"),
        ("hello", [{"d": 1}], "ello"),
        ("hello", [{"d": "he"}, "J"], "Jllo"),
        ("hello", [1, {"d": 3}], "ho"),
        ("a😀b", [1, {"d": 1}], "ab"),
        ("a😀b", [2, "👻"], "a😀👻b"),
        ("👨‍👩‍👧", [1, {"d": 1}], "👨👩‍👧"),  # ZWJ sequences are several code points
        ("e\u0301x", [1, {"d": "\u0301"}], "ex"),
        ("𠀋中", [{"d": "𠀋"}, 1, "字"], "中字"),
        ("abc", ["a", "b"], "ababc"),
        ("abc", [3, "!"], "abc!"),
    ],
)
def test_apply(doc: str, op: list, expected: str) -> None:
    assert tu.apply(doc, op) == expected
    assert tu.apply(doc, op, strict=False) == expected


def test_apply_rejects_skip_past_the_end_in_both_modes() -> None:
    for strict in (True, False):
        with pytest.raises(InvalidOpError, match="too long"):
            tu.apply("abc", [4, "x"], strict=strict)
        with pytest.raises(InvalidOpError, match="too long"):
            tu.apply("a😀", [3, "x"], strict=strict)


def test_apply_delete_past_the_end_strict_rejects_lenient_truncates_like_js() -> None:
    with pytest.raises(InvalidOpError):
        tu.apply("abc", [{"d": 10}])
    with pytest.raises(InvalidOpError):
        tu.apply("abc", [3, {"d": 1}])
    assert tu.apply("abc", [{"d": 10}], strict=False) == ""
    assert tu.apply("abc", [1, {"d": "bcd"}], strict=False) == "a"
    # After a truncated delete the document is exhausted, so a later skip is too long.
    with pytest.raises(InvalidOpError):
        tu.apply("abc", [{"d": 10}, 1, "x"], strict=False)


def test_apply_delete_text_must_match_when_strict() -> None:
    with pytest.raises(InvalidOpError, match="does not match"):
        tu.apply("hello", [{"d": "hx"}])
    with pytest.raises(InvalidOpError, match="does not match"):
        tu.apply("a😀b", [1, {"d": "😃"}])
    assert tu.apply("hello", [{"d": "hx"}], strict=False) == "llo"


def test_apply_rejects_non_string_snapshot() -> None:
    with pytest.raises(InvalidOpError):
        tu.apply(None, ["a"])  # type: ignore[arg-type]


def test_apply_does_not_mutate_op() -> None:
    op = [1, {"d": "b"}, "x"]
    tu.apply("abc", op)
    assert op == [1, {"d": "b"}, "x"]


# --------------------------------------------------------------------------- transform

#: ottypes/text-unicode test/text-transform-tests.json, converted like upstream ``readOp``:
#: (op, other, side, expected).
TRANSFORM_VECTORS = [
    ([1, {"d": 5}], [7, {"d": 2}], "left", [1, {"d": 5}]),
    ([7, {"d": 2}], [1, {"d": 5}], "right", [2, {"d": 2}]),
    ([7, {"d": 2}], [1, {"d": 5}], "left", [2, {"d": 2}]),
    ([1, {"d": 5}], [7, {"d": 2}], "right", [1, {"d": 5}]),
    ([1, {"d": 5}], [6, {"d": 2}], "left", [1, {"d": 5}]),
    ([6, {"d": 2}], [1, {"d": 5}], "right", [1, {"d": 2}]),
    ([6, {"d": 2}], [1, {"d": 5}], "left", [1, {"d": 2}]),
    ([1, {"d": 5}], [6, {"d": 2}], "right", [1, {"d": 5}]),
    ([1, {"d": 5}], [3, {"d": 7}], "left", [1, {"d": 2}]),
    ([3, {"d": 7}], [1, {"d": 5}], "right", [1, {"d": 4}]),
    ([3, {"d": 7}], [1, {"d": 5}], "left", [1, {"d": 4}]),
    ([1, {"d": 5}], [3, {"d": 7}], "right", [1, {"d": 2}]),
    ([1, {"d": 7}], [3, {"d": 2}], "left", [1, {"d": 5}]),
    ([3, {"d": 2}], [1, {"d": 7}], "right", []),
    ([3, {"d": 2}], [1, {"d": 7}], "left", []),
    ([1, {"d": 7}], [3, {"d": 2}], "right", [1, {"d": 5}]),
    ([1, {"d": 7}], [1, {"d": 7}], "left", []),
    ([1, {"d": 7}], [1, {"d": 7}], "right", []),
    ([1, {"d": 7}], [1, {"d": 7}], "left", []),
    ([1, {"d": 7}], [1, {"d": 7}], "right", []),
    ([1, "abc"], [2, {"d": 2}], "left", [1, "abc"]),
    ([2, {"d": 2}], [1, "abc"], "right", [5, {"d": 2}]),
    ([2, {"d": 2}], [1, "abc"], "left", [5, {"d": 2}]),
    ([1, "abc"], [2, {"d": 2}], "right", [1, "abc"]),
    ([2, "bcd"], [1, {"d": 2}], "left", [1, "bcd"]),
    ([1, {"d": 2}], [2, "bcd"], "right", [1, {"d": 1}, 3, {"d": 1}]),
    ([1, {"d": 2}], [2, "bcd"], "left", [1, {"d": 1}, 3, {"d": 1}]),
    ([2, "bcd"], [1, {"d": 2}], "right", [1, "bcd"]),
    ([1, "abc"], [1, {"d": 2}], "left", [1, "abc"]),
    ([1, {"d": 2}], [1, "abc"], "right", [4, {"d": 2}]),
    ([1, {"d": 2}], [1, "abc"], "left", [4, {"d": 2}]),
    ([1, "abc"], [1, {"d": 2}], "right", [1, "abc"]),
    ([3, "abc"], [1, {"d": 2}], "left", [1, "abc"]),
    ([1, {"d": 2}], [3, "abc"], "right", [1, {"d": 2}]),
    ([1, {"d": 2}], [3, "abc"], "left", [1, {"d": 2}]),
    ([3, "abc"], [1, {"d": 2}], "right", [1, "abc"]),
    ([4, "abc"], [1, {"d": 2}], "left", [2, "abc"]),
    ([1, {"d": 2}], [4, "abc"], "right", [1, {"d": 2}]),
    ([1, {"d": 2}], [4, "abc"], "left", [1, {"d": 2}]),
    ([4, "abc"], [1, {"d": 2}], "right", [2, "abc"]),
    ([1, "a"], [2, "b"], "left", [1, "a"]),
    ([2, "b"], [1, "a"], "right", [3, "b"]),
    ([2, "b"], [1, "a"], "left", [3, "b"]),
    ([1, "a"], [2, "b"], "right", [1, "a"]),
    ([1, "abc"], [1, "1234"], "left", [1, "abc"]),
    ([1, "1234"], [1, "abc"], "right", [4, "1234"]),
]


def test_transform_vector_count() -> None:
    assert len(TRANSFORM_VECTORS) == 46


@pytest.mark.parametrize(("op", "other", "side", "expected"), TRANSFORM_VECTORS)
def test_transform_vectors(op: list, other: list, side: str, expected: list) -> None:
    assert tu.transform(op, other, side) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("op", "other", "left", "right"),
    [
        (["👻"], ["🥰"], ["👻"], [1, "👻"]),  # upstream emoji vector
        # Astral characters count once when skipping other's insert.
        ([1, "x"], [1, "😀🥰"], [1, "x"], [3, "x"]),
        ([2, {"d": "😀"}], ["👨‍👩‍👧"], [7, {"d": "😀"}], [7, {"d": "😀"}]),
        # String deletes are split around other's insert, keeping the right text.
        ([{"d": "a😀b"}], [2, "Z"], [{"d": "a😀"}, 1, {"d": "b"}], [{"d": "a😀"}, 1, {"d": "b"}]),
        # Overlapping string deletes: only the part other has not deleted remains.
        ([{"d": "ab😀c"}], [1, {"d": 2}], [{"d": "ac"}], [{"d": "ac"}]),
        # The tie-break only applies when op's *next* component is an insert.
        ([2, "x"], [2, "y"], [2, "x"], [3, "x"]),
        ([1, "x", 1, "y"], [1, "z"], [1, "x", 2, "y"], [2, "x", 1, "y"]),
        # Non-normalized (but valid) ops are walked component by component, like JS.
        (["a", "b"], ["x"], ["a", 1, "b"], [1, "ab"]),
        ([], ["x"], [], []),
        (["x"], [], ["x"], ["x"]),
    ],
)
def test_transform_cases(op: list, other: list, left: list, right: list) -> None:
    assert tu.transform(op, other, "left") == left
    assert tu.transform(op, other, "right") == right


def test_transform_rejects_bad_side() -> None:
    with pytest.raises(ValueError, match="side"):
        tu.transform(["a"], ["b"], "up")  # type: ignore[arg-type]


def test_transform_does_not_mutate_inputs() -> None:
    op = [{"d": "ab"}, {"d": "cd"}, "x"]
    other = [1, "zz", {"d": 1}]
    tu.transform(op, other, "left")
    tu.compose(op, other)
    assert op == [{"d": "ab"}, {"d": "cd"}, "x"]
    assert other == [1, "zz", {"d": 1}]


# --------------------------------------------------------------------------- compose


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ([{"d": "ab"}], [{"d": "cd"}], [{"d": "abcd"}]),
        ([2, {"d": "cd"}], [{"d": "ab"}], [{"d": "abcd"}]),
        ([{"d": "ab"}], [{"d": 2}], [{"d": 4}]),
        ([{"d": 2}], [{"d": "cd"}], [{"d": 4}]),
        (["👻"], [1, "🥰"], ["👻🥰"]),
        ([1, "a👻b"], [2, {"d": 1}], [1, "ab"]),
        ([1, "a👻b"], [3, {"d": 1}], [1, "a👻"]),
        (["👻🥰💃"], [1, {"d": 1}], ["👻💃"]),  # upstream "does not consume too many items"
        (["abc"], [{"d": 3}], []),
        ([], [1, "x"], [1, "x"]),
        ([1, "x"], [], [1, "x"]),
        ([{"d": "😀"}, "ab"], [1, {"d": "bc"}], [{"d": "😀"}, "a", {"d": "c"}]),
    ],
)
def test_compose_vectors(a: list, b: list, expected: list) -> None:
    assert tu.compose(a, b) == expected


def test_compose_of_transform_vectors_does_not_crash() -> None:
    # Upstream "should compose without crashing" composes op with expected.
    for op, _other, _side, expected in TRANSFORM_VECTORS:
        assert isinstance(tu.compose(op, expected), list)


# --------------------------------------------------------------------------- positions, presence

POSITION_OP = [10, "oh hi", 10, {"d": 20}]
POSITION_DEL = [25, {"d": 20}]


@pytest.mark.parametrize(
    ("op", "cursor", "expected"),
    [
        (POSITION_OP, 10, 10),
        (POSITION_DEL, 25, 25),
        (POSITION_DEL, 35, 25),
        (POSITION_DEL, 45, 25),
        (POSITION_DEL, 10, 10),
        (POSITION_DEL, 55, 35),
        (POSITION_OP, 0, 0),
        (POSITION_OP, 100, 85),
        (POSITION_OP, 11, 16),
        (POSITION_OP, 20, 25),
        (POSITION_OP, 30, 25),
        (POSITION_OP, 40, 25),
        (POSITION_OP, 41, 26),
        (["👻🥰💃"], 1, 4),
        ([2, "👻🥰💃"], 1, 1),
        ([], 7, 7),
    ],
)
def test_transform_position_vectors(op: list, cursor: int, expected: int) -> None:
    assert tu.transform_position(cursor, op) == expected
    assert tu.transform_selection([cursor, cursor], op) == [expected, expected]
    assert tu.transform_selection(cursor, op) == expected


def test_transform_position_own_op_moves_past_own_insert() -> None:
    assert tu.transform_position(2, [2, "xy"]) == 2
    assert tu.transform_position(2, [2, "xy"], is_own_op=True) == 4
    assert tu.transform_position(0, ["😀"], is_own_op=True) == 1
    assert tu.transform_position(2, [2, {"d": 1}, "xy"], is_own_op=True) == 4
    # Away from the cursor both flags agree.
    for op in ([1, "ab"], [3, "ab"], [1, {"d": 1}], [{"d": 5}]):
        assert tu.transform_position(2, op, is_own_op=True) == tu.transform_position(2, op)
    # Replacing a selection that contains the cursor: the author ends up after the new text.
    assert tu.transform_position(2, [{"d": 5}, "x"]) == 0
    assert tu.transform_position(2, [{"d": 5}, "x"], is_own_op=True) == 1


def test_transform_presence() -> None:
    assert tu.transform_presence(None, ["x"], False) is None
    p = {"start": 2, "end": 4, "user": "ann", "colour": "#f00"}
    assert tu.transform_presence(p, ["AB"], False) == {
        "start": 4,
        "end": 6,
        "user": "ann",
        "colour": "#f00",
    }
    assert p == {"start": 2, "end": 4, "user": "ann", "colour": "#f00"}, "input kept"
    # Research-note capture: presence at v1 moved by ["AB"] becomes {start:5,end:7}... for 3..5.
    assert tu.transform_presence({"start": 3, "end": 5}, ["AB"], False) == {"start": 5, "end": 7}
    # Insert at the cursor: others' inserts leave it, own inserts carry it.
    assert tu.transform_presence({"start": 2, "end": 2}, [2, "xy"], False) == {
        "start": 2,
        "end": 2,
    }
    assert tu.transform_presence({"start": 2, "end": 2}, [2, "xy"], True) == {
        "start": 4,
        "end": 4,
    }
    # Backwards selections are allowed (end before start).
    assert tu.transform_presence({"start": 9, "end": 1}, [{"d": 5}], False) == {
        "start": 4,
        "end": 0,
    }


@pytest.mark.parametrize(
    "bad", [5, "x", [1, 2], {"start": "1"}, {"start": 1.5}, {"end": -1}, {"start": True}]
)
def test_transform_presence_rejects_bad_values(bad: object) -> None:
    with pytest.raises(tu.InvalidPresenceError):
        tu.transform_presence(bad, ["x"], False)


def test_transform_selection_rejects_bad_selection() -> None:
    with pytest.raises(tu.InvalidPresenceError):
        tu.transform_selection("3", ["x"])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- inversion, helpers


def test_invert() -> None:
    assert tu.invert([1, "a", {"d": "b"}]) == [1, {"d": "a"}, "b"]
    assert tu.invert(["a", {"d": "b"}]) == [{"d": "a"}, "b"]
    assert tu.invert([]) == []
    with pytest.raises(tu.NotInvertibleError):
        tu.invert([1, {"d": 1}])


def test_make_invertible_and_invert_with_doc() -> None:
    doc = "a😀bcd"
    op = [1, {"d": 2}, "X", {"d": "c"}]
    assert tu.make_invertible(op, doc) == [1, {"d": "😀b"}, "X", {"d": "c"}]
    assert tu.make_invertible([{"d": 1}, {"d": "😀"}, {"d": 1}], doc) == [{"d": "a😀b"}]
    inverse = tu.invert_with_doc(op, doc)
    assert tu.apply(tu.apply(doc, op), inverse) == doc
    with pytest.raises(InvalidOpError):
        tu.make_invertible([3, {"d": 5}], doc)


def test_strip_invertible_and_is_invertible() -> None:
    op = [1, {"d": "😀b"}, "x", {"d": 2}]
    assert not tu.is_invertible(op)
    assert tu.is_invertible([1, {"d": "😀b"}, "x"])
    assert tu.strip_invertible(op) == [1, {"d": 2}, "x", {"d": 2}]
    assert tu.strip_invertible([{"d": "ab"}, {"d": "c"}]) == [{"d": 3}]


def test_is_noop_and_lengths() -> None:
    assert tu.is_noop([])
    assert not tu.is_noop(["a"])
    op = [2, "😀x", {"d": "ab"}, 1, {"d": 3}]
    assert tu.pre_length(op) == 8
    assert tu.post_length(op) == 5
    assert tu.pre_length([]) == 0


def test_insert_and_remove_helpers() -> None:
    assert tu.insert(0, "hi") == ["hi"]
    assert tu.insert(3, "😀") == [3, "😀"]
    assert tu.insert(3, "") == []
    assert tu.remove(0, 2) == [{"d": 2}]
    assert tu.remove(4, "ab") == [4, {"d": "ab"}]
    assert tu.remove(4, "") == []
    assert tu.remove(4, 0) == []


# --------------------------------------------------------------------------- properties

PROPERTY_CASES = 3000


def test_property_transform_converges_tp1() -> None:
    """apply(apply(d,a), T(b,a,left)) == apply(apply(d,b), T(a,b,right)), both ways round.

    Holds for normalized ops (what ShareDB clients send), with both delete forms mixed.
    """
    rng = random.Random(20261126)
    for _ in range(PROPERTY_CASES):
        doc = random_doc(rng)
        a = random_op(rng, doc, normalized=True)
        b = random_op(rng, doc, normalized=True)
        for first, second in ((a, b), (b, a)):
            left = tu.apply(tu.apply(doc, first), tu.transform(second, first, "left"))
            right = tu.apply(tu.apply(doc, second), tu.transform(first, second, "right"))
            assert left == right, (doc, a, b)


def test_non_normalized_ops_break_tp1_as_in_js_and_normalize_fixes_it() -> None:
    """Adjacent inserts pass checkOp, but the tie-break then splits them (JS does the same), so
    the server must normalize incoming ops before committing them."""
    doc = "abc"
    a = ["1", "2"]
    b = ["x"]
    left = tu.apply(tu.apply(doc, b), tu.transform(a, b, "left"))
    right = tu.apply(tu.apply(doc, a), tu.transform(b, a, "right"))
    assert (left, right) == ("1x2abc", "12xabc")
    a = tu.check_and_normalize(a)
    left = tu.apply(tu.apply(doc, b), tu.transform(a, b, "left"))
    right = tu.apply(tu.apply(doc, a), tu.transform(b, a, "right"))
    assert left == right == "12xabc"


def test_property_transform_keeps_invertibility_and_strict_apply() -> None:
    """Transformed invertible ops carry the right text, so strict apply accepts them."""
    rng = random.Random(7)
    for _ in range(PROPERTY_CASES):
        doc = random_doc(rng)
        a = random_op(rng, doc, invertible=True)
        b = random_op(rng, doc, invertible=True)
        a2 = tu.transform(a, b, "left")
        assert tu.is_invertible(a2)
        after_b = tu.apply(doc, b)
        after_both = tu.apply(after_b, a2)  # strict: checks every deleted text
        assert tu.apply(after_both, tu.invert(a2)) == after_b


def test_property_compose_equivalence() -> None:
    rng = random.Random(42)
    for _ in range(PROPERTY_CASES):
        doc = random_doc(rng)
        a = random_op(rng, doc)
        mid = tu.apply(doc, a)
        b = random_op(rng, mid)
        ab = tu.compose(a, b)
        tu.check_op(ab)
        assert tu.apply(doc, ab) == tu.apply(mid, b), (doc, a, b)
        if tu.is_invertible(a) and tu.is_invertible(b):
            assert tu.is_invertible(ab)
            assert tu.apply(tu.apply(doc, ab), tu.invert(ab)) == doc


def test_property_normalize_preserves_meaning() -> None:
    rng = random.Random(3)
    for _ in range(PROPERTY_CASES):
        doc = random_doc(rng)
        op = random_op(rng, doc, normalized=False)
        sloppy: list = []
        for c in op:
            sloppy.append(c)
            if rng.random() < 0.2:
                sloppy.append(rng.choice([0, "", {"d": 0}, {"d": ""}]))
        if rng.random() < 0.3:
            sloppy.append(rng.randint(0, 5))
        norm = tu.normalize(sloppy)
        tu.check_op(norm)
        assert norm == _merge_all([c for c in sloppy if c not in (0, "", {"d": 0}, {"d": ""})])
        assert tu.normalize(norm) == norm
        assert tu.apply(doc, norm, strict=False) == tu.apply(doc, op, strict=False)


def test_property_identities_and_inverse() -> None:
    rng = random.Random(11)
    for _ in range(PROPERTY_CASES):
        doc = random_doc(rng)
        op = random_op(rng, doc, normalized=True)
        assert tu.transform(op, [], "left") == op
        assert tu.transform([], op, "right") == []
        assert tu.compose(op, []) == op
        assert tu.compose([], op) == op
        inverse = tu.invert_with_doc(op, doc)
        assert tu.apply(tu.apply(doc, op), inverse) == doc


def test_property_cursor_follows_text() -> None:
    """The character right after a cursor is still right after it, unless it was deleted."""
    rng = random.Random(5)
    for _ in range(PROPERTY_CASES):
        doc = random_doc(rng)
        if not doc:
            continue
        op = random_op(rng, doc)
        cursor = rng.randrange(len(doc))
        marked = doc[:cursor] + "\U000f0000" + doc[cursor:]  # private-use marker char
        marked_op = tu.transform(op, tu.insert(cursor, "\U000f0000"), "right")
        new_doc = tu.apply(marked, marked_op)
        new_cursor = tu.transform_position(cursor, op)
        assert new_doc.index("\U000f0000") == new_cursor


def test_typing_session_replicas_converge() -> None:
    """Three simulated clients type concurrently against a ShareDB-style server (left side)."""
    rng = random.Random(99)
    server_doc = "def main():\n    print('héllo 👋')\n"
    history: list[list] = []
    for _ in range(300):
        base_v = rng.randint(max(0, len(history) - 4), len(history))
        base = server_doc if base_v == len(history) else None
        if base is None:
            base = "def main():\n    print('héllo 👋')\n"
            for committed in history[:base_v]:
                base = tu.apply(base, committed)
        op = random_typing_op(rng, base)
        for committed in history[base_v:]:
            op = tu.transform(op, committed, "left")
        server_doc = tu.apply(server_doc, op)
        history.append(op)
    replay = "def main():\n    print('héllo 👋')\n"
    for op in history:
        replay = tu.apply(replay, op)
    assert replay == server_doc
