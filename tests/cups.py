"""A real, private CUPS server with a cups-pdf queue, for tests that print.

`CupsServer.start()` runs its own `cupsd` (foreground, as a child process) with every file in a
temporary folder and a Unix socket as its only listener, so it neither needs nor disturbs a
system CUPS, and two test runs do not meet. Clients find it through `CUPS_SERVER=<socket>`
(`server.env`). The queue uses the cups-pdf backend; which folder it writes to is set in a
per-instance config `/etc/cups/cups-pdf-<instance>.conf` (cups-pdf reads its config only from
/etc/cups; the instance is the part after `cups-pdf:/` in the device URI), removed on `stop()`.

Needs root (cupsd drops filters to user lp and cups-pdf must run as root) and the Debian packages
cups-daemon, cups-client, cups-bsd, printer-driver-cups-pdf (with ghostscript), poppler-utils.
`start()` raises `CupsUnavailable` with the reason when something is missing, for a clean skip.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

CUPSD = "/usr/sbin/cupsd"
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPDS = (Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd"), Path("/usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd"),
                 Path("/usr/share/cups/model/CUPS-PDF_opt.ppd"), Path("/usr/share/cups/model/CUPS-PDF.ppd"))
CONFIG_DIR = Path("/etc/cups")
SERVER_BIN = Path("/usr/lib/cups")
# A CUPS backend (see backend(7)): no arguments = list the device; else report a jam and fail, as a
# real printer's backend does. CUPS keeps the reason and the message on the queue and holds the job.
JAM_BACKEND = """#!/bin/sh
if [ $# -eq 0 ]; then echo 'direct kioskjam "Unknown" "Kiosk test printer that jams"'; exit 0; fi
cat > /dev/null
echo "STATE: +media-jam-error" >&2
echo "ERROR: Paper jam in tray 1" >&2
exit 1
"""


class CupsUnavailable(Exception):
    """CUPS cannot be started here; the message says why (for pytest.skip)."""


def missing_parts() -> str | None:
    """Why a private CUPS with cups-pdf cannot run here, or None if it can."""
    if os.geteuid() != 0:
        return "needs root: cupsd runs filters as user lp and the cups-pdf backend as root"
    needed = {"cupsd (apt: cups-daemon)": Path(CUPSD),
              "cups-pdf backend (apt: printer-driver-cups-pdf)": CUPS_PDF_BACKEND}
    for what, path in needed.items():
        if not path.exists():
            return f"{what} is not installed"
    for tool, pkg in (("lp", "cups-client or cups-bsd"), ("lpadmin", "cups-client"), ("gs", "ghostscript"),
                      ("pdftoppm", "poppler-utils"), ("pdftotext", "poppler-utils")):
        if not shutil.which(tool):
            return f"{tool} is not installed (apt: {pkg})"
    if not any(p.exists() for p in CUPS_PDF_PPDS):
        return "the cups-pdf PPD is missing (apt: printer-driver-cups-pdf)"
    return None


class CupsServer:
    def __init__(self, root: Path, queue: str, instance: str) -> None:
        self.root, self.queue, self.instance = root, queue, instance
        self.socket = root / "cups.sock"
        self.out = root / "out"
        self.env = {"CUPS_SERVER": str(self.socket)}
        self.process: subprocess.Popen | None = None
        self.pdf_config = CONFIG_DIR / f"cups-pdf-{instance}.conf"

    @classmethod
    def start(cls, queue: str = "KioskPDF") -> CupsServer:
        reason = missing_parts()
        if reason:
            raise CupsUnavailable(reason)
        # Not pytest's tmp_path: that lies under a 0700 folder that user lp (the filters) can't enter.
        root = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
        root.chmod(0o755)
        server = cls(root, queue, "kiosktest" + uuid.uuid4().hex[:8])
        try:
            server._configure()
            server._launch()
            server._add_queue()
        except Exception:
            server.stop()
            raise
        return server

    def _configure(self) -> None:
        for sub in ("etc", "spool", "cache", "state", "tmp", "log", "out", "pdfspool"):
            (self.root / sub).mkdir(mode=0o755)
        (self.root / "tmp").chmod(0o1777)  # filters run as user lp and write their temporary files here
        r = self.root
        # Anyone on the socket may do anything: the socket sits in our own folder, for this test only.
        (r / "etc/cupsd.conf").write_text(
            f"LogLevel info\nListen {self.socket}\nBrowsing No\nWebInterface No\nDefaultAuthType None\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n")
        (r / "etc/cups-files.conf").write_text(
            f"ServerRoot {r}/etc\nRequestRoot {r}/spool\nCacheDir {r}/cache\nStateDir {r}/state\n"
            f"TempDir {r}/tmp\nErrorLog {r}/log/error_log\nAccessLog {r}/log/access_log\n"
            f"PageLog {r}/log/page_log\nPrintcap {r}/printcap\nServerBin {r}/lib\nDataDir /usr/share/cups\n"
            "SystemGroup root\n")
        self._server_bin()
        CONFIG_DIR.mkdir(parents=True, exist_ok=True)
        self.pdf_config.write_text(
            f"Out {self.out}\nAnonDirName {self.out}\nSpool {r}/pdfspool\nLog {r}/log\nGrp root\n"
            "UserUMask 0022\nAnonUMask 0022\nLabel 1\n")

    def _server_bin(self) -> None:
        """The system's filters and backends, plus a backend that reports a paper jam (for tests)."""
        lib = self.root / "lib"
        lib.mkdir()
        for entry in SERVER_BIN.iterdir():
            if entry.name != "backend":
                (lib / entry.name).symlink_to(entry)
        (lib / "backend").mkdir()
        for backend in (SERVER_BIN / "backend").iterdir():
            (lib / "backend" / backend.name).symlink_to(backend)
        jam = lib / "backend" / "kioskjam"
        jam.write_text(JAM_BACKEND)
        jam.chmod(0o755)

    def add_jammed_queue(self, name: str = "KioskJam") -> str:
        """A queue whose printer has jammed on a job: CUPS shows media-jam-error and the backend's words."""
        ppd = next(p for p in CUPS_PDF_PPDS if p.exists())
        res = self.run("lpadmin", "-p", name, "-v", "kioskjam:/", "-P", str(ppd), "-E")
        if res.returncode != 0:
            raise CupsUnavailable(f"lpadmin failed: {res.stderr.strip()}")
        page = self.root / "jam.txt"
        page.write_text("This page gets stuck.\n")
        self.run("lp", "-d", name, str(page))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if "media-jam" in self.run("lpstat", "-l", "-p", name).stdout:
                return name
            time.sleep(0.2)
        raise TimeoutError(f"{name} reports no jam: {self.log_tail()}")

    def _launch(self) -> None:
        cmd = [CUPSD, "-f", "-c", str(self.root / "etc/cupsd.conf"), "-s", str(self.root / "etc/cups-files.conf")]
        log = open(self.root / "log/cupsd.out", "wb")
        self.process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise CupsUnavailable(f"cupsd exited at once: {self.log_tail()}")
            if self.socket.exists() and self.run("lpstat", "-r").stdout.strip() == "scheduler is running":
                return
            time.sleep(0.2)
        raise CupsUnavailable(f"cupsd did not start within 20 s: {self.log_tail()}")

    def _add_queue(self) -> None:
        ppd = next(p for p in CUPS_PDF_PPDS if p.exists())
        # pdftocairo turns the PDF into PostScript with text intact: the default (pdftops) makes
        # Type 3 fonts without a Unicode map, and pdftotext then reads nothing useful back.
        res = self.run("lpadmin", "-p", self.queue, "-v", f"cups-pdf:/{self.instance}", "-P", str(ppd), "-E",
                       "-o", "pdftops-renderer-default=pdftocairo")
        if res.returncode != 0:
            raise CupsUnavailable(f"lpadmin failed: {res.stderr.strip()}")

    def run(self, *cmd: str, timeout: float = 30) -> subprocess.CompletedProcess:
        """A CUPS client command against this server."""
        env = dict(os.environ, LC_ALL="C.UTF-8", **self.env)
        return subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout, env=env)

    def jobs(self, which: str = "all") -> list[str]:
        """Job ids of the queue: which = all, completed or not-completed."""
        out = self.run("lpstat", "-W", which, "-o", self.queue).stdout
        return [line.split()[0] for line in out.splitlines() if line.strip()]

    def pdfs(self) -> list[Path]:
        return sorted(self.out.glob("*.pdf"), key=lambda p: p.stat().st_mtime)

    def wait_for_pdfs(self, count: int, timeout: float = 60) -> list[Path]:
        """The queue's PDFs once `count` exist and no job is pending; raises TimeoutError."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pdfs = self.pdfs()
            if len(pdfs) >= count and not self.jobs("not-completed"):
                return pdfs
            time.sleep(0.3)
        raise TimeoutError(f"{len(self.pdfs())} of {count} PDFs after {timeout} s; {self.log_tail()}")

    def clear(self) -> None:
        """Forget printed PDFs (between tests sharing the server)."""
        for pdf in self.pdfs():
            pdf.unlink()

    def log_tail(self, lines: int = 15) -> str:
        text = ""
        for name in ("cupsd.out", "error_log"):
            path = self.root / "log" / name
            if path.exists():
                text += "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
        return text or "(no log)"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.pdf_config.unlink(missing_ok=True)
        shutil.rmtree(self.root, ignore_errors=True)
