"""Plain-text display and the result card a visitor taps to open an offer."""
from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from textual import events
from textual.app import RenderResult
from textual.binding import Binding
from textual.content import Content, ContentText
from textual.message import Message
from textual.widgets import Static

from .buttons import plain
from .rtl import rtl_active, rtl_content


class Plain(Static):
    """Static text that is never parsed as markup (for catalogue text and translations)."""

    def __init__(self, text: ContentText = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(plain(text), id=id, classes=classes, markup=False)

    def show(self, text: ContentText) -> None:
        """Replace the text, still as plain text."""
        self.update(plain(text))

    @property
    def text(self) -> str:
        """The text shown, in logical order (as given, before any right-to-left shaping)."""
        return str(self.visual)  # always Content here (see `plain`), whose str() is its text

    def render(self) -> RenderResult:
        # Right to left: shaped and reordered for the screen only; `visual` keeps the logical text.
        visual = self.visual
        return rtl_content(visual, self) if rtl_active() and isinstance(visual, Content) else visual


SEPARATOR = " · "  # between a card's organisation, town and distance (kiosk/present.py card_lines)
MIN_ORGANISATION = 8  # columns of the organisation's name worth keeping when a card's line is cut


class OfferCard(Static, can_focus=True):
    """One offer in a list: three lines, tapped (or Enter) to open it; posts `OfferCard.Chosen`."""

    BINDINGS = [Binding("enter,space", "choose", show=False)]

    class Chosen(Message):
        """The visitor chose the offer `offer_id`."""

        def __init__(self, offer_id: str) -> None:
            super().__init__()
            self.offer_id = offer_id

    def __init__(self, offer_id: str, content: Content, *, classes: str | None = None) -> None:
        super().__init__(content, classes=classes, markup=False)
        self.offer_id = offer_id

    def render(self) -> RenderResult:
        visual = self.visual
        if not isinstance(visual, Content):
            return visual
        visual = self._fitted(visual)
        return rtl_content(visual, self) if rtl_active() else visual

    def _fitted(self, content: Content) -> Content:
        """The card with its second line (organisation · town · distance) cut in the organisation
        when too wide, so that the town and the distance with its unit stay whole (the line's
        end would otherwise be cut: "… · Tecklenburg · 4,8…")."""
        width = self.content_size.width
        lines = content.split("\n")
        if width <= 0 or len(lines) < 2 or cell_len(lines[1].plain) <= width:
            return content
        first, sep, rest = lines[1].plain.partition(SEPARATOR)
        room = width - cell_len(sep + rest) - 1  # "…"
        if not sep or room < MIN_ORGANISATION:
            return content  # no room to keep: cut at the end as any line
        lines[1] = Content(set_cell_size(first, room).rstrip() + "…" + sep + rest)  # first is wider than room
        return Content("\n").join(lines)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_choose()

    def action_choose(self) -> None:
        self.post_message(self.Chosen(self.offer_id))
