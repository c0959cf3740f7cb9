"""`kiosk doctor`: what is wrong with this kiosk, in plain words, for the operator at a shell.

Each check looks at the real thing (the catalogue file, the feed over the network, espeak-ng and
the sound output, the printer queue or device, the free disk space, the terminal's mouse support)
and says what it found and what to do. A check that itself fails becomes a finding, never a
traceback. No Textual here: the doctor runs over ssh, without a screen.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from .config import Settings

OK, WARNING, PROBLEM = "ok", "warning", "problem"
# Terminals known to send SGR (1006) mouse reports, so a tap on the touch screen reaches the kiosk.
# tmux and GNU screen 5 translate for the program inside them.
SGR_TERMINALS = ("foot", "xterm", "tmux", "alacritty", "kitty", "wezterm", "contour", "ghostty", "vte")
NO_MOUSE_TERMINALS = ("linux", "dumb", "vt100", "vt102", "vt220", "cons25")
DISK_PROBLEM_BYTES, DISK_WARNING_BYTES = 100 * 2**20, 500 * 2**20


@dataclasses.dataclass(frozen=True)
class Finding:
    """One thing the doctor looked at: `area` (e.g. "catalogue"), `level` (ok, warning, problem), words."""

    area: str
    level: str
    text: str

    def as_json(self) -> dict[str, str]:
        return dataclasses.asdict(self)


def diagnose(settings: Settings, *, config: Path | None = None, environ: Mapping[str, str] = os.environ,
             now: datetime | None = None, timeout: float = 5.0,
             disk_limits: tuple[int, int] = (DISK_PROBLEM_BYTES, DISK_WARNING_BYTES)) -> list[Finding]:
    """Every finding about this kiosk, problems first within each area's order. `config` is the
    settings file `settings` were read from (None: the built-in defaults), to say where the PIN goes."""
    now = now or datetime.now(UTC)
    checks: list[tuple[str, Callable[[], list[Finding]]]] = [
        ("pin", lambda: check_pin(settings, config)),
        ("catalogue", lambda: check_catalogue(settings, now)),
        ("feed", lambda: check_feed(settings, timeout)),
        ("voice", lambda: check_voice(settings)),
        ("printer", lambda: check_printer(settings, timeout)),
        ("disk", lambda: check_disk(settings.catalogue.database, *disk_limits)),
        ("terminal", lambda: check_terminal(environ)),
    ]
    findings: list[Finding] = []
    for area, check in checks:
        try:
            findings += check()
        except Exception as exc:  # a broken check is a finding too, never a traceback
            findings.append(Finding(area, PROBLEM, f"the check itself failed: {type(exc).__name__}: {exc}"))
    return findings


def report(findings: list[Finding]) -> str:
    """The findings as lines for a terminal, with a last line that sums them up."""
    marks = {OK: "ok      ", WARNING: "WARNING ", PROBLEM: "PROBLEM "}
    lines = [f"{marks[f.level]}{f.area}: {f.text}" for f in findings]
    problems = sum(f.level == PROBLEM for f in findings)
    warnings = sum(f.level == WARNING for f in findings)
    lines.append("All is well." if not problems + warnings else f"{problems} problem(s), {warnings} warning(s).")
    return "\n".join(lines)


def emit(text: str) -> bool:
    """Print `text` for the operator; False if the reader closed the pipe early (`kiosk doctor
    --json | head -1`): then the rest is dropped quietly, as sync.cli.main does for kiosk-sync, and
    stdout points at /dev/null so that Python's own flush at exit cannot fail with a traceback."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        from sync.cli import stdout_to_devnull

        stdout_to_devnull()
        return False
    return True


# --- the checks ---------------------------------------------------------------------------------

