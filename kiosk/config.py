"""All settings of one kiosk, read from `kiosk.toml` into frozen dataclasses.

Uses the machinery of `sync.settings`, which also owns the `[catalogue]` section. This module
must not import Textual: settings can be loaded and checked without a screen.
"""
from __future__ import annotations

import dataclasses
import os
import re
import secrets
from pathlib import Path

from sync.settings import (
    CatalogueSettings,
    ConfigFile,
    Invalid,
    SettingsError,
    build,
    load_catalogue_settings,
    local_settings_path,
    resolve_config_path,
    section,
    setting,
)

__all__ = [
    "CatalogueSettings", "KioskSettings", "PlaceSettings", "PrinterSettings", "QrSettings",
    "Settings", "SettingsError", "SpeechSettings", "StatisticsSettings", "load_catalogue_settings",
    "load_settings", "local_settings_path", "pin_file", "pin_problem", "resolve_config_path", "set_random_pin",
]

# A language code: ISO 639 letters, optionally a territory and a gettext modifier ("de_DE@easy" is
# Leichte Sprache, see kiosk/i18n.py).
_LANGUAGE = r"[a-z]{2,3}(?:_[A-Z]{2})?(?:@[a-z]+)?"
# PINs that every copy of the kiosk once shipped with: known to anyone, so they open nothing.
PUBLIC_PINS = frozenset({"2468"})


def pin_problem(pin: str) -> str | None:
    """Why `pin` cannot guard the volunteer menu: "unset", "public", or None when it can."""
    if not pin:
        return "unset"
    if pin in PUBLIC_PINS:
        return "public"
    return None


def _quoted(values: tuple[str, ...]) -> str:
    return ", ".join(f'"{v}"' for v in values)


@dataclasses.dataclass(frozen=True)
class PlaceSettings:
    """The place the kiosk stands in."""

    name: str = setting("Teestube Lengerich", "Name of the place, shown in the header", nonempty=True)
    town: str = setting("Lengerich", "Town of the place; nearby offers are ranked from here", nonempty=True)
    latitude: float = setting(52.1875, "Latitude of the place in decimal degrees (WGS 84)", min=-90, max=90)
    longitude: float = setting(7.8660, "Longitude of the place in decimal degrees (WGS 84)", min=-180, max=180)
    greeting: str = setting(
        "Willkommen! Hier finden Sie Hilfe und Angebote in Ihrer Nähe.",
        "Greeting on the start screen")
    location_names: tuple[str, ...] = setting(
        ("Teestube Lengerich",),
        "Names of catalogue locations that are this place; their offers are shown first",
        pattern=r"(?s)\s*\S.*", expect="a list of non-empty texts")
    programme: Path = setting(
        Path("programme.json"), "The place's own programme: a local HSDS file (JSON array of services) that no "
        "sync touches; edited with kiosk-sync local; a missing file means no programme")


@dataclasses.dataclass(frozen=True)
class KioskSettings:
    """Languages, idle reset and the volunteer menu."""

    default_language: str = setting(
        "de", "Language after start and after every idle reset; must be listed in languages",
        pattern=_LANGUAGE, expect='a language code of 2 to 3 lowercase letters, e.g. "de"')
    languages: tuple[str, ...] = setting(
        ("de", "de_DE@easy", "en", "uk", "ar", "tr", "ru", "fa", "pl", "ro"),
        "Languages offered on the language screen, in this order (de_DE@easy = Leichte Sprache)",
        pattern=_LANGUAGE, nonempty=True,
        expect='a non-empty list of language codes of 2 to 3 lowercase letters, e.g. ["de", "en"]')
    idle_seconds: int = setting(
        90, "Seconds without a touch before the kiosk returns to the start screen", min=30, max=3600)
    # WCAG 2.2.1 (timing adjustable): a warning at least 20 s before the reset, always.
    idle_warning_seconds: int = setting(
        20, "Seconds before the idle reset when a countdown warning appears (one tap gives more time); "
        "at least 20 and less than idle_seconds", min=20, max=3599)
    volunteer_pin: str = setting(
        "", "PIN of the volunteer menu, different on every kiosk; empty = not set yet, the menu stays "
        "closed (install.sh and `kiosk --new-pin` write a random one into kiosk.local.toml)",
        pattern=r"(?:[0-9]{4,8})?",
        expect='a text of 4 to 8 digits in quotes, e.g. "730519", or "" for none yet')
    keyboard_layout: str = setting(
        "standard", "Letters of the search keyboard at the start of each visit: standard = the usual layout "
        "of the UI language (QWERTZ for German), abc = alphabetical order, for visitors who never used a "
        "keyboard; visitors can switch, and the idle reset returns to this", choices=("standard", "abc"))
    large_text: bool = setting(
        False, "Start (and return after every idle reset) with larger text: fewer, bigger buttons and cards "
        "for visitors who see little; visitors switch it with the Larger button on the start screen")
    high_contrast: bool = setting(
        False, "Start (and return after every idle reset) with high contrast: white on black, black on yellow; "
        "visitors switch it with the Contrast button on the start screen")
    results_per_page: int = setting(4, "Offers shown per page of results", min=1, max=20)
    need_map: str = setting(
        "", "Your own need map (TOML, like assets/needs.toml): which catalogue terms make each start-screen "
        "button; its entries replace or add to the bundled map; empty = the bundled map only", url_or_path=True)

    def cross_check(self) -> None:
        from .i18n import available_languages  # Babel and the .po files only, no Textual

        have = available_languages()
        missing = [code for code in self.languages if code not in have]
        if missing:
            raise Invalid("languages", f"expected languages with a translation (locales/<code>/LC_MESSAGES/"
                          f"kiosk.po), got [{_quoted(self.languages)}]: no translation for {_quoted(tuple(missing))}; "
                          f"translated: {_quoted(tuple(have)) or 'none'}")
        if len(set(self.languages)) != len(self.languages):
            raise Invalid("languages", f"expected each language only once, got [{_quoted(self.languages)}]")
        if self.default_language not in self.languages:
            raise Invalid("default_language", f"expected one of the offered languages "
                          f"({_quoted(self.languages)}), got \"{self.default_language}\"")
        if self.need_map:
            from .needmap import NeedMapError, load_need_map

            try:
                load_need_map(Path(self.need_map))
            except NeedMapError as exc:
                raise Invalid("need_map", str(exc)) from None
        if self.idle_warning_seconds >= self.idle_seconds:
            raise Invalid("idle_warning_seconds", f"expected fewer seconds than kiosk.idle_seconds "
                          f"({self.idle_seconds}), got {self.idle_warning_seconds}")


