"""Speech mode (issue 11) in the running app with the real espeak-ng and the paced stand-in `aplay`
of tests/test_speech.py: switched on and off, a first tap speaks a control and a second chooses it,
announcements and outcomes, speech stopping within 250 ms of a new action (measured on the real
processes), "Again", rate and volume for one visit, the idle warning given more time ten times,
pointer cancellation, and the QR code and the slip said in words.

What was spoken is read from the engine (`last_utterance`: normalised text per voice) and from the
processes it started; nothing of the kiosk is mocked.
"""
from __future__ import annotations

import asyncio
import dataclasses
import gc
import shutil
import time
from pathlib import Path

import pytest
from textual import events

from kiosk.app import make_app
from kiosk.config import SpeechSettings
from kiosk.screens.home import HomeScreen
from kiosk.screens.idle import IdleWarning
from kiosk.screens.offer import OfferScreen
from kiosk.screens.qr import QrScreen
from kiosk.screens.results import ResultsScreen
from kiosk.screens.search import SearchScreen
from kiosk.screens.speechmenu import SpeechMenuScreen
from kiosk.speech import EspeakSpeech
from kiosk.takeaway import QrMaker
from kiosk.takeaway.slips import compose_slip, slip_text
from tests.conftest import FROZEN_NOW, find_button, hsds_service, screen_text, tap, with_kiosk
from tests.test_app_speech import INTRO_DE, choose, playing, until
from tests.test_qr import decode
from tests.test_speech import card

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")

HINT_DE = "Tippen Sie einmal auf eine Taste, um sie zu hören, zweimal, um sie zu wählen."


@pytest.fixture
def sound_card(tmp_path: Path) -> Path:
    return card(tmp_path)


@pytest.fixture
def espeak(sound_card: Path) -> EspeakSpeech:
    return EspeakSpeech(SpeechSettings(), player=[str(sound_card / "aplay"), "-q"])


def said(speech: EspeakSpeech) -> str:
    return " ".join(s.text for s in speech.last_utterance)


def with_speech(settings, **changes):
    return dataclasses.replace(settings, speech=dataclasses.replace(settings.speech, **changes))


async def speech_mode_on(pilot) -> EspeakSpeech:
    """Tap the corner button on a silent kiosk: speech mode, the introduction playing."""
    speech = pilot.app.speech
    await tap(pilot, "Vorlesen")
    await until(pilot, lambda: speech.speaking and bool(speech._run.procs))
    assert pilot.app.speech_mode.on
    return speech


async def open_menu(pilot) -> None:
    """Stop the speech with the corner button, then open the speech menu with it."""
    await asyncio.sleep(0.3)  # a Button ignores a second press within 0.2 s (touch bounce)
    await tap(pilot, "Stopp")
    await asyncio.sleep(0.3)
    await pilot.click("#read")
    assert isinstance(pilot.app.screen, SpeechMenuScreen)


async def heard(pilot, text: str, timeout: float = 10.0) -> None:
    """Wait until the engine is speaking an utterance that contains `text`."""
    speech = pilot.app.speech
    await until(pilot, lambda: text in said(speech), timeout)


# ---------------------------------------------------------------- on and off

async def test_the_corner_button_switches_speech_mode_on_and_the_menu_off(settings, catalogue, clock, espeak):
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        hint = app.screen.query_one("#speech-hint").visual.plain
        assert "Enter oder 5" in hint and screen_text(app).splitlines()[0].strip().startswith("Vorlesen:")
        await speech_mode_on(pilot)
        assert said(espeak).startswith(INTRO_DE + "Teestube Lengerich.")  # then the screen itself
        assert "zweimal zum Wählen" in app.screen.query_one("#speech-hint").visual.plain
        await open_menu(pilot)  # the corner button acts at once: Stop, or when silent the speech menu
        await heard(pilot, "Sprachmodus aus.")
        menu = app.screen
        await choose(pilot, "Sprachmodus aus")
        assert isinstance(app.screen, HomeScreen) and not app.speech_mode.on
        await heard(pilot, "Sprachmodus ist aus.")
        run = espeak._run
        await until(pilot, lambda: not menu.is_running)  # the menu has gone, its ScreenSuspend handled
        await pilot.pause()
        assert run is not None and not run.cancelled.is_set(), "'Sprachmodus ist aus.' was cut off"
        await tap(pilot, "Suchen")  # taps act at once again
        assert isinstance(app.screen, SearchScreen)


