#!/bin/sh
# Screenshots of the kiosk in a real terminal emulator (xterm, DejaVu Sans Mono) under Xvfb, to see
# right-to-left text as a visitor would: docs/rtl/shoot.sh ar home 80 24  ->  docs/rtl/ar-home-80x24.png
# (pages: home, results, offer; after the size, an offer's id: docs/rtl/shoot.sh fa offer 160 48 rtl-fa)
# Needs: apt-get install xvfb xterm imagemagick fonts-dejavu-core
set -eu
cd "$(dirname "$0")/../.."
lang=${1:-ar}; page=${2:-home}; cols=${3:-80}; rows=${4:-24}; shift 4 2>/dev/null || true
display=:$((90 + $$ % 100))
Xvfb "$display" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null' EXIT
sleep 1
DISPLAY=$display xterm -geometry "${cols}x${rows}+0+0" -fa "DejaVu Sans Mono" -fs 10 -bg black -fg white \
    -T kiosk -e env TERM=xterm-256color .venv/bin/python docs/rtl/demo_kiosk.py "$lang" "$page" "$@" &
term=$!
sleep "${WAIT:-8}"
DISPLAY=$display import -window root -trim "docs/rtl/$lang-$page-${cols}x$rows.png"
kill $term 2>/dev/null || true
echo "docs/rtl/$lang-$page-${cols}x$rows.png"
