"""Reading aloud: the espeak-ng and pyttsx3 engines behind the `Speech` protocol of services.py.

Every utterance runs in child processes, never in the kiosk process, so no speech engine can
freeze or crash the screen (DESIGN.md section 7). Children get stdin/stdout from /dev/null and
stderr into a temporary file, and lead their own session: no controlling terminal, so nothing can
print onto the kiosk screen. Stopping signals the whole process group: SIGTERM at once, SIGKILL
0.5 s later. One daemon thread per utterance reaps it and reports failures afterwards through
`last_error` and `on_error` (a `SpeechProblem`: English words and a reason code), and its end
through `on_done`. `say()`, `say_parts()` and `stop()`
return in milliseconds and are thread-safe.

Mixed languages: `say_parts([(text, language), ...])` speaks the parts one after another, each in
its own voice (the English UI's words in English, German catalogue text in German), as one
utterance: one process chain at a time, started by the reaper as the previous part ends, so
`stop()` or a new utterance ends the whole chain. Neighbouring parts with the same voice are
joined, so a German screen is still one process.

Audio failure: espeak-ng exits 0 even when it cannot play, so its WAV output is piped into
`aplay`, which exits non-zero when the device cannot be opened; without aplay espeak-ng plays
itself and anything on its stderr counts as failure. `check_audio()` tests the output on demand.
Not detectable: a device that opens but is muted, turned down or has nothing plugged in; and
pyttsx3's playback (its espeak driver ignores aplay's exit status).
"""
from __future__ import annotations

import functools
import importlib.util
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import SpeechSettings
from ..services import NoSpeech, Speech, SpeechError, SpeechProblem
from .proc import ErrorHandler, Logs, Procs, _prepare, _run_blocking, _seconds, _signal_group, _Speaker, _tail

# UI language codes whose voice espeak-ng lists under another code.
VOICE_ALIASES = {"zh": "cmn", "kmr": "ku", "prs": "fa", "no": "nb", "iw": "he", "in": "id", "sh": "hbs"}


def make_speech(settings: SpeechSettings, **options: object) -> Speech:
    """The backend chosen in `[speech] backend`; options go to its constructor (paths, on_error)."""
    if settings.backend == "espeak-ng":
        return EspeakSpeech(settings, **options)  # type: ignore[arg-type]
    if settings.backend == "pyttsx3":
        return Pyttsx3Speech(settings, **options)  # type: ignore[arg-type]
    return NoSpeech()


def voice_candidates(language: str) -> list[str]:
    """Codes to look for, most specific first: "de-AT" -> ["de-at", "de"], "zh" -> ["zh", "cmn"]."""
    code = (language or "").strip().lower().replace("_", "-")
    base = code.split("-")[0]
    return list(dict.fromkeys(c for c in (code, VOICE_ALIASES.get(code), base, VOICE_ALIASES.get(base)) if c))


def _no_voice(engine: str, language: str) -> SpeechProblem:
    return SpeechProblem(f'{engine} has no voice for the language "{language}"', "no_voice", language)


def _no_sound(detail: str) -> SpeechProblem:
    return SpeechProblem(f"audio output failed: {detail}", "no_sound")


@dataclass(frozen=True)
class Voice:
    """One line of `espeak-ng --voices`."""

    language: str  # what `-v` takes, e.g. "en-gb"
    name: str
    also: tuple[tuple[str, int], ...] = ()  # other codes it speaks, with priority (lower = preferred)


def parse_voices(listing: str) -> list[Voice]:
    """The voices in `espeak-ng --voices` output (the header line does not match)."""
    voices = []
    for m in re.finditer(r"(?m)^\s*\d+\s+(\S+)\s+\S+\s+(\S+)\s+\S+(.*)$", listing):
        also = tuple((c.lower(), int(p)) for c, p in re.findall(r"\((\S+)\s+(\d+)\)", m[3]))
        voices.append(Voice(m[1].lower(), m[2], also))
    return voices


def _silence_wav(seconds: float = 0.1) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setparams((1, 2, 22050, 0, "NONE", "not compressed"))
        w.writeframes(b"\0\0" * int(22050 * seconds))
    return buf.getvalue()


def _play_silence(cmd: Sequence[str], timeout: float, *, wav: bool) -> SpeechProblem | None:
    """Run `cmd` (a player reading WAV on stdin when `wav`, else a program speaking silently):
    None if it played, else a no_sound problem. Blocking."""
    try:
        r = _run_blocking(cmd, timeout, input=_silence_wav() if wav else None)
    except SpeechError as exc:
        return _no_sound(str(exc))
    if r.returncode != 0 or (not wav and _tail(r.stderr)):
        return _no_sound(f"{Path(cmd[0]).name} exited with {r.returncode}: {_tail(r.stderr)}")
    return None


