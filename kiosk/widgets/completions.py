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
        from sync.vocabulary import Terms  # with the search, not with the start screen

        merged: dict[str, tuple[str, int]] = {}
        for entry in words:
            word, count = entry
            key = fold(word)
            if len(key) < MIN_LETTERS + 1 or "\n" in key:
                continue
            kept = merged.get(key)
            if kept is None:
                merged[key] = entry  # the catalogue's own pair, not a copy (13,000 at 50,000 offers)
            elif count > kept[1]:
                merged[key] = (word, count + kept[1])
            else:
                merged[key] = (kept[0], kept[1] + count)
        keys = sorted(merged)
        self.words = [merged[k] for k in keys]
        # The folded keys as one string (sync.vocabulary.Terms): 13,000 separate strings held
        # ~0.8 MB at 50,000 offers, for a look-up by beginning a few times per tap.
        self.keys = Terms.of(keys)

    def starting(self, prefix: str) -> list[tuple[str, str, int]]:
        """(folded key, word, count) of every word that starts with `prefix` (folded)."""
        lo = bisect.bisect_left(self.keys, prefix)
        hi = bisect.bisect_left(self.keys, prefix + "\U0010ffff", lo)
        return [(self.keys[i], *self.words[i]) for i in range(lo, hi)]

    def complete(self, typed: str, width: int) -> list[Completion]:
        """Completions of the word being typed whose buttons fit in `width` columns, best first.

        Words that begin with a shorter found word stay in its family (Senioren: Seniorenberatung,
        Seniorentreff …). While there is room in the row, the heaviest family is opened up (the
        word itself and its members), so a tap goes as deep as the row allows; with more families
        than room, the commonest come first and the rest are grouped by their beginnings.
        """
        prefix = fold(typed)
        if len(typed) < MIN_LETTERS or not prefix or width < MIN_BUTTON:
            return []
        found = [(k, w, n) for k, w, n in self.starting(prefix) if k != prefix]
        # The family tree: each word under the longest shorter found word that begins it.
        nodes: dict[str, _Node] = {}
        roots: list[_Node] = []
        for key, word, count in found:  # sorted: a word comes after every word that begins it
            node = _Node(key, word, count)
            parent = next((nodes[r] for r in _prefixes(key) if r in nodes and len(r) > len(prefix)), None)
            (parent.children if parent is not None else roots).append(node)
            nodes[key] = node
        shown: list[_Node] = sorted(roots, key=_Node.order)
        if _cost(shown) > width:
            return self._grouped(shown, typed, prefix, width)
        while True:  # open the heaviest family whose members still fit
            for i, node in enumerate(shown):
                if node.children and not node.opened:
                    opened = shown[:i] + [node.leaf()] + sorted(node.children, key=_Node.order) + shown[i + 1:]
                    if _cost(opened) <= width:
                        node.opened = True
                        shown = opened
                        break
                    node.opened = True  # too big: keep it closed
            else:
                break
        return [Completion(n.word, n.weight) for n in shown]

    @staticmethod
    def _grouped(roots: list[_Node], typed: str, prefix: str, width: int) -> list[Completion]:
        """More families than room: the heaviest first, the rest grouped by their beginnings."""
        direct: list[_Node] = []
        used = 0
        for node in roots:
            if used + _cost([node]) > width // 2 and direct:
                break
            direct.append(node)
            used += _cost([node])
        groups: dict[str, list[_Node]] = {}
        for node in roots[len(direct):]:
            groups.setdefault(node.key[:len(prefix) + 1], []).append(node)
        stems = []
        for members in groups.values():
            if len(members) == 1:
                stems.append(Completion(members[0].word, members[0].weight))
                continue
            common = _common_prefix([m.word.lower() for m in members])
            first = members[0].word
            stem = first[:len(common)] if len(common) > len(typed) else first[:len(typed) + 1]
            stems.append(Completion(stem, sum(m.weight for m in members), stem=True))
        stems.sort(key=lambda c: (-c.weight, c.word))
        return [Completion(n.word, n.weight) for n in direct] + stems


class _Node:
    """A found word and the found words that begin with it."""

    __slots__ = ("key", "word", "count", "children", "opened")

    def __init__(self, key: str, word: str, count: int) -> None:
        self.key, self.word, self.count = key, word, count
        self.children: list[_Node] = []
        self.opened = False

    @property
    def weight(self) -> int:
        return self.count + sum(child.weight for child in self.children)

    def order(self) -> tuple:
        return (-self.weight, len(self.key), self.key)

    def leaf(self) -> _Node:
        node = _Node(self.key, self.word, self.count)
        node.opened = True
        return node


def _cost(nodes: list) -> int:
    return sum(max(MIN_BUTTON, len(n.word) + BUTTON_PADDING) + BUTTON_GAP for n in nodes)


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


def paged(completions: list[Completion], width: int) -> list[list[Completion]]:
    """The completions cut into rows that fit in `width` columns, in their order; every row but a
    lone one leaves room for the "more" button (MIN_BUTTON wide)."""
    if len(fitting(completions, width)) == len(completions):
        return [completions] if completions else []
    room = width - MIN_BUTTON - BUTTON_GAP
    pages, rest = [], list(completions)
    while rest:
        page = fitting(rest, room)
        if not page:  # a word too long for any row: shown alone, cut by the button
            page = rest[:1]
        pages.append(page)
        rest = [c for c in rest if c not in page]
    return pages


class CompletionButton(BigButton):
    """One completion; `value` is the word (or beginning) it types."""

    def __init__(self, completion: Completion, index: int) -> None:
        super().__init__(completion.label, id=f"complete-{index}", classes="completion")
        self.value = completion.word
        self.stem = completion.stem


class Completions(Horizontal):
    """A row of completion buttons, and "▶" for the next row of them when there are more than fit;
    posts `Completions.Chosen` with the word tapped."""

    class Chosen(Message):
        def __init__(self, word: str) -> None:
            super().__init__()
            self.word = word

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pages: list[list[Completion]] = []
        self.page = 0

    @property
    def shown(self) -> list[Completion]:
        return self.pages[self.page] if self.pages else []

    async def show(self, completions: list[Completion]) -> None:
        pages = paged(completions, self.app.size.width - 2)  # the row's padding
        if pages == self.pages:
            return
        self.pages, self.page = pages, 0
        await self._show_page()

    async def _show_page(self) -> None:
        buttons: list[BigButton] = [CompletionButton(c, i) for i, c in enumerate(self.shown)]
        if len(self.pages) > 1:
            buttons.append(BigButton("▶", id="more-completions", classes="completion more"))
        async with self.batch():
            await self.remove_children()
            await self.mount_all(buttons)

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if isinstance(event.button, CompletionButton):
            event.stop()
            self.post_message(self.Chosen(event.button.value))
        elif event.button.id == "more-completions":
            event.stop()
            self.page = (self.page + 1) % len(self.pages)
            await self._show_page()
