"""Read aloud in the running app (Pilot) with the real espeak-ng: the button switches speech mode
on and speaks the screen,
navigation, a second press and the idle reset stop it, the UI keeps answering, the voices follow
the languages, and a kiosk without espeak-ng or without sound says so in words.

The sound card is the stand-in `aplay` of tests/test_speech.py (this machine has none): it
consumes espeak-ng's WAV at real-time speed, so an utterance really lasts as long as it would on
the loudspeaker. Nothing of the kiosk is mocked; what was spoken is read from the engine
(`last_utterance`: normalised text and voice per segment) and from the processes it started.
"""
from __future__ import annotations

import asyncio
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.app import make_app
from kiosk.config import SpeechSettings
from kiosk.screens.home import HomeScreen
from kiosk.screens.offer import OfferScreen
from kiosk.screens.results import ResultsScreen
from kiosk.speech import EspeakSpeech
from tests.conftest import find_button, screen_text, tap, with_kiosk
from tests.test_speech import card, gone, pids, wav_stats

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")

DEBOUNCE = 0.3  # a Button ignores a second press within 0.2 s (touch bounce)
# What speech mode says first when the corner button switches it on (tests/test_app_speechmode.py).
INTRO_DE = ("Der Sprachmodus ist an. Tippen Sie einmal auf eine Taste, um sie zu hören, zweimal, um sie zu wählen. "
            "Die Sprach-Taste oben rechts hält das Sprechen an oder öffnet das Sprachmenü. ")


def after_intro(segments) -> list[tuple[str, str]]:
    """(text, voice) of what was said after speech mode's introduction: the screen itself."""
    spoken = [(s.text, s.voice) for s in segments]
    assert spoken[0][0].startswith("Der Sprachmodus ist an.") or spoken[0][0].startswith("Speech mode is on."), spoken
    if spoken[0][0].startswith(INTRO_DE):
        return [(spoken[0][0].removeprefix(INTRO_DE), spoken[0][1]), *spoken[1:]]
    return spoken[1:]


async def choose(pilot, label: str) -> None:
    """In speech mode: the first tap speaks the control, the second chooses it."""
    await tap(pilot, label)
    await tap(pilot, label)


@pytest.fixture
def sound_card(tmp_path: Path) -> Path:
    return card(tmp_path)


@pytest.fixture
def espeak(sound_card: Path) -> EspeakSpeech:
    """The real espeak-ng, playing into the real-time stand-in sound card."""
    return EspeakSpeech(SpeechSettings(), player=[str(sound_card / "aplay"), "-q"])