class EspeakSpeech(_Speaker):
    """espeak-ng, one child process per utterance; the default backend on Linux.

    `executable` and `search_path` (a PATH string) say where espeak-ng and aplay are found.
    `player`: "auto" pipes espeak-ng's WAV into `aplay -q` when aplay exists (so a failing sound
    device is noticed), None lets espeak-ng play itself, or a command reading WAV on stdin.
    Without espeak-ng, `available` is False, `unavailable_reason` says why and `say` raises
    SpeechError; for a language without a voice `say` raises SpeechError(missing_voice_reason).
    """

    def __init__(self, settings: SpeechSettings | None = None, *, executable: str = "espeak-ng",
                 player: Sequence[str] | str | None = "auto", search_path: str | None = None,
                 normalise: bool = True, on_error: ErrorHandler | None = None) -> None:
        super().__init__(settings, normalise, on_error)
        self.name = Path(executable).name
        self.executable = shutil.which(executable, path=search_path)
        if player == "auto":
            player = ["aplay", "-q"] if shutil.which("aplay", path=search_path) else None
        cmd = [player] if isinstance(player, str) else list(player or [])
        self.player = [shutil.which(cmd[0], path=search_path) or cmd[0], *cmd[1:]] if cmd else None
        self._voices: list[Voice] | None = None
        self._voices_error: SpeechProblem | None = None
        self._voices_lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self.executable is not None

    @property
    def unavailable_reason(self) -> SpeechProblem | None:
        return None if self.available else SpeechProblem(
            f"{self.name} is not installed (not found on the PATH)", "no_engine", self.name)

    def voices(self) -> list[Voice]:
        """The installed voices, listed once on first use (about 10-50 ms), not at import."""
        with self._voices_lock:
            if self._voices is None:
                self._voices, self._voices_error = [], self.unavailable_reason
                if self.executable:
                    try:
                        r = _run_blocking([self.executable, "--voices"], 10)
                        self._voices = parse_voices(r.stdout.decode("utf-8", "replace"))
                        if not self._voices:
                            self._voices_error = SpeechProblem(
                                f"{self.name} --voices listed no voices: {_tail(r.stderr)}")
                    except SpeechError as exc:
                        self._voices_error = exc.problem
            return self._voices

    def voice_for(self, language: str) -> str | None:
        """The `-v` voice for a UI language ("de" -> "de", "en" -> "en-gb"), or None if none exists."""
        voices, codes = self.voices(), voice_candidates(language)
        for c in codes:
            if exact := next((v.language for v in voices if v.language == c), None):
                return exact
        for c in codes:  # listed as another language of a voice: take the preferred one
            if ranked := sorted((p, i) for i, v in enumerate(voices) for code, p in v.also if code == c):
                return voices[ranked[0][1]].language
        for c in codes:
            if variant := next((v.language for v in voices if v.language.startswith(c + "-")), None):
                return variant
        return None

    def missing_voice_reason(self, language: str) -> SpeechProblem | None:
        """None if `language` can be spoken, else why not (the UI words it by its code)."""
        if not self.available or self.voice_for(language):
            return self.unavailable_reason
        return self._voices_error or _no_voice(self.name, language)

    def command(self, text: str, voice: str, *, wav: str | None = None, stdout: bool = False) -> list[str]:
        """The espeak-ng command line; `--` keeps text like "-v en" from being read as options."""
        rate = min(max(self.settings.rate, 80), 450)
        amplitude = round(min(max(self.settings.volume, 0), 100) * 2)  # espeak-ng: 0..200, 100 = its default
        cmd = [str(self.executable), "-b", "1", "-v", voice, "-s", str(rate), "-a", str(amplitude)]
        return [*cmd, *(["-w", wav] if wav else ["--stdout"] if stdout else []), "--", text]

    def _voice(self, language: str) -> str:
        voice = self.voice_for(language) if self.available else None
        if voice is None:
            raise SpeechError(self.missing_voice_reason(language) or _no_voice(self.name, language))
        return voice

    def say_parts(self, parts: Sequence[tuple[str, str]]) -> None:
        if self.unavailable_reason is not None:
            raise SpeechError(self.unavailable_reason)
        segments = self._segments(parts, self._voice)
        if not segments:
            return self.stop()
        steps = [(functools.partial(self._spawn, s.text, s.voice), self._outcome) for s in segments]
        self._start(steps, sum(_seconds(s.text, self.settings.rate) for s in segments), sweep=False)
        self.last_utterance = tuple(segments)

    def _spawn(self, text: str, voice: str) -> tuple[Procs, Logs]:
        logs: Logs = [tempfile.TemporaryFile()]
        if self.player is None:
            return [subprocess.Popen(self.command(text, voice), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=logs[0], start_new_session=True)], logs
        espeak = subprocess.Popen(self.command(text, voice, stdout=True), stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=logs[0], start_new_session=True)
        logs.append(tempfile.TemporaryFile())
        try:
            player = subprocess.Popen(self.player, stdin=espeak.stdout, stdout=subprocess.DEVNULL,
                                      stderr=logs[1], start_new_session=True)
        except OSError:
            _signal_group(espeak, signal.SIGTERM)
            raise
        finally:
            espeak.stdout.close()  # type: ignore[union-attr]  # the player's now: SIGPIPE if it dies
        return [espeak, player], logs

    def _outcome(self, procs: Procs, logs: Logs) -> SpeechProblem | None:
        if len(procs) == 2 and procs[1].returncode != 0 and self.player:
            return _no_sound(f"{Path(self.player[0]).name} exited with {procs[1].returncode}: {_tail(logs[1])}")
        rc = procs[0].returncode
        if rc != 0 and not (len(procs) == 2 and rc == -signal.SIGPIPE):
            return SpeechProblem(f"{self.name} failed (exit {rc}): {_tail(logs[0])}")
        if len(procs) == 1 and _tail(logs[0]):
            return _no_sound(_tail(logs[0]))  # espeak-ng exits 0, but says so on stderr
        return None

    def check_audio(self, timeout: float = 5.0) -> SpeechProblem | None:
        """Play 0.1 s of silence through the real output; None if that worked, else why not.

        Blocking (call from a worker, e.g. the volunteer's voice test). Cannot tell whether anyone
        hears it (volume, cables, speakers switched off).
        """
        if self.unavailable_reason is not None:
            return self.unavailable_reason
        # Without a player espeak-ng speaks a silent "a"; it complains on stderr (only) on failure.
        return _play_silence(self.player or [str(self.executable), "-a", "0", "--", "a"], timeout,
                             wav=self.player is not None)

    def synthesize_to_file(self, text: str, language: str, path: str | os.PathLike[str]) -> Path:
        """Write the utterance to a WAV file instead of playing it (blocking; tests, voice checks)."""
        voice, out = self._voice(language), Path(path)
        text = _prepare(text, language, self.normalise)
        r = _run_blocking(self.command(text, voice, wav=str(out)), _seconds(text, self.settings.rate))
        if r.returncode != 0 or not out.is_file():
            raise SpeechError(SpeechProblem(f"{self.name} could not write {out} (exit {r.returncode}): "
                                            f"{_tail(r.stderr)}"))
        return out


