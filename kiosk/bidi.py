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
from collections.abc import Callable
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
# The brackets that UBA pairs (BD16, Bidi_Paired_Bracket) and kiosk text uses: closer -> opener.
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_OPENERS = frozenset(_CLOSERS.values())
# Other paired brackets of BidiBrackets.txt, each pair standing in for one pair of a line while
# it is reordered (same bidi class, paired the same way), so that its two ends can be told apart.
_STAND_INS: list[tuple[str, str]] = [(pair[0], pair[1]) for pair in (
    "⟦⟧", "⟨⟩", "⟪⟫", "⟬⟭", "⟮⟯", "⦃⦄", "⦅⦆", "⦇⦈", "⦉⦊", "⦋⦌", "⦍⦎", "⦏⦐", "⦑⦒", "⦓⦔", "⦕⦖", "⦗⦘",
    "⧘⧙", "⧚⧛", "⧼⧽", "❨❩", "❪❫", "❬❭", "❮❯", "❰❱", "❲❳", "❴❵", "⁅⁆", "⁽⁾", "₍₎", "⌈⌉", "⌊⌋", "⟅⟆")]
# Numbers with their separators ("02572 123-45", "9:00–12:00", "31.07.2026"): kept as one
# left-to-right unit. Without it the bidi algorithm turns digits after Arabic letters into Arabic
# numbers, and a phone number "123-45" comes out as "45-123".
# Not a number inside a word ("A1", "B2-Kurs"): that one goes with its word.
# Babel's Arabic and Persian dates carry a right-to-left mark inside ("31\u200f/12"): part of the run,
# and dropped from it, else the run ends at the mark and "31/12 18:00" comes out as "12 18:00/31".
_NUMBER_RUN = re.compile(r"(?<![^\W\d_])\+?\d(?:[\d.,:/\-–+ \u200e\u200f\u061c]*\d)?(?![^\W\d_])")
_MARKS = re.compile("[\u200e\u200f\u061c]")
_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def isolate_numbers(text: str) -> str:
    """`text` with each run of digits and separators in a left-to-right isolate (LRI … PDI)."""
    return _NUMBER_RUN.sub(lambda m: f"\u2066{_MARKS.sub('', m.group(0))}\u2069", text)


def has_rtl(text: str) -> bool:
    """True if the text has a Hebrew, Arabic or Persian letter."""
    return bool(_RTL_CHARS.search(text))


@lru_cache(maxsize=4096)
def visual_line(line: str, rtl: bool = True, paragraph_rtl: bool | None = None) -> str:
    """One line (no newline) shaped and in visual order, left to right as the terminal draws it.

    `rtl`: the paragraph direction (the UI language's). A paragraph without any right-to-left
    letter stays as it is (then only its alignment changes); `paragraph_rtl` says whether the
    line's paragraph has one (default: the line itself), so that a wrapped Arabic paragraph's
    all-Latin last line still reads right to left.
    """
    if not (has_rtl(line) if paragraph_rtl is None else paragraph_rtl):
        return line  # German catalogue text in an Arabic UI reads left to right, as written
    marked, stand_ins = _mark_mirrored(isolate_numbers(_RESHAPER.reshape(line)))
    visual = _CONTROLS.sub("", get_display(marked, base_dir="R" if rtl else "L"))
    return _mirror_brackets(*_restore_mirrored(visual, stand_ins))


def _mark_mirrored(line: str) -> tuple[str, dict[str, str]]:
    """`line` with its mirrored characters replaced by stand-in brackets, so that each can be found
    again after reordering and told whether it lies in a right-to-left run; and the stand-ins with
    the characters they stand for ("" for the closer that marks a single character).

    A bracket pair (as UBA rule BD16 pairs them) becomes a stand-in pair of its own; any other
    mirrored character (a guillemet, "<", a bracket without its partner) becomes a stand-in pair
    with nothing inside, which is resolved as the neutral it stands for (rules N1, N2): its two
    ends land reversed exactly where the character lies in a right-to-left run.
    """
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, char in enumerate(line):
        if char in _OPENERS:
            stack.append(i)
        elif char in _CLOSERS:
            for depth in range(len(stack) - 1, -1, -1):  # BD16: the nearest opener of its kind
                if line[stack[depth]] == _CLOSERS[char]:
                    pairs.append((stack[depth], i))
                    del stack[depth:]
                    break
    paired = {i for pair in pairs for i in pair}
    single = [i for i, char in enumerate(line) if char in _PAIRS and i not in paired]
    if not pairs and not single:
        return line, {}
    chars, stand_ins = list(line), {}
    free = (pair for pair in _STAND_INS if pair[0] not in line and pair[1] not in line)
    for (start, end), (opener, closer) in zip(pairs, free):
        stand_ins[opener], stand_ins[closer] = line[start], line[end]
        chars[start], chars[end] = opener, closer
    for i, (opener, closer) in zip(single, free):
        stand_ins[opener], stand_ins[closer] = line[i], ""
        chars[i] = opener + closer
    return "".join(chars), stand_ins


