"""Read-aloud engines (kiosk/speech/engines.py) with the real espeak-ng and the real pyttsx3.

This machine may have no sound card, so speech is checked as WAV files (`espeak-ng -w`) and as
process behaviour. Where an utterance must *play* for a while (replace, stop), the sound card is
stood in for by `aplay` below: a small script that consumes the WAV at real-time speed (22050 Hz,
16-bit mono = 44100 bytes/s), like a sound card, and writes to stdout and stderr the way the real
aplay does when it fails, so the tests can show none of that reaches the kiosk's terminal.
espeak-ng itself is never replaced.
"""
from __future__ import annotations

import array
import math
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.config import SpeechSettings
from kiosk.services import NoSpeech, ServiceError, Speech, SpeechError
from kiosk.speech import engines as speech_module
from kiosk.speech.engines import EspeakSpeech, Pyttsx3Speech, make_speech, parse_voices

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
SENTENCE = "Das Sprachcafé ist von Montag bis Freitag geöffnet, von neun bis zwölf Uhr."
LONG = " ".join([SENTENCE] * 6)  # about 35 s of speech: still running whenever a test looks

SOUND_CARD = f"""#!{sys.executable}
import os, signal, sys, time
from pathlib import Path
here = Path(sys.argv[0]).resolve().parent
if here.name == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # an engine that will not stop
(here / "pids").mkdir(exist_ok=True)
(here / "pids" / str(os.getpid())).touch()
while here.name == "gated" and not (here / "go").exists():  # holds the sound until a test lets it play
    time.sleep(0.01)
print("aplay: playing on the test sound card", flush=True)
print("ALSA lib pcm.c: noise that must not reach the kiosk screen", file=sys.stderr, flush=True)
files = [a for a in sys.argv[1:] if not a.startswith("-")]
source = open(files[0], "rb") if files else sys.stdin.buffer
while chunk := source.read(4410):
    time.sleep(len(chunk) / 44100)
"""


def wav_stats(path: Path) -> tuple[float, float]:
    """(seconds, RMS of the 16-bit samples) of a mono WAV file."""
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        samples = array.array("h", w.readframes(w.getnframes()))
        seconds = w.getnframes() / w.getframerate()
    if sys.byteorder == "big":
        samples.byteswap()
    return seconds, math.sqrt(sum(s * s for s in samples) / max(len(samples), 1))


def until(condition: Callable[[], bool], timeout: float) -> float:
    """Seconds until `condition` held; fails after `timeout`."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, f"not within {timeout} s"
        time.sleep(0.01)
    return time.monotonic() - start


def gone(pid: int) -> bool:
    """The process has exited (reaped, or a zombie waiting for a PID 1 that may never reap)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def card(root: Path, name: str = "paced") -> Path:
    """A directory holding the stand-in `aplay`; its processes note their pids in ./pids."""
    folder = root / name
    folder.mkdir(exist_ok=True)
    script = folder / "aplay"
    script.write_text(SOUND_CARD)
    script.chmod(0o755)
    return folder


def pids(folder: Path) -> list[int]:
    return [int(p.name) for p in (folder / "pids").glob("*")] if (folder / "pids").is_dir() else []


@pytest.fixture
def espeak(tmp_path: Path) -> EspeakSpeech:
    """espeak-ng playing into the real-time stand-in sound card."""
    return EspeakSpeech(SpeechSettings(), player=[str(card(tmp_path) / "aplay"), "-q"])


# ---------------------------------------------------------------- voices and WAV output

@needs_espeak
def test_voices_are_the_installed_ones() -> None:
    listed = parse_voices(subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True).stdout)
    by_code = {v.language: v for v in listed}
    s = EspeakSpeech()
    assert by_code[s.voice_for("de")].name == "German"
    assert by_code[s.voice_for("en")].name.startswith("English")
    assert by_code[s.voice_for("de-AT")].name == "German"
    for language in ("ar", "uk", "ru", "tr", "fa", "pl", "ro", "prs"):  # every UI language has its voice
        assert s.voice_for(language) in by_code, language
        assert s.missing_voice_reason(language) is None
    assert s.voice_for("xx") is None
    problem = s.missing_voice_reason("xx")
    assert problem == 'espeak-ng has no voice for the language "xx"'
    assert problem is not None and (problem.code, problem.subject) == ("no_voice", "xx")
    with pytest.raises(SpeechError, match='no voice for the language "xx"') as raised:
        s.say("Hallo", "xx")
    assert raised.value.problem.code == "no_voice"