# Runs in a fresh interpreter that imports only pyttsx3, never the kiosk. Exit 3: no voice for the
# language (when the voices name their languages at all); 4: the engine failed.
_PYTTSX3_WORKER = r"""
import json, sys, time
job = json.loads(sys.argv[1])
try:
    import pyttsx3
    engine = pyttsx3.init()
    voices = engine.getProperty("voices") or []
    def codes(v):
        langs = [x.decode("ascii", "ignore") if isinstance(x, bytes) else str(x) for x in v.languages or []]
        return [str(v.id).lower().replace("\\", "/").rsplit("/", 1)[-1]] + [
            x.lower().replace("_", "-").strip("\x05 ") for x in langs]
    chosen = None
    for want in job["candidates"]:
        chosen = next((v.id for v in voices if want in codes(v)), None) or next(
            (v.id for v in voices if any(c.startswith(want + "-") for c in codes(v))), None)
        if chosen:
            break
    if chosen is None and any(v.languages for v in voices):
        sys.exit(3)
    if job["mode"] == "pick":
        print(chosen or "")
        sys.exit(0)
    if chosen:
        engine.setProperty("voice", chosen)
    engine.setProperty("rate", job["rate"])
    engine.setProperty("volume", job["volume"])
    if job["output"]:
        engine.save_to_file(job["text"], job["output"])
    else:
        engine.say(job["text"])
    engine.runAndWait()
    # pyttsx3 2.99's espeak driver synthesises on espeak's thread and may leave runAndWait before
    # it has written or played anything (texts of a few sentences): wait for it to finish.
    driver = getattr(engine.proxy, "_driver", None)
    while getattr(driver, "_speaking", False):
        time.sleep(0.02)
except SystemExit:
    raise
except BaseException:
    sys.exit(4)
"""


