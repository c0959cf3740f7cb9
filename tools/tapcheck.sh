#!/usr/bin/env bash
# A tap reaches the kiosk through a real terminal and a real display, with screenshots to look at
# (tests/test_tap_x11.py checks the same in the test run).
#
#   tools/tapcheck.sh [OUT_DIR]        (needs Xvfb, xterm, xdotool, ImageMagick: apt-get install
#                                       xvfb xterm xdotool imagemagick)
#
# Starts an X server without a screen (Xvfb), xterm in it running the real `kiosk` on the demo
# catalogue (settings and catalogue in OUT_DIR, nothing in the clone), clicks the first need button
# with xdotool (a real X pointer event: X server -> xterm -> SGR mouse report -> Textual), and
# takes screenshots before and after (OUT_DIR/before.png, after.png). It exits 0 only if the screen
# changed; look at the two pictures yourself. The box runs foot under cage instead of xterm under
# X; both send SGR (1006) mouse reports (`kiosk doctor` checks the terminal). Where the button is
# comes from the app itself (Textual's Pilot at the same terminal size), not from guessing.
#
# Why not cage + foot here: under a headless wlroots backend (WLR_BACKENDS=headless) cage 0.1.4
# (Debian 12) renders the kiosk in foot (docs/cage-foot.png, taken with grim, run as a normal user:
# cage refuses root), but offers no virtual pointer or keyboard protocol, so no tool can tap it
# without a real input device. On the box, check a tap by hand and with `kiosk doctor`.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
ROOT=$PWD
OUT=$(readlink -f "${1:-/tmp/tapcheck}")
COLS=${COLS:-100}
ROWS=${ROWS:-30}
SCREEN=${DISPLAY_NUMBER:-:77}
mkdir -p "$OUT"
sed -e 's|^database = .*|database = "var/catalogue.db"|' -e 's|^volunteer_pin = .*|volunteer_pin = "582914"|' \
    kiosk.toml > "$OUT/kiosk.toml"
export KIOSK_CONFIG=$OUT/kiosk.toml

# Where is the first need button at COLS x ROWS? Ask the app (this also imports the demo catalogue).
read -r X Y LABEL < <("$ROOT/.venv/bin/python" - "$COLS" "$ROWS" <<'PY'
import asyncio, os, sys
from pathlib import Path
from kiosk.app import make_app
from kiosk.cli import open_catalogue
from kiosk.config import load_settings
settings = load_settings(Path(os.environ["KIOSK_CONFIG"]))
async def main():
    app = make_app(settings, open_catalogue(settings.catalogue.database))
    async with app.run_test(size=(int(sys.argv[1]), int(sys.argv[2]))) as pilot:
        await pilot.pause()
        button = app.screen.query_one("#need-0")
        r = button.region
        print(r.x + r.width // 2, r.y + r.height // 2, button.label.plain.strip())
asyncio.run(main())
PY
)
echo "first need button: '$LABEL' at cell $X,$Y of ${COLS}x${ROWS}"

Xvfb "$SCREEN" -screen 0 1280x800x24 -nolisten tcp >"$OUT/xvfb.log" 2>&1 &
XVFB=$!
XTERM=
trap 'kill ${XTERM:-} $XVFB 2>/dev/null || true' EXIT
export DISPLAY=$SCREEN
for _ in $(seq 50); do xdotool getmouselocation >/dev/null 2>&1 && break; sleep 0.1; done
xterm -geometry "${COLS}x${ROWS}+0+0" -fa 'DejaVu Sans Mono' -fs 11 -b 0 -bw 0 +sb \
      -xrm 'XTerm*allowWindowOps: false' -e "$ROOT/.venv/bin/kiosk" >"$OUT/xterm.log" 2>&1 &
XTERM=$!
WID=$(xdotool search --sync --onlyvisible --class xterm | head -1)
sleep "${SETTLE:-6}"  # the kiosk starts (imports, first paint)
import -window root "$OUT/before.png"
read -r W H < <(xdotool getwindowgeometry "$WID" | awk '/Geometry/ {split($2, a, "x"); print a[1], a[2]}')
PX=$(( (2 * X + 1) * W / (2 * COLS) ))
PY=$(( (2 * Y + 1) * H / (2 * ROWS) ))
echo "window ${W}x${H} px: tapping at $PX,$PY"
xdotool mousemove --window "$WID" "$PX" "$PY" click 1
sleep 2
import -window root "$OUT/after.png"
DIFF=$(compare -metric AE "$OUT/before.png" "$OUT/after.png" null: 2>&1 || true)
echo "pixels changed by the tap: $DIFF"
[ "${DIFF%%.*}" -gt 1000 ] 2>/dev/null || { echo "tapcheck: the screen did not change: the tap did not arrive" >&2; exit 1; }
echo "tapcheck: the tap arrived. Look at $OUT/before.png and $OUT/after.png"
