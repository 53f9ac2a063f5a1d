"""Escaping: every TeX special and hostile sequence becomes text, URLs are allow-listed."""

from __future__ import annotations

import pytest

from pipeline.compile.escape import (
    BREAK_EVERY,
    TexSafe,
    escape_tex,
    normalise_url,
    safe_url,
    tie_last_word,
)


@pytest.mark.parametrize(("raw", "tex"), [
    ("&", r"\&"), ("%", r"\%"), ("$", r"\$"), ("#", r"\#"), ("_", r"\_"), ("{", r"\{"),
    ("}", r"\}"), ("~", r"\textasciitilde{}"), ("^", r"\textasciicircum{}"),
    ("\\", r"\textbackslash{}"), ("[", "{[}"), ("]", "{]}"), ("`", r"\textasciigrave{}"),
])
def test_each_special_becomes_text(raw: str, tex: str) -> None:
    assert escape_tex(raw) == tex


def test_hostile_commands_lose_their_backslash() -> None:
    out = escape_tex(r"\input{/etc/passwd} \write18{touch x} ^^5cinput")
    assert "\\input" not in out and "\\write18" not in out
    assert "^^" not in out  # ^^5c would otherwise read as a backslash
    assert out.startswith(r"\textbackslash{}input\{/etc/passwd\}")


def test_ligature_pairs_are_split() -> None:
    assert escape_tex("a--b <<c>> ,,d'' ") == "a-{}-b <{}<c>{}> ,{},d'{}' "


def test_control_and_format_characters_removed_newlines_become_spaces() -> None:
    assert escape_tex("a\x00b\x1bc\u200bd\u202ee\nf\r\ng\tz") == "abcde f g z"


def test_none_prints_nothing_and_texsafe_passes_through() -> None:
    assert escape_tex(None) == ""
    assert escape_tex(TexSafe(r"\textbf{x}")) == r"\textbf{x}"
    assert escape_tex(3.5) == "3.5"


def test_long_runs_get_break_points_and_short_ones_do_not() -> None:
    word = "x" * 10_000
    out = escape_tex(word)
    assert out.replace(r"\allowbreak{}", "") == word
    assert out.count(r"\allowbreak{}") == 10_000 // BREAK_EVERY - 1
    assert escape_tex("Kubernetes-native") == "Kubernetes-native"
    assert escape_tex("https://linkedin.com/in/someone-long") == (
        "https://linkedin.com/in/someone-long")
    assert escape_tex(word, breaks=False) == word


def test_escaping_is_not_fooled_by_already_escaped_text() -> None:
    assert escape_tex(r"\&") == r"\textbackslash{}\&"


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "http://", "a b",
    "ftp://example.com", "",
])
def test_disallowed_urls_are_refused(url: str) -> None:
    assert normalise_url(url) is None
    assert safe_url(url) == ""


def test_allowed_urls_are_percent_encoded_for_href() -> None:
    assert safe_url("https://example.com/a b") == ""  # a space: not a URL
    assert safe_url("https://ex.com/p?q=1&r=2#frag") == r"https://ex.com/p?q=1\&r=2\#frag"
    assert safe_url("https://ex.com/{x}\\y%zz~_") == (
        r"https://ex.com/\%7Bx\%7D\%5Cy\%25zz\%7E\%5F")
    assert safe_url("mailto:jane@example.com") == "mailto:jane@example.com"
    assert safe_url("tel:+15551234567") == "tel:+15551234567"
    assert safe_url("github.com/jane") == "https://github.com/jane"
    assert safe_url(None) == ""


def test_a_bullet_ends_on_a_line_of_more_than_one_short_word() -> None:
    # "to 8" alone on the last line was a widow: the last words are tied to the one before
    assert tie_last_word("cutting deploy time from 45 minutes to 8") == (
        "cutting deploy time from 45 minutes~to~8")
    assert tie_last_word("Cut spend by 40% & more") == r"Cut spend by~40\%~\&~more"
    assert tie_last_word("Two words") == "Two words"  # nothing left to break before
    long = "x" * 60
    assert "~" not in tie_last_word(f"see {long}")  # a long run wraps inside itself