class Pyttsx3Speech(_Speaker):
    """pyttsx3 in a worker process per utterance, for systems where it fits better than espeak-ng.

    pyttsx3 cannot freeze the kiosk: stopping kills its process group, including the aplay its
    espeak driver starts. `python` is an interpreter that has pyttsx3; `env` the worker's
    environment. Failures (no voice for the language, engine errors) arrive via `last_error` and
    `on_error`, as the worker decides them after `say` has returned.
    """

    def __init__(self, settings: SpeechSettings | None = None, *, python: str = sys.executable,
                 env: dict[str, str] | None = None, normalise: bool = True,
                 on_error: ErrorHandler | None = None) -> None:
        super().__init__(settings, normalise, on_error)
        self.python, self.env = python, env
        self._voice_cache: dict[str, str | None] = {}
        self._available: bool | None = None

    @property
    def available(self) -> bool:
        if self._available is None:  # checked without importing pyttsx3 here
            self._available = (importlib.util.find_spec("pyttsx3") is not None if self.python == sys.executable
                               else shutil.which(self.python) is not None)
        return self._available

    @property
    def unavailable_reason(self) -> SpeechProblem | None:
        return None if self.available else SpeechProblem("pyttsx3 is not installed", "no_engine", "pyttsx3")

    def _command(self, mode: str, text: str, language: str, output: str | None = None) -> list[str]:
        job = {"mode": mode, "text": text, "candidates": voice_candidates(language), "output": output,
               "rate": self.settings.rate, "volume": min(max(self.settings.volume, 0), 100) / 100}
        return [self.python, "-c", _PYTTSX3_WORKER, json.dumps(job)]

    def voice_for(self, language: str) -> str | None:
        """pyttsx3's voice id for `language`, or None. Blocking: starts pyttsx3 once per language."""
        if language not in self._voice_cache and self.available:
            r = _run_blocking(self._command("pick", "", language), 30, env=self.env)
            self._voice_cache[language] = (r.stdout.decode("utf-8", "replace").strip() if r.returncode == 0
                                           else "") or None
        return self._voice_cache.get(language)

    def missing_voice_reason(self, language: str) -> SpeechProblem | None:
        """None if `language` has a voice, else why not. Blocking, like voice_for."""
        if not self.available or self.voice_for(language):
            return self.unavailable_reason
        return _no_voice("pyttsx3", language)

    def check_audio(self, timeout: float = 5.0) -> SpeechProblem | None:
        """Play 0.1 s of silence with `aplay` (which pyttsx3's espeak driver plays through), if it
        is installed; None if that worked. pyttsx3's own playback cannot be checked (its driver
        ignores aplay's exit status), and without aplay there is nothing to check: None. Blocking."""
        if self.unavailable_reason is not None:
            return self.unavailable_reason
        aplay = shutil.which("aplay", path=(self.env or {}).get("PATH"))
        return _play_silence([aplay, "-q"], timeout, wav=True) if aplay else None

    def say_parts(self, parts: Sequence[tuple[str, str]]) -> None:
        """One worker per part, killing the previous utterance; returns at once. The worker picks
        the voice (checking here would block), so a missing voice arrives via `on_error`."""
        if self.unavailable_reason is not None:
            raise SpeechError(self.unavailable_reason)
        segments = self._segments(parts, lambda language: voice_candidates(language)[0] if language else "")
        if not segments:
            return self.stop()
        steps = [(functools.partial(self._spawn, s.text, s.language), functools.partial(self._outcome, s.language))
                 for s in segments]
        self._start(steps, sum(15 + _seconds(s.text, self.settings.rate) for s in segments), sweep=True)
        self.last_utterance = tuple(segments)

    def _spawn(self, text: str, language: str) -> tuple[Procs, Logs]:
        return [subprocess.Popen(self._command("say", text, language), stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True, env=self.env)], []

    @staticmethod
    def _outcome(language: str, procs: Procs, logs: Logs) -> SpeechProblem | None:
        rc = procs[0].returncode
        return None if rc == 0 else _no_voice("pyttsx3", language) if rc == 3 \
            else SpeechProblem(f"pyttsx3 failed (exit {rc})")

    def synthesize_to_file(self, text: str, language: str, path: str | os.PathLike[str]) -> Path:
        """Write the utterance to a WAV file with pyttsx3's save_to_file (blocking)."""
        out = Path(path)
        text = _prepare(text, language, self.normalise)
        r = _run_blocking(self._command("save", text, language, str(out)),
                          15 + _seconds(text, self.settings.rate), env=self.env)
        if r.returncode != 0 or not out.is_file():
            raise SpeechError(SpeechProblem(f"pyttsx3 could not write {out} (exit {r.returncode})"))
        return out