async def until(pilot, condition: Callable[[], bool], timeout: float = 10.0) -> float:
    """Seconds until `condition` held, letting the app run meanwhile; fails after `timeout`.

    The default is generous: a wait for a real condition costs only as long as the condition
    takes, and on a loaded CI machine a worker thread or espeak-ng may start seconds late."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, f"not within {timeout} s"
        await pilot.pause(0.02)
    return time.monotonic() - start


def title(app) -> str:
    return app.screen.query_one("#title").visual.plain


def read_label(app) -> str:
    return app.screen.query_one("#read").label.plain


def playing(folder: Path) -> list[int]:
    """The stand-in aplay processes still alive: what the loudspeaker would be playing now."""
    return [pid for pid in pids(folder) if not gone(pid)]


async def open_first_offer(pilot, need: str = "Alter & Pflege") -> None:
    await tap(pilot, need)
    await pilot.click("OfferCard")
    await pilot.pause()
    assert isinstance(pilot.app.screen, OfferScreen)


async def start_reading(pilot, label: str = "Vorlesen") -> EspeakSpeech:
    """Tap Read aloud and wait until the loudspeaker plays."""
    speech = pilot.app.speech
    await tap(pilot, label)
    await until(pilot, lambda: speech.speaking and bool(speech._run.procs))
    return speech


# ---------------------------------------------------------------- what is spoken, in which order

async def test_offer_is_read_in_order_with_natural_times_and_numbers(settings, catalogue, clock, espeak,
                                                                    sound_card, tmp_path):
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_offer(pilot)
        assert len(app.screen.query("#read")) == 1  # one Read-aloud button, in the top bar
        start = time.monotonic()
        await tap(pilot, "Vorlesen")
        # The tap returns with the reading still to come or going on (about 30 s): it never waits
        # for it. No tighter wall-clock bound: two pauses of the Pilot run under whatever load CI has.
        assert app.speaking and time.monotonic() - start < 10
        await until(pilot, lambda: bool(playing(sound_card)))
        assert read_label(app) == "■ Stopp"
        (segment,) = espeak.last_utterance  # a German screen: one voice, one process chain
        assert segment.voice == "de"
        ((text, _voice),) = after_intro(espeak.last_utterance)
        assert text.startswith("Pflegeberatung im Tecklenburger Land. Angeboten von Caritas Tecklenburger Land.")
        order = ["Was? Beratung zu Pflegegrad, Pflegegeld und Hilfen zu Hause.", "Für wen?", "Wann?",
                 "Jetzt geöffnet bis 12 Uhr.", "Montag bis Freitag: 9 bis 12 Uhr.", "Wo?",
                 "Bahnhofstraße 1", "Kontakt. Telefon: 0 5 4 8 1, 1 2 3 4."]
        positions = [text.index(part) for part in order]
        assert positions == sorted(positions), text
        # The engine speaks exactly that: espeak-ng's command line ends with "--" and the text.
        assert espeak._run.procs[0].args[-2:] == ["--", segment.text]
        assert espeak._run.procs[0].args[espeak._run.procs[0].args.index("-v") + 1] == "de"
        # And it is real speech of plausible length (at 175 words a minute).
        seconds, rms = wav_stats(espeak.synthesize_to_file(text, "de", tmp_path / "offer.wav"))
        assert 0.6 * len(text.split()) / 3 <= seconds <= 2 * len(text.split()) / 2 and rms > 500


async def test_home_reads_place_greeting_question_and_needs(settings, catalogue, clock, espeak, sound_card):
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        assert len(app.screen.query("#read")) == 1
        await start_reading(pilot)
        ((text, voice),) = after_intro(espeak.last_utterance)
        assert voice == "de"
        icons = tuple(f"{n.icon} " for n in app.finder.needs() if n.icon)  # shown, not read
        needs = [b.label.plain.removeprefix(next((i for i in icons if b.label.plain.startswith(i)), ""))
                 .replace("&", "und") for b in app.screen.query(".need")]
        expected = ["Teestube Lengerich.", "Willkommen! Hier finden Sie Hilfe und Angebote in Ihrer Nähe.",
                    "Wobei brauchen Sie Hilfe?", *needs, "Hilfe für wen?", "Suchen."]
        positions = [text.index(part) for part in expected]
        assert positions == sorted(positions) and positions[0] == 0, text


async def test_language_names_are_read_each_in_its_own_voice(settings, catalogue, clock, espeak, sound_card):
    """Two voices in one utterance, played one after the other; the button says Stop until the end."""
    settings = with_kiosk(settings, languages=("de", "en"))  # two languages, two voices
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Sprache")
        await start_reading(pilot)
        assert after_intro(espeak.last_utterance) == [("Sprache. Deutsch.", "de"), ("English.", espeak.voice_for("en"))]
        first = espeak._run.procs[0]
        assert first.args[first.args.index("-v") + 1] == "de"
        # The reaper starts the English part when the German one has been played.
        await until(pilot, lambda: espeak._run is not None and espeak._run.procs[0] is not first, 40)
        second = espeak._run.procs[0]
        assert second.args[-1] == "English." and second.args[second.args.index("-v") + 1] == "en-gb"
        assert first.returncode == 0  # played to its end, not killed
        assert read_label(app) == "■ Stopp"
        await until(pilot, lambda: not espeak.speaking, 20)
        await until(pilot, lambda: read_label(app) == "🔊 Sprache")  # reported from the reaper thread
        assert espeak.last_error is None and not playing(sound_card)


async def test_english_ui_words_in_english_catalogue_text_in_german(settings, catalogue, clock, espeak,
                                                                   sound_card):
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Sprache")
        await tap(pilot, "English")
        await open_first_offer(pilot, "Age & care")
        await start_reading(pilot, "Read aloud")
        english = espeak.voice_for("en")
        spoken = after_intro(espeak.last_utterance)
        assert spoken[:5] == [("Pflegeberatung im Tecklenburger Land.", "de"), ("Offered by", english),
                              ("Caritas Tecklenburger Land.", "de"), ("What?", english),
                              ("Beratung zu Pflegegrad, Pflegegeld und Hilfen zu Hause.", "de")]
        when = next(text for text, voice in spoken if text.startswith("When?"))
        assert "Monday to Friday: 9 to 12." in when and (when, english) in spoken  # normalised in English
        address = next(text for text, voice in spoken if "Bahnhofstraße 1" in text)
        assert (address, "de") in spoken
        assert {voice for _text, voice in spoken} == {"de", english}
        assert read_label(app) == "■ Stop"


async def test_a_language_without_a_voice_is_not_read_in_a_wrong_one(settings, catalogue, clock, sound_card,
                                                                    tmp_path):
    """espeak-ng without its English voices (the real one, with English left out of --voices):
    the English words are left out and the title bar says why; German catalogue text is read."""
    wrapper = tmp_path / "bin" / "espeak-ng"
    wrapper.parent.mkdir()
    wrapper.write_text(f"""#!{sys.executable}
