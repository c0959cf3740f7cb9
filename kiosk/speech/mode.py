"""Speech mode: the kiosk usable by ear (EN 301 549 5.1.3, 5.1.6, 5.5.2).

Switched on by the corner button (🔊, top right on every screen) or any key of a number pad, it
lasts until the visitor switches it off in the speech menu or the idle reset ends the visit
(`[speech] start_in_speech_mode` makes it the start state). While it is on:

- every new screen is announced: its title, what it counts (offers, pages), what to do;
- a first tap on a control speaks it (label and state) and does nothing else; a second tap on the
  same control (the same widget, wherever on it) within `[speech] confirm_seconds` chooses it.
  A tap on another control, or after the time, speaks again. The corner button acts at once
  (a blind visitor finds it by its place): Stop while speaking, else the speech menu;
- any new action (a tap going down, a key) stops what is being said at once;
- what the kiosk tells (printed, no results, errors) and the idle warning are spoken;
- keys: 2/6 (or arrows, Tab) move to the next control and speak it, 8/4 to the previous one,
  5 or Enter chooses it, 0 repeats the last announcement.

Rate and volume, changed in the speech menu, apply to this visit only: the idle reset restores
the configured ones. The hooks are small: `KioskScreen._forward_event` (taps), `on_key`,
`on_descendant_focus`, `on_screen_resume`, and `KioskApp.tell`/`reset_to_home`.
"""
from __future__ import annotations

import dataclasses
import re
import time
import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import events
from textual.widget import Widget
from textual.widgets import Button

from ..i18n import _, current_language
from .spoken import Part, utterance_parts

if TYPE_CHECKING:
    from ..app import KioskApp
    from ..screens.base import KioskScreen  # the screens' side of the hooks: SHOW_READ, REMEMBERED, …

# Keys a cheap USB number pad sends, as Textual reports them in a terminal: with NumLock on the
# digits and operators; with NumLock off the cursor keys (but not KP_5: its ESC [ E is dropped by
# Textual). KP_Enter is "enter" (CR, or ESC O M in application keypad mode), or "ctrl+j" where the
# terminal sends LF for it (tmux does).
PAD_KEYS = frozenset({*"0123456789", "enter", "ctrl+j", "plus", "minus", "asterisk", "slash", "full_stop",
                      "comma", "up", "down", "left", "right", "home", "end", "pageup", "pagedown", "insert",
                      "delete"})
NEXT_KEYS = frozenset({"2", "6", "down", "right"})  # Tab and shift+Tab move focus as always
PREVIOUS_KEYS = frozenset({"8", "4", "up", "left"})
CHOOSE_KEYS = frozenset({"5", "enter", "ctrl+j"})
REPEAT_KEYS = frozenset({"0", "insert"})
RATE_STEP, RATE_RANGE = 25, (80, 400)
VOLUME_STEP, VOLUME_RANGE = 10, (10, 100)
# Icons and arrows around a label: shown, never read ("◀ Back" is read "Back").
_DECORATION = re.compile(r"^[^\w(]+|[^\w).!?]+$")


def label_text(text: str) -> str:
    return _DECORATION.sub("", text).strip()


def control_of(widget: Widget | None) -> Widget | None:
    """The control a tap on `widget` means: itself or its nearest ancestor that can be chosen."""
    from ..widgets import OfferCard

    while widget is not None and isinstance(widget, Widget) and widget.parent is not None:
        if isinstance(widget, (Button, OfferCard)) or widget.focusable:
            return widget
        parent = widget.parent
        widget = parent if isinstance(parent, Widget) else None
    return None


