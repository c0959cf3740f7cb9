"""Taking an offer home: what the phone gets, the QR code on screen, the slip, the printers.

- `payload`: what a code holds (web page, contact card, `tel:` link, map link, a list as text)
  and the same facts in words; pure functions of the catalogue's data.
- `codes`: the code's modules (qrcode) and `QrMaker`, the kiosk's `QrCodes` service.
- `halfblocks`: how a code looks on a terminal (fixed black on white, as large as fits).
- `slips`: what a printed slip says, and how it is read aloud.
- `printing`: CUPS (a PDF sent with `lp`) and ESC/POS (a receipt printer), the `Printer` service.

The printers are imported on first use (`make_printer` and the printer classes below), and
qrcode, fpdf2 and python-escpos only when a code, a PDF or a receipt is made: start-up stays
light (tests/test_startup_imports.py). No Textual here except in `halfblocks`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .codes import QrCode, QrMaker, make_matrix
from .payload import caption, list_text, payload
from .slips import Slip, compose_list_slip, compose_slip, slip_parts, slip_text

if TYPE_CHECKING:
    from .printing import CupsPrinter, EscposPrinter, PrintGuard, make_printer

_PRINTING = ("CupsPrinter", "EscposPrinter", "PrintGuard", "make_printer")

__all__ = ["CupsPrinter", "EscposPrinter", "PrintGuard", "QrCode", "QrMaker", "Slip", "caption", "compose_list_slip",
           "compose_slip", "list_text", "make_matrix", "make_printer", "payload", "slip_parts", "slip_text"]


def __getattr__(name: str) -> Any:
    if name in _PRINTING:  # the printers, imported when first asked for
        from . import printing

        return getattr(printing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
