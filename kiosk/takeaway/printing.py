"""Printed slips to take home: the printers that print them (what a slip says is `slips`).

A slip holds the offer's name, who offers it, address, phone, opening hours in words, the QR code
(same content as on screen), the place's name and the date; a visitor's list is one slip with all
its offers, each with its own code (`print_list`). Backends implement `Printer` of
`kiosk.services`: `CupsPrinter` (a PDF sent with `lp`, for any office or label printer) and
`EscposPrinter` (a receipt printer through python-escpos); `make_printer` picks one from settings.

Taps: Textual's Button ignores only a second press within 0.2 s, so a slower double tap calls
`print_offer` twice. `PrintGuard` makes printing idempotent: while a slip for the same offer (and
language) is printing, or for `window` seconds (3 s) after it printed, a repeat returns False at
once without printing and without error. A failed job does not count, so a tap after an error
retries. This is the kiosk's only double-tap guard: the screens send every tap here (from a worker)
and only word the answer (printed / already printing / failed).

Blocking: the UI calls these methods in a worker thread. Every external call has a timeout
(`lp`/`lpstat`, the ESC/POS device), and every failure is a `ServiceError` whose message says in
words what is wrong ("paper jam", "queue does not exist"), never a traceback. Those words (device
paths, errno) are for the volunteer, not the visitor: each failure is logged and kept as
`last_error` (a `PrinterFailure`) on the printer; the screens tell the visitor in plain words.
"""
from __future__ import annotations

import copy
import logging
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from sync.hours import TZ as BERLIN  # the one time zone of the catalogue and the kiosk
from sync.offers import Offer

from ..bidi import lay_out, visual_line
from ..i18n import N_, _, current_language
from ..services import NoPrinter, Printer, PrinterFailure, ServiceError
from .codes import matrix_image
from .slips import Slip, compose_list_slip, compose_slip, slip_for_test_page, slip_lines, slip_pieces, wrap_paragraphs

log = logging.getLogger(__name__)


def _berlin_today() -> date:
    return datetime.now(BERLIN).date()


# --- one slip per tap ---------------------------------------------------------------------------