import os, re, subprocess, sys
real = {shutil.which("espeak-ng")!r}
if sys.argv[1:] == ["--voices"]:
    out = subprocess.run([real, "--voices"], capture_output=True, text=True).stdout
    sys.stdout.write("".join(line for line in out.splitlines(True)
                             if not re.match(r"\\s*\\d+\\s+en", line) and "(en" not in line))
else:
    os.execv(real, [real, *sys.argv[1:]])
""")
    wrapper.chmod(0o755)
    speech = EspeakSpeech(executable=str(wrapper), player=[str(sound_card / "aplay"), "-q"])
    assert speech.voice_for("en") is None and speech.voice_for("de") == "de"
    app = make_app(settings, catalogue, speech=speech, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Sprache")
        await tap(pilot, "English")
        await open_first_offer(pilot, "Age & care")
        await start_reading(pilot, "Read aloud")
        assert {s.voice for s in speech.last_utterance} == {"de"}
        assert speech.last_utterance[0].text.startswith("Pflegeberatung im Tecklenburger Land. Caritas")
        assert not any("What" in s.text or "Open now" in s.text for s in speech.last_utterance)
        await until(pilot, lambda: "not read aloud" in title(app))
        assert title(app) == "Part of this is not read aloud: there is no voice for English."
        # No speech mode without a voice for the kiosk's own words: a tap would only speak a
        # label that cannot be spoken. Taps act at once; the German part goes on being read.
        assert not app.speech_mode.on and read_label(app) == "■ Stop"
        # Said once: reading again reads the German part and leaves the title alone.
        await pilot.pause(DEBOUNCE)  # "Stop" is the button just pressed: a press within 0.2 s is a bounce
        await tap(pilot, "Stop")
        app.screen._restore_title()
        await pilot.pause(DEBOUNCE)
        await start_reading(pilot, "Read aloud")
        await pilot.pause(0.5)
        assert {s.voice for s in speech.last_utterance} == {"de"} and "not read aloud" not in title(app)
        speech.stop()


# ---------------------------------------------------------------- stopping

async def test_back_and_home_stop_speaking_and_announce_the_new_screen(settings, catalogue, clock, espeak,
                                                                     sound_card):
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_offer(pilot)
        await start_reading(pilot)  # speech mode on
        for label, screen in (("Zurück", ResultsScreen), ("Start", HomeScreen)):
            if label == "Start":  # speech mode: a first tap on the card speaks it, the second opens it
                await pilot.click("OfferCard")
                await pilot.click("OfferCard")
                await pilot.pause()
                assert isinstance(app.screen, OfferScreen)
            await until(pilot, lambda: espeak.speaking and bool(espeak._run.procs))
            procs = list(espeak._run.procs)
            start = time.monotonic()
            await choose(pilot, label)
            assert isinstance(app.screen, screen)
            # Stopped, not finished: the processes were killed far before the rest of the
            # utterance (many seconds) could have been spoken. The 250 ms figure is measured from
            # the input event in tests/test_app_speechmode.py; here two taps and a screen switch
            # run under whatever load the machine has, so the bound only rules out finishing.
            await until(pilot, lambda procs=procs: all(p.poll() is not None for p in procs), 3)
            assert procs[0].returncode < 0 and time.monotonic() - start < 3
            # The screen it led to is announced: its title first.
            await until(pilot, lambda: espeak.speaking and espeak.last_utterance[-1].text.endswith(
                "Tippen Sie einmal auf eine Taste, um sie zu hören, zweimal, um sie zu wählen."))
            assert read_label(app) == "■ Stopp"


async def test_opening_another_screen_stops_speaking(settings, catalogue, clock, espeak, sound_card):
    """What is read must match what is shown: the old screen's reading ends, the new one is announced."""
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_reading(pilot)  # Home: about 20 s of speech
        procs = list(espeak._run.procs)
        start = time.monotonic()
        await choose(pilot, "Gesundheit")
        assert isinstance(app.screen, ResultsScreen)
        await until(pilot, lambda: all(p.poll() is not None for p in procs), 3)
        assert procs[0].returncode < 0 and time.monotonic() - start < 3  # killed, far before Home's 20 s
        await until(pilot, lambda: espeak.speaking and espeak.last_utterance[0].text.startswith("Gesundheit"))


