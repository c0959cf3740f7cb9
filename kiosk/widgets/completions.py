"""Word completions for the search keyboard: after two letters, the catalogue's own words as big
tap targets, so a long word ("Schuldnerberatung") takes a few taps instead of seventeen.

The words are those of the offer and category names (`Catalogue.name_words`), spelled as there.
Matching folds case and umlauts like the search does (sync/text.py), so "flu" offers
"Flüchtlingsberatung". When more words start so than buttons fit in the row, the commonest come
first and the rest are grouped by their shared beginning ("Jugend…"): a tap on a beginning types it
and shows the words that go on from it.
"""
from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass

from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from sync.text import fold

from .buttons import BigButton

MIN_LETTERS = 2  # completions from the second letter of a word on
BUTTON_PADDING = 2  # columns around a label inside a button (padding: 0 1)
BUTTON_GAP = 1  # margin-right of each completion button
MIN_BUTTON = 12  # the smallest touch target (issue 3)
STEM = "…"


@dataclass(frozen=True)
class Completion:
    """A word to offer: a whole word of the catalogue, or a beginning shared by several (`stem`)."""

    word: str
    weight: int
    stem: bool = False

    @property
    def label(self) -> str:
        return self.word + STEM if self.stem else self.word


class CompletionIndex:
    """The catalogue's words, sorted by their folded form, for look-up by beginning."""

    def __init__(self, words: list[tuple[str, int]]) -> None:
        merged: dict[str, tuple[str, int]] = {}
        for word, count in words:
            key = fold(word)
            if len(key) < MIN_LETTERS + 1:
                continue
            kept = merged.get(key)
            if kept is None or count > kept[1]:
                merged[key] = (word, count + (kept[1] if kept else 0))
            else:
                merged[key] = (kept[0], kept[1] + count)
        self.keys = sorted(merged)
        self.words = [merged[k] for k in self.keys]

    def starting(self, prefix: str) -> list[tuple[str, str, int]]:
        """(folded key, word, count) of every word that starts with `prefix` (folded)."""
        lo = bisect.bisect_left(self.keys, prefix)
        hi = bisect.bisect_left(self.keys, prefix + "\U0010ffff", lo)
        return [(self.keys[i], *self.words[i]) for i in range(lo, hi)]

    def complete(self, typed: str, slots: int) -> list[Completion]:
        """At most `slots` completions of the word being typed, best first (see the module doc)."""
        prefix = fold(typed)
        if len(typed) < MIN_LETTERS or not prefix or slots <= 0:
            return []
        found = [(k, w, n) for k, w, n in self.starting(prefix) if k != prefix]
        # Roots: words that no shorter found word begins; each carries the weight of its family.
        roots: dict[str, list] = {}
        for key, word, count in found:  # sorted: a word comes after every word that begins it
            root = next((r for r in _prefixes(key) if r in roots and len(r) > len(prefix)), None)
            if root is None:
                roots[key] = [word, count]
            else:
                roots[root][1] += count
        items = sorted(((w, n, k) for k, (w, n) in roots.items()), key=lambda t: (-t[1], len(t[2]), t[2]))
        if len(items) <= slots:
            return [Completion(w, n) for w, n, _k in items]
        direct = items[:max(1, slots // 2)]
        groups: dict[str, list] = {}
        for w, n, k in items[len(direct):]:
            groups.setdefault(k[:len(prefix) + 1], []).append((w, n, k))
        stems = []
        for members in groups.values():
            if len(members) == 1:
                w, n, _k = members[0]
                stems.append(Completion(w, n))
                continue
            common = _common_prefix([w.lower() for w, _n, _k in members])
            first = members[0][0]
            stem = first[:len(common)] if len(common) > len(typed) else first[:len(typed) + 1]
            stems.append(Completion(stem, sum(n for _w, n, _k in members), stem=True))
        stems.sort(key=lambda c: (-c.weight, c.word))
        return [Completion(w, n) for w, n, _k in direct] + stems[:slots - len(direct)]


def _prefixes(key: str):
    for end in range(len(key) - 1, 0, -1):
        yield key[:end]


def _common_prefix(words: list[str]) -> str:
    first, last = min(words), max(words)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


_cache_lock = threading.Lock()
_cache: tuple[object, CompletionIndex] | None = None


def index_for(words: list[tuple[str, int]]) -> CompletionIndex:
    """The index of `words`, built once per list (the catalogue keeps one list per version)."""
    global _cache
    with _cache_lock:
        if _cache is not None and _cache[0] is words:
            return _cache[1]
    index = CompletionIndex(words)
    with _cache_lock:
        _cache = (words, index)
    return index


def fitting(completions: list[Completion], width: int) -> list[Completion]:
    """The completions whose buttons fit side by side in `width` columns, in their order."""
    shown, used = [], 0
    for completion in completions:
        need = max(MIN_BUTTON, len(completion.label) + BUTTON_PADDING) + BUTTON_GAP
        if used + need <= width:
            shown.append(completion)
            used += need
    return shown


def slots_for(width: int) -> int:
    """How many completions to ask for: as many as could fit if every word were short."""
    return max(1, width // (MIN_BUTTON + BUTTON_GAP))


class CompletionButton(BigButton):
    """One completion; `value` is the word (or beginning) it types."""

    def __init__(self, completion: Completion, index: int) -> None:
        super().__init__(completion.label, id=f"complete-{index}", classes="completion")
        self.value = completion.word
        self.stem = completion.stem


class Completions(Horizontal):
    """A row of completion buttons; posts `Completions.Chosen` with the word tapped."""

    class Chosen(Message):
        def __init__(self, word: str) -> None:
            super().__init__()
            self.word = word

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: list[Completion] = []

    async def show(self, completions: list[Completion]) -> None:
        width = max(self.size.width, self.app.size.width - 2)
        shown = fitting(completions, width)
        if shown == self.shown:
            return
        self.shown = shown
        async with self.batch():
            await self.remove_children()
            await self.mount_all([CompletionButton(c, i) for i, c in enumerate(shown)])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, CompletionButton):
            event.stop()
            self.post_message(self.Chosen(event.button.value))
