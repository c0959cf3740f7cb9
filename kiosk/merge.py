"""`kiosk-sync merge-reports DIR`: the central team's view of many kiosks' day reports.

Reads every received report (`*.json`, as `kiosk-sync report` sends them) under DIR, keeps each
idempotency key once, and writes into `--out`:

* `needs.csv` and `needs.svg`: visits that opened each need, per town and month (a table and a
  heat-map chart; the chart is plain SVG written here: matplotlib and numpy would add ~60 MB to a
  small box for one picture, and an SVG opens in every browser and can be diffed);
* `nothing-found.csv`: the searches that found nothing, most frequent first (only texts that passed
  a kiosk's k rule ever arrive; the rest are counts without words);
* `kiosks.csv`: the newest heartbeat of every kiosk, with what needs a visit.

The same tables are printed as text. A file that is not a report is named with the reason and
skipped; the rest is still merged. No Textual here.
"""
from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from sync.errors import clean_message

from .report import FORMAT

STALE_DAYS = 14  # a catalogue older than this, or a kiosk silent this long, needs a visit


@dataclass
class Merged:
    needs: Counter[tuple[str, str, str]] = field(default_factory=Counter)   # (town, month, need) -> visits
    visits: Counter[tuple[str, str]] = field(default_factory=Counter)       # (town, month) -> visits
    searches: Counter[tuple[str, str]] = field(default_factory=Counter)     # (town, month) -> searches
    nothing: Counter[str] = field(default_factory=Counter)                  # term -> found nothing
    nothing_towns: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    latest: dict[str, dict[str, Any]] = field(default_factory=dict)         # kiosk -> newest report
    reports: int = 0
    duplicates: int = 0
    problems: list[str] = field(default_factory=list)


def _check(report: Any) -> str | None:
    if not isinstance(report, dict):
        return "not a JSON object"
    if report.get("format") != FORMAT:
        return f"not a kiosk report (format {str(report.get('format'))[:60]!r}, expected {FORMAT!r})"
    for key, kind in (("kiosk", str), ("day", str), ("town", str), ("idempotency_key", str), ("counts", dict)):
        if not isinstance(report.get(key), kind):
            return f'"{key}" is missing or not a {kind.__name__}'
    try:
        date.fromisoformat(report["day"])
    except ValueError:
        return f'"day" is not a date: {report["day"][:40]!r}'
    return None


def _dict(value: Any) -> dict[str, Any]:
    """A JSON object of a report, or {} where the report has something else (or nothing)."""
    return value if isinstance(value, dict) else {}


def _ints(value: Any) -> dict[str, int]:
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, int) and not isinstance(v, bool) and v > 0}