async def test_second_press_stops_and_a_third_opens_the_speech_menu(settings, catalogue, clock, espeak,
                                                                   sound_card):
    from kiosk.screens.speechmenu import SpeechMenuScreen

    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_offer(pilot)
        await start_reading(pilot)
        first = list(espeak._run.procs)
        await asyncio.sleep(DEBOUNCE)
        await tap(pilot, "Stopp")  # the corner button acts at once, even in speech mode
        assert read_label(app) == "🔊 Sprache"
        await until(pilot, lambda: all(p.poll() is not None for p in first) and not playing(sound_card), 3)
        assert isinstance(app.screen, OfferScreen) and espeak.last_error is None
        await asyncio.sleep(DEBOUNCE)
        await start_reading(pilot, "Sprache")  # the speech menu, announced
        assert isinstance(app.screen, SpeechMenuScreen)
        assert espeak._run.procs[0] is not first[0]
        assert espeak.last_utterance[0].text.startswith("Sprache. Nochmal. Bildschirm vorlesen. Zettel vorlesen.")
        assert read_label(app) == "■ Stopp"


async def test_idle_reset_stops_speaking(settings, catalogue, clock, espeak, sound_card):
    app = make_app(with_kiosk(settings, idle_seconds=30, idle_warning_seconds=0), catalogue, speech=espeak,
                   clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_offer(pilot)
        await start_reading(pilot)
        app.idle_clock = lambda: time.monotonic() + 60  # nobody touched the screen for a minute
        # The reset pops the screens, then composes Home anew: until then Home's old button (from
        # before the reset, "Sprache" in speech mode) is still there. Wait for the new one.
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and len(app.screen.query("#read")) == 1
                    and read_label(app) == "🔊 Vorlesen")
        await until(pilot, lambda: not playing(sound_card), 3)  # killed, far before the offer's 30 s
        assert not espeak.speaking
        assert not app.speech_mode.on  # the visit is over: speech mode too


async def test_the_ui_keeps_answering_while_speaking(settings, catalogue, clock, espeak, sound_card):
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 48)) as pilot:
        await tap(pilot, "Alter & Pflege")
        app.say("Ein langer Text. " * 30)  # speaking outside speech mode (e.g. the voice test)
        await until(pilot, lambda: espeak.speaking and bool(espeak._run.procs))
        procs = list(espeak._run.procs)
        for _ in range(3):  # filters while speaking: each tap answered at once, speech goes on
            await asyncio.sleep(0.25)  # a Button ignores a second press within 0.2 s (touch bounce)
            start = time.monotonic()
            await tap(pilot, "Jetzt geöffnet")
            assert time.monotonic() - start < 3  # far below the 30 sentences still being spoken
        assert "Pflegekurs für Angehörige" not in screen_text(app)  # the filter is on: closed now
        assert all(p.poll() is None for p in procs) and espeak.speaking
        start = time.monotonic()
        await pilot.click("OfferCard")
        await pilot.pause()
        assert isinstance(app.screen, OfferScreen) and time.monotonic() - start < 3
        await until(pilot, lambda: not playing(sound_card), 3)


async def test_leaving_the_app_silences_it(settings, catalogue, clock, espeak, sound_card):
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_reading(pilot)
        procs = list(espeak._run.procs)
    start = time.monotonic()
    while not all(p.poll() is not None for p in procs):
        assert time.monotonic() - start < 3  # Home's reading lasts about 20 s
        await asyncio.sleep(0.02)
    assert procs[0].returncode < 0  # killed, not finished
    assert espeak.on_done is None and espeak.on_error is None


# ---------------------------------------------------------------- no voice, no sound