@needs_espeak
def test_german_sentence_is_speech_of_plausible_length(tmp_path: Path) -> None:
    seconds, rms = wav_stats(EspeakSpeech().synthesize_to_file(SENTENCE, "de", tmp_path / "de.wav"))
    assert 2 <= seconds <= 12
    assert rms > 500  # silence is 0; espeak-ng speech at the default volume is about 3000


@needs_espeak
def test_rate_and_volume_come_from_the_settings(tmp_path: Path) -> None:
    def stats(rate: int, volume: int) -> tuple[float, float]:
        s = EspeakSpeech(SpeechSettings(rate=rate, volume=volume))
        return wav_stats(s.synthesize_to_file(SENTENCE, "de", tmp_path / f"{rate}-{volume}.wav"))
    slow, fast = stats(120, 80), stats(300, 80)
    assert fast[0] < 0.6 * slow[0]
    assert stats(150, 100)[1] > 3 * stats(150, 25)[1]
    assert stats(150, 0)[1] == 0


@needs_espeak
@pytest.mark.parametrize("language,text", [
    ("ar", "أهلاً وسهلاً! هنا تجد المساعدة والعروض بالقرب منك."),
    ("fa", "خوش آمدید! این‌جا کمک و خدمات نزدیک خود را می‌یابید."),  # with zero-width non-joiners
    ("uk", "Ласкаво просимо! Тут ви знайдете допомогу поруч."),
])
def test_ui_languages_are_spoken_in_their_own_voice(tmp_path: Path, language: str, text: str) -> None:
    seconds, rms = wav_stats(EspeakSpeech().synthesize_to_file(text, language, tmp_path / f"{language}.wav"))
    assert 1.5 <= seconds <= 12 and rms > 500


@needs_espeak
def test_german_and_english_voices_sound_different(tmp_path: Path) -> None:
    s = EspeakSpeech(normalise=False)
    de = s.synthesize_to_file("Der Zug fährt um neun.", "de", tmp_path / "de.wav")
    en = s.synthesize_to_file("Der Zug fährt um neun.", "en", tmp_path / "en.wav")
    with wave.open(str(de)) as a, wave.open(str(en)) as b:
        assert a.readframes(a.getnframes()) != b.readframes(b.getnframes())


@needs_espeak
def test_text_starting_with_a_dash_is_spoken_not_an_option(tmp_path: Path) -> None:
    s = EspeakSpeech(normalise=False)
    assert s.command("-v en --help", "de")[-2:] == ["--", "-v en --help"]
    seconds, rms = wav_stats(s.synthesize_to_file("-v en --help", "de", tmp_path / "dash.wav"))
    assert seconds > 0.5 and rms > 500


def longest_pause(path: Path) -> float:
    """Seconds of the longest near-silence inside a mono WAV's speech (its silent ends left out)."""
    with wave.open(str(path)) as w:
        rate, samples = w.getframerate(), array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder == "big":
        samples.byteswap()
    loud = [i for i, s in enumerate(samples) if abs(s) > 300]
    longest = run = 0
    for s in samples[loud[0]:loud[-1]]:
        run = run + 1 if abs(s) <= 300 else 0
        longest = max(longest, run)
    return longest / rate


@needs_espeak
@pytest.mark.parametrize("separator", ["\n", "\r", "\u2028", "\u2029"], ids=["LF", "CR", "LS", "PS"])
def test_a_line_break_of_any_kind_is_heard_as_a_pause(tmp_path: Path, separator: str) -> None:
    """Two lines of catalogue text, split by a line or paragraph separator (U+2028/U+2029) or a
    lone CR, are read with a pause between them, as with \\n; a space runs them together."""
    s = EspeakSpeech()
    run_on = longest_pause(s.synthesize_to_file("Sprachcafé Treffpunkt am Markt", "de", tmp_path / "space.wav"))
    paused = longest_pause(s.synthesize_to_file(f"Sprachcafé{separator}Treffpunkt am Markt", "de",
                                                tmp_path / "break.wav"))
    assert paused >= 0.2 and paused > 3 * run_on, (paused, run_on)


# ---------------------------------------------------------------- playing, replacing, stopping

@needs_espeak
def test_say_returns_at_once_and_speaks_the_normalised_text(espeak: EspeakSpeech, capfd) -> None:
    start = time.monotonic()
    espeak.say("Mo–Fr 9:00–12:00. " + LONG, "de")
    # It returned while the utterance (about 35 s) plays: it does not wait for it. The first say
    # also lists the voices (a process of its own), so no tighter wall-clock bound under CI load.
    assert espeak.speaking and all(p.poll() is None for p in espeak._run.procs)
    assert time.monotonic() - start < 10
    assert espeak._run.procs[0].args[-1].startswith("Montag bis Freitag, 9 bis 12 Uhr.")
    espeak.stop()
    assert capfd.readouterr() == ("", "")


