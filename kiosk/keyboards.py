"""Letter layouts of the on-screen search keyboard, as data: one table per UI language.

A layout is three rows of keys. A keyboard narrower than a whole row (13 columns a key) shows it in
pages, as a split tablet keyboard does: page 1 holds the first part of every row, page 2 the next
part, and so on. Every page but the last has room for a tall key beside it (so at most 5 keys a row
at 80 columns); the last page has a key back to page 1 in its last row.

Each language has a "standard" layout (the one its visitors know from a keyboard or phone, where
there is one everybody learns) and an "abc" layout (the alphabet in its order, for a visitor who has
never used a keyboard). A language without a table of its own uses the German one. Arabic and
Farsi are alphabetical in both: their order (ا ب ت ث …) is the one taught in every school, while
the keyboard layouts differ between countries. Keys are single characters; the search folds
case, accents and umlauts (sync/text.py), so no key is needed for é or capitals.

Which way a layout runs: an alphabet is read in its script's direction, so an alphabetical layout
of a right-to-left script (`Layout.reads_right_to_left`) starts top right: ا at the right end of
the top row, each row (and the pages of a split keyboard) from the right, as a Persian or Arabic
alphabet chart on a classroom wall. A standard layout is places on keys, not an order: the Arabic
and the Persian (ISIRI 9147) keyboard, and the phone layouts copied from them, have ض at the top
left, on the key of Q, whatever the screen's direction; a visitor who knows one finds a letter by
its place, so a table of such a layout is given from the left and never mirrored. (The Arabic
and Persian tables here are alphabetical; kiosk/widgets/keyboard.py mirrors them.)

This module must not import Textual (the languages helper and tests read it without a screen).
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

KEY_WIDTH = 12  # columns: the smallest touch target (issue 3)
KEY_GAP = 1  # margin-right of every key, see kiosk.tcss
PAGE_KEYS = 5  # keys of a row on a page that has the tall switch key beside it (80 columns)
LAST_PAGE_KEYS = 6  # keys of a row on the last page (no tall key: 6 x 13 = 78 columns)
STYLES = ("standard", "abc")
DIGITS = ("12345", "67890", "")


@dataclass(frozen=True)
class Layout:
    """Three rows of keys, each cut into one part per page (see the module doc)."""

    name: str  # e.g. "qwertz", "abc"
    label: str  # how a visitor recognises it on the toggle key: "QWERTZ", "ABC", "АБВ"
    pages: tuple[tuple[str, ...], ...]  # pages[p][r]: the keys of row r shown on page p
    alphabetical: bool = False  # the keys in the alphabet's order (else places on a keyboard)

    def __post_init__(self) -> None:
        if len({len(page) for page in self.pages}) != 1:
            raise ValueError(f"{self.name}: every page needs the same number of rows")
        for p, page in enumerate(self.pages):
            most = LAST_PAGE_KEYS if p == len(self.pages) - 1 else PAGE_KEYS
            if any(len(part) > most for part in page):
                raise ValueError(f"{self.name}: page {p + 1} has a row of more than {most} keys")
        if len(self.pages) > 1 and len(self.pages[-1][-1]) >= LAST_PAGE_KEYS:
            raise ValueError(f"{self.name}: the last page's last row needs room for the key back")
        keys = self.keys
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.name}: a key is there twice")

    @property
    def rows(self) -> tuple[str, ...]:
        """The whole rows, as a keyboard wide enough shows them."""
        return tuple("".join(page[r] for page in self.pages) for r in range(len(self.pages[0])))

    @property
    def keys(self) -> str:
        return "".join(self.rows)

    @property
    def reads_right_to_left(self) -> bool:
        """An alphabet of a right-to-left script (Arabic, Persian): shown from the right (module doc)."""
        return self.alphabetical and unicodedata.bidirectional(self.keys[0]) in ("R", "AL")

    @property
    def full_width(self) -> int:
        """Columns needed to show every row whole (13 a key)."""
        return max(map(len, self.rows)) * (KEY_WIDTH + KEY_GAP)


def paged(name: str, label: str, rows: tuple[str, ...], *, alphabetical: bool = False) -> Layout:
    """A layout from whole rows, each cut evenly into as few pages as fit (longer parts last)."""
    problem: ValueError | None = None
    for count in range(1, max(map(len, rows)) + 1):
        pages = [[""] * len(rows) for _ in range(count)]
        for r, row in enumerate(rows):
            size, extra = divmod(len(row), count)
            at = 0
            for p in range(count):
                n = size + (1 if p >= count - extra else 0)
                pages[p][r], at = row[at:at + n], at + n
        try:
            return Layout(name, label, tuple(tuple(page) for page in pages), alphabetical)
        except ValueError as exc:
            problem = exc
    raise problem or ValueError(f"{name}: no rows")


def alphabetical(label: str, alphabet: str, rows: int = 3) -> Layout:
    """The alphabet in its order, in `rows` rows as even as possible."""
    width = math.ceil(len(alphabet) / rows)
    return paged("abc", label, tuple(alphabet[i * width:(i + 1) * width] for i in range(rows)), alphabetical=True)


GERMAN_ABC = "abcdefghijklmnopqrstuvwxyzäöüß"
# QWERTZ keeps the split of a tablet keyboard: Q-T / A-G / Y-B, then Z-Ü / H-Ä / N-ß.
QWERTZ = Layout("qwertz", "QWERTZ", (("qwert", "asdfg", "yxcvb"), ("zuiopü", "hjklöä", "nmß")))

LAYOUTS: dict[str, dict[str, Layout]] = {
    "de": {"standard": QWERTZ, "abc": alphabetical("ABC", GERMAN_ABC)},
    "uk": {"standard": paged("йцукен", "ЙЦУКЕН", ("йцукенгшщзхї", "фівапролджє", "ґячсмитьбю'")),
           "abc": alphabetical("АБВ", "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'")},
    "ru": {"standard": paged("йцукен", "ЙЦУКЕН", ("йцукенгшщзхъ", "фывапролджэ", "ячсмитьбюё")),
           "abc": alphabetical("АБВ", "абвгдеёжзийклмнопрстуфхцчшщъыьэюя")},
    "ar": {"abc": alphabetical("أ ب ت", "ابتثجحخدذرزسشصضطظعغفقكلمنهويءأإآةىؤئ")},
    "fa": {"abc": alphabetical("ا ب پ", "اآبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیءئ")},
    "tr": {"standard": paged("qwerty", "QWERTY", ("qwertyuıopğü", "asdfghjklşi", "zxcvbnmöç")),
           "abc": alphabetical("ABC", "abcçdefgğhıijklmnoöprsştuüvyzqwx")},
    "pl": {"standard": paged("qwerty", "QWERTY", ("qwertyuiopęó", "asdfghjklłąś", "zxcvbnmżźćń")),
           "abc": alphabetical("ABC", "aąbcćdeęfghijklłmnńoóprsśtuwyzźżqvx")},
    "ro": {"standard": paged("qwerty", "QWERTY", ("qwertyuiopăî", "asdfghjklșțâ", "zxcvbnm")),
           "abc": alphabetical("ABC", "aăâbcdefghiîjklmnopqrsștțuvwxyz")},
}
FALLBACK = "de"


def layout_for(language: str, style: str = "standard") -> Layout:
    """The layout of `style` for a UI language (its own table, else German); a language with one
    layout only uses it for both styles."""
    table = LAYOUTS.get(language.split("-")[0].split("_")[0]) or LAYOUTS[FALLBACK]
    return table.get(style) or next(iter(table.values()))


def other_style(language: str, style: str) -> str | None:
    """The style the toggle key switches to, or None when the language has one layout only."""
    table = LAYOUTS.get(language.split("-")[0].split("_")[0]) or LAYOUTS[FALLBACK]
    others = [s for s in STYLES if s != style and s in table and table[s] != layout_for(language, style)]
    return others[0] if others else None
