"""Kiosk behaviour: no way out but the PIN, idle reset, big targets, catalogue age, volunteer menu."""
from __future__ import annotations

import asyncio
import json
import re
import time
from datetime import timedelta

import pytest
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style

from kiosk.app import make_app
from kiosk.palette import BoldColoursGuard, contrast, terminal_rgb
from kiosk.screens.home import HomeScreen
from kiosk.screens.idle import IdleWarning
from kiosk.screens.results import ResultsScreen
from kiosk.screens.search import SearchScreen
from kiosk.screens.volunteer import ConfirmLeave, PinScreen, VolunteerScreen
from tests.conftest import (
    FROZEN_NOW,
    hsds_service,
    screen_text,
    small_services,
    sync_in_menu,
    tap,
    tap_keys,
    with_feed,
    with_kiosk,
)

QUIT_KEYS = ["ctrl+q", "ctrl+c", "ctrl+z", "ctrl+backslash", "ctrl+p", "ctrl+s", "f1", "escape", "ctrl+d",
             "ctrl+w", "alt+f4", "ctrl+x"]


@pytest.mark.parametrize("key", QUIT_KEYS)
async def test_quit_keys_are_ignored(settings, catalogue, clock, key):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Alter & Pflege")
        for _ in range(3):
            await pilot.press(key)
            await pilot.pause()
        assert app.is_running and app.return_code is None
        assert not app._exit_renderables
        # Nothing else opened either: no command palette, no help panel.
        assert type(app.screen).__name__ in ("ResultsScreen", "HomeScreen")