def merge(folder: Path) -> Merged:
    out = Merged()
    seen: set[str] = set()
    for path in sorted(p for p in folder.rglob("*.json") if p.is_file()):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            out.problems.append(f"{path}: cannot be read: {clean_message(exc)}")
            continue
        except json.JSONDecodeError as exc:
            out.problems.append(f"{path}: not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
            continue
        why = _check(report)
        if why:
            out.problems.append(f"{path}: {why}")
            continue
        if report["idempotency_key"] in seen:
            out.duplicates += 1
            continue
        seen.add(report["idempotency_key"])
        out.reports += 1
        town, month = clean_message(report["town"], 80), report["day"][:7]
        counts = report["counts"]
        visits = counts.get("visits")
        out.visits[(town, month)] += visits if isinstance(visits, int) and visits > 0 else 0
        for need, n in _ints(counts.get("needs")).items():
            out.needs[(town, month, clean_message(need, 80))] += n
        searches = _dict(counts.get("searches"))
        total = searches.get("total")
        out.searches[(town, month)] += total if isinstance(total, int) and total > 0 else 0
        for term, n in _ints(searches.get("terms_found_nothing")).items():
            term = clean_message(term, 80)
            out.nothing[term] += n
            out.nothing_towns[term].add(town)
        kiosk = clean_message(report["kiosk"], 80)
        if kiosk not in out.latest or report["day"] > out.latest[kiosk]["day"]:
            out.latest[kiosk] = report
    return out


# --- kiosks that need a visit ---------------------------------------------------------------------------

def kiosk_rows(merged: Merged, today: date) -> list[dict[str, str]]:
    rows = []
    for kiosk, report in sorted(merged.latest.items()):
        beat = _dict(report.get("heartbeat"))
        cat = _dict(beat.get("catalogue"))
        problems = []
        silent = (today - date.fromisoformat(report["day"])).days
        if silent > 2:
            problems.append(f"no report for {silent} days")
        age = cat.get("age_days")
        if not isinstance(age, int) or age > STALE_DAYS:
            problems.append("catalogue old" if isinstance(age, int) else "catalogue never synced")
        last_sync = str(cat.get("last_sync", "?"))
        if last_sync != "ok":
            problems.append("last sync: " + last_sync)
        for part in ("voice", "sound", "printer"):
            state = str(beat.get(part, "?"))
            if state not in ("ok", "off") and not state.endswith("(not checked)"):
                problems.append(f"{part}: {state}")
        rows.append({"kiosk": kiosk, "place": clean_message(report.get("place", ""), 80),
                     "town": clean_message(report["town"], 80),
                     "last_report": report["day"], "version": str(beat.get("version", "?")),
                     "catalogue_age_days": "" if age is None else str(age), "last_sync": clean_message(last_sync, 200),
                     "voice": str(beat.get("voice", "?")), "sound": str(beat.get("sound", "?")),
                     "printer": str(beat.get("printer", "?")),
                     "needs_visit": "; ".join(clean_message(p, 200) for p in problems) or "no"})
    return rows


# --- output ---------------------------------------------------------------------------------------

def needs_table(merged: Merged) -> tuple[list[tuple[str, str]], list[str], dict[tuple[str, str, str], int]]:
    rows = sorted({(town, month) for town, month in merged.visits} | {(t, m) for t, m, _n in merged.needs})
    totals: Counter[str] = Counter()
    for (_t, _m, need), n in merged.needs.items():
        totals[need] += n
    needs = [need for need, _n in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    return rows, needs, dict(merged.needs)


def text_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)] if rows else [len(h) for h in header]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def svg_heatmap(merged: Merged) -> str:
    """Needs (columns) by town and month (rows), each cell shaded by its share of the biggest."""
    rows, needs, cells = needs_table(merged)
    cell_w, cell_h, left, top = 64, 26, 200, 150
    width, height = left + cell_w * max(1, len(needs)) + 20, top + cell_h * max(1, len(rows)) + 40
    biggest = max(cells.values(), default=0) or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           '<title>Needs opened per town and month (visits)</title>',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           '<text x="10" y="20" font-size="15" font-weight="bold">Needs opened per town and month (visits)</text>']
    for j, need in enumerate(needs):
        x = left + j * cell_w + cell_w // 2
        out.append(f'<text x="{x}" y="{top - 8}" transform="rotate(-45 {x} {top - 8})">{escape(need)}</text>')
    for i, (town, month) in enumerate(rows):
        y = top + i * cell_h
        out.append(f'<text x="10" y="{y + 17}">{escape(town)} {escape(month)}</text>')
        for j, need in enumerate(needs):
            n = cells.get((town, month, need), 0)
            share = n / biggest
            shade = f"rgb({int(255 - 244 * share)},{int(255 - 194 * share)},{int(255 - 110 * share)})"
            x = left + j * cell_w
            out.append(f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{shade}" '
                       f'stroke="#cccccc"><title>{escape(town)} {month} {escape(need)}: {n}</title></rect>')
            colour = "#ffffff" if share > 0.5 else "#111111"
            out.append(f'<text x="{x + cell_w // 2 - 1}" y="{y + 17}" text-anchor="middle" fill="{colour}">{n}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_outputs(merged: Merged, out: Path, today: date, top: int = 20) -> str:
    """Write the CSV files and the chart into `out`; returns the text tables."""
    out.mkdir(parents=True, exist_ok=True)
    rows, needs, cells = needs_table(merged)
    with (out / "needs.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["town", "month", "visits", "searches", *needs])
        for town, month in rows:
            w.writerow([town, month, merged.visits[(town, month)], merged.searches[(town, month)],
                        *(cells.get((town, month, n), 0) for n in needs)])
    (out / "needs.svg").write_text(svg_heatmap(merged), encoding="utf-8")
    nothing = sorted(merged.nothing.items(), key=lambda kv: (-kv[1], kv[0]))
    with (out / "nothing-found.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["search", "found_nothing", "towns"])
        for term, n in nothing:
            w.writerow([term, n, " ".join(sorted(merged.nothing_towns[term]))])
    kiosks = kiosk_rows(merged, today)
    with (out / "kiosks.csv").open("w", newline="", encoding="utf-8") as f:
        fields = ["kiosk", "place", "town", "last_report", "version", "catalogue_age_days", "last_sync", "voice",
                  "sound", "printer", "needs_visit"]
        table = csv.DictWriter(f, fieldnames=fields)
        table.writeheader()
        table.writerows(kiosks)
    parts = [f"{merged.reports} reports merged" + (f", {merged.duplicates} duplicates ignored" if merged.duplicates
                                                    else "") + (f", {len(merged.problems)} files skipped"
                                                                if merged.problems else "") + ".",
             "", "Needs opened per town and month (visits):",
             text_table(["town", "month", "visits", *needs],
                        [[t, m, str(merged.visits[(t, m)]), *(str(cells.get((t, m, n), 0)) for n in needs)]
                         for t, m in rows]),
             "", f"Top searches that found nothing (at most {top}):",
             text_table(["search", "found nothing", "towns"],
                        [[t, str(n), " ".join(sorted(merged.nothing_towns[t]))] for t, n in nothing[:top]]),
             "", "Kiosks:",
             text_table(["kiosk", "town", "last report", "catalogue age", "needs a visit"],
                        [[k["kiosk"], k["town"], k["last_report"], k["catalogue_age_days"], k["needs_visit"]]
                         for k in kiosks])]
    parts += ["", "Skipped files:", *merged.problems] if merged.problems else []
    text = "\n".join(parts) + "\n"
    (out / "summary.txt").write_text(text, encoding="utf-8")
    return text