def _restore_mirrored(visual: str, stand_ins: dict[str, str]) -> tuple[list[str], set[int]]:
    """The visual line's characters with the stand-ins turned back into what they stand for,
    mirrored (rule L4, which python-bidi leaves to the renderer, and a terminal does not do) where
    the reordering put a stand-in's closer before its opener: in a right-to-left run. Also the
    indices done (a single character's second stand-in becomes "")."""
    chars, done = list(visual), set[int]()
    if not stand_ins:
        return chars, done
    where = {char: i for i, char in enumerate(chars) if char in stand_ins}
    for opener, closer in _STAND_INS:
        if opener in where and closer in where:
            start, end = where[opener], where[closer]
            reversed_pair = end < start
            if stand_ins[closer]:  # a pair
                chars[start] = _PAIRS[stand_ins[opener]] if reversed_pair else stand_ins[opener]
                chars[end] = _PAIRS[stand_ins[closer]] if reversed_pair else stand_ins[closer]
            else:  # a single character, where the first of its two stand-ins was drawn
                char = stand_ins[opener]
                chars[min(start, end)], chars[max(start, end)] = _PAIRS[char] if reversed_pair else char, ""
            done |= {start, end}
    return chars, done


def _mirror_brackets(chars: list[str], done: set[int]) -> str:
    """The visual line, with the mirrored characters left (beyond the stand-ins: a line with more
    than 32) mirrored where they read as a reversed pair: "«5»" in Arabic comes back as "»5«".
    A pair read as closer...opener lies in a right-to-left run, so both of its glyphs are mirrored."""
    stack: list[tuple[str, int, bool]] = []  # (expected partner, index, reversed?)
    for i, char in enumerate(chars):
        if char not in _PAIRS or i in done:
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


def _split_long(word: str, limit: float, rtl: bool, measure: Callable[[str], float]) -> list[str]:
    """A word longer than the line, cut into pieces that fit (logical order)."""
    pieces, current = [], ""
    for char in word:
        if current and measure(current + char) > limit:
            pieces.append(current)
            current = char
        else:
            current += char
    return pieces + [current] if current else pieces


def wrap(text: str, limit: float, rtl: bool = True, measure: Callable[[str], float] | None = None) -> list[str]:
    """Logical lines of at most `limit` cells after shaping; words kept whole where they fit.

    `measure`: the width of a logical line once drawn (default: terminal cells after shaping; a
    printer passes its font's width of `visual_line`)."""
    measure = measure or (lambda line: width(line, rtl))
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if measure(candidate) <= limit:
                current = candidate
                continue
            if current:
                lines.append(current)
            pieces = _split_long(word, limit, rtl, measure) if measure(word) > limit else [word]
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


def lay_out(text: str, limit: float, *, rtl: bool = True, wrap_lines: bool = True,
            measure: Callable[[str], float] | None = None) -> list[str]:
    """The logical `text` as visual lines (no padding): each paragraph wrapped in reading order
    (or cut with "…" when `wrap_lines` is False), then each line shaped and reordered with the
    direction of its paragraph."""
    out = []
    for paragraph in text.split("\n"):
        lines = wrap(paragraph, limit, rtl, measure) if wrap_lines else [truncate(paragraph, int(limit), rtl)]
        para_rtl = has_rtl(paragraph)
        out += [visual_line(line, rtl, para_rtl) for line in lines]
    return out


def display_lines(text: str, limit: int, *, rtl: bool = True, align: str = "right",
                  wrap_lines: bool = True) -> list[str]:
    """The logical `text` as the terminal must draw it in `limit` cells: wrapped in reading order
    (or, with `wrap_lines` False, each line cut with "…" at its logical end), then each line shaped
    and reordered, padded to `limit` cells on the left ("right"), on both sides ("center"), on the
    right ("left") or not at all ("none")."""
    limit = max(1, limit)
    out = []
    for line in lay_out(text, limit, rtl=rtl, wrap_lines=wrap_lines):
        gap = max(0, limit - cell_len(line))
        if align == "right":
            line = " " * gap + line
        elif align == "center":
            line = " " * (gap // 2) + line + " " * (gap - gap // 2)
        elif align == "left":
            line += " " * gap
        out.append(line)
    return out