async def test_quit_actions_do_nothing(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for action in ("quit", "help_quit", "suspend_process", "command_palette", "app.quit", "screenshot"):
            await app.run_action(action)
            await pilot.pause()
        assert app.is_running and app.return_code is None
        assert app.ENABLE_COMMAND_PALETTE is False and app.ALLOW_SELECT is False


async def test_pin_guards_the_only_exit(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, PinScreen)
        for digit in "1234":  # four different keys: a Button ignores a second tap within 0.2 s
            await tap(pilot, digit)
        await tap(pilot, "OK")
        assert isinstance(app.screen, PinScreen)
        assert "Falsche PIN." in screen_text(app)
        for digit in settings.kiosk.volunteer_pin:
            await tap(pilot, digit)
        await tap(pilot, "OK")
        assert isinstance(app.screen, VolunteerScreen)
        await tap(pilot, "Kiosk beenden")
        assert isinstance(app.screen, ConfirmLeave)
        await tap(pilot, "Nein, bleiben")
        assert isinstance(app.screen, VolunteerScreen) and app.is_running
        await tap(pilot, "Kiosk beenden")
        await tap(pilot, "Ja, beenden")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


class GuardTime:
    """The PIN guard's clock, moved on by the test instead of waiting minutes."""

    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def pin_app(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    app.pin_guard.clock = GuardTime()
    return app


async def test_pin_by_keyboard_and_lockout(settings, catalogue, clock):
    app = pin_app(settings, catalogue, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        for _ in range(4):
            await pilot.press(*"0000", "enter")
        await pilot.pause()
        assert "Falsche PIN." in screen_text(app)  # four mistakes cost nothing
        await pilot.press(*"0000", "enter")
        await pilot.pause()
        assert "Zu viele falsche Versuche. Bitte 1 Minute warten." in screen_text(app)
        await pilot.press(*settings.kiosk.volunteer_pin, "enter")  # locked: even the right PIN waits
        await pilot.pause()
        assert isinstance(app.screen, PinScreen)
        assert app.screen.entered == "" and "PIN: –" in screen_text(app)  # digits are not even taken


async def test_lockout_holds_when_the_pad_is_left_and_opened_again(settings, catalogue, clock):
    app = pin_app(settings, catalogue, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        for _ in range(5):
            await pilot.press(*"1234", "enter")
        await pilot.pause()
        assert "Zu viele falsche Versuche" in screen_text(app)
        for leave in ("Start", "Zurück"):  # out by Home or Back, in again by F12 or the hidden taps
            await tap(pilot, leave)
            assert not isinstance(app.screen, PinScreen)
            await pilot.press("f12")
            await pilot.pause()
            assert isinstance(app.screen, PinScreen)
            assert "Zu viele falsche Versuche. Bitte 1 Minute warten." in screen_text(app)
            await pilot.press(*settings.kiosk.volunteer_pin, "enter")
            await pilot.pause()
            assert isinstance(app.screen, PinScreen), "reopening the pad lifted the lock"
        app.pin_guard.clock.now += 61  # a minute later the right PIN opens the menu
        await pilot.press(*settings.kiosk.volunteer_pin, "enter")
        await pilot.pause()
        assert isinstance(app.screen, VolunteerScreen)


async def test_lockout_grows_with_every_further_wrong_pin(settings, catalogue, clock):
    app = pin_app(settings, catalogue, clock)
    guard = app.pin_guard
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        for _ in range(5):
            await pilot.press(*"1234", "enter")
        waits = []
        for minutes in (2, 4, 8, 15, 15):
            waits.append(guard.locked_for())
            guard.clock.now += guard.locked_for() + 1  # the lock ends; one more wrong PIN
            await pilot.press(*"1234", "enter")
            await pilot.pause()
            assert f"Bitte {minutes} Minuten warten." in screen_text(app), (minutes, screen_text(app))
            # The pad's own countdown says the same, and clears when the lock is over.
            guard.clock.now += 60
            app.screen._tick()
            assert f"Bitte {minutes - 1} Minute" in screen_text(app)
            guard.clock.now -= 60
        assert waits[0] == 60 and waits[1:] == [120, 240, 480, 900]
        guard.clock.now += guard.locked_for() + 1
        app.screen._tick()
        await pilot.pause()
        assert "Zu viele" not in screen_text(app)
        await pilot.press(*settings.kiosk.volunteer_pin, "enter")  # the right PIN forgets it all
        await pilot.pause()
        assert isinstance(app.screen, VolunteerScreen) and guard.failures == 0 and guard.locked_for() == 0


async def test_a_short_entry_is_not_a_guess(settings, catalogue, clock):
    app = pin_app(settings, catalogue, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12", "enter", "1", "enter")
        await pilot.pause()
        assert "Bitte die PIN eingeben (4 bis 8 Ziffern), dann OK." in screen_text(app)
        assert app.pin_guard.failures == 0


@pytest.mark.parametrize(("pin", "why"), [("", "noch keine PIN eingestellt"),
                                          ("2468", "öffentlich bekannte Beispiel-PIN")])
async def test_without_a_pin_of_its_own_the_menu_stays_closed_and_says_how(settings, catalogue, clock, pin, why):
    app = make_app(with_kiosk(settings, volunteer_pin=pin), catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, PinScreen)
        text = " ".join(screen_text(app).split())  # the lines joined: words wrap at 80 columns
        assert why in text and "volunteer_pin" in text and "kiosk.local.toml" in text and "kiosk --new-pin" in text
        assert not app.screen.query("NumberPad")
        for attempt in ("2468", "0000", ""):
            await pilot.press(*attempt, "enter")
            await pilot.pause()
            assert isinstance(app.screen, PinScreen)
        await tap(pilot, "Start")
        assert isinstance(app.screen, HomeScreen) and app.is_running


async def test_hidden_gesture_opens_the_pin_pad(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(5):
            await pilot.click("#title")
        await pilot.pause()
        assert isinstance(app.screen, PinScreen)
        await tap(pilot, "Start")
        assert isinstance(app.screen, HomeScreen)


class IdleTime:
    """The app's idle clock, moved on by the test: the countdown is checked at exact moments
    instead of racing real sleeps (which failed now and then on a loaded 2-core machine)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def idle_app(settings, catalogue, clock, idle: int, warning: int):
    app = make_app(with_kiosk(settings, idle_seconds=idle, idle_warning_seconds=warning), catalogue, clock=clock)
    app.idle_clock = IdleTime()
    app._last_input = app.idle_clock()
    return app


async def wait_idle(app, pilot, seconds: float) -> None:
    """Let `seconds` of idle time pass and run the app's own idle check, as its timer would."""
    app.idle_clock.now += seconds
    await app._idle_tick()
    await pilot.pause()


async def test_idle_reset_forgets_the_visitor(settings, catalogue, clock):
    app = idle_app(settings, catalogue, clock, idle=60, warning=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Sprache")
        await tap(pilot, "English")
        await tap(pilot, "Search")
        await pilot.press(*"pflege")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen) and app.search_text
        await wait_idle(app, pilot, 45)
        assert isinstance(app.screen, SearchScreen)  # not yet
        await wait_idle(app, pilot, 14)
        assert isinstance(app.screen, IdleWarning)
        assert "Back to the start in 1 second." in screen_text(app)
        await wait_idle(app, pilot, 1.5)
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1
        assert app.search_text == "" and app.audience is None
        assert "Wobei brauchen Sie Hilfe?" in screen_text(app)  # the default language again
        await tap(pilot, "Suchen")
        assert "Tippen Sie ein Wort" in screen_text(app)


async def test_a_touch_during_the_countdown_keeps_the_visitor(settings, catalogue, clock):
    app = idle_app(settings, catalogue, clock, idle=60, warning=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Gesundheit")
        await wait_idle(app, pilot, 55)
        assert isinstance(app.screen, IdleWarning)
        await tap(pilot, "Ja, weiter")
        assert isinstance(app.screen, ResultsScreen)
        await wait_idle(app, pilot, 30)
        assert isinstance(app.screen, ResultsScreen)


async def test_an_idle_tick_while_the_app_closes_is_harmless(settings, catalogue, clock):
    """CI saw the idle timer fire after the screens were taken down at exit (ScreenStackError)."""
    app = idle_app(settings, catalogue, clock, idle=60, warning=10)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Gesundheit")
    assert not app.screen_stack  # closed: every screen is gone, as during the real exit
    app.idle_clock.now += 120
    await app._idle_tick()  # must not raise


async def test_the_real_idle_timer_resets_by_itself(settings, catalogue, clock):
    """The same with the real clock and the app's own timer, with wide margins.

    The screens are recorded as they change: on a loaded machine the tap itself (and the Pilot's
    pauses after it) can take longer than the 2 s idle time, so the reset may already be done
    when the test looks; what must hold is that the results came and then Home, by itself."""
    app = make_app(with_kiosk(settings, idle_seconds=2, idle_warning_seconds=1), catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        shown: list[type] = []
        app.screen_change_signal.subscribe(app, lambda screen: shown.append(type(screen)), immediate=True)
        await tap(pilot, "Gesundheit")
        assert ResultsScreen in shown
        for _ in range(100):  # up to 20 s
            if HomeScreen in shown[shown.index(ResultsScreen):]:
                break
            await asyncio.sleep(0.2)
        await pilot.pause()
        assert HomeScreen in shown[shown.index(ResultsScreen):], f"no reset to Home: {shown}"
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1


async def test_an_untouched_start_screen_does_not_count_down(settings, catalogue, clock):
    # The whole idle time is warning time: any countdown on Home would show at the first tick.
    app = make_app(with_kiosk(settings, idle_seconds=10, idle_warning_seconds=10), catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        first_button = home.query("Button").first()
        app.idle_clock = lambda: time.monotonic() + 60  # long past the idle time
        await asyncio.sleep(app.IDLE_TICK * 3)
        await pilot.pause()
        assert app.screen is home and len(app.screen_stack) == 1, "an untouched Home counted down"
        # ...and was not reset either (a reset recomposes Home with new widgets).
        assert home.query("Button").first() is first_button


SCREENS = {
    "home": [],
    "results": ["Alter & Pflege"],
    "offer": ["Alter & Pflege", "card"],
    "search": ["Suchen"],
    "search-typed": ["Suchen", "keys:Pf"],  # with the query, word completions and results
    "language": ["Sprache"],
    "whom": ["Hilfe für wen?"],
    "pin": ["f12"],
    "volunteer": ["f12", "pin"],
}


async def walk(pilot, steps: list[str], pin: str) -> None:
    for step in steps:
        if step == "card":
            await pilot.click("OfferCard")
        elif step == "f12":
            await pilot.press("f12")
        elif step == "pin":
            await pilot.press(*pin, "enter")
        elif step.startswith("keys:"):
            await tap_keys(pilot, step.removeprefix("keys:"))
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        else:
            await tap(pilot, step)
        await pilot.pause()


@pytest.mark.parametrize("name", SCREENS)
async def test_touch_targets_are_big_enough_at_80x24(settings, catalogue, clock, name):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await walk(pilot, SCREENS[name], settings.kiosk.volunteer_pin)
        targets = [w for w in app.screen.query("*") if w.focusable or type(w).__name__ == "Key"]
        assert targets
        for widget in targets:
            region = widget.region
            if region.area == 0:
                continue  # scrolled out of view
            assert region.height >= 3, (widget, region)
            assert region.width >= 12, (widget, region)
            assert region.bottom <= 24 and region.right <= 80, (widget, region)
        if name != "home":
            assert app.screen.query("#home"), "no way home"
        if name not in ("home", "volunteer", "pin"):
            assert app.screen.query("#back"), "no way back"


async def test_stale_catalogue_shows_a_discreet_note(settings, catalogue):
    late = lambda: FROZEN_NOW.replace(year=2099)  # noqa: E731 - long after the import
    app = make_app(settings, catalogue, clock=late)
    async with app.run_test(size=(80, 24)):
        assert "Hinweis: Die Angebote wurden zuletzt vor" in screen_text(app)
    fresh = make_app(settings, catalogue)  # real time: just imported
    async with fresh.run_test(size=(80, 24)):
        assert "Hinweis" not in screen_text(fresh)


async def test_volunteer_sees_the_catalogue_date_and_syncs(settings, make_catalogue, tmp_path):
    catalogue = make_catalogue(small_services())
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps(small_services() + [hsds_service("x1", "Neu im Feed")]), encoding="utf-8")
    app = make_app(settings, catalogue)
    async with app.run_test(size=(80, 24)) as pilot:
        await walk(pilot, SCREENS["volunteer"], settings.kiosk.volunteer_pin)
        text = screen_text(app)
        assert "Angebote im Katalog: 12" in text and "Letzte Aktualisierung:" in text
        await tap(pilot, "Jetzt aktualisieren")  # no feed configured in the defaults
        assert "Es ist keine Quelle eingestellt" in screen_text(app)
        app.settings = with_feed(settings, str(feed))
        await asyncio.sleep(0.3)  # a Button ignores a second press within 0.2 s
        assert "Aktualisiert: 13 Angebote (vorher: 12)." in await sync_in_menu(pilot)
        assert "Angebote im Katalog: 13" in screen_text(app)
        await tap(pilot, "Stimme testen")
        assert "Vorlesen ist hier nicht möglich." in screen_text(app)
        await tap(pilot, "Drucker testen")
        assert "Hier gibt es keinen Drucker." in screen_text(app)


async def test_a_failed_sync_is_told_in_words(settings, make_catalogue, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("[{not json", encoding="utf-8")
    settings = with_feed(settings, str(broken))
    app = make_app(settings, make_catalogue(small_services()))
    async with app.run_test(size=(120, 40)) as pilot:
        await walk(pilot, SCREENS["volunteer"], settings.kiosk.volunteer_pin)
        text = await sync_in_menu(pilot)
        # A sentence in the visitor's language, and apart from it the technical detail with the file.
        assert "Die Quelle hat keinen brauchbaren Katalog geliefert" in text and "Der bisherige Katalog bleibt" in text
        assert "Technische Angabe für die Betreuung (Englisch):" in text and "broken.json" in text
        assert "Angebote im Katalog: 12" in text


def test_idle_settings_helper_keeps_other_values(settings):
    changed = with_kiosk(settings, idle_seconds=2)
    assert changed.kiosk.idle_seconds == 2 and changed.kiosk.languages == settings.kiosk.languages
    assert timedelta(seconds=changed.kiosk.idle_seconds) < timedelta(seconds=settings.kiosk.idle_seconds)


BLOCKS = re.compile("[\u2580-\u259f]")
SYSTEMS = {"truecolor": ColorSystem.TRUECOLOR, "256": ColorSystem.EIGHT_BIT, "16": ColorSystem.STANDARD}


def low_contrast(app, system: ColorSystem) -> list[tuple[str, float]]:
    """Text on the active screen below 7:1 as a terminal with `system` shows it: the app's colours
    downgraded as Textual writes them, 16 colours drawn with xterm's palette (bold 0-7 bright)."""
    guard = BoldColoursGuard(lambda: {ColorSystem.STANDARD: "standard"}.get(system, "truecolor"))
    low = []
    for strip in app.screen._compositor.render_strips():
        for segment in guard.apply(list(strip), None):
            text = BLOCKS.sub("", segment.text).strip()  # borders and scrollbars are not text
            if not text:
                continue
            style = segment.style
            assert style.color is not None and style.bgcolor is not None, text
            fg = terminal_rgb(style.color, system, bold=bool(style.bold))
            bg = terminal_rgb(style.bgcolor, system, foreground=False)
            ratio = contrast(fg, bg)
            if ratio < 7:
                low.append((text, round(ratio, 1)))
    return low


@pytest.mark.parametrize("name", SCREENS)
async def test_text_contrast_is_high(settings, catalogue, clock, name):
    """Every character of text has at least 7:1 contrast (WCAG AAA), readable in daylight: in
    truecolor, 256 and 16 colours, in the daylight and the high-contrast theme."""
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await walk(pilot, SCREENS[name], settings.kiosk.volunteer_pin)
        await pilot.press("tab")  # a focused control must stay as readable
        await pilot.pause()
        low = {}
        for high in (False, True):
            app.set_high_contrast(high)
            await pilot.pause()
            for system_name, system in SYSTEMS.items():
                if found := low_contrast(app, system):
                    low[(app.theme, system_name)] = found
        assert not low, low


def test_bold_dark_text_stays_dark_in_16_colours():
    """xterm draws bold black as grey #7f7f7f: the guard drops bold there, only in 16 colours."""
    bold_black = Segment("Pflegeberatung", Style(bold=True, color="#111111", bgcolor="#ffffff"))
    bold_white = Segment("Suchen", Style(bold=True, color="#ffffff", bgcolor="#0b2e8f"))
    for system, drops in (("standard", True), ("256", False), ("truecolor", False)):
        out = BoldColoursGuard(lambda system=system: system).apply([bold_black, bold_white], None)
        assert out[0].style.bold is (not drops)
        assert out[1].style.bold  # bright white stays bold
    assert contrast(terminal_rgb(bold_black.style.color, ColorSystem.STANDARD, bold=True), (255, 255, 255)) < 7


def drawn_colours(app, widget, system: ColorSystem) -> tuple[tuple[int, int, int], tuple[int, int, int], float]:
    """(background, text colour, contrast) of the first letter of `widget`'s label as a terminal with
    `system` shows it (the compositor's own output, bold 0-7 drawn bright as xterm does)."""
    guard = BoldColoursGuard(lambda: {ColorSystem.STANDARD: "standard"}.get(system, "truecolor"))
    region = widget.region
    strips = app.screen._compositor.render_strips()
    for y in range(region.y, region.bottom):
        x = 0
        for segment in guard.apply(list(strips[y]), None):
            text = segment.text
            if x >= region.x and x < region.right and BLOCKS.sub("", text).strip():
                style = segment.style
                fg = terminal_rgb(style.color, system, bold=bool(style.bold))
                bg = terminal_rgb(style.bgcolor, system, foreground=False)
                return bg, fg, contrast(fg, bg)
            x += segment.cell_length
    raise AssertionError(f"no text drawn in {widget!r}")


@pytest.mark.parametrize("high", [False, True], ids=["daylight", "high-contrast"])
async def test_switch_keys_and_completions_stand_apart_from_letter_keys(settings, catalogue, clock, high):
    """The keys that type nothing (other half, 123, ABC) and the word completions look different
    from the letter keys in truecolor, 256 and 16 colours (in 16 colours they were the same blue),
    and their labels keep 7:1."""
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await walk(pilot, SCREENS["search-typed"], settings.kiosk.volunteer_pin)
        app.set_high_contrast(high)
        await pilot.pause()
        screen = app.screen
        letter = next(k for k in screen.query(".key.letter") if k.display and k.region.area)
        others = [k for k in screen.query(".key.switch, .key.mode, .completion") if k.display and k.region.area]
        kinds = {" ".join(sorted(k.classes & {"switch", "mode", "completion"})) for k in others}
        assert kinds == {"switch", "mode", "completion"}, kinds  # all three are on this screen
        for system_name, system in SYSTEMS.items():
            letter_bg, _fg, letter_ratio = drawn_colours(app, letter, system)
            assert letter_ratio >= 7, (system_name, letter.label.plain, letter_ratio)
            for key in others:
                bg, _fg, ratio = drawn_colours(app, key, system)
                assert bg != letter_bg, (system_name, key.label.plain, bg)
                assert ratio >= 7, (system_name, key.label.plain, round(ratio, 1))


async def test_high_contrast_is_a_visitor_toggle_until_the_idle_reset(settings, catalogue, clock):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "kiosk-daylight"
        await tap(pilot, "Kontrast")
        assert app.theme == "kiosk-contrast" and app.high_contrast
        assert app.screen.styles.background.rgb == (0, 0, 0)
        await tap(pilot, "Suchen")  # every screen, not only Home
        assert app.screen.styles.background.rgb == (0, 0, 0)
        assert not low_contrast(app, ColorSystem.STANDARD)
        await tap(pilot, "Start")
        assert not app._pristine()  # a changed view is a visit that the idle reset must end
        await app.reset_to_home()
        await pilot.pause()
        assert app.theme == "kiosk-daylight" and not app.high_contrast
        assert "☐ Kontrast" in screen_text(app)