def check_pin(settings: Settings, config: Path | None) -> list[Finding]:
    """The volunteer menu needs a PIN of this kiosk's own, kept where only the kiosk's user reads it."""
    from .config import local_settings_path, pin_file, pin_problem

    local, area = local_settings_path(config), "pin"
    problem = pin_problem(settings.kiosk.volunteer_pin)
    if problem is not None:
        why = "the kiosk still has the public example PIN" if problem == "public" else "no volunteer PIN is set"
        return [Finding(area, PROBLEM, f"{why}: the volunteer menu (the only way out of the kiosk) stays closed. "
                                       f"Run `kiosk --new-pin` (it writes a random PIN into {local} and shows it "
                                       f"once), or write [kiosk] volunteer_pin = \"...\" (4 to 8 digits) there")]
    where = pin_file(config)
    if where is None:  # not from a file (settings made in code)
        return [Finding(area, OK, "the volunteer menu has a PIN of its own")]
    found: list[Finding] = []
    if where != local:
        found.append(Finding(area, WARNING, f"the volunteer PIN stands in {where}, which is shared (a checkout's "
                                            f"kiosk.toml is in git): move [kiosk] volunteer_pin into {local}"))
    if where.stat().st_mode & 0o077:
        found.append(Finding(area, WARNING, f"{where} holds the volunteer PIN and other users can read it: "
                                            f"chmod 600 {where}"))
    return found or [Finding(area, OK, f"the volunteer menu has a PIN of its own, in {where} (owner only)")]


def check_catalogue(settings: Settings, now: datetime) -> list[Finding]:
    from sync.catalogue import Catalogue
    from sync.errors import SyncError

    db, area = settings.catalogue.database, "catalogue"
    if not db.exists():
        return [Finding(area, WARNING, f"no catalogue at {db} yet: the kiosk imports the demo catalogue at its "
                                       f"first start; run `kiosk-sync pull` to get the real one")]
    try:
        with Catalogue(db, check=True) as cat:
            st = cat.status()
    except (SyncError, OSError) as exc:
        return [Finding(area, PROBLEM, f"{db} cannot be read ({exc}); the kiosk shows the last good copy or "
                                       f"the demo. Run `kiosk-sync repair`")]
    found: list[Finding] = []
    if st.offers == 0:
        found.append(Finding(area, PROBLEM, f"{db} holds no offers: visitors find nothing"))
    if st.source and Path(st.source).name == "demo-catalogue.json":
        found.append(Finding(area, WARNING, f"the kiosk shows the demo catalogue ({st.offers} made-up offers); "
                                            f"set [catalogue] feed_url and run `kiosk-sync pull`"))
    if st.last_success:
        try:
            age = now - datetime.fromisoformat(st.last_success)
        except ValueError:
            age = None
        stale = settings.catalogue.stale_after_days
        if age is not None and age.days >= stale:
            found.append(Finding(area, PROBLEM, f"the catalogue is {age.days} days old (last good sync "
                                                f"{st.last_success}; stale after {stale} days)"))
        elif age is not None:
            found.append(Finding(area, OK, f"{st.offers} offers, last good sync {_ago(age.total_seconds())} "
                                           f"from {st.source}"))
    else:
        found.append(Finding(area, WARNING, f"{db}: no good sync recorded yet"))
    if st.last_error:
        found.append(Finding(area, PROBLEM, f"the last sync failed at {st.last_error_at}: {st.last_error} "
                                            f"(the old catalogue is kept)"))
    if st.last_good_error:
        found.append(Finding(area, WARNING, f"no copy of the last good catalogue: {st.last_good_error}"))
    return found