@dataclasses.dataclass(frozen=True)
class SpeechSettings:
    """Reading offers aloud."""

    backend: str = setting(
        "espeak-ng", "Speech engine; none = no read-aloud button", choices=("espeak-ng", "pyttsx3", "none"))
    rate: int = setting(150, "Speaking rate in words per minute", min=80, max=400)
    volume: int = setting(80, "Volume in percent", min=0, max=100)
    # Replaces the old `speak_on_focus` (never read): an unknown key now, so the settings error names it.
    start_in_speech_mode: bool = setting(
        False, "Start (and return after every idle reset) in speech mode: every screen is announced, a first "
        "tap on a control speaks it, a second tap chooses it")
    confirm_seconds: float = setting(
        6.0, "Speech mode: seconds within which a second tap on the same control chooses it", min=1, max=30)


@dataclasses.dataclass(frozen=True)
class PrinterSettings:
    """Printing an offer to take home."""

    backend: str = setting(
        "none", "Printer: none = no print button, cups = a CUPS queue, escpos = a receipt printer",
        choices=("none", "cups", "escpos"))
    cups_queue: str = setting("", "Name of the CUPS queue; required when backend is cups")
    escpos_device: str = setting(
        "", "ESC/POS device; required when backend is escpos", pattern=r"(?:(?:usb|serial|net|file):\S.*)?",
        expect='a device like "usb:0x04b8:0x0202", "serial:/dev/ttyUSB0", "net:192.168.1.50" '
        'or "file:/dev/usb/lp0"')
    escpos_codepage: str = setting("CP858", "Code page of the ESC/POS printer", nonempty=True)
    paper_width_chars: int = setting(42, "Characters per printed line", min=20, max=80)

    def cross_check(self) -> None:
        if self.backend == "cups" and not self.cups_queue.strip():
            raise Invalid("cups_queue", 'expected the name of a CUPS queue when printer.backend is "cups", got ""')
        if self.backend == "escpos" and not self.escpos_device:
            raise Invalid("escpos_device", 'expected a device like "usb:0x04b8:0x0202" '
                          'when printer.backend is "escpos", got ""')


@dataclasses.dataclass(frozen=True)
class QrSettings:
    """The QR code printed and shown with an offer."""

    content: str = setting(
        "auto", "What the QR code holds: auto = best available, web = website, contact = vCard, "
        "tel = phone number, map = map link", choices=("auto", "web", "contact", "tel", "map"))


@dataclasses.dataclass(frozen=True)
class StatisticsSettings:
    """Anonymous usage counts (no personal data)."""

    enabled: bool = setting(True, "Count anonymously, per day, what visitors open, view, take along and search")
    path: Path = setting(Path("statistics.db"), "SQLite file of the counts (relative to the config folder); "
                         "without this key statistics.db in $XDG_STATE_HOME/dritte-orte-kiosk (~/.local/state/...)",
                         home="state")
    min_search_count: int = setting(
        5, "A search text is kept only when this many visits searched it that day (k); below, only a count",
        min=2, max=1000)
    report_url: str = setting(
        "", "Where kiosk-sync report sends the day totals (JSON over HTTPS); empty = no reports",
        pattern=r"(?:https://[^\s/]+\S*|http://(?:127\.0\.0\.1|localhost)(?::\d+)?(?:/\S*)?)?",
        expect='an https:// URL (http:// only to 127.0.0.1 or localhost), or "" for no reports')
    kiosk_id: str = setting(
        "", "Name of this kiosk in its reports; empty = made from the place's name and town",
        pattern=r"[A-Za-z0-9._-]{0,64}", expect="up to 64 letters, digits, dots, dashes or underscores")