@needs_espeak
def test_a_new_say_replaces_the_old_one(espeak: EspeakSpeech, tmp_path: Path, capfd) -> None:
    espeak.say(LONG, "de")
    first = list(espeak._run.procs)
    until(lambda: len(pids(tmp_path / "paced")) == 1, 10)
    start = time.monotonic()
    espeak.say(LONG, "en")
    assert all(p.poll() is None for p in espeak._run.procs)  # returned while the new one plays
    assert time.monotonic() - start < 10  # far below the utterance's 35 s
    until(lambda: all(p.poll() is not None for p in first), 3)  # killed: SIGTERM, SIGKILL 0.5 s later
    assert all(p.returncode < 0 for p in first)  # killed, not finished
    assert espeak.speaking and espeak._run.procs[0].poll() is None
    espeak.stop()
    assert espeak.last_error is None  # stopping on purpose is no failure
    assert capfd.readouterr() == ("", "")


@needs_espeak
def test_stop_ends_speaking_within_a_second(espeak: EspeakSpeech, tmp_path: Path, capfd) -> None:
    espeak.say(LONG, "de")
    procs = list(espeak._run.procs)
    until(lambda: len(pids(tmp_path / "paced")) == 1, 10)
    start = time.monotonic()
    espeak.stop()
    assert time.monotonic() - start < 0.5  # stop() does not wait for the process
    assert not espeak.speaking
    assert until(lambda: all(p.poll() is not None for p in procs), 1) < 1
    espeak.stop()  # twice is fine
    assert capfd.readouterr() == ("", "")


@needs_espeak
def test_a_player_ignoring_sigterm_is_killed(tmp_path: Path) -> None:
    s = EspeakSpeech(player=[str(card(tmp_path, "stubborn") / "aplay")])
    s.say(LONG, "de")
    procs = list(s._run.procs)
    until(lambda: len(pids(tmp_path / "stubborn")) == 1, 10)
    s.stop()
    until(lambda: all(p.poll() is not None for p in procs), 3)  # SIGKILL 0.5 s after the SIGTERM it ignores
    assert procs[1].returncode == -signal.SIGKILL