@pytest.mark.parametrize("key", ["5", "enter", "ctrl+j", "0", "2"])
async def test_a_number_pad_key_starts_speech_mode(settings, catalogue, clock, espeak, key):
    """NumLock on: the digits; KP_Enter arrives as "enter" (CR; Textual maps ESC O M to Enter too) or
    "ctrl+j" (LF, as tmux sends it)."""
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        assert app.speech_mode.on
        await heard(pilot, "Der Sprachmodus ist an.")


async def test_number_pad_moves_through_the_controls_and_chooses(settings, catalogue, clock, espeak):
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await pilot.press("2")  # next control, spoken
        first = app.screen.focused
        assert first is not None
        await heard(pilot, "Zum Wählen 5 oder Enter drücken.")
        while app.screen.focused.id != "search":
            await pilot.press("2")
        await heard(pilot, "Suchen. Zum Wählen")
        await pilot.press("5")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)


async def test_start_in_speech_mode_from_the_settings(settings, catalogue, clock, espeak):
    app = make_app(with_speech(settings, start_in_speech_mode=True), catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.speech_mode.on
        await heard(pilot, "Teestube Lengerich. " + HINT_DE)  # Home announced at the start
        await tap(pilot, "Suchen")
        assert isinstance(app.screen, HomeScreen)  # the first tap only speaks
        await heard(pilot, "Suchen. Noch einmal tippen zum Wählen.")


# ---------------------------------------------------------------- first tap speaks, second chooses

async def test_first_tap_speaks_the_control_second_tap_chooses_it(settings, catalogue, clock, espeak):
    # The longest time to confirm: the waits for the words between two taps may take seconds under
    # load (the window itself: test_a_second_tap_after_the_confirm_time_speaks_again).
    app = make_app(with_speech(settings, confirm_seconds=30), catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await speech_mode_on(pilot)
        await tap(pilot, "Alter & Pflege")
        assert isinstance(app.screen, HomeScreen)
        await heard(pilot, "Alter und Pflege. Noch einmal tippen zum Wählen.")
        button = find_button(app, "Alter & Pflege")
        await pilot.click(button, offset=(button.region.width - 2, button.region.height - 1))  # elsewhere on it
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)  # the same widget, another cell: chosen
        # A toggle says its state, and a card what it is.
        await tap(pilot, "Jetzt geöffnet")
        await heard(pilot, "Jetzt geöffnet. Aus. Noch einmal tippen")
        assert not app.screen.filters.open_now
        await pilot.click("OfferCard")
        await heard(pilot, "Angebot. Noch einmal tippen zum Öffnen.")
        assert isinstance(app.screen, ResultsScreen)


async def test_another_control_in_between_starts_over(settings, catalogue, clock, espeak):
    # The longest time to confirm: the waits for the words between two taps may take seconds under
    # load (the window itself: test_a_second_tap_after_the_confirm_time_speaks_again).
    app = make_app(with_speech(settings, confirm_seconds=30), catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await speech_mode_on(pilot)
        await tap(pilot, "Suchen")
        await tap(pilot, "Sprache / Language")
        await heard(pilot, "Sprache / Language")
        await tap(pilot, "Suchen")
        assert isinstance(app.screen, HomeScreen)  # spoken again, not chosen
        await heard(pilot, "Suchen. Noch einmal")
        await tap(pilot, "Suchen")
        assert isinstance(app.screen, SearchScreen)


async def test_a_second_tap_after_the_confirm_time_speaks_again(settings, catalogue, clock, espeak):
    app = make_app(with_speech(settings, confirm_seconds=3.0), catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await speech_mode_on(pilot)
        await tap(pilot, "Suchen")
        app.speech_mode.clock = lambda: time.monotonic() + 3.5  # the visitor waited longer than 3 s
        await tap(pilot, "Suchen")
        assert isinstance(app.screen, HomeScreen)
        await tap(pilot, "Suchen")  # now within the time
        assert isinstance(app.screen, SearchScreen)


# ---------------------------------------------------------------- announcements and outcomes

async def test_every_new_screen_is_announced(settings, catalogue, clock, espeak):
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await speech_mode_on(pilot)
        await choose(pilot, "Alter & Pflege")
        count = len(app.screen.shown())
        assert count >= 1
        await heard(pilot, "Seite 1 von 1.")
        text = said(espeak)
        assert text.startswith("Alter und Pflege.") and text.endswith(HINT_DE)
        assert f"{count} Angebot" in text
        await pilot.click("OfferCard")
        await pilot.click("OfferCard")
        await heard(pilot, "Angebot. Pflegeberatung im Tecklenburger Land.")  # the offer is read
        assert "Kontakt. Telefon: 0 5 4 8 1, 1 2 3 4." in said(espeak) and said(espeak).endswith(HINT_DE)
        await choose(pilot, "Zurück")
        await choose(pilot, "Zurück")
        await heard(pilot, "Teestube Lengerich. " + HINT_DE)


async def test_outcomes_are_spoken_no_results_and_list(settings, make_catalogue, clock, espeak):
    from tests.conftest import small_services

    app = make_app(settings, make_catalogue(small_services()), speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await speech_mode_on(pilot)
        await choose(pilot, "Alter & Pflege")
        await pilot.click("OfferCard")
        await pilot.click("OfferCard")
        await pilot.pause()
        assert isinstance(app.screen, OfferScreen)
        await choose(pilot, "Auf meine Liste")
        await heard(pilot, "Auf Ihrer Liste: 1 von höchstens")


async def test_no_results_are_announced(settings, catalogue, clock, espeak):
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await speech_mode_on(pilot)
        await app.push_screen(ResultsScreen(lambda: "Suche: xyzzy", lambda: []))
        await heard(pilot, "Keine Angebote gefunden.")
        assert said(espeak).startswith("Suche: xyzzy.")


async def test_printed_and_printer_failure_are_spoken(settings, catalogue, clock, espeak, tmp_path):
    """A receipt printer writing to a real device file; then one whose device is missing."""
    from kiosk.takeaway.printing import EscposPrinter

    device = tmp_path / "lp0"
    device.touch()
    for path, words in ((device, "Gedruckt. Bitte nehmen Sie das Blatt aus dem Drucker."),
                        (tmp_path / "gone" / "lp0", "Der Drucker geht gerade nicht.")):
        printer = EscposPrinter(f"file:{path}", place_name="Teestube Lengerich")
        app = make_app(settings, catalogue, speech=espeak, clock=clock, printer=printer)
        async with app.run_test(size=(80, 24)) as pilot:
            await speech_mode_on(pilot)
            await app.push_screen(OfferScreen("s01"))
            await pilot.pause()
            await choose(pilot, "Drucken")
            await heard(pilot, words)
    assert device.stat().st_size > 100  # the slip's bytes reached the device


async def test_errors_are_spoken(settings, catalogue, clock, espeak):
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await speech_mode_on(pilot)
        app.catalogue_error(OSError("disk gone"))
        await heard(pilot, "Die Angebote können gerade nicht gelesen werden.")


# ---------------------------------------------------------------- stopping within 250 ms

@pytest.mark.parametrize("action", ["tap", "key"])
async def test_speech_stops_within_250_ms_of_a_new_action(settings, catalogue, clock, espeak, sound_card, action):
    """Measured on the real processes, from the moment the input reaches the app (as the terminal
    driver delivers it) until espeak-ng and the paced player have both exited."""
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await speech_mode_on(pilot)  # about 40 s of speech
        await pilot.pause(0.3)
        procs = list(espeak._run.procs)
        assert len(procs) == 2 and all(p.poll() is None for p in procs) and playing(sound_card)
        button = find_button(app, "Suchen")
        x, y = button.region.x + 2, button.region.y + 1
        event = (events.MouseDown(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y)
                 if action == "tap" else events.Key("8", "8"))
        # The test process holds the heap of every test before it (hundreds of apps): a full collection
        # of it took 0.5 s inside this window once in a full run. The kiosk's own heap is small and
        # its imports frozen (kiosk/gcpause.py); collected here first, so that the window times the
        # kiosk, not this process's history.
        gc.collect()
        start = time.monotonic()
        app.post_message(event)
        while any(p.poll() is None for p in procs):
            assert time.monotonic() - start < 2, "speech did not stop"
            await asyncio.sleep(0.002)
        elapsed = time.monotonic() - start
        print(f"speech stopped {elapsed * 1000:.0f} ms after the {action}")
        assert elapsed < 0.25, f"speech went on for {elapsed * 1000:.0f} ms"


# ---------------------------------------------------------------- again, rate, volume

async def test_again_repeats_the_last_announcement(settings, catalogue, clock, espeak):
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await speech_mode_on(pilot)
        await choose(pilot, "Alter & Pflege")
        await heard(pilot, HINT_DE)
        announcement = said(espeak)
        await open_menu(pilot)
        await choose(pilot, "Nochmal")
        await until(pilot, lambda: said(espeak) == announcement)
        await pilot.press("0")  # the number pad's 0 too
        await until(pilot, lambda: said(espeak) == announcement and espeak.speaking)


async def test_rate_and_volume_change_for_one_visit_only(settings, catalogue, clock, espeak):
    app = make_app(with_kiosk(settings, idle_seconds=60, idle_warning_seconds=20), catalogue, speech=espeak,
                   clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await speech_mode_on(pilot)
        await open_menu(pilot)
        await choose(pilot, "Schneller")
        await choose(pilot, "Schneller")
        await heard(pilot, "Tempo 200 Wörter pro Minute.")
        assert espeak._run.procs[0].args[espeak._run.procs[0].args.index("-s") + 1] == "200"
        await choose(pilot, "Leiser")
        await heard(pilot, "Lautstärke 70 Prozent.")
        assert espeak._run.procs[0].args[espeak._run.procs[0].args.index("-a") + 1] == "140"
        app.idle_clock = lambda: time.monotonic() + 120  # the visitor left
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 1)
        assert not app.speech_mode.on
        assert (espeak.settings.rate, espeak.settings.volume) == (150, 80)  # the configured ones


# ---------------------------------------------------------------- the idle warning (WCAG 2.2.1)

async def test_idle_warning_is_spoken_and_a_tap_anywhere_gives_more_time_ten_times(settings, catalogue, clock,
                                                                                   espeak):
    app = make_app(with_kiosk(settings, idle_seconds=60, idle_warning_seconds=20), catalogue, speech=espeak,
                   clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await speech_mode_on(pilot)
        await choose(pilot, "Alter & Pflege")
        offset = 0.0
        app.idle_clock = lambda: time.monotonic() + offset
        for _attempt in range(10):
            offset += 45  # 45 s without a touch: 15 s left, the warning is up
            await until(pilot, lambda: isinstance(app.screen, IdleWarning) and bool(app.screen.query("#countdown")))
            countdown = app.screen.query_one("#countdown").visual.plain
            # 15 s were left at the touch; the countdown says what was left at the last tick, at
            # most 15, at least what is left now (more real time may have passed on a loaded machine).
            seconds = int(countdown.split()[-2])
            assert countdown == f"Zurück zum Start in {seconds} Sekunden."
            assert 60 - app.idle_for() - 0.01 <= seconds <= 15, countdown
            await heard(pilot, "Sind Sie noch da?")
            assert "Tippen Sie irgendwo, dann haben Sie mehr Zeit." in said(espeak)
            await pilot.click(offset=(2, 1))  # anywhere: not on the button
            await until(pilot, lambda: isinstance(app.screen, ResultsScreen))
        assert app.speech_mode.on and len(app.screen_stack) == 2, "ten times more time, the visit goes on"


async def test_idle_warning_is_shown_twenty_seconds_before_the_reset_by_default(settings, catalogue, clock):
    assert settings.kiosk.idle_warning_seconds >= 20
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Suchen")
        limit, start = settings.kiosk.idle_seconds, app._last_input
        app.idle_clock = lambda: start + limit - 20  # frozen: 20 s left
        await until(pilot, lambda: isinstance(app.screen, IdleWarning) and bool(app.screen.query("#countdown")))
        assert app.screen.query_one("#countdown").visual.plain == "Zurück zum Start in 20 Sekunden."


# ---------------------------------------------------------------- pointer cancellation (WCAG 2.5.2)

def _mouse(cls, app, widget, dx: int = 1, dy: int = 1):
    x, y = widget.region.x + dx, widget.region.y + dy
    return cls(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y)


@pytest.mark.parametrize("mode", [False, True])
async def test_sliding_off_a_button_cancels_it(settings, catalogue, clock, espeak, mode):
    """As the terminal driver sends them, through the app: down on Search, up on the greeting.
    Textual makes a Click only when the button goes up over the widget it went down on."""
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        app.speech_mode.on = mode
        search, greeting = find_button(app, "Suchen"), app.screen.query_one("#greeting")
        for _ in range(2):  # twice: in speech mode a second completed tap would choose it
            app.post_message(_mouse(events.MouseDown, app, search))
            await pilot.pause()
            app.post_message(_mouse(events.MouseUp, app, greeting))
            await pilot.pause(0.3)
        assert isinstance(app.screen, HomeScreen)  # slid off: nothing happened
        for _ in range(1 + mode):  # released on the button: it acts (after speaking, in speech mode)
            app.post_message(_mouse(events.MouseDown, app, search))
            await pilot.pause()
            app.post_message(_mouse(events.MouseUp, app, search, dx=3))
            await pilot.pause(0.3)
        assert isinstance(app.screen, SearchScreen)


# ---------------------------------------------------------------- take-away said in words

EMERGENCY = hsds_service("n01", "Krisendienst Steinfurt", needs=("beratung-notlagen",), url="https://krise.example.org",
                         phones=[{"number": "02551 69-0", "description": "Zentrale"},
                                 {"number": "0800 111 0 111", "description": "Notruf"}])


async def test_qr_screen_shows_and_speaks_what_the_code_holds(settings, make_catalogue, clock, espeak):
    catalogue = make_catalogue([EMERGENCY])
    app = make_app(settings, catalogue, speech=espeak, clock=clock, qr=QrMaker(settings.qr))
    async with app.run_test(size=(80, 24)) as pilot:
        await speech_mode_on(pilot)
        await app.push_screen(OfferScreen("n01"))
        await pilot.pause()
        await choose(pilot, "QR-Code zeigen")
        assert isinstance(app.screen, QrScreen)
        # An emergency service: the code calls the emergency line, not the web page.
        code = app.qr.code(catalogue.offer("n01"))
        assert [b.text for b in decode(code.matrix)] == ["tel:+498001110111"]
        assert "Der Code enthält: Notruf: 0800 111 0 111" in " ".join(screen_text(app).split())
        await heard(pilot, "Der Code enthält: Notruf: 0 8 0 0, 1 1 1, 0, 1 1 1.")  # digit by digit


async def test_the_slip_keeps_phone_labels_and_is_read_aloud(settings, make_catalogue, clock, espeak):
    catalogue = make_catalogue([EMERGENCY])
    offer = catalogue.offer("n01")
    slip = compose_slip(offer, place_name="Teestube", today=FROZEN_NOW.date(), language="de")
    lines = slip_text(slip)
    assert "Zentrale: 02551 69-0" in lines and "Notruf: 0800 111 0 111" in lines
    app = make_app(settings, catalogue, speech=espeak, clock=clock, qr=QrMaker(settings.qr))
    async with app.run_test(size=(80, 24)) as pilot:
        await speech_mode_on(pilot)
        await app.push_screen(OfferScreen("n01"))
        await heard(pilot, "Krisendienst Steinfurt")  # announced (after a refresh): the corner button says Stop
        await open_menu(pilot)
        await choose(pilot, "Zettel vorlesen")
        await heard(pilot, "Krisendienst Steinfurt")
        text = said(espeak)
        for part in ("Zentrale:", "Notruf:", "Gedruckt in Teestube Lengerich", "Kamera Ihres Handys"):
            assert part in text, (part, text)


async def test_a_read_slip_speaks_its_words_in_the_ui_voice_and_catalogue_text_in_german(
        settings, make_catalogue, clock, espeak):
    """Issue 11: in the English UI the slip's labels are English, but its catalogue text (name,
    organisation, address, the phones' own labels, what the code holds, the place) is German and is
    read with the German voice, as the screen itself is read."""
    catalogue = make_catalogue([EMERGENCY])
    app = make_app(settings, catalogue, speech=espeak, clock=clock, qr=QrMaker(settings.qr))
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Sprache")
        await tap(pilot, "English")
        await tap(pilot, "Read aloud")
        await until(pilot, lambda: app.speech_mode.on and espeak.speaking)
        await app.push_screen(OfferScreen("n01"))
        # Its announcement starts after a refresh: stopped before that, it would start afterwards
        # and the corner button would stop it instead of opening the menu.
        await heard(pilot, "Krisendienst Steinfurt")
        app.stop_speaking()
        await asyncio.sleep(0.3)  # a Button ignores a second press within 0.2 s (touch bounce)
        await pilot.click("#read")
        assert isinstance(app.screen, SpeechMenuScreen)
        await choose(pilot, "Read the slip")
        await heard(pilot, "Krisendienst Steinfurt")
        english = espeak.voice_for("en")
        assert english is not None and not english.startswith("de")
        spoken = [(segment.text, segment.voice) for segment in espeak.last_utterance]

        def voice_of(words: str) -> str:
            found = [voice for text, voice in spoken if words in text]
            assert found, (words, spoken)
            return found[0]

        for german in ("Krisendienst Steinfurt", "Caritas Tecklenburger Land", "Zentrale:", "Notruf:",
                       "Teestube Lengerich"):
            assert voice_of(german) == "de", (german, spoken)
        for words in ("Offered by", "Web:", "Printed at", "Scan the code with your phone"):
            assert voice_of(words) == english, (words, spoken)
        assert {voice for _text, voice in spoken} == {"de", english}


async def test_the_qr_screen_reads_what_the_code_holds_in_the_catalogue_voice(settings, make_catalogue, clock, espeak):
    """The caption's own words in the English voice; the number it holds, with the catalogue's
    label ("Notruf"), in the German one."""
    catalogue = make_catalogue([EMERGENCY])
    app = make_app(settings, catalogue, speech=espeak, clock=clock, qr=QrMaker(settings.qr))
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Sprache")
        await tap(pilot, "English")
        await tap(pilot, "Read aloud")
        await until(pilot, lambda: app.speech_mode.on and espeak.speaking)
        await app.push_screen(OfferScreen("n01"))
        await pilot.pause()
        await choose(pilot, "Show QR")
        assert isinstance(app.screen, QrScreen)
        await heard(pilot, "The code holds")
        english = espeak.voice_for("en")
        spoken = [(segment.text, segment.voice) for segment in espeak.last_utterance]
        assert spoken[0] == ("Krisendienst Steinfurt.", "de"), spoken
        assert any(text.endswith("The code holds:") and voice == english for text, voice in spoken), spoken
        assert ("Notruf: 0 8 0 0, 1 1 1, 0, 1 1 1.", "de") in spoken


async def test_the_volunteer_pin_is_never_spoken_in_speech_mode(settings, catalogue, clock, espeak):
    """EN 301 549 5.1.3.8 (masked entry): the PIN pad is outside speech mode; taps act at once."""
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await speech_mode_on(pilot)
        await pilot.press("f12")
        await pilot.pause()
        before = said(espeak)
        for digit in "1357":
            await tap(pilot, digit)
            await asyncio.sleep(0.25)
        assert app.screen.entered == "1357"  # each tap entered its digit at once
        assert said(espeak) == before  # and nothing was said


# ---------------------------------------------------------------- settings

def test_old_speak_on_focus_key_is_a_clear_settings_error(tmp_path):
    from kiosk.config import SettingsError, load_settings

    path = tmp_path / "kiosk.toml"
    path.write_text("[speech]\nspeak_on_focus = true\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    assert caught.value.key == "speech.speak_on_focus" and "start_in_speech_mode" in str(caught.value)
    path.write_text("[speech]\nstart_in_speech_mode = true\nconfirm_seconds = 4\n")
    speech = load_settings(path).speech
    assert speech.start_in_speech_mode and speech.confirm_seconds == 4


@pytest.mark.parametrize("warning", [0, 10, 19])
def test_an_idle_warning_shorter_than_20_seconds_is_refused(tmp_path, warning):
    from kiosk.config import SettingsError, load_settings

    path = tmp_path / "kiosk.toml"
    path.write_text(f"[kiosk]\nidle_warning_seconds = {warning}\n")
    with pytest.raises(SettingsError, match="between 20 and 3599"):
        load_settings(path)


async def test_without_a_speech_engine_home_promises_no_speech(settings, catalogue, clock, tmp_path):
    speech = EspeakSpeech(executable=str(tmp_path / "espeak-ng"))  # not installed
    app = make_app(with_speech(settings, start_in_speech_mode=True), catalogue, speech=speech, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert not app.speech_mode.on  # configured, but there is nothing to speak with
        assert not app.screen.query_one("#speech-hint").display
        await pilot.press("5")
        assert not app.speech_mode.on  # nothing to speak with: taps keep acting at once
        assert "espeak-ng ist nicht installiert" in app.screen.query_one("#title").visual.plain