@dataclasses.dataclass(frozen=True)
class Settings:
    """Everything one kiosk is configured with; one attribute per `[section]` of kiosk.toml."""

    place: PlaceSettings = section(PlaceSettings, "The place the kiosk stands in")
    catalogue: CatalogueSettings = section(CatalogueSettings, "The offline catalogue and its feed")
    kiosk: KioskSettings = section(KioskSettings, "Languages, idle reset and the volunteer menu")
    speech: SpeechSettings = section(SpeechSettings, "Reading offers aloud")
    printer: PrinterSettings = section(PrinterSettings, "Printing an offer to take home")
    qr: QrSettings = section(QrSettings, "The QR code shown and printed with an offer")
    statistics: StatisticsSettings = section(StatisticsSettings, "Anonymous usage counts")

    @classmethod
    def defaults(cls) -> Settings:
        """The built-in defaults (no file read), relative paths resolved against the XDG config folder."""
        return load_settings(None, local=False)


def load_settings(path: Path | None, *, local: bool = True) -> Settings:
    """Read and check `path` (None: the built-in defaults) and, with `local`, the box-local file on
    top of it (`local_settings_path`: kiosk.local.toml beside it) if there is one. Raises
    SettingsError naming the file (the local one for what it sets), the key and the line."""
    source = ConfigFile.layered(path, local_settings_path(path) if local else None)
    return build(Settings, source.data, source)


_PIN_LINE = re.compile(r"""^(\s*["']?volunteer_pin["']?\s*=\s*)("[^"]*"|'[^']*'|\S+)(.*)$""")


LOCAL_HEADER = """\
# Settings of this box only, read on top of kiosk.toml in this folder (its values win). Keep secrets
# here, never in kiosk.toml: git ignores this file, and only its owner may read it (chmod 600).
"""


def pin_file(path: Path | None) -> Path | None:
    """The file whose `[kiosk] volunteer_pin` counts for the settings at `path`: their box-local file
    if it sets one, else `path` if it does; None when neither does."""
    local = local_settings_path(path)
    for candidate in (local, path):
        if candidate is not None and os.path.lexists(candidate):
            table = ConfigFile.read(candidate).data.get("kiosk")
            if isinstance(table, dict) and "volunteer_pin" in table:
                return Path(candidate).expanduser().absolute()
    return None


def set_random_pin(path: Path | None, digits: int = 6) -> str | None:
    """Give the kiosk of the settings at `path` a random volunteer PIN if it has none or a public one.

    The PIN goes into the box-local file (`local_settings_path(path)`: kiosk.local.toml beside
    `path`), which is created if missing and made readable by its owner only; `path` itself is not
    written, so a checkout's kiosk.toml stays as shipped. Returns the new PIN (to be told once), or
    None when the kiosk already has a PIN of its own. Raises SettingsError for settings that are
    wrong already.
    """
    settings = load_settings(path)
    if pin_problem(settings.kiosk.volunteer_pin) is None:
        return None
    pin = "".join(secrets.choice("0123456789") for _ in range(digits))
    while pin_problem(pin) or len(set(pin)) == 1:
        pin = "".join(secrets.choice("0123456789") for _ in range(digits))
    local = local_settings_path(path)
    if os.path.lexists(local):
        _write_pin_into(local, pin)
    else:
        local.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(local, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(f'{LOCAL_HEADER}\n[kiosk]\nvolunteer_pin = "{pin}"\n')
    if load_settings(path).kiosk.volunteer_pin != pin:  # the edit must have landed where it counts
        raise SettingsError(local, "kiosk.volunteer_pin", "could not write the new PIN into the file")
    return pin


def _write_pin_into(path: Path, pin: str) -> None:
    """Set `[kiosk] volunteer_pin` in the existing file `path`, edited in place (owner, comments and
    layout stay), and make the file unreadable to other users, since it holds a secret."""
    source = ConfigFile.read(path)
    lines = source.text.splitlines(keepends=True)
    number = source.line_of("kiosk.volunteer_pin")
    header = source.line_of("kiosk")
    if number is not None and (m := _PIN_LINE.match(lines[number - 1].rstrip("\r\n"))):
        ending = lines[number - 1][len(lines[number - 1].rstrip("\r\n")):] or "\n"
        lines[number - 1] = f'{m.group(1)}"{pin}"{m.group(3)}{ending}'
    elif header is not None:
        lines.insert(header, f'volunteer_pin = "{pin}"\n')
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        lines.append(f'\n[kiosk]\nvolunteer_pin = "{pin}"\n')
    os.chmod(path, path.stat().st_mode & 0o700)  # before the secret is in it
    with path.open("r+", encoding="utf-8", newline="") as fh:  # same file: owner and links stay
        fh.write("".join(lines))
        fh.truncate()