@needs_espeak
def test_says_from_many_threads_leave_exactly_one_voice(espeak: EspeakSpeech, tmp_path: Path) -> None:
    threads = [threading.Thread(target=espeak.say, args=(f"Stimme {i}. " + LONG, "de")) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    survivor = espeak._run.procs[1]
    until(lambda: [pid for pid in pids(tmp_path / "paced") if not gone(pid)] == [survivor.pid], 5)
    assert survivor.poll() is None
    espeak.stop()


@needs_espeak
def test_an_engine_that_runs_far_too_long_is_stopped(espeak: EspeakSpeech, monkeypatch) -> None:
    monkeypatch.setattr(speech_module, "_seconds", lambda text, rate: 0.3)
    errors: list[str] = []
    espeak.on_error = errors.append
    espeak.say(LONG, "de")
    until(lambda: bool(errors), 5)
    assert not espeak.speaking
    assert errors == ["speaking took far too long and was stopped"] and espeak.last_error == errors[0]
    assert espeak.last_error.code == "too_long"  # the app words it by this code, not by the sentence


@needs_espeak
def test_empty_text_just_stops(espeak: EspeakSpeech) -> None:
    espeak.say(LONG, "de")
    espeak.say("  \n ", "de")
    assert not espeak.speaking


# ---------------------------------------------------------------- audio failures

@needs_espeak
@pytest.mark.skipif(shutil.which("aplay") is None, reason="alsa-utils (aplay) is not installed")
def test_a_sound_device_that_fails_is_reported_not_printed(capfd) -> None:
    errors: list[str] = []
    s = EspeakSpeech(player=["aplay", "-q", "-D", "no_such_kiosk_device"], on_error=errors.append)
    s.say(SENTENCE, "de")  # espeak-ng alone would exit 0 here
    until(lambda: not s.speaking, 10)
    assert s.last_error is not None and s.last_error.startswith("audio output failed: aplay exited with 1")
    assert errors == [s.last_error] and s.last_error.code == "no_sound"
    verdict = s.check_audio()
    assert verdict is not None and verdict.startswith("audio output failed") and verdict.code == "no_sound"
    assert capfd.readouterr() == ("", "")


def test_check_audio_passes_on_a_working_device(tmp_path: Path) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    assert EspeakSpeech(player=[str(card(tmp_path) / "aplay"), "-q"]).check_audio() is None


@needs_espeak
def test_espeak_playing_itself_reports_what_check_audio_finds(capfd) -> None:
    """Without a player: failure shows only on espeak-ng's stderr. Here (no card) it fails; with
    a working card both agree on success. Volume 0 keeps a real sound card quiet."""
    s = EspeakSpeech(SpeechSettings(volume=0), player=None)
    verdict = s.check_audio()
    s.say("Test", "de")
    until(lambda: not s.speaking, 10)
    assert (s.last_error is None) == (verdict is None)
    assert capfd.readouterr() == ("", "")


# ---------------------------------------------------------------- no espeak-ng, backends

def test_without_espeak_the_kiosk_says_why(tmp_path: Path) -> None:
    for s in (EspeakSpeech(search_path=str(tmp_path)), EspeakSpeech(executable=str(tmp_path / "espeak-ng"))):
        assert not s.available
        assert s.unavailable_reason == "espeak-ng is not installed (not found on the PATH)"
        assert (s.unavailable_reason.code, s.unavailable_reason.subject) == ("no_engine", "espeak-ng")
        assert s.voice_for("de") is None and s.missing_voice_reason("de") == s.unavailable_reason
        assert s.check_audio() == s.unavailable_reason
        with pytest.raises(SpeechError, match="espeak-ng is not installed") as raised:
            s.say("Hallo", "de")
        assert raised.value.problem.code == "no_engine" and isinstance(raised.value, ServiceError)
        s.stop()
        assert not s.speaking


def test_make_speech_follows_the_settings() -> None:
    assert isinstance(make_speech(SpeechSettings(backend="espeak-ng")), EspeakSpeech)
    assert isinstance(make_speech(SpeechSettings(backend="pyttsx3")), Pyttsx3Speech)
    assert isinstance(make_speech(SpeechSettings(backend="none")), NoSpeech)
    for backend in ("espeak-ng", "pyttsx3", "none"):
        assert isinstance(make_speech(SpeechSettings(backend=backend)), Speech)


# ---------------------------------------------------------------- pyttsx3 in its own process

def pyttsx3_runs() -> bool:
    if Pyttsx3Speech().available:
        try:
            return Pyttsx3Speech().voice_for("de") is not None
        except ServiceError:
            return False
    return False


needs_pyttsx3 = pytest.mark.skipif(not pyttsx3_runs(), reason="pyttsx3 cannot start an engine here")


def pyttsx3_with_card(folder: Path) -> Pyttsx3Speech:
    """pyttsx3 whose espeak driver runs `aplay` (os.system) from `folder`: the real blocking call."""
    env = dict(os.environ, PATH=f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
    return Pyttsx3Speech(SpeechSettings(), env=env)


@needs_pyttsx3
def test_pyttsx3_writes_real_speech(tmp_path: Path) -> None:
    s = Pyttsx3Speech()
    assert s.voice_for("de") and "de" in s.voice_for("de").lower()
    assert s.voice_for("xx") is None
    assert s.missing_voice_reason("xx") == 'pyttsx3 has no voice for the language "xx"'
    assert s.missing_voice_reason("en") is None
    seconds, rms = wav_stats(s.synthesize_to_file(SENTENCE, "de", tmp_path / "p.wav"))
    assert 2 <= seconds <= 12 and rms > 500


@needs_pyttsx3
@pytest.mark.parametrize("engine", ["paced", "stubborn"])
def test_pyttsx3_blocking_or_hanging_never_blocks_the_kiosk(tmp_path: Path, engine: str, capfd) -> None:
    folder = card(tmp_path, engine)
    s = pyttsx3_with_card(folder)
    start = time.monotonic()
    s.say(LONG, "de")
    assert s.speaking and s._run.procs[0].poll() is None  # returned while the worker runs: no waiting
    assert time.monotonic() - start < 10  # far below the utterance's 35 s
    until(lambda: len(pids(folder)) == 1, 10)  # pyttsx3 is now inside os.system("aplay …")
    worker, player = s._run.procs[0], pids(folder)[0]
    start = time.monotonic()
    s.say(LONG, "de")  # replaces: the old worker and its aplay go
    assert s._run.procs[0].poll() is None  # returned while the new worker runs
    assert time.monotonic() - start < 10  # far below the utterance's 35 s
    until(lambda: worker.poll() is not None and gone(player), 3)
    s.stop()
    assert not s.speaking
    until(lambda: all(gone(pid) for pid in pids(folder)), 3)
    assert s.last_error is None
    assert capfd.readouterr() == ("", "")


@needs_pyttsx3
def test_pyttsx3_without_a_voice_reports_it(tmp_path: Path) -> None:
    errors: list[str] = []
    s = pyttsx3_with_card(card(tmp_path))
    s.on_error = errors.append
    s.say("Hallo", "xx")
    until(lambda: not s.speaking, 10)
    assert errors == ['pyttsx3 has no voice for the language "xx"']
