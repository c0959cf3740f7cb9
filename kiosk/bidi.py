"""Right-to-left text for a terminal that knows nothing about it.

Textual has no bidi support, and xterm or foot draw cells in logical order without shaping. So for
Arabic and Persian the kiosk lays out the text itself, per displayed line:

1. wrap the logical text (reading order) to the width, measuring each candidate line *after*
   shaping, because a lam-alef pair becomes one cell;
2. shape the line: Arabic letters become their presentation forms (initial, medial, final,
   isolated; lam-alef ligatures) with arabic-reshaper; a zero-width non-joiner (Persian "می‌خواهم")
   stops joining there and is then dropped, because the forms already show it;
3. reorder the line into visual order with python-bidi (the Unicode bidi algorithm, Rust crate
   unicode-bidi), paragraph direction right-to-left, so Latin words and digits stay readable
   left-to-right inside the Arabic line;
4. drop bidi control characters, which a terminal would otherwise draw as a box or a space.

Only the screen gets the result. Speech, QR payloads, printed slips and search keep the logical
text: the widgets keep it and call `display_lines` only in `render()`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from arabic_reshaper import ArabicReshaper
from bidi import get_display
from rich.cells import cell_len

# Keep harakat (vowel marks) out: terminals draw a combining mark on the cell before it, which
# after reordering is the wrong letter. Kiosk text is written without them anyway.
_RESHAPER = ArabicReshaper(configuration={"delete_harakat": True, "support_ligatures": True})
# Bidi controls and joiners that have done their work once the line is shaped and reordered.
_CONTROLS = re.compile("[\u200c\u200d\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
_PAIRS = {"(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "<": ">", ">": "<",
          "«": "»", "»": "«", "‹": "›", "›": "‹"}
_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def has_rtl(text: str) -> bool:
    """True if the text has a Hebrew, Arabic or Persian letter."""
    return bool(_RTL_CHARS.search(text))


@lru_cache(maxsize=4096)
def visual_line(line: str, rtl: bool = True) -> str:
    """One line (no newline) shaped and in visual order, left to right as the terminal draws it.

    `rtl`: the paragraph direction (the UI language's). A line without any right-to-left letter
    stays as it is (then only its alignment changes).
    """
    if not has_rtl(line):
        return line  # German catalogue text in an Arabic UI reads left to right, as written
    visual = get_display(_RESHAPER.reshape(line), base_dir="R" if rtl else "L")
    return _mirror_brackets(_CONTROLS.sub("", visual))


def _mirror_brackets(visual: str) -> str:
    """Mirror bracket pairs that the reordering reversed: "(5)" in Arabic comes back as ")5(".

    python-bidi's Rust algorithm orders bracket pairs right (UBA rule N0) but leaves mirroring
    (rule L4) to the renderer, which a terminal does not do. A pair read as closer...opener in the
    visual line lies in a right-to-left run, so both of its glyphs are mirrored.
    """
    chars, stack = list(visual), []  # (expected partner, index, reversed?)
    for i, char in enumerate(chars):
        if char not in _PAIRS:
            continue
        if stack and stack[-1][0] == char:
            _, start, reversed_pair = stack.pop()
            if reversed_pair:
                chars[start], chars[i] = _PAIRS[chars[start]], _PAIRS[char]
        else:
            stack.append((_PAIRS[char], i, char in ")]}>»›"))
    return "".join(chars)


def width(line: str, rtl: bool = True) -> int:
    """Terminal cells the line takes once shaped."""
    return cell_len(visual_line(line, rtl))


def _split_long(word: str, limit: int, rtl: bool) -> list[str]:
    """A word longer than the line, cut into pieces that fit (logical order)."""
    pieces, current = [], ""
    for char in word:
        if current and width(current + char, rtl) > limit:
            pieces.append(current)
            current = char
        else:
            current += char
    return pieces + [current] if current else pieces


def wrap(text: str, limit: int, rtl: bool = True) -> list[str]:
    """Logical lines of at most `limit` cells after shaping; words kept whole where they fit."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if width(candidate, rtl) <= limit:
                current = candidate
                continue
            if current:
                lines.append(current)
            pieces = _split_long(word, limit, rtl) if width(word, rtl) > limit else [word]
            lines += pieces[:-1]
            current = pieces[-1]
        lines.append(current)
    return lines


def truncate(line: str, limit: int, rtl: bool = True) -> str:
    """The line cut at its logical end with "…" so that it fits in `limit` cells once shaped."""
    if width(line, rtl) <= limit:
        return line
    while line and width(line + "…", rtl) > limit:
        line = line[:-1]
    return line.rstrip() + "…"


def display_lines(text: str, limit: int, *, rtl: bool = True, align: str = "right",
                  wrap_lines: bool = True) -> list[str]:
    """The logical `text` as the terminal must draw it in `limit` cells: wrapped in reading order
    (or, with `wrap_lines` False, each line cut with "…" at its logical end), then each line shaped
    and reordered, padded to `limit` cells on the left ("right"), on both sides ("center") or not
    at all ("none")."""
    limit = max(1, limit)
    out = []
    logical_lines = wrap(text, limit, rtl) if wrap_lines else [truncate(x, limit, rtl) for x in text.split("\n")]
    for logical in logical_lines:
        line = visual_line(logical, rtl)
        gap = max(0, limit - cell_len(line))
        if align == "right":
            line = " " * gap + line
        elif align == "center":
            line = " " * (gap // 2) + line + " " * (gap - gap // 2)
        out.append(line)
    return out