def check_feed(settings: Settings, timeout: float) -> list[Finding]:
    url, area = settings.catalogue.feed_url, "feed"
    if not url:
        return [Finding(area, WARNING, "no feed configured ([catalogue] feed_url in kiosk.toml): the catalogue "
                                       "is never updated")]
    if not url.lower().startswith(("http://", "https://")):
        if Path(url).is_file():
            return [Finding(area, OK, f"the feed is the local file {url}")]
        return [Finding(area, PROBLEM, f"the feed file {url} does not exist")]
    import httpx

    try:
        with httpx.Client(timeout=timeout, follow_redirects=True) as client, client.stream("GET", url) as reply:
            status = reply.status_code
    except httpx.ConnectError as exc:
        text = str(exc)
        if "name" in text.lower() and ("resolution" in text.lower() or "not known" in text.lower()):
            why = "its name cannot be resolved (no network, no DNS, or a wrong host name)"
        else:
            why = f"no connection ({text or type(exc).__name__}): no network, or the server is down"
        return [Finding(area, PROBLEM, f"the feed {url} cannot be reached: {why}")]
    except httpx.TimeoutException:
        return [Finding(area, PROBLEM, f"the feed {url} did not answer within {timeout:g} seconds")]
    except httpx.HTTPError as exc:
        return [Finding(area, PROBLEM, f"the feed {url} cannot be read: {exc}")]
    if status >= 500:
        return [Finding(area, PROBLEM, f"the feed's server has a fault: {url} answers HTTP {status}")]
    if status >= 400:
        return [Finding(area, WARNING, f"{url} answers HTTP {status}; a paged API may still work at its "
                                       f"/services path: `kiosk-sync pull` says more")]
    return [Finding(area, OK, f"the network works and {url} answers (HTTP {status})")]


def check_voice(settings: Settings) -> list[Finding]:
    from .speech import make_speech

    if settings.speech.backend == "none":
        return [Finding("voice", OK, "read-aloud is switched off ([speech] backend = \"none\")")]
    speech = make_speech(settings.speech)
    try:
        reason = speech.unavailable_reason
        if not speech.available:
            return [Finding("voice", PROBLEM, f"{reason or 'the speech engine is missing'}: the kiosk cannot read "
                                              f"aloud; install it (sudo apt-get install espeak-ng)")]
        found = []
        for code in settings.kiosk.languages:
            why = speech.missing_voice_reason(code)
            found.append(Finding("voice", PROBLEM, why) if why else Finding("voice", OK, f"a voice for \"{code}\""))
        why = speech.check_audio()
        found.append(Finding("sound", PROBLEM, f"{why}: visitors hear nothing (is a sound card or speaker "
                                               f"connected? `aplay -l` lists them)") if why else
                     Finding("sound", OK, "the sound output plays"))
        return found
    finally:
        speech.close()


def check_printer(settings: Settings, timeout: float) -> list[Finding]:
    from .services import ServiceError
    from .takeaway.printing import CupsPrinter, make_printer

    ps = settings.printer
    if ps.backend == "none":
        return [Finding("printer", OK, "no printer configured (no print button)")]
    if ps.backend == "cups":
        if not shutil.which("lp") or not shutil.which("lpstat"):
            return [Finding("printer", PROBLEM, "the CUPS client (lp, lpstat) is not installed: "
                                                "sudo apt-get install cups-client")]
        printer = make_printer(settings)
        try:
            if isinstance(printer, CupsPrinter):  # the backend says so; the queue's own check
                printer.check()
        except ServiceError as exc:
            return [Finding("printer", PROBLEM, str(exc))]
        return [Finding("printer", OK, f"CUPS queue {ps.cups_queue} is ready")]
    return [_escpos_finding(ps.escpos_device, timeout)]