class PrintGuard:
    """Lets one request through per key while it runs and for `window` seconds after it succeeded."""

    def __init__(self, window: float = 3.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window, self._clock = window, clock
        self._lock = threading.Lock()
        self._busy: set[tuple] = set()
        self._done: dict[tuple, float] = {}

    def claim(self, key: tuple) -> bool:
        """True if this request should print; False for a repeat (running, or just printed)."""
        with self._lock:
            now = self._clock()
            self._done = {k: t for k, t in self._done.items() if now - t < self.window}
            if key in self._busy or key in self._done:
                return False
            self._busy.add(key)
            return True

    def release(self, key: tuple, *, printed: bool) -> None:
        with self._lock:
            self._busy.discard(key)
            if printed:
                self._done[key] = self._clock()


class SlipPrinter:
    """What every real printer shares: composing slips, the tap guard, the test page."""

    @property
    def available(self) -> bool:
        return True

    def __init__(self, *, place_name: str = "", qr_content: str = "auto", window: float = 3.0,
                 today: Callable[[], date] = _berlin_today) -> None:
        self.place_name, self.qr_content, self.today = place_name, qr_content, today
        self.guard = PrintGuard(window)
        self.last_error: PrinterFailure | None = None  # the volunteer menu shows it; never a visitor

    def print_offer(self, offer: Offer, language: str) -> bool:
        """Print one offer's slip: True; a repeat within the guard's window is ignored: False (see module doc)."""
        return self._guarded(("offer", offer.id, language), lambda: [self._slip(offer, language)])

    def print_offers(self, offers: Sequence[Offer], language: str) -> bool:
        """Several offers as one job (a volunteer printing a search's list), one slip each."""
        if not offers:
            return False
        key = ("offers", tuple(o.id for o in offers), language)
        return self._guarded(key, lambda: [self._slip(o, language) for o in offers])

    def print_list(self, offers: Sequence[Offer], language: str) -> bool:
        """A visitor's list as ONE slip (one job, one cut): every offer with its own code."""
        if not offers:
            return False
        key = ("list", tuple(o.id for o in offers), language)
        return self._guarded(key, lambda: [compose_list_slip(
            offers, place_name=self.place_name, today=self.today(), language=language, qr_content=self.qr_content)])

    def test_page(self) -> bool:
        """A test slip in the current UI language (the volunteer's)."""
        language = current_language()
        return self._guarded(("test",), lambda: [slip_for_test_page(
            place_name=self.place_name, today=self.today(), language=language, printer=self.describe())])

    def describe(self) -> str:
        """The printer in a few words, for the test page."""
        return type(self).__name__

    def _slip(self, offer: Offer, language: str) -> Slip:
        return compose_slip(offer, place_name=self.place_name, today=self.today(), language=language,
                            qr_content=self.qr_content)

    def _guarded(self, key: tuple, slips: Callable[[], list[Slip]]) -> bool:
        if not self.guard.claim(key):
            return False
        printed = False
        try:
            self._send(slips())
            printed = True
        except ServiceError as exc:
            self.last_error = PrinterFailure(datetime.now(BERLIN), self.describe(), str(exc))
            log.warning("printing failed on %s: %s", self.describe(), exc)
            raise
        finally:
            self.guard.release(key, printed=printed)
        return True

    def _send(self, slips: list[Slip]) -> None:
        raise NotImplementedError


# --- CUPS ---------------------------------------------------------------------------------------

_REASONS = {  # IPP printer-state-reasons (RFC 8011) in words
    "media-jam": N_("paper jam"), "media-empty": N_("out of paper"), "media-needed": N_("out of paper"),
    "toner-empty": N_("out of toner"), "marker-supply-empty": N_("out of ink or toner"),
    "cover-open": N_("a cover is open"), "door-open": N_("a door is open"), "offline": N_("the printer is offline"),
    "paused": N_("the printer is paused"), "shutdown": N_("the printer is switched off"),
}


def _run(cmd: list[str], timeout: float) -> subprocess.CompletedProcess:
    """Run a CUPS tool with English messages (we read them) and a timeout (we never hang)."""
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except FileNotFoundError:
        raise ServiceError(_("The printing system is not installed ({program} is missing).").format(
            program=cmd[0])) from None
    except subprocess.TimeoutExpired:
        raise ServiceError(_("The printing system did not answer within {seconds} seconds.").format(
            seconds=int(timeout))) from None


def _cups_problem(output: str) -> str:
    """An lp/lpstat error in words; the tool's own text when we don't know it better."""
    text = " ".join(output.split())
    if re.search(r"Invalid destination|does not exist|not found", text, re.I):
        return _("this printer queue does not exist")
    if re.search(r"Unable to connect|Bad file descriptor|Connection refused", text, re.I):
        return _("the printing system (CUPS) is not running")
    if re.search(r"not accepting jobs", text, re.I):
        return _("the printer does not accept jobs")
    return re.sub(r"^(lp|lpstat):\s*", "", text) or _("unknown error")


class CupsPrinter(SlipPrinter):
    """Sends each job as one PDF (a page per slip) to a CUPS queue with `lp -d QUEUE`."""

    def __init__(self, queue: str, *, timeout: float = 20.0, page: str = "A4", lp: str = "lp",
                 lpstat: str = "lpstat", **kwargs) -> None:
        super().__init__(**kwargs)
        self.queue, self.timeout, self.page, self.lp, self.lpstat = queue, timeout, page, lp, lpstat

    @property
    def available(self) -> bool:  # cheap: the UI asks often; the queue itself is checked per job
        return shutil.which(self.lp) is not None

    def describe(self) -> str:
        return f"CUPS {self.queue}"

    def check(self) -> None:
        """Raise ServiceError if the queue is missing, stopped, jammed, out of paper or offline."""
        res = _run([self.lpstat, "-l", "-p", self.queue], self.timeout)
        if res.returncode != 0:
            # Without a scheduler lpstat also says "invalid destination": ask which it is.
            if "not running" in _run([self.lpstat, "-r"], self.timeout).stdout:
                raise ServiceError(self._failed(_("the printing system (CUPS) is not running")))
            raise ServiceError(self._failed(_cups_problem(res.stderr or res.stdout)))
        lines = res.stdout.splitlines() or [""]
        # The line after the state is the printer-state-message ("Paper jam in tray 1"), if any.
        message = lines[1].strip() if len(lines) > 1 and not lines[1].strip().startswith("Form mounted") else ""
        if re.search(r"\bdisabled\b", lines[0]):  # stopped by a volunteer or by CUPS after a fault
            raise ServiceError(self._failed(message or _("the queue is stopped")))
        alerts = re.search(r"^\s*Alerts:\s*(.*)$", res.stdout, re.M)
        for alert in (alerts.group(1).split() if alerts else []):
            base = re.sub(r"-(error|warning|report)$", "", alert)
            if base in _REASONS and (alert.endswith("-error") or base in ("offline", "paused", "shutdown")):
                words = _(_REASONS[base])
                raise ServiceError(self._failed(f"{words} ({message})" if message else words))

    def _failed(self, reason: str) -> str:
        return _("Printer {queue} cannot print: {reason}").format(queue=self.queue, reason=reason)

    def _send(self, slips: list[Slip]) -> None:
        self.check()
        pdf = render_pdf(slips, page=self.page)
        with tempfile.NamedTemporaryFile(prefix="kiosk-slip-", suffix=".pdf") as fh:
            fh.write(pdf)
            fh.flush()
            # lp returns once cupsd has the file: the temporary file may go right after.
            res = _run([self.lp, "-d", self.queue, "-t", slips[0].title[:60] or "Kiosk", "--", fh.name],
                       self.timeout)
        if res.returncode != 0:
            raise ServiceError(self._failed(_cups_problem(res.stderr or res.stdout)))


_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF")


def _font_files() -> tuple[str, str] | None:
    """DejaVu Sans (regular, bold): has ä ö ü ß € and most Latin, Cyrillic and Greek letters."""
    for folder in _FONT_DIRS:
        regular, bold = Path(folder, "DejaVuSans.ttf"), Path(folder, "DejaVuSans-Bold.ttf")
        if regular.is_file():
            return str(regular), str(bold if bold.is_file() else regular)
    return None


def render_pdf(slips: Sequence[Slip], *, page: str = "A4") -> bytes:
    """One page per slip: text top left, the QR code (45 mm) below it with its note."""
    from fpdf import FPDF

    pdf = FPDF(format=page, unit="mm")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(True, margin=18)
    fonts = _font_files()
    if fonts:
        pdf.add_font("Slip", "", fonts[0])
        pdf.add_font("Slip", "B", fonts[1])
    family = "Slip" if fonts else "helvetica"

    def fit(text: str) -> str:  # core fonts know only Latin-1: keep umlauts, spell out the rest
        if fonts:
            return text
        return text.replace("€", "EUR").replace("–", "-").encode("latin-1", "replace").decode("latin-1")

    pdf.set_title(fit(slips[0].title if slips else "Kiosk"))
    for slip in slips:
        pdf.add_page()  # a page per slip; a list slip's entries flow on, a code never split
        # Right to left (Arabic, Persian): laid out as on the screen (kiosk/bidi.py): wrapped in
        # reading order to the font's widths, then shaped (presentation forms, which DejaVu Sans
        # has) and reordered per line, right-aligned. fpdf2's own bidi splits "123-45" after Arabic.
        rtl = slip.rtl and fonts is not None
        align = "R" if rtl else "L"

        def write(height: float, text: str, rtl: bool = rtl, align: str = align) -> None:
            if not rtl:
                pdf.multi_cell(0, height, fit(text), new_x="LMARGIN", new_y="NEXT", align=align)
                return
            for line in lay_out(text, pdf.epw, measure=lambda logical: pdf.get_string_width(visual_line(logical))):
                pdf.cell(0, height, line, align="R", new_x="LMARGIN", new_y="NEXT")
        for paragraphs, code, note in slip_pieces(slip):
            for kind, text in paragraphs:
                if kind == "rule":
                    pdf.ln(3)
                    continue
                size = {"title": 18, "heading": 15, "footer": 10}.get(kind, 13)
                pdf.set_font(family, "B" if kind in ("title", "heading") else "", size)
                write(8 if kind in ("title", "heading") else 6.5, text)
            if code:
                pdf.ln(4)
                if pdf.get_y() + 60 > pdf.h - 18:
                    pdf.add_page()
                x = pdf.w - pdf.r_margin - 45 if rtl else pdf.l_margin  # mirrored: the code on the right
                pdf.image(matrix_image(code.matrix), x=x, y=pdf.get_y(), w=45, h=45)
                pdf.set_y(pdf.get_y() + 46)
                pdf.set_font(family, "", 10)
                write(5, note)
    return bytes(pdf.output())


# --- ESC/POS ------------------------------------------------------------------------------------

# Typography the catalogue and `describe_week` use but CP858 lacks; without this they print as "?".
_PLAIN = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "„": '"', "“": '"', "”": '"', "‚": "'",
                        "‘": "'", "’": "'", "…": "...", "•": "*", "\u00a0": " ", "\u202f": " ", "→": "->",
                        "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "ı": "i", "Œ": "OE", "œ": "oe"})


def plain(text: str, can_encode: Callable[[str], bool]) -> str:
    """Text a code page can print: typographic marks made plain, other letters without accents (ł→l)."""
    out = []
    for ch in text.translate(_PLAIN):
        if can_encode(ch):
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and all(can_encode(c) for c in base) else "?")
    return "".join(out)


