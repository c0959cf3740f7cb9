"""QR codes of offers: their modules (qrcode), and `QrMaker`, the kiosk's `QrCodes` service.

`QrMaker.codes()` lists every kind of code an offer has, the configured kind first (what each
holds is decided in `kiosk.takeaway.payload`); the screen shows the first that fits, the slip
prints the first. qrcode is imported when the first matrix is made, not at start-up.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..i18n import _, current_language
from ..speech.spoken import CATALOGUE_LANGUAGE, Said, fill
from .payload import FALLBACKS, caption, holds_text, kinds_for, list_text, makers, payload

if TYPE_CHECKING:
    from sync.offers import Offer

    from ..config import QrSettings

QUIET_ZONE = 4  # modules of white around the code, as ISO/IEC 18004 asks


def make_matrix(data: str) -> list[list[bool]]:
    """Modules of a QR code for `data` (UTF-8), with a 4-module quiet zone; True = dark.

    Error correction is at least M (15 % of the code may be covered by glare or a smudge) and
    raised to Q or H when that fits in the same version, i.e. costs no size.
    """
    import qrcode  # here, not at start-up: Home needs no QR code
    from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_M, ERROR_CORRECT_Q
    from qrcode.exceptions import DataOverflowError

    base = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, box_size=1)
    base.add_data(data)
    base.make(fit=True)
    for level in (ERROR_CORRECT_H, ERROR_CORRECT_Q):
        better = qrcode.QRCode(version=base.version, error_correction=level, border=QUIET_ZONE, box_size=1)
        better.add_data(data)
        try:
            better.make(fit=False)
        except DataOverflowError:
            continue
        return [list(row) for row in better.get_matrix()]
    return [list(row) for row in base.get_matrix()]


@dataclass(frozen=True)
class QrCode:
    """One code for one offer: what it holds, what kind that is, and its modules."""

    data: str
    kind: str
    matrix: list[list[bool]]
    holds: str = ""  # what it holds in words (`holds_text`): shown under the code and spoken

    @property
    def caption(self) -> str:
        """What the phone gets and what the code holds: a `Said` line, so that what it holds (the
        catalogue's number, address or name) is read in the catalogue's voice, the rest in the UI's."""
        if not self.holds:
            return caption(self.kind)
        ui, gets = current_language(), caption(self.kind)
        holds = fill(_("The code holds: {text}"), ui, text=Said(self.holds, [(self.holds, CATALOGUE_LANGUAGE)]))
        return Said(gets + "\n" + holds, [(gets, ui), *holds.parts])


class QrMaker:
    """The kiosk's QR codes (`QrCodes` protocol), holding what `QrSettings.content` asks for."""

    available = True

    def __init__(self, settings: QrSettings | str = "auto", *, card: str = "mecard") -> None:
        # `[qr]` of the settings, or its `content` itself ("auto", "web", "contact", "tel", "map").
        content = settings if isinstance(settings, str) else settings.content
        self.content = content if content in FALLBACKS else "auto"
        self.card = card

    def code(self, offer: Offer) -> QrCode | None:
        """The offer's code with its data and kind, or None when the offer has nothing to link."""
        found = payload(offer, self.content, card=self.card)
        if found is None:
            return None
        data, kind = found
        return QrCode(data, kind, make_matrix(data), holds_text(offer, data, kind))

    def matrix(self, offer: Offer) -> list[list[bool]] | None:
        code = self.code(offer)
        return code.matrix if code else None

    def list_code(self, offers: Sequence[Offer], heading: str = "") -> QrCode:
        """One code holding the whole list as text (`list_text`); it may be too large for a screen."""
        data = list_text(offers, heading)
        return QrCode(data, "list", make_matrix(data))

    def codes(self, offer: Offer) -> list[QrCode]:
        """Every code the offer has, the configured kind first, then the fallbacks in their order.

        The screen shows the first one that fits the space it has (see `arrange`): on a small
        terminal a contact card (~57 modules) cannot be drawn, a `tel:` link (~33) can.
        """
        make = makers(self.card)
        found: list[QrCode] = []
        for kind in kinds_for(offer, self.content):
            data = make[kind](offer)
            if data and all(code.data != data for code in found):
                found.append(QrCode(data, kind, make_matrix(data), holds_text(offer, data, kind)))
        return found


def matrix_image(matrix: list[list[bool]], scale: int = 8):  # -> PIL.Image.Image
    """The matrix (quiet zone included) as a black-and-white PIL image, `scale` pixels per module."""
    from PIL import Image  # only printing needs Pillow; the screen does not

    size = len(matrix)
    img = Image.new("1", (size, size), 1)
    img.putdata([0 if dark else 1 for row in matrix for dark in row])
    return img.resize((size * scale, size * scale), Image.Resampling.NEAREST)