async def test_without_espeak_the_kiosk_runs_and_says_why(settings, catalogue, clock, tmp_path):
    speech = EspeakSpeech(executable=str(tmp_path / "espeak-ng"))  # not there
    app = make_app(settings, catalogue, speech=speech, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Vorlesen")
        assert title(app) == "Vorlesen ist hier nicht möglich: das Sprachprogramm espeak-ng ist nicht installiert"
        assert read_label(app) == "🔊 Vorlesen"
        await open_first_offer(pilot)
        await tap(pilot, "Vorlesen")
        assert "Sprachprogramm espeak-ng ist nicht installiert" in title(app)
        await tap(pilot, "Zurück")
        assert isinstance(app.screen, ResultsScreen) and app.is_running


@pytest.mark.skipif(shutil.which("aplay") is None, reason="alsa-utils (aplay) is not installed")
async def test_a_failing_sound_device_is_told_in_the_title_bar(settings, catalogue, clock, capfd):
    speech = EspeakSpeech(player=["aplay", "-q", "-D", "no_such_kiosk_device"])
    app = make_app(settings, catalogue, speech=speech, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await tap(pilot, "Sprache")
        await tap(pilot, "Vorlesen")
        await until(pilot, lambda: "Tonausgabe" in title(app))
        assert title(app) == "Vorlesen hat nicht geklappt: die Tonausgabe funktioniert nicht"
        await until(pilot, lambda: read_label(app) == "🔊 Vorlesen")
        assert not app.speech_mode.on  # without sound a tap that only speaks would do nothing
        assert speech.last_error.startswith("audio output failed")
    assert "ALSA" not in capfd.readouterr().err  # aplay's complaint never reaches the terminal


# ---------------------------------------------------------------- one button on every visitor screen

@pytest.mark.parametrize(("steps", "count"), [
    ([], 1), (["Alter & Pflege"], 1), (["Alter & Pflege", "card"], 1), (["Suchen"], 1), (["Sprache"], 1),
    (["Hilfe für wen?"], 1), (["f12"], 0)])
async def test_exactly_one_read_aloud_button_per_visitor_screen(settings, catalogue, clock, steps, count):
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for step in steps:
            if step == "card":
                await pilot.click("OfferCard")
            elif step == "f12":
                await pilot.press("f12")
            else:
                await tap(pilot, step)
            await pilot.pause()
        assert len(app.screen.query("#read")) == count
        if count:
            button = find_button(app, "Vorlesen")
            assert button.region.width >= 12 and button.region.height >= 3
            assert title(app).strip()  # the title keeps room beside it


# ---------------------------------------------------------------- the volunteer's voice test

async def open_volunteer_menu(pilot) -> None:
    await pilot.press("f12")
    await pilot.press(*pilot.app.settings.kiosk.volunteer_pin, "enter")
    await pilot.pause()


def result(app) -> str:
    return app.screen.query_one("#result").visual.plain


async def test_voice_test_checks_the_sound_then_speaks(settings, catalogue, clock, tmp_path):
    """The sound card holds the check's sound until the test lets it play: the tap has returned
    and the screen says it is testing while the check still waits for the card (in a worker)."""
    gated = card(tmp_path, "gated")
    espeak = EspeakSpeech(SpeechSettings(), player=[str(gated / "aplay"), "-q"])
    app = make_app(settings, catalogue, speech=espeak, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_volunteer_menu(pilot)
        await tap(pilot, "Stimme testen")
        assert result(app) == "Die Stimme wird getestet …"  # the check has not ended: it runs in a worker
        await until(pilot, lambda: bool(pids(gated)))  # it is waiting for the card
        assert result(app) == "Die Stimme wird getestet …" and app.is_running
        (gated / "go").touch()
        await until(pilot, lambda: "Die Tonausgabe funktioniert." in result(app))
        await until(pilot, lambda: espeak.speaking and bool(espeak.last_utterance))
        assert [(s.text, s.voice) for s in espeak.last_utterance] == [
            ("Das ist die Stimme des Kiosks. Sie können mich hören.", "de")]


@pytest.mark.skipif(shutil.which("aplay") is None, reason="alsa-utils (aplay) is not installed")
async def test_voice_test_reports_a_failing_sound_device_in_words(settings, catalogue, clock):
    speech = EspeakSpeech(player=["aplay", "-q", "-D", "no_such_kiosk_device"])
    app = make_app(settings, catalogue, speech=speech, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_volunteer_menu(pilot)
        await tap(pilot, "Stimme testen")
        await until(pilot, lambda: "Stimmtest" in result(app))
        assert result(app).startswith("Stimmtest fehlgeschlagen: die Tonausgabe funktioniert nicht\n(audio output")
        assert not speech.speaking
