#!/usr/bin/env bash
# Set up Dritte-Orte-Kiosk on this machine, from a fresh clone. Safe to run again.
#
#   ./install.sh              the kiosk: system packages (where possible), .venv, the project
#   ./install.sh --dev        the same plus what the tests need
#   ./install.sh --autostart  the same, and start the kiosk on the touch screen at boot (cage + foot)
#                             and pull the catalogue when due (systemd units from deploy/; needs root)
#   ./install.sh --uninstall  undo --autostart: stop and remove the units (keeps .venv, settings, var/)
#   --dry-run                 with any of the above: print every step it would take, change nothing
#
# Works on Debian and Raspberry Pi OS, as root or as a normal user (system packages then need
# sudo without a password; otherwise this script says which to install and carries on). Safe to
# run again. Run as root (sudo) in a clone owned by another user, the Python steps run as that
# user, so no root-owned files end up in the clone.
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")"

DEV=0
AUTOSTART=0
UNINSTALL=0
DRY=0
for arg in "$@"; do
    case "$arg" in
        --dev) DEV=1 ;;
        --autostart) AUTOSTART=1 ;;
        --uninstall) UNINSTALL=1 ;;
        --dry-run) DRY=1 ;;
        -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option '$arg' (try --help)" >&2; exit 2 ;;
    esac
done