class SpeechMode:
    """The speech-mode state of one kiosk; lives on the app as `app.speech_mode`."""

    def __init__(self, app: KioskApp) -> None:
        self.app = app
        settings = app.settings.speech
        # Without an engine there is no speech mode: taps that only speak would do nothing.
        self.start_on = settings.start_in_speech_mode and app.speech.available
        self.confirm_seconds = settings.confirm_seconds
        self.on = self.start_on
        self.clock = time.monotonic  # replaceable in tests (the confirm timeout)
        self._armed: weakref.ref[Widget] | None = None
        self._armed_at = 0.0
        self.last: list[Part] = []  # the last announcement or outcome: what "Again" repeats
        self._defaults = app.speech.settings  # rate and volume as configured
        self._by_key = False  # the last input was a key: a focus change is spoken

    # -- on and off ---------------------------------------------------------------------------

    def switch_on(self, screen: KioskScreen) -> None:
        if not self.app.speech.available:
            self.app.say_parts([])  # says in the title bar why not; the kiosk stays as it is
            return
        self.on = True
        self.app.count("speech")  # anonymous: this visit used reading aloud (kiosk/statistics.py)
        self.disarm()
        self.app.refresh_read_buttons()
        ui = current_language()
        intro = [(_("Speech mode is on."), ui), (_("Tap a button once to hear it, twice to choose it."), ui),
                 (_("The speech button at the top right stops speaking or opens the speech menu."), ui)]
        self.say(utterance_parts(intro) + screen.spoken_parts())

    def switch_off(self) -> None:
        self.on = False
        self.disarm()
        self.app.say(_("Speech mode is off."))
        self.app.refresh_read_buttons()

    def failed(self) -> None:
        """Speech does not work here (no sound device, no voice): off, so taps act at once again."""
        if self.on:
            self.on = False
            self.disarm()
            self.app.refresh_read_buttons()

    def reset(self) -> None:
        """The idle reset: the configured start state, rate and volume."""
        self.on = self.start_on
        self.disarm()
        self.last = []
        self.app.speech.settings = self._defaults

    def pristine(self) -> bool:
        """Nothing of this visit to forget: the start state, the configured rate and volume."""
        return self.on == self.start_on and self.app.speech.settings == self._defaults

    def disarm(self) -> None:
        self._armed = None

    # -- speaking -----------------------------------------------------------------------------

    def say(self, parts: Sequence[Part], remember: bool = True) -> None:
        if remember:
            self.last = list(parts)
        self.app.say_parts(parts)

    def repeat(self) -> None:
        if self.last:
            self.app.say_parts(self.last)
        else:
            self.app.say(_("Nothing to repeat yet."))

    def idle_warning(self, text: str) -> None:
        if self.on:
            self.say([(text, current_language()), (_("Tap anywhere for more time."), current_language())])

    def told(self, text: str) -> None:
        """An outcome the title bar shows (printed, no results, an error): spoken too."""
        if self.on:
            self.say([(text, current_language())])

    def announce(self, screen: KioskScreen) -> None:
        """A new screen: its title, what it counts, what to do."""
        if self.on and screen.is_current and screen.SHOW_READ:
            # The speech menu's own list of buttons is not what "Again" should repeat.
            self.say(screen.announcement(), remember=screen.REMEMBERED)

    def describe(self, control: Widget) -> list[Part]:
        """A control as spoken before it is chosen: its label, its state, what a second tap does."""
        return utterance_parts(self._describe(control))

    def _describe(self, control: Widget) -> list[Part]:
        from ..present import card_spoken
        from ..widgets import OfferCard, Toggle

        ui = current_language()
        parts: list[Part] = []
        if isinstance(control, OfferCard):
            kiosk = self.app
            try:
                offer = kiosk.catalogue.offer(control.offer_id)
            except Exception:  # noqa: BLE001 - the screen reports catalogue errors itself
                offer = None
            if offer is not None:
                parts += card_spoken(offer, kiosk.finder, kiosk.now())
            parts.append((_("Offer. Tap again to open it."), ui))
            return parts
        if isinstance(control, Button):
            text = label_text(str(control.label))
            if isinstance(control, Toggle):
                text = label_text(control._text)
                parts.append((text, ui))
                parts.append((_("On.") if control.value else _("Off."), ui))
            else:
                parts.append((text, ui))
            if control.disabled:
                parts.append((_("Not available now."), ui))
                return parts
        else:
            text = label_text(getattr(getattr(control, "visual", None), "plain", "") or "")
            parts.append((text, ui))
        parts.append((_("Tap again to choose."), ui))
        return parts

    # -- input --------------------------------------------------------------------------------

    def tapped(self, screen: KioskScreen, event: events.Event) -> bool:
        """A tap (or key) reaching `screen`; True when speech mode takes it (the control is only
        spoken, not chosen). Called for every event a screen forwards, before its widgets see it."""
        if isinstance(event, (events.MouseDown, events.MouseUp)):
            self.app.note_input()
            self._by_key = False
            if self.on and isinstance(event, events.MouseDown):
                widget, _region = screen.get_widget_at(*event.screen_offset)
                control = control_of(widget)
                if control is None or control.id != "read":  # the corner button stops itself
                    self.app.stop_speaking()  # any new action stops speech at once
            return False
        # The volunteer side (no speech button) is not in speech mode: a PIN is never spoken (5.1.3.8).
        if not (self.on and isinstance(event, events.Click) and screen.SHOW_READ):
            return False
        widget, _region = screen.get_widget_at(*event.screen_offset)
        control = control_of(widget)
        if control is None or control.id == "read":
            return False  # not a control; or the corner button, which acts at once
        armed = self._armed() if self._armed is not None else None
        if armed is control and self.clock() - self._armed_at <= self.confirm_seconds:
            self.disarm()
            return False  # the second tap: the control is chosen
        self._armed, self._armed_at = weakref.ref(control), self.clock()
        self.say(self.describe(control), remember=False)
        return True

    def key(self, screen: KioskScreen, event: events.Key) -> bool:
        """A key that reached the screen; True when speech mode used it."""
        self._by_key = True
        key = event.key
        if not screen.SHOW_READ:
            return False  # the volunteer side: digits are a PIN
        if not self.on:
            from ..screens.search import SearchScreen  # there a keyboard types: keys are letters

            if key in PAD_KEYS and screen.focused is None and not isinstance(screen, SearchScreen):
                self.switch_on(screen)
                return True
            return False
        focused = screen.focused
        if key in REPEAT_KEYS:
            self.repeat()
        elif key in NEXT_KEYS:
            screen.focus_next()
        elif key in PREVIOUS_KEYS:
            screen.focus_previous()
        elif key in CHOOSE_KEYS:
            if key == "enter" and focused is not None:
                return False  # the focused control's own Enter binding chooses it
            if focused is None:
                screen.focus_next()
            elif isinstance(focused, Button):
                focused.press()
            elif hasattr(focused, "action_choose"):
                focused.action_choose()
            else:
                return False
        else:
            return False
        return True

    def focused(self, screen: KioskScreen, widget: Widget) -> None:
        """Keyboard focus moved to `widget` on `screen`: speak it (taps speak on their own)."""
        if self.on and self._by_key and screen.SHOW_READ and (control := control_of(widget)):
            self._armed, self._armed_at = weakref.ref(control), self.clock()
            parts = self._describe(control)
            if parts and parts[-1][0] == _("Tap again to choose."):
                parts[-1] = (_("Press 5 or Enter to choose."), current_language())
            self.say(utterance_parts(parts), remember=False)

    # -- rate and volume ----------------------------------------------------------------------

    def change(self, rate: int = 0, volume: int = 0) -> None:
        """Faster/slower, louder/quieter by one step, for this visit; says the new value."""
        speech = self.app.speech
        current = speech.settings
        if not speech.available:
            self.app.say(_("Speed and volume cannot be changed here."))
            return
        new = dataclasses.replace(
            current, rate=min(max(current.rate + rate * RATE_STEP, RATE_RANGE[0]), RATE_RANGE[1]),
            volume=min(max(current.volume + volume * VOLUME_STEP, VOLUME_RANGE[0]), VOLUME_RANGE[1]))
        speech.settings = new
        if rate:
            self.app.say(_("Speed {rate} words a minute.").format(rate=new.rate))
        else:
            self.app.say(_("Volume {volume} percent.").format(volume=new.volume))