def rtl_raster(text: str, dots: int, font_file: str, size: int):
    """Right-to-left text as a black-and-white picture `dots` wide (ESC/POS raster): wrapped in
    reading order to the font's widths, each line shaped and reordered (kiosk/bidi.py), right-aligned."""
    from PIL import Image, ImageDraw, ImageFont

    # BASIC layout: the letters are already shaped and in visual order; Pillow's raqm layout (where
    # it is built in) would reorder them a second time.
    font = ImageFont.truetype(font_file, size, layout_engine=ImageFont.Layout.BASIC)
    lines = lay_out(text, dots - 8, measure=lambda logical: font.getlength(visual_line(logical)))
    step = int(size * 1.35)
    image = Image.new("1", (dots, max(1, step * len(lines))), 1)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((dots - 4 - font.getlength(line), i * step), line, font=font, fill=0)
    return image.convert("RGB")


def escpos_bytes(slips: Sequence[Slip], *, codepage: str = "CP858", width: int = 42,
                 native_qr: bool = False, profile: str = "default") -> bytes:
    """The whole job as ESC/POS bytes, built on python-escpos's Dummy so it can be checked byte by byte.

    ESC @ first (forget the last job's modes), then the code page set explicitly (ESC t n): the
    printer's own default is often CP437, which has no €. Each slip ends with a cut.
    """
    from escpos.printer import Dummy

    p = Dummy(profile=profile)
    dots = width * 12  # font A is 12 dots wide: 42 columns ≈ 504 dots (80 mm), 32 ≈ 384 (58 mm)
    # The generic profile knows no paper width (python-escpos then print()s a warning on every image
    # and cannot centre): tell it ours, on a copy so that other printers' profiles stay as they were.
    p.profile.profile_data = copy.deepcopy(p.profile.profile_data)
    p.profile.profile_data.setdefault("media", {}).setdefault("width", {})["pixels"] = dots
    p.hw("INIT")
    try:
        p.charcode(codepage)
    except Exception as exc:  # CharCodeError / ValueError: not in this printer profile
        raise ServiceError(_("The receipt printer does not know the code page {codepage}.").format(
            codepage=codepage)) from exc
    encoding = p.magic.encoding
    fonts = _font_files()

    def can(ch: str) -> bool:
        return ch == "\n" or ord(ch) < 128 or p.magic.encoder.can_encode(encoding, ch)

    looks = {"title": dict(bold=True, double_height=True), "heading": dict(bold=True, normal_textsize=True),
             "text": dict(bold=False, normal_textsize=True)}
    for slip in slips:
        look = None
        for paragraphs, code, note in slip_pieces(slip):  # a list slip: its entries, then one cut
            for kind, text in paragraphs:
                # python-escpos sends nothing for double_height=False: ask for normal size explicitly.
                if (want := kind if kind in looks else "text") != look:
                    p.set(align="left", **looks[want])
                    look = want
                if slip.rtl and fonts:  # no code page has Arabic letters: print them as a picture
                    p.image(rtl_raster(text, dots, fonts[1 if kind in ("title", "heading") else 0],
                                       {"title": 32, "heading": 26}.get(kind, 22)), center=False)
                    continue
                for line in wrap_paragraphs([(kind, text)], width):
                    p.text(plain(line, can) + "\n")
            if code:
                p.set(align="center", **looks["text"])
                look = None
                p.text("\n")
                if native_qr:  # the printer draws it: sharp, small job, but not every model can
                    from escpos.constants import QR_ECLEVEL_M
                    p.qr(code.data, ec=QR_ECLEVEL_M, size=6, native=True)
                else:  # a raster image (GS v 0) prints on nearly every ESC/POS printer
                    modules = len(code.matrix)
                    scale = max(2, min(8, (dots - 24) // modules))
                    p.image(matrix_image(code.matrix, scale).convert("RGB"), center=True)
                if slip.rtl and fonts:
                    p.image(rtl_raster(note, dots, fonts[0], 20), center=False)
                    continue
                for line in wrap_paragraphs([("text", note)], width):
                    p.text(plain(line, can) + "\n")
        if not slip.qr:
            p.set(align="center", **looks["text"])
        p.set(align="left")
        p.cut(mode="PART")  # a partial cut leaves a hinge: the slip waits at the printer, not on the floor
    return p.output


def open_escpos_device(spec: str, timeout: float = 10.0):
    """A python-escpos printer for "usb:VID:PID", "serial:/dev/tty…[:baud]", "net:HOST[:PORT]", "file:PATH"."""
    from escpos import printer as devices

    kind, _sep, rest = spec.partition(":")
    try:
        if kind == "usb":
            vid, pid = (int(v, 16) for v in rest.split(":")[:2])
            return devices.Usb(vid, pid, timeout=int(timeout * 1000))
        if kind == "serial":
            path, _s, baud = rest.rpartition(":") if re.search(r":\d+$", rest) else (rest, "", "9600")
            return devices.Serial(path, baudrate=int(baud), timeout=timeout)
        if kind == "net":
            host, _s, port = rest.rpartition(":") if re.search(r"[^:]:\d+$", rest) else (rest, "", "9100")
            return devices.Network(host.strip("[]"), port=int(port), timeout=timeout)
        if kind == "file":
            return devices.File(rest)
    except ValueError:
        pass
    raise ServiceError(_("The receipt printer setting {device} is not a device.").format(device=spec))


class EscposPrinter(SlipPrinter):
    """A receipt printer on USB, serial, network or a device file, through python-escpos."""

    def __init__(self, device: str, *, codepage: str = "CP858", width: int = 42, native_qr: bool = False,
                 timeout: float = 15.0, opener: Callable | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.device, self.codepage, self.width, self.native_qr = device, codepage, width, native_qr
        self.timeout = timeout
        self.opener = opener or (lambda: open_escpos_device(self.device, timeout))

    def describe(self) -> str:
        return f"ESC/POS {self.device} ({self.codepage})"

    def _send(self, slips: list[Slip]) -> None:
        data = escpos_bytes(slips, codepage=self.codepage, width=self.width, native_qr=self.native_qr)
        failure: list[BaseException] = []

        def write() -> None:
            try:
                device = self.opener()
                try:
                    device._raw(data)
                finally:
                    device.close()
            except BaseException as exc:  # reported below, in words
                failure.append(exc)

        # A device file of a switched-off printer can block a write forever: write in a thread and
        # give up waiting after the timeout, so the worker (and the volunteer) gets an answer.
        worker = threading.Thread(target=write, name="escpos-write", daemon=True)
        worker.start()
        worker.join(self.timeout + 5)
        if worker.is_alive():
            raise ServiceError(_("The receipt printer did not answer within {seconds} seconds.").format(
                seconds=int(self.timeout)))
        if failure:
            if isinstance(failure[0], ServiceError):
                raise failure[0]
            detail = " ".join(str(failure[0]).split()) or type(failure[0]).__name__
            raise ServiceError(_("The receipt printer {device} cannot print: {reason}").format(
                device=self.device, reason=detail)) from failure[0]


# --- choosing -----------------------------------------------------------------------------------

def make_printer(settings, *, today: Callable[[], date] = _berlin_today) -> Printer:
    """The printer configured in `settings` (a whole `Settings`): NoPrinter, CupsPrinter or EscposPrinter."""
    ps = settings.printer
    common = dict(place_name=settings.place.name, qr_content=settings.qr.content, today=today)
    if ps.backend == "cups":
        return CupsPrinter(ps.cups_queue, **common)
    if ps.backend == "escpos":
        return EscposPrinter(ps.escpos_device, codepage=ps.escpos_codepage, width=ps.paper_width_chars, **common)
    return NoPrinter()


__all__ = ["CupsPrinter", "EscposPrinter", "PrintGuard", "Slip", "SlipPrinter", "compose_list_slip", "compose_slip",
           "escpos_bytes", "make_printer", "open_escpos_device", "render_pdf", "slip_for_test_page", "slip_lines",
           "wrap_paragraphs"]