say()  { printf '\033[1m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
# Every step that changes the machine goes through `run` (or `write_file`): with --dry-run it is
# printed instead.
run() {
    if [ "$DRY" = 1 ]; then printf '    would run: %s\n' "$*"; else "$@"; fi
}
write_file() {  # write_file PATH < content
    if [ "$DRY" = 1 ]; then
        printf '    would write %s:\n' "$1"; sed 's/^/        | /'
    else
        cat > "$1"
    fi
}
[ "$DRY" = 1 ] && say "Dry run: nothing is changed; these are the steps."

UNITS=(dritte-orte-kiosk.service kiosk-sync.service kiosk-sync.timer)
STATE_DIR=/var/lib/dritte-orte-kiosk  # remembers the default boot target --autostart replaced

# --- uninstall: reverse --autostart ---------------------------------------------------------------
if [ "$UNINSTALL" = 1 ]; then
    if [ "$(id -u)" -ne 0 ] && [ "$DRY" = 0 ]; then
        echo "install.sh: --uninstall needs root: sudo ./install.sh --uninstall" >&2
        exit 1
    fi
    for unit in "${UNITS[@]}"; do
        if [ -e "/etc/systemd/system/$unit" ]; then
            run systemctl disable --now "$unit"
            run rm -f "/etc/systemd/system/$unit"
        fi
    done
    [ -d /run/systemd/system ] && run systemctl daemon-reload
    if [ -f "$STATE_DIR/default.target" ]; then
        run systemctl set-default "$(cat "$STATE_DIR/default.target")"
        run rm -r "$STATE_DIR"
    fi
    [ "$DRY" = 1 ] && { say "Dry run done: nothing was changed."; exit 0; }
    say "Autostart removed. Kept: .venv, kiosk.toml, kiosk.local.toml (the PIN) and the catalogue; delete the folder to remove the rest."
    exit 0
fi

# Root in a clone that belongs to someone else: run the Python steps as that user.
AS_OWNER=()
OWNER=$(stat -c %U .)
if [ "$(id -u)" -eq 0 ] && [ "$OWNER" != root ]; then
    OWNER_HOME=$(getent passwd "$OWNER" | cut -d: -f6)
    AS_OWNER=(runuser -u "$OWNER" -- env "HOME=$OWNER_HOME")
    say "Running as root in a clone owned by $OWNER: the Python steps run as $OWNER."
fi

# --- system packages ----------------------------------------------------------------------------
# espeak-ng reads offers aloud; alsa-utils plays the sound; cups-client sends slips to a printer
# (lp, lpstat); libusb talks to USB receipt printers. Fonts: fonts-dejavu-core is the slip's font
# and the terminal's "monospace" (DejaVu Sans Mono: Latin, Cyrillic, Arabic and Persian
# presentation forms, the UI's symbols); fonts-symbola has the 🔊 of "Read aloud", which DejaVu
# lacks and the terminal takes from it through fontconfig (tests/test_fonts.py checks both).
SYSTEM_PACKAGES=(espeak-ng alsa-utils cups-client fonts-dejavu-core fonts-symbola libusb-1.0-0)
if [ "$DEV" = 1 ]; then
    # tmux drives the real kiosk in end-to-end tests; the tests print through a real CUPS server
    # to the cups-pdf virtual printer and read the PDF back with poppler-utils; a real pointer click
    # reaches the kiosk through xterm under Xvfb (xdotool clicks).
    SYSTEM_PACKAGES+=(tmux cups printer-driver-cups-pdf poppler-utils xvfb xterm xdotool)
fi
if [ "$AUTOSTART" = 1 ]; then
    # cage: a one-window Wayland compositor (Debian's cage refuses to start without xwayland);
    # foot: a terminal that sends SGR mouse reports, so taps arrive.
    SYSTEM_PACKAGES+=(cage foot xwayland)
fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    SYSTEM_PACKAGES+=(python3-venv)
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for pkg in "${SYSTEM_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
else
    warn "no dpkg here: not a Debian system. Install these yourself if they are missing: ${SYSTEM_PACKAGES[*]}"
fi

if [ "${#missing[@]}" -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        warn "apt-get not found; please install: ${missing[*]}"
    else
        SUDO=()
        if [ "$(id -u)" -ne 0 ]; then
            if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
                SUDO=(sudo -n)
            else
                SUDO=(none)
            fi
        fi
        if [ "${SUDO[*]}" = "none" ]; then
            warn "not root and no password-less sudo: could not install ${missing[*]}."
            warn "Run as an administrator:  sudo apt-get install -y ${missing[*]}"
        else
            say "Installing system packages: ${missing[*]}"
            export DEBIAN_FRONTEND=noninteractive
            if ! { run "${SUDO[@]}" apt-get update -qq && run "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; }; then
                if [ "${CI:-}" = true ]; then
                    # CI must run every test; a missing tool would only turn tests into failures later.
                    echo "install.sh: apt-get could not install ${missing[*]} (CI=true: stopping)." >&2
                    exit 1
                fi
                warn "apt-get could not install ${missing[*]}; the kiosk runs without them (no read-aloud)."
            fi
        fi
    fi
else
    say "System packages present: ${SYSTEM_PACKAGES[*]}"
fi

# --- Python -------------------------------------------------------------------------------------
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "install.sh: Python 3.11 or newer is needed; found: $("$PYTHON" --version 2>&1 || echo none)" >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    say "Creating .venv with $("$PYTHON" --version)"
    run "${AS_OWNER[@]}" "$PYTHON" -m venv .venv
fi
say "Installing the project into .venv$([ "$DEV" = 1 ] && echo ' (with test tools)'), versions from constraints.txt"
PIP=("${AS_OWNER[@]}" .venv/bin/python -m pip install --quiet --disable-pip-version-check)
run "${PIP[@]}" --upgrade pip
# An editable install of this layout (flat, plus assets/ and locales/ mapped to kiosk_assets and
# kiosk_locales) makes setuptools use its import-hook strategy, and setuptools then always prints
# an informational "Editable installation ... be careful with folders in your working directory
# named like your package" (shown by pip as BuildBackendWarning). Here those folders ARE the
# packages, so the note is expected: filter exactly that message, nothing else.
export PYTHONWARNINGS="ignore:Editable installation"
run "${PIP[@]}" -c constraints.txt -e "$([ "$DEV" = 1 ] && echo '.[dev]' || echo .)"
unset PYTHONWARNINGS

# --- compiled code and translations --------------------------------------------------------------
# The first start of the kiosk would otherwise compile its Python files and its translations
# (babel parsing every .po file) before Home appears; a newer .po is still read from source.
run "${AS_OWNER[@]}" .venv/bin/python -m compileall -qq kiosk sync || warn "could not precompile the Python files (the kiosk still runs)."
run "${AS_OWNER[@]}" .venv/bin/pybabel -q compile -d locales -D kiosk || warn "could not compile the translations (the kiosk still runs)."

# --- the volunteer PIN ----------------------------------------------------------------------------
# The volunteer menu (the only way out of the kiosk) stays closed without a PIN of this kiosk's own.
# The first run writes a random one into kiosk.local.toml (beside kiosk.toml, mode 600, ignored by
# git: kiosk.toml stays as shipped, so updating the clone never conflicts) and shows it here, once;
# later runs keep it.
run "${AS_OWNER[@]}" .venv/bin/kiosk --new-pin \
    || warn "could not set a volunteer PIN: set [kiosk] volunteer_pin in kiosk.local.toml (beside kiosk.toml) yourself."

# --- autostart (systemd) ------------------------------------------------------------------------
if [ "$AUTOSTART" = 1 ]; then
    KIOSK_USER=${KIOSK_USER:-${SUDO_USER:-$OWNER}}
    if [ ! -d /run/systemd/system ]; then
        warn "systemd is not running here: autostart not set up (the units are in deploy/)."
    elif [ "$(id -u)" -ne 0 ] && [ "$DRY" = 0 ]; then
        warn "autostart needs root: run  sudo KIOSK_USER=$KIOSK_USER ./install.sh --autostart"
    elif [ "$KIOSK_USER" = root ]; then
        warn "the kiosk should not run as root: run  KIOSK_USER=someone ./install.sh --autostart"
    else
        for unit in "${UNITS[@]}"; do
            sed -e "s|@ROOT@|$PWD|g" -e "s|@USER@|$KIOSK_USER|g" "deploy/$unit" | write_file "/etc/systemd/system/$unit"
        done
        run systemctl daemon-reload
        run systemctl enable dritte-orte-kiosk.service
        run systemctl enable --now kiosk-sync.timer
        if [ ! -f "$STATE_DIR/default.target" ]; then  # only the first time: the target before ours
            run mkdir -p "$STATE_DIR"
            systemctl get-default | write_file "$STATE_DIR/default.target"
        fi
        run systemctl set-default graphical.target
        say "Autostart set up for user $KIOSK_USER: the kiosk starts on tty1 at boot, without waiting for a network;"
        say "the catalogue is pulled when due ([catalogue] sync_interval_minutes in kiosk.toml, read at each run)."
    fi
fi

[ "$DRY" = 1 ] && { say "Dry run done: nothing was changed."; exit 0; }
say "Done. Start the kiosk:  .venv/bin/kiosk        Sync:  .venv/bin/kiosk-sync --help"
command -v espeak-ng >/dev/null 2>&1 || warn "espeak-ng is missing: the kiosk runs, but cannot read aloud."
