"""Big buttons whose labels are always plain text, and a big on/off toggle."""
from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content, ContentText
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Button

from .rtl import rtl_active, rtl_content


def plain(text: ContentText) -> Content:
    """Text as Content without markup parsing (Content stays as it is)."""
    return text if isinstance(text, Content) else Content(str(text))


class BigButton(Button):
    """A button at least 3 rows high; a `str` label is shown literally, never parsed as markup.

    Textual's Button parses a `str` label as markup, so a catalogue name with brackets would be
    mangled or turned into an action; here it is wrapped in `Content` first.
    """

    def __init__(self, label: ContentText, *, id: str | None = None, classes: str | None = None,
                 variant: str = "default", disabled: bool = False, name: str | None = None) -> None:
        super().__init__(plain(label), variant, id=id, classes=classes, disabled=disabled, name=name)  # type: ignore[arg-type]

    def validate_label(self, label: ContentText) -> Content:
        return plain(label)

    def watch_flat(self, flat: bool) -> None:
        # As Button's own watcher, but a button that is being built is not restyled here: Textual
        # styles it when it joins a screen (each restyle on its own cost ~0.5 ms: issue 13, start-up).
        update = self.is_attached
        self.set_class(flat, "-style-flat", update=update)
        self.set_class(not flat, "-style-default", update=update)

    def render(self) -> RenderResult:
        # Right to left: shaped and reordered for the screen only; `label` keeps the logical text.
        return rtl_content(self.label, self) if rtl_active() else super().render()  # type: ignore[arg-type]


class Toggle(BigButton):
    """A big on/off switch for a filter; a tap flips it and posts `Toggle.Changed`."""

    value: reactive[bool] = reactive(False, init=False)

    class Changed(Message):
        """The toggle was flipped by the visitor."""

        def __init__(self, toggle: Toggle, value: bool) -> None:
            super().__init__()
            self.toggle = toggle
            self.value = value

        @property
        def control(self) -> Toggle:
            return self.toggle

    def __init__(self, label: str, *, value: bool = False, id: str | None = None) -> None:
        self._text = label
        super().__init__(self._label_for(value), id=id, classes="toggle")
        self.set_reactive(Toggle.value, value)
        self.set_class(value, "-on", update=False)  # styled when it joins a screen (see watch_flat)

    def _label_for(self, value: bool) -> Content:
        # A tick and an empty box carry the state without colour, for colour-blind visitors.
        return plain(("☑ " if value else "☐ ") + self._text)

    def watch_value(self, value: bool) -> None:
        self.label = self._label_for(value)
        self.set_class(value, "-on")

    def press(self) -> Toggle:
        if self.disabled or not self.display:
            return self
        self._start_active_affect()
        self.value = not self.value
        self.post_message(self.Changed(self, self.value))
        return self
