"""The Kattis default validator's comparison, steered by validator flags (pure, no Docker)."""

from __future__ import annotations

import pytest

from execution.compare import ValidatorFlags, compare_output, flags_parse


def tokens(actual: str, expected: str, flags: str = "") -> bool:
    return compare_output(actual, expected, "tokens", flags=flags).ok


class TestFlagsParse:
    def test_all_flags(self):
        flags = flags_parse("case_sensitive  space_change_sensitive float_absolute_tolerance 1e-3")
        assert flags == ValidatorFlags(True, True, 1e-3, None)

    def test_float_tolerance_sets_both(self):
        assert flags_parse("float_tolerance 1e-6") == ValidatorFlags(False, False, 1e-6, 1e-6)
        assert flags_parse("").uses_floats is False

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("case_insensitive", "unknown validator flag 'case_insensitive'"),
            ("float_tolerance", "'float_tolerance' needs a number after it"),
            ("float_relative_tolerance abc", "needs a number, not 'abc'"),
            ("float_absolute_tolerance -1", "must be a finite number >= 0"),
            ("float_tolerance nan", "must be a finite number >= 0"),
        ],
    )
    def test_bad_flags_are_named(self, text, message):
        with pytest.raises(ValueError, match=message):
            flags_parse(text)


class TestDefaultTokens:
    @pytest.mark.parametrize("actual", ["A B", " A  B \t\n", "a\nb\n", "a b"])
    def test_any_whitespace_and_case_match(self, actual):
        assert tokens(actual, "A B\n")

    @pytest.mark.parametrize("actual", ["A B X", "X A B", "A B\n\n\n X", "A", "", "AB"])
    def test_missing_extra_or_joined_tokens_fail(self, actual):
        assert not tokens(actual, "A B\n")

    def test_empty_answer_accepts_only_whitespace(self):
        assert tokens(" \n\t", "")
        assert not tokens("0", "")

    def test_numbers_without_tolerance_are_plain_tokens(self):
        assert not tokens("2.0\n", "2\n")
        assert not tokens("0.30000001\n", "0.3\n")

    def test_detail_names_the_line_of_the_output(self):
        result = compare_output("1\n2\n4\n", "1 2 3", "tokens")
        assert not result.ok and result.detail.startswith("line 3:")
        assert "extra output" in compare_output("1 2 3 4", "1 2 3", "tokens").detail
        assert "output ended" in compare_output("1 2", "1 2 3", "tokens").detail


class TestCaseSensitive:
    def test_case_counts(self):
        assert tokens("Yes", "Yes", "case_sensitive")
        assert not tokens("YES", "Yes", "case_sensitive")

    def test_non_ascii_letters_are_not_folded(self):
        assert tokens("ÅB", "Åb")
        assert not tokens("åb", "Åb")


class TestSpaceChangeSensitive:
    def test_exact_whitespace_required(self):
        assert tokens("A B\n", "A B\n", "space_change_sensitive")
        assert tokens("a b\n", "A B\n", "space_change_sensitive")

    @pytest.mark.parametrize("actual", ["A  B\n", "A B", "A B\n\n", " A B\n", "A\tB\n", "A\nB\n"])
    def test_any_whitespace_change_fails(self, actual):
        result = compare_output(actual, "A B\n", "tokens", flags="space_change_sensitive")
        assert not result.ok and result.detail

    def test_crlf_counts_as_newline(self):
        assert tokens("A B\r\n", "A B\n", "space_change_sensitive")


class TestFloatTolerances:
    def test_absolute_tolerance(self):
        assert tokens("0.3000009", "0.3", "float_absolute_tolerance 1e-6")
        assert not tokens("0.300002", "0.3", "float_absolute_tolerance 1e-6")

    def test_relative_tolerance(self):
        assert tokens("1000000.9", "1000000", "float_relative_tolerance 1e-6")
        assert not tokens("0.0000011", "0.000001", "float_relative_tolerance 1e-6")

    def test_either_tolerance_is_enough(self):
        flags = "float_absolute_tolerance 1e-9 float_relative_tolerance 1e-3"
        assert tokens("1000.5", "1000", flags)
        assert not tokens("1002", "1000", flags)

    def test_any_float_formatting_of_a_numeric_answer(self):
        assert tokens("3.14000000e-2", "0.0314", "float_tolerance 1e-9")
        assert tokens("2", "2.0", "float_tolerance 1e-9")

    def test_a_number_is_required_where_the_answer_has_one(self):
        result = compare_output("pi", "3.14", "tokens", flags="float_tolerance 1e-2")
        assert not result.ok and "expected a number" in result.detail

    def test_words_still_compare_as_words(self):
        assert tokens("Area: 2.0001", "area: 2", "float_tolerance 1e-3")
        assert not tokens("Volume: 2", "area: 2", "float_tolerance 1e-3")

    def test_bad_flags_raise(self):
        with pytest.raises(ValueError):
            compare_output("1", "1", "tokens", flags="float_tolerance")

    def test_custom_mode_is_not_compared_here(self):
        with pytest.raises(ValueError, match="output validator"):
            compare_output("1", "1", "custom")