def _escpos_finding(device: str, timeout: float) -> Finding:
    kind, _, where = device.partition(":")
    missing = f"the receipt printer {device} is missing"
    if kind in ("file", "serial"):
        path = Path(where)
        if not path.exists():
            return Finding("printer", PROBLEM, f"{missing}: {where} does not exist (switched off or unplugged?)")
        if not os.access(path, os.W_OK):
            return Finding("printer", PROBLEM, f"{where} exists but this user cannot write to it "
                                               f"(add the kiosk user to the group lp or dialout)")
        return Finding("printer", OK, f"the receipt printer device {where} is there")
    if kind == "net":
        host, _, port = where.partition(":")
        try:
            with socket.create_connection((host, int(port or 9100)), timeout=timeout):
                pass
        except OSError as exc:
            return Finding("printer", PROBLEM, f"{missing}: no connection to {where} ({exc})")
        return Finding("printer", OK, f"the receipt printer at {where} answers")
    if kind == "usb":
        try:
            import usb.core

            vendor, _, product = where.partition(":")
            found = usb.core.find(idVendor=int(vendor, 16), idProduct=int(product, 16))
        except Exception as exc:  # no libusb, a malformed id
            return Finding("printer", WARNING, f"cannot look for the USB printer {where}: {exc}")
        if found is None:
            return Finding("printer", PROBLEM, f"{missing}: no USB device {where} (switched off or unplugged?)")
        return Finding("printer", OK, f"the USB receipt printer {where} is connected")
    return Finding("printer", PROBLEM, f"unknown printer device {device!r} ([printer] escpos_device)")


def check_disk(database: Path, problem_bytes: int, warning_bytes: int) -> list[Finding]:
    folder = database.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    usage = shutil.disk_usage(folder)
    free = f"{usage.free / 2**20:,.0f} MB free of {usage.total / 2**30:,.1f} GB on {folder}"
    if usage.free < problem_bytes:
        return [Finding("disk", PROBLEM, f"the disk is almost full ({free}): a sync cannot store a new catalogue")]
    if usage.free < warning_bytes:
        return [Finding("disk", WARNING, f"the disk is getting full ({free})")]
    return [Finding("disk", OK, free)]


def check_terminal(environ: Mapping[str, str]) -> list[Finding]:
    term = environ.get("TERM", "")
    found = [_terminal_finding(term, environ)]
    unit = Path("/etc/systemd/system/dritte-orte-kiosk.service")
    if unit.is_file():  # the box: the kiosk runs in cage + foot, whatever this shell's terminal is
        missing = [tool for tool in ("cage", "foot") if not shutil.which(tool)]
        found.append(Finding("terminal", PROBLEM, f"the kiosk unit needs {' and '.join(missing)}: "
                                                  f"sudo apt-get install cage foot xwayland") if missing else
                     Finding("terminal", OK, "the kiosk unit runs in foot (SGR mouse reports) under cage"))
    return found


def _terminal_finding(term: str, environ: Mapping[str, str]) -> Finding:
    name = term.lower()
    if not name or name.startswith(NO_MOUSE_TERMINALS):
        shown = f"TERM={term}" if term else "no TERM"
        return Finding("terminal", PROBLEM, f"this terminal ({shown}) reports no mouse: taps on a touch screen "
                                            f"would not arrive; run the kiosk in foot (see deploy/)")
    if name.startswith("screen") and not environ.get("TMUX"):
        return Finding("terminal", WARNING, f"TERM={term}: GNU screen before version 5 does not pass SGR mouse "
                                            f"reports, so taps may not arrive; use tmux or foot")
    if name.startswith(SGR_TERMINALS) or _terminfo_has_sgr_mouse(term):
        return Finding("terminal", OK, f"TERM={term} sends SGR mouse reports: taps arrive")
    return Finding("terminal", WARNING, f"cannot tell whether TERM={term} sends SGR mouse reports (taps may not "
                                        f"arrive); foot, xterm and tmux do")


def _terminfo_has_sgr_mouse(term: str) -> bool:
    """True if terminfo's XM (mouse) capability of `term` switches on SGR reports (mode 1006)."""
    if not shutil.which("infocmp"):
        return False
    try:
        done = subprocess.run(["infocmp", "-x", term], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0 and any("1006" in cap for cap in done.stdout.split(",") if "XM=" in cap)


def _ago(seconds: float) -> str:
    if seconds < 3600:
        return f"{max(seconds, 0) / 60:.0f} minutes ago"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} hours ago"
    return f"{seconds / 86400:.0f} days ago"
