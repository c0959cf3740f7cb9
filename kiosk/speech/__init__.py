"""Reading aloud: the engines, their child processes, speakable text, speech mode, the controller.

- `engines`: espeak-ng and pyttsx3 behind the `Speech` protocol of `kiosk.services`; `make_speech`.
- `proc`: utterances as child-process chains that never block or crash the screen.
- `spoken`: screen text as a speech engine reads it naturally; lines that know their languages.
- `reader`: the read-aloud controller on the app (voices chosen in a worker, problems in words).
- `mode`: speech mode, the kiosk usable by ear (imported with the app: it needs Textual).

No Textual here: `kiosk doctor` checks the voices over ssh through this package (`SpeechMode` is
imported from `mode` on first use).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..services import SpeechError, SpeechProblem, SpeechReason
from .engines import EspeakSpeech, Pyttsx3Speech, make_speech
from .proc import Segment
from .reader import ReadAloud, problem_words
from .spoken import CATALOGUE_LANGUAGE, Part, Said, fill, parts_of, speakable, utterance_parts

if TYPE_CHECKING:
    from .mode import SpeechMode

__all__ = ["CATALOGUE_LANGUAGE", "EspeakSpeech", "Part", "Pyttsx3Speech", "ReadAloud", "Said", "Segment",
           "SpeechError", "SpeechMode", "SpeechProblem", "SpeechReason", "fill", "make_speech", "parts_of",
           "problem_words", "speakable", "utterance_parts"]


def __getattr__(name: str) -> Any:
    if name == "SpeechMode":  # Textual: not for the doctor
        from .mode import SpeechMode

        return SpeechMode
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
