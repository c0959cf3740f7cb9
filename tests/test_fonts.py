"""The terminal fonts install.sh installs draw every letter and symbol the kiosk shows.

A glyph the fonts lack is an empty box on the screen (the 🔊 of "Read aloud" once was). The
fonts are those of install.sh's font packages, read with fontTools; the letters are those of the
translations and of right-to-left text as kiosk/bidi.py draws it (presentation forms).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from kiosk.bidi import visual_line
from kiosk.i18n import available_languages, po_path

ROOT = Path(__file__).resolve().parents[1]
# Files whose non-ASCII characters reach the screen (speech-only and print-only modules excluded:
# the speech engines and speakable text never draw, printing.py maps characters for a printer's code page).
NOT_SHOWN = ("speech/spoken.py", "speech/engines.py", "speech/proc.py", "takeaway/printing.py", "bidi.py")
SHOWN = [p for p in (ROOT / "kiosk").rglob("*.py") if p.relative_to(ROOT / "kiosk").as_posix() not in NOT_SHOWN]
SHOWN.append(ROOT / "assets" / "needs.toml")
SAMPLE = {  # a little of every script the kiosk speaks, in case a translation is not there yet
    "uk": "Юридична консультація, лікар, їжа", "ru": "Юридическая консультация, врач, ёлка",
    "ar": "استشارة قانونية، طبيب، لا إله", "fa": "مشاوره‌ی حقوقی، پزشک، گچ ژاله",
    "tr": "Hukuk danışmanlığı, doktor, ğüşıöç",
    "pl": "Poradnictwo prawne, lekarz, źdźbło łąka", "ro": "Consiliere juridică, medic, șțăîâ",
}


def font_files() -> list[Path]:
    packages = re.findall(r"\bfonts-[a-z0-9-]+", (ROOT / "install.sh").read_text(encoding="utf-8"))
    if not shutil.which("dpkg"):
        pytest.skip("no dpkg: cannot see which files install.sh's font packages installed")
    files = []
    for package in dict.fromkeys(packages):
        listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True)
        if listing.returncode:
            pytest.fail(f"font package {package} from install.sh is not installed (run ./install.sh)")
        files += [Path(line) for line in listing.stdout.splitlines() if line.endswith((".ttf", ".otf"))]
    return files


@pytest.fixture(scope="module")
def terminal_font() -> set[int]:
    """Code points of DejaVu Sans Mono, the terminal's monospace font."""
    mono = [f for f in font_files() if f.name == "DejaVuSansMono.ttf"]
    assert mono, "install.sh must install DejaVu Sans Mono (fonts-dejavu-core)"
    return set(TTFont(mono[0]).getBestCmap())


@pytest.fixture(scope="module")
def all_fonts() -> set[int]:
    covered: set[int] = set()
    for path in font_files():
        covered |= set(TTFont(path, fontNumber=0).getBestCmap())
    return covered


def symbols() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in SHOWN:
        for char in path.read_text(encoding="utf-8"):
            if ord(char) > 127 and unicodedata.category(char)[0] in "SPN":
                found.setdefault(char, str(path.relative_to(ROOT)))
    return found


def test_every_symbol_the_ui_uses_is_in_an_installed_font(all_fonts):
    missing = {f"U+{ord(c):04X} {c} ({unicodedata.name(c, '?')}) in {where}"
               for c, where in symbols().items() if ord(c) not in all_fonts}
    assert not missing, f"no installed font draws: {sorted(missing)}"
    assert "🔊" in symbols()  # the scan sees the symbols (the loudspeaker of Read aloud)


def test_symbols_outside_the_terminal_font_are_few_and_known(terminal_font):
    # Only these come from a fallback font; every other symbol must be in DejaVu Sans Mono itself.
    fallback = {c for c in symbols() if ord(c) not in terminal_font}
    assert fallback <= {"🔊"}, sorted(fallback)


@pytest.mark.parametrize("code", sorted(set(SAMPLE) | set(available_languages())))
def test_letters_of_every_language_as_drawn_are_in_the_terminal_font(code, terminal_font):
    texts = [SAMPLE.get(code, "")]
    if po_path(code).is_file():
        texts += re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', po_path(code).read_text(encoding="utf-8"), re.M)
    drawn = {c for text in texts for c in visual_line(text)}  # Arabic as presentation forms
    missing = sorted(f"U+{ord(c):04X} {c}" for c in drawn
                     if unicodedata.category(c)[0] in "LN" and ord(c) not in terminal_font)
    assert not missing, f"{code}: DejaVu Sans Mono lacks {missing}"
