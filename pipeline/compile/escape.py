"""Turning untrusted text into LaTeX that prints literally.

Every value a template shows goes through `escape_tex` (the Jinja environment applies it in
`finalize`), so a resume field can never run a TeX command: the ten specials become text
commands, `[`/`]` are braced (a `[` after `\\item` would be read as an option), control and
format characters are removed, and line breaks become spaces. Keyword blacklists would not
work (`^^5c` and catcode tricks get around them); escaping the characters does.

URLs get their own filter, `safe_url`: only http, https, mailto and tel, percent-encoded so
that nothing in them is special to TeX or to hyperref.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, urlsplit

# Longest run of non-space characters set without a break opportunity. Longer runs (a
# 10,000-character "word", a long URL shown as text) get `\allowbreak` every BREAK_EVERY
# characters so that they wrap, filling the lines, instead of running off the page.
LONG_RUN = 40
BREAK_EVERY = 10

_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "[": "{[}",
    "]": "{]}",
    # T1 turns these pairs into ligatures (-- → en dash, << → «, ,, → „, `` → “) and !` / ?`
    # into ¡ / ¿; `\textasciigrave` keeps the grave literal. The pairs are split below.
    "`": r"\textasciigrave{}",
}
# Ligature pairs that would not print as typed; a `{}` between the two characters stops them.
_LIGATURES = re.compile(r"(?<=-)(?=-)|(?<=<)(?=<)|(?<=>)(?=>)|(?<=,)(?=,)|(?<=')(?=')")
_SPECIAL_RE = re.compile(r"[\\&%$#_{}~^\[\]`]")
_LINE_BREAKS = re.compile(r"[\r\n\t\v\f\u0085\u2028\u2029]+")
_RUN = re.compile(rf"\S{{{LONG_RUN + 1},}}")


class TexSafe(str):
    """A string that is already LaTeX; `finalize` passes it through unescaped."""

    __slots__ = ()


def clean_text(value: str) -> str:
    """NFC-normalised text with line breaks as spaces and control/format characters removed.

    Format characters (zero-width spaces, bidi overrides, BOM) are invisible, break pdflatex,
    and can hide text from a reader, so they go too.
    """
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub(" ", value))
    return "".join(ch for ch in text if unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co"))


def _escape_chars(text: str) -> str:
    text = _LIGATURES.sub("\x00", text)  # marker, replaced after the specials are done
    text = _SPECIAL_RE.sub(lambda m: _SPECIALS[m.group(0)], text)
    return text.replace("\x00", "{}")


def _break_long_runs(text: str) -> str:
    """Insert a break opportunity every BREAK_EVERY characters of an over-long run."""

    def split(match: re.Match[str]) -> str:
        run = match.group(0)
        return "\x01".join(run[i : i + BREAK_EVERY] for i in range(0, len(run), BREAK_EVERY))

    return _RUN.sub(split, text)


def escape_tex(value: object, *, breaks: bool = True) -> str:
    """`value` as LaTeX that prints it literally; None prints as nothing.

    `breaks=False` leaves long runs whole (for PDF metadata, where `\\allowbreak` means nothing).
    """
    if value is None:
        return ""
    if isinstance(value, TexSafe):
        return value
    text = clean_text(str(value))
    if breaks:
        text = _break_long_runs(text)
    return _escape_chars(text).replace("\x01", r"\allowbreak{}")


# A bullet's last line holds at least this many characters ("minutes to 8", not "to 8"),
# taking at most TIE_MAX_WORDS words back from the line before.
TIE_MIN_CHARS = 12
TIE_MAX_WORDS = 4


def tied_tail(text: str) -> int:
    """How many last words of `text` to tie together (0: none). Words longer than LONG_RUN
    are never tied (they wrap inside themselves), and one word always stays free to break."""
    words = clean_text(text).split()
    count = 1
    while (count < TIE_MAX_WORDS and count + 1 < len(words)
           and len(" ".join(words[-count:])) < TIE_MIN_CHARS):
        count += 1
    if count < 2 or any(len(w) > LONG_RUN for w in words[-count:]):
        return 0
    return count


def tie_last_word(value: object) -> TexSafe:
    """`value` escaped, its last words tied by non-breaking spaces (`~`, see `tied_tail`), so
    a bullet never ends on a line holding one short word. Text extraction reads `~` as a
    plain space."""
    words = clean_text(str(value or "")).split()
    count = tied_tail(" ".join(words))
    if not count:
        return TexSafe(escape_tex(" ".join(words)))
    head, tail = words[:-count], words[-count:]
    return TexSafe(escape_tex(" ".join(head)) + " " + "~".join(escape_tex(w) for w in tail))


_URL_SCHEMES = ("http", "https", "mailto", "tel")
# Kept as is in a URL; everything else is percent-encoded, TeX specials included (`%`, `#`
# and `&` are escaped for \href in `safe_url`).
_URL_SAFE = "/:@!&'()*+,;=?#%-."


def normalise_url(url: str) -> str | None:
    """The URL percent-encoded, or None when its scheme is not allowed or it is malformed.

    A bare host ("example.com/me") is read as https, the way people write it on resumes.
    """
    raw = clean_text(url).strip()
    if not raw or " " in raw:
        return None
    # No scheme (a colon followed by a port number is not one): read as a bare host.
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)", raw):
        raw = ("mailto:" if "@" in raw and "/" not in raw else "https://") + raw
    try:
        parts = urlsplit(raw)
    except ValueError:
        return None
    if parts.scheme.lower() not in _URL_SCHEMES:
        return None
    if parts.scheme.lower() in ("http", "https") and not parts.netloc:
        return None
    encoded = quote(raw, safe=_URL_SAFE)
    # A `%` not starting a valid escape is encoded, so the URL cannot smuggle `%` comments.
    return re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", encoded)


def safe_url(url: object) -> TexSafe:
    """A URL as the first argument of `\\href`: empty when not allowed.

    Templates write `\\href{\\VAR{x|safe_url}}{\\VAR{x}}` only inside `if x|safe_url`.
    """
    if not isinstance(url, str):
        return TexSafe("")
    normal = normalise_url(url)
    if normal is None:
        return TexSafe("")
    # `~` and `_` are unreserved, so their percent-encoded forms mean the same URL; encoded,
    # nothing but `\%`, `\#` and `\&` is left that TeX could read as markup.
    normal = normal.replace("~", "%7E").replace("_", "%5F")
    return TexSafe(normal.replace("%", r"\%").replace("#", r"\#").replace("&", r"\&"))


def display_url(url: object) -> str:
    """How a URL reads on the page: without the scheme and a trailing slash."""
    if not isinstance(url, str):
        return ""
    text = clean_text(url).strip()
    text = re.sub(r"(?i)^(https?://|mailto:|tel:)", "", text)
    return text.removeprefix("www.").rstrip("/")
