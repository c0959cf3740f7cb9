"""A real tap reaches the kiosk: an X pointer click through a real terminal (xterm under Xvfb).

The chain a finger takes on the box, minus the touch screen: the display server gets a pointer
click (xdotool), the terminal turns it into an SGR mouse report, Textual turns that into a press of
the button under it, and the screen changes. Where the first need button is comes from the app
itself (Pilot at the same terminal size). The box runs foot under cage; cage (0.1.4, Debian 12)
offers no virtual input, so this runs under X (see tools/tapcheck.sh, docs/tap-check.png).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from kiosk.app import make_app
from kiosk.cli import open_catalogue
from kiosk.config import load_settings

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ("Xvfb", "xterm", "xdotool")
COLS, ROWS = 100, 30


def _grab(display: str):
    from PIL import ImageGrab

    return ImageGrab.grab(xdisplay=display)


def _settled(display: str, until, timeout: float = 60.0):
    """The screen once `until(image)` holds and two grabs 0.5 s apart agree, else fail."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        image = _grab(display)
        if last is not None and image.tobytes() == last.tobytes() and until(image):
            return image
        last = image
        time.sleep(0.5)
    raise AssertionError(f"the screen did not reach the expected state within {timeout} s (did the tap arrive?)")


def _changed_pixels(a, b) -> int:
    from PIL import ImageChops

    return ImageChops.difference(a.convert("L"), b.convert("L")).point(lambda p: 255 if p else 0).histogram()[255]


@pytest.fixture
def xserver():
    missing = [tool for tool in TOOLS if not shutil.which(tool)]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt-get install xvfb xterm xdotool; install.sh --dev does)")
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                              pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as fh:
        number = fh.readline().strip()
    assert number, "Xvfb did not start"
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


async def test_a_click_on_the_screen_opens_the_need_under_it(xserver, tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text('[catalogue]\ndatabase = "c.db"\n[kiosk]\nvolunteer_pin = "582914"\n', encoding="utf-8")
    settings = load_settings(config)
    with open_catalogue(settings.catalogue.database) as catalogue:  # the demo, as on a fresh box
        app = make_app(settings, catalogue)
        async with app.run_test(size=(COLS, ROWS)) as pilot:
            await pilot.pause()
            button = app.screen.query_one("#need-0")
            region, label = button.region, button.label.plain.strip()
    cell_x, cell_y = region.x + region.width // 2, region.y + region.height // 2

    env = {**os.environ, "DISPLAY": xserver, "KIOSK_CONFIG": str(config), "TERM": "xterm-256color"}
    kiosk = ROOT / ".venv" / "bin" / "kiosk"
    kiosk = kiosk if kiosk.exists() else Path(shutil.which("kiosk") or "kiosk")
    term = subprocess.Popen(["xterm", "-geometry", f"{COLS}x{ROWS}+0+0", "-fa", "DejaVu Sans Mono", "-fs", "11",
                             "-b", "0", "-bw", "0", "+sb", "-e", str(kiosk)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        found = subprocess.run(["xdotool", "search", "--sync", "--onlyvisible", "--class", "xterm"], env=env,
                               capture_output=True, text=True, timeout=30)
        window = found.stdout.split()[0]
        geometry = subprocess.run(["xdotool", "getwindowgeometry", "--shell", window], env=env,
                                  capture_output=True, text=True, timeout=10).stdout
        size = dict(line.split("=") for line in geometry.split())
        width, height = int(size["WIDTH"]), int(size["HEIGHT"])
        # The start screen is drawn: many colours, and it stays still.
        before = _settled(xserver, lambda im: len(im.crop((0, 0, width, height)).getcolors(1 << 16) or ()) > 4)
        x, y = (2 * cell_x + 1) * width // (2 * COLS), (2 * cell_y + 1) * height // (2 * ROWS)
        subprocess.run(["xdotool", "mousemove", "--window", window, str(x), str(y), "click", "1"], env=env,
                       check=True, timeout=10)
        after = _settled(xserver, lambda im: im.tobytes() != before.tobytes())
        changed = _changed_pixels(before.crop((0, 0, width, height)), after.crop((0, 0, width, height)))
        assert changed > width * height // 10, f"a tap on {label!r} changed only {changed} pixels"
        assert term.poll() is None, "the kiosk ended instead of showing the results"
    finally:
        term.terminate()
        term.wait(timeout=10)
