"""The on-screen QR code: rendered by the real QrView in a real Textual app, rebuilt from the
terminal cells (characters and their colours) into an image, and decoded with zxing-cpp.

Two ways to the cells: the screen's compositor in `App.run_test` (fast, every size and theme), and
a real terminal (tmux, through tests/tmuxkiosk.py) for what a driver really sends.
"""
from __future__ import annotations

import shutil
import sys
import textwrap
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from textual.app import App, ComposeResult

from kiosk.takeaway import QrMaker, make_matrix
from kiosk.widgets.qrview import QrCanvas, QrView
from sync.offers import Location, Offer, Phone


def offer(**over) -> Offer:
    base = dict(id="o1", name="Tafel Lengerich", organization=None, town="Lengerich", location_name=None,
                latitude=None, longitude=None, url="https://www.diakonie-ml.de/schuldnerberatung",
                phones=(Phone("05481 12345"),),
                locations=(Location(None, "Münsterstraße 12", None, "49525", "Lengerich", 52.18751, 7.86602),))
    base.update(over)
    return Offer(**base)


SMALL_CARD = dict(url=None, locations=(), name="Tafel Ölde")  # a MeCard small enough for 80×24
BIG_CARD = dict(url=None, name="Schuldnerberatung für Familien", organization="Diakonie Münsterland e.V.")


