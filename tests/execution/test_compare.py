"""Output comparison modes (pure, no Docker)."""

from __future__ import annotations

import pytest

from execution.compare import compare_output


class TestExact:
    def test_identical_and_crlf_are_equal(self):
        assert compare_output("1 2\n3\n", "1 2\n3\n", "exact").ok
        assert compare_output("1 2\r\n3\r\n", "1 2\n3\n", "exact").ok

    @pytest.mark.parametrize("actual", ["1 2 \n3\n", "1 2\n3", "1 2\n3\n\n", " 1 2\n3\n"])
    def test_any_whitespace_difference_fails(self, actual):
        assert not compare_output(actual, "1 2\n3\n", "exact").ok

    def test_detail_locates_difference(self):
        result = compare_output("a\nb\n", "a\nc\n", "exact")
        assert result.detail.startswith("line 2:")


class TestTrailingWhitespace:
    @pytest.mark.parametrize(
        "actual",
        ["1 2\n3\n", "1 2   \n3\t\n", "1 2\n3", "1 2\n3\n\n\n", "1 2\r\n3\r\n", "1 2\n3\n  \n"],
    )
    def test_trailing_spaces_and_blank_lines_ignored(self, actual):
        assert compare_output(actual, "1 2\n3\n")

    @pytest.mark.parametrize("actual", [" 1 2\n3\n", "1  2\n3\n", "1 2\n\n3\n", "1 2\n", "12\n3\n"])
    def test_leading_inner_and_missing_lines_count(self, actual):
        assert not compare_output(actual, "1 2\n3\n")

    def test_missing_and_extra_lines_are_described(self):
        assert "ended after 1 line" in compare_output("1\n", "1\n2\n").detail
        assert "extra output" in compare_output("1\n2\n", "1\n").detail


class TestFloat:
    def test_within_absolute_tolerance(self):
        assert compare_output("0.3333334\n", "0.3333333\n", "float", 1e-6)
        assert not compare_output("0.33334\n", "0.33333\n", "float", 1e-6)

    def test_within_relative_tolerance_for_large_numbers(self):
        assert compare_output("1000000.5\n", "1000000.0\n", "float", 1e-6)
        assert not compare_output("1000002.5\n", "1000000.0\n", "float", 1e-6)

    def test_tokens_and_formats(self):
        assert compare_output("x = 1.0000001  2e3\n", "x = 1 2000.0", "float", 1e-6)
        assert not compare_output("y = 1 2000\n", "x = 1 2000", "float", 1e-6)

    def test_nan_never_matches(self):
        assert not compare_output("nan\n", "nan\n", "float", 1e-6)
        assert not compare_output("NaN\n", "1.0\n", "float", 1e-6)

    def test_token_and_line_counts_must_match(self):
        assert not compare_output("1 2 3\n", "1 2\n", "float")
        assert not compare_output("1\n2\n", "1 2\n", "float")
        assert compare_output("1\n2\n\n", "1\n2", "float")

    def test_non_numeric_token_against_number_fails(self):
        assert not compare_output("abc\n", "1.5\n", "float")

    def test_negative_tolerance_rejected(self):
        with pytest.raises(ValueError):
            compare_output("1", "1", "float", -1)


def test_unknown_mode_rejected():
    with pytest.raises(ValueError, match="unknown comparison"):
        compare_output("1", "1", "levenshtein")


def test_modes_match_challenge_model_choices():
    from challenges.models import Comparison
    from execution.compare import MODES

    assert set(MODES) == set(Comparison.values)