def screen_cells(app: App) -> list[list[tuple[str, tuple, tuple]]]:
    """The composed screen as rows of (character, foreground rgb, background rgb)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    rows = []
    for line in update.strips:
        row = []
        for strip in line:
            for seg in strip:
                style = seg.style
                fg = style.color.get_truecolor() if style and style.color else (229, 229, 229)
                bg = style.bgcolor.get_truecolor() if style and style.bgcolor else (0, 0, 0)
                if style and style.reverse:
                    fg, bg = bg, fg
                row += [(ch, tuple(fg), tuple(bg)) for ch in seg.text]
        rows.append(row)
    return rows


def cells_image(rows, scale: int = 4) -> Image.Image:
    """Half-block cells into black/white pixels, two per cell vertically (as tmuxkiosk.Kiosk.image)."""
    width = max(len(r) for r in rows)
    img = Image.new("L", (width * scale, len(rows) * 2 * scale), 255)
    for y, row in enumerate(rows):
        for x, (ch, fg, bg) in enumerate(row):
            for dy, colour in ((0, fg if ch in "▀█" else bg), (1, fg if ch in "▄█" else bg)):
                value = 0 if sum(colour) < 384 else 255
                img.paste(value, (x * scale, (y * 2 + dy) * scale, (x + 1) * scale, (y * 2 + dy + 1) * scale))
    return img


class QrApp(App):
    def __init__(self, view: QrView, theme: str = "textual-dark") -> None:
        super().__init__()
        self.view, self.wanted_theme = view, theme

    def compose(self) -> ComposeResult:
        yield self.view

    def on_mount(self) -> None:
        self.theme = self.wanted_theme


async def shown(view: QrView, size, theme="textual-dark") -> tuple[list[str], Image.Image, str]:
    app = QrApp(view, theme)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        rows = screen_cells(app)
        canvas = app.query_one(QrCanvas)
        # The caption widget's text and its rows on screen (it may wrap, or sit beside the code).
        widget = app.query_one(".qr-caption")
        caption = widget.visual.plain if widget.display and widget.region.height >= \
            widget.visual.plain.count("\n") + 1 else ""
        return [b.text for b in zxingcpp.read_barcodes(cells_image(rows))], cells_image(rows), \
            f"{canvas.content_size.width}x{canvas.content_size.height}|{caption}"


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("mode, over, kind", [
    ("web", {}, "web"), ("tel", {}, "tel"), ("map", {}, "map"), ("contact", SMALL_CARD, "contact"),
])
async def test_on_screen_code_decodes(size, theme, mode, over, kind):
    code = QrMaker(mode).code(offer(**over))
    assert code.kind == kind
    texts, _, info = await shown(QrView(code.matrix, code.caption), size, theme)
    assert texts == [code.data], info
    assert code.caption in info


@pytest.mark.parametrize("card", ["mecard", "vcard"])
async def test_contact_card_with_umlauts_decodes_on_a_large_screen(card):
    code = QrMaker("contact", card=card).code(offer(**BIG_CARD))
    assert "Münsterstraße" in code.data and "für" in code.data
    texts, _, info = await shown(QrView.for_offer(QrMaker("contact", card=card), offer(**BIG_CARD)), (160, 48))
    assert texts == [code.data], info


async def test_code_grows_with_the_space_and_follows_a_resize():
    matrix = make_matrix("tel:110")  # version 1: 29 modules with the quiet zone
    app = QrApp(QrView(matrix, "x"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        small = max(len("".join(ch for ch, _, bg in row if bg == (255, 255, 255))) for row in screen_cells(app))
        await pilot.resize_terminal(160, 48)
        await pilot.pause()
        rows = screen_cells(app)
        large = max(len("".join(ch for ch, _, bg in row if bg == (255, 255, 255))) for row in rows)
        assert [b.text for b in zxingcpp.read_barcodes(cells_image(rows))] == ["tel:110"]
    assert small == 29 and large == 29 * 3  # 1 module → 1 column; then 3×3 (47 rows hold 94 half rows)


async def test_too_small_says_so_in_words_instead_of_a_broken_code():
    matrix = make_matrix("https://www.openstreetmap.org/?mlat=52.18751&mlon=7.86602&zoom=17")
    app = QrApp(QrView(matrix, ""))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        text = "\n".join("".join(ch for ch, _, _ in row) for row in screen_cells(app))
    assert "too small" in text and "▀" not in text


async def test_caption_is_never_markup():
    app = QrApp(QrView(make_matrix("tel:110"), "[@click=app.quit]Öffnungszeiten [Mo-Fr][/]"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        last = "".join(ch for ch, _, _ in screen_cells(app)[-1])
        assert "[@click=app.quit]Öffnungszeiten [Mo-Fr][/]" in last
        assert app.is_running


async def test_no_code_gives_a_message():
    app = QrApp(QrView(None, ""))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = "\n".join("".join(ch for ch, _, _ in row) for row in screen_cells(app))
    assert "no QR code" in text


# --- in a real terminal -------------------------------------------------------------------------


SCRIPT = """
    import sys
    from textual.app import App
    from kiosk.takeaway import QrMaker
    from kiosk.widgets.qrview import QrView
    from sync.offers import Offer, Phone

    offer = Offer(id="o", name="Tafel Ölde", organization=None, town=None, location_name=None,
                  latitude=None, longitude=None, phones=(Phone("05481 12345"),))

    class Show(App):
        def compose(self):
            yield QrView.for_offer(QrMaker(sys.argv[1]), offer)

    Show().run()
"""


@pytest.mark.skipif(not shutil.which("tmux"), reason="needs tmux")
@pytest.mark.parametrize("mode, expected", [("tel", "tel:+49548112345"),
                                            ("contact", "MECARD:N:Tafel Ölde;TEL:+49548112345;;")])
def test_real_terminal_code_decodes(tmp_path, mode, expected):
    from tests.tmuxkiosk import Kiosk

    script = tmp_path / "show_qr.py"
    script.write_text(textwrap.dedent(SCRIPT))
    kiosk = Kiosk([sys.executable, str(script), mode], size=(80, 24),
                  env={"TERM": "xterm-256color", "COLORTERM": "truecolor",
                       "PYTHONPATH": str(Path(__file__).resolve().parents[1])})
    try:
        assert kiosk.wait_for("phone", timeout=20), kiosk.screen()
        kiosk.settle()
        found = [b.text for b in zxingcpp.read_barcodes(kiosk.image())]
    finally:
        kiosk.close()
    assert found == [expected]
