"""Volunteer screens of the place itself: its usage figures of the last 30 days as a small chart,
and its own programme (add, change, remove entries; the same checks as `kiosk-sync local`)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input

from .. import programme
from ..config import Settings
from ..i18n import _
from ..widgets import BigButton, Plain
from .base import KioskScreen

BLOCKS = " ▁▂▃▄▅▆▇█"
DAYS = 30


def bar_chart(values: list[int], height: int = 4) -> list[str]:
    """A column chart of `values`, one character per value, `height` rows, top row first."""
    top = max(values, default=0)
    if top <= 0:
        return [" " * len(values)] * (height - 1) + ["▁" * len(values)]
    steps = height * 8
    levels = [max(1, round(v * steps / top)) if v else 0 for v in values]  # a day with visits shows
    rows = []
    for row in range(height - 1, -1, -1):
        rows.append("".join(BLOCKS[max(0, min(8, level - row * 8))] for level in levels))
    return rows


class UsageScreen(KioskScreen):
    """The last 30 days of this kiosk: visits per day as a chart, the needs, searches, languages."""

    SHOW_READ = False
    DEFAULT_CSS = """
    #usage { height: 1fr; padding: 1 2; }
    """

    def title_text(self) -> str:
        return _("Usage figures")

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="usage"):
            yield Plain(self.figures(), id="usage-text")

    def figures(self) -> str:
        stats = self.kiosk.statistics
        if stats is None:
            return _("Usage figures are switched off ([statistics] enabled = false).")
        last = self.kiosk.now().date()
        first = last - timedelta(days=DAYS - 1)
        by_day = self.safely(lambda: stats.totals_between(first, last), {})
        days = [first + timedelta(days=i) for i in range(DAYS)]
        visits = [by_day.get(d.isoformat(), Counter()).get(("visit", ""), 0) for d in days]
        total: Counter = Counter()
        for counts in by_day.values():
            total.update(counts)
        chart = bar_chart(visits)
        axis = f"{first:%d.%m.}" + " " * max(1, DAYS - 12) + f"{last:%d.%m.}"
        lines = [_("Visits per day, last {days} days (highest: {top}, together: {sum}):").format(
            days=DAYS, top=max(visits), sum=sum(visits)), *("  " + row for row in chart), "  " + axis, ""]
        labels = {n.key: n.text() for n in self.safely(self.kiosk.finder.needs, [])}
        needs = sorted(((k, n) for (kind, k), n in total.items() if kind == "need"), key=lambda kv: -kv[1])
        if needs:
            lines.append(_("Topics opened:") + " " + ", ".join(f"{labels.get(k, k)} {n}" for k, n in needs[:8]))
        lines.append(_("Searches: {n}, of which found nothing: {none}").format(
            n=total[("search", "")], none=total[("search_nothing", "")]))
        words = sorted(((k, n) for (kind, k), n in total.items() if kind == "search_term_nothing"),
                       key=lambda kv: -kv[1])
        if words:
            lines.append(_("Searched often, found nothing:") + " " + ", ".join(f"„{k}“ {n}" for k, n in words[:8]))
        languages = sorted(((k, n) for (kind, k), n in total.items() if kind == "language"), key=lambda kv: -kv[1])
        if languages:
            lines.append(_("Languages:") + " " + ", ".join(f"{k} {n}" for k, n in languages))
        lines.append(_("Visits with reading aloud: {n}").format(n=total[("speech", "")]))
        taken = sum(n for (kind, _k), n in total.items() if kind in ("offer_qr", "offer_printed", "offer_listed"))
        lines.append(_("Offers viewed: {viewed}, taken along (QR, print, list): {taken}").format(
            viewed=sum(n for (kind, _k), n in total.items() if kind == "offer_viewed"), taken=taken))
        return "\n".join(lines)


class ProgrammeScreen(KioskScreen):
    """The place's own programme: every entry with its times, each changeable and removable."""

    SHOW_READ = False
    DEFAULT_CSS = """
    #programme-list { height: 1fr; padding: 0 1; }
    #programme-message { text-style: bold; margin: 1 0; }
    .programme-row { height: auto; min-height: 3; }
    .programme-entry { width: 1fr; padding: 1 1 0 0; }
    #new-entry { width: 100%; }
    """

    def __init__(self, message: str = "") -> None:
        super().__init__()
        self.message = message
        self.confirm: str | None = None  # the entry whose Remove was tapped once

    def title_text(self) -> str:
        return _("Our programme")

    def entries(self) -> list[dict]:
        try:
            return programme.load(self.kiosk.settings.place.programme)
        except programme.ProgrammeError as exc:
            self.message = str(exc)
            return []

    def compose_body(self) -> ComposeResult:
        entries = self.entries()
        today = self.kiosk.now().date()
        with VerticalScroll(id="programme-list"):
            yield Plain(self.message, id="programme-message")
            if not entries:
                yield Plain(_("No entries yet."), classes="message")
            for i, entry in enumerate(entries):
                with Horizontal(classes="programme-row"):
                    yield Plain(programme.describe(entry, today, with_id=False), classes="programme-entry")
                    sure = self.confirm == entry.get("id")
                    buttons = (BigButton(_("Change"), id=f"edit-{i}"),
                               BigButton(_("Really remove?") if sure else _("Remove"), id=f"remove-{i}",
                                         variant="error" if sure else "default"))
                    for button in buttons:  # the entry's words get the rest of the row
                        button.styles.width = 22
                        yield button
        yield BigButton("+ " + _("New entry"), id="new-entry")

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        entries = self.entries()
        if button_id == "new-entry":
            await self.app.push_screen(EntryScreen(None))
        elif button_id.startswith("edit-") and int(button_id[5:]) < len(entries):
            await self.app.push_screen(EntryScreen(entries[int(button_id[5:])]))
        elif button_id.startswith("remove-") and int(button_id[7:]) < len(entries):
            entry_id: str = entries[int(button_id[7:])]["id"]  # every entry has one (programme.check)
            if self.confirm != entry_id:  # a second tap removes: nothing goes by one slip of a finger
                self.confirm = entry_id
            else:
                self.confirm = None
                settings = self.kiosk.settings
                _ok, self.message = save_and_rebuild(settings, partial(programme.remove, settings, entry_id),
                                                     _("Removed: {name}"))
            await self.recompose()
        else:
            return
        event.stop()

    async def on_screen_resume(self) -> None:
        if self.is_attached:
            await self.recompose()


def save_and_rebuild(settings: Settings, change: Callable[[], dict[str, Any]], done: str) -> tuple[bool, str]:
    """Run `change` (add/edit/remove), rebuild the kiosk's copy: (saved?, the outcome in words)."""
    try:
        entry = change()
    except programme.ProgrammeError as exc:
        return False, _("Not saved: {reason}").format(reason=str(exc))
    except OSError as exc:
        return False, _("Not saved: {reason}").format(reason=exc.strerror or str(exc))
    try:
        programme.rebuild(settings)
    except Exception as exc:  # noqa: BLE001 - the file is saved; the kiosk builds its copy at the next start
        return True, _("Saved, but not shown yet: {reason}").format(reason=str(exc))
    return True, done.format(name=entry.get("name", ""))


class EntryScreen(KioskScreen):
    """One entry of the programme as a form; nothing is saved until every field is right."""

    SHOW_READ = False
    DEFAULT_CSS = """
    #entry-form { height: 1fr; padding: 0 2; }
    .entry-label { margin-top: 1; }
    #entry-problem { color: $error; text-style: bold; padding: 0 2; height: auto; }
    #entry-actions { height: 3; }
    """
    FIELDS = ("name", "weekly", "dates", "description", "phone", "url")

    def __init__(self, entry: dict | None) -> None:
        super().__init__()
        self.entry = entry
        self.problem = ""

    def title_text(self) -> str:
        return _("New entry") if self.entry is None else _("Change entry")

    def labels(self) -> dict[str, str]:
        return {"name": _("Name, e.g. Smartphone-Sprechstunde"),
                "weekly": _("Every week, e.g. di 10:00-12:00; do 15-17"),
                "dates": _("Single days, e.g. 3.12.2026 14:00-16:00"),
                "description": _("What happens, for whom"), "phone": _("Phone"), "url": _("Web address")}

    def values(self) -> dict[str, str]:
        e = self.entry or {}
        schedules = e.get("schedules") or []
        span = lambda s: f"{s.get('opens_at', '')}-{s.get('closes_at', '')}"  # noqa: E731
        codes = {"MO": "mo", "TU": "di", "WE": "mi", "TH": "do", "FR": "fr", "SA": "sa", "SU": "so"}
        weekly = "; ".join(f"{','.join(codes.get(d, d) for d in (s.get('byday') or '').split(','))} {span(s)}"
                           for s in schedules if not s.get("valid_to"))
        dates = "; ".join(f"{s['valid_to']} {span(s)}" for s in schedules if s.get("valid_to"))
        phones = e.get("phones") or [{}]
        return {"name": e.get("name", ""), "weekly": weekly, "dates": dates, "description": e.get("description", ""),
                "phone": phones[0].get("number", ""), "url": e.get("url", "")}

    def compose_body(self) -> ComposeResult:
        values, labels = self.values(), self.labels()
        yield Plain(self.problem, id="entry-problem")  # above the form: seen even at 80x24
        with VerticalScroll(id="entry-form"):
            for name in self.FIELDS:
                yield Plain(labels[name], classes="entry-label")
                yield Input(values[name], id=f"field-{name}", classes="entry-input")
        with Horizontal(id="entry-actions"):
            yield BigButton(_("Save"), id="save")
            yield BigButton(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        # A volunteer at the form has a keyboard: the cursor starts in the first field.
        self.query_one("#field-name", Input).focus()

    def fields(self) -> programme.EntryFields:
        got = {name: self.query_one(f"#field-{name}", Input).value for name in self.FIELDS}
        split = lambda text: [p for p in (x.strip() for x in text.split(";")) if p]  # noqa: E731
        return programme.EntryFields(name=got["name"], description=got["description"], weekly=split(got["weekly"]),
                                     dates=split(got["dates"]), phone=got["phone"], url=got["url"])

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            event.stop()
            await self.kiosk.go_back()
        elif event.button.id == "save":
            event.stop()
            event.button.disabled = True
            self.save(self.fields())

    @work(thread=True, group="programme", exclusive=True)
    def save(self, fields: programme.EntryFields) -> None:
        settings, entry = self.kiosk.settings, self.entry
        if entry is None:
            change = partial(programme.add, settings, fields)
        else:
            change = partial(programme.edit, settings, entry["id"], fields)
        outcome = save_and_rebuild(settings, change, _("Saved: {name}"))
        self.await_on_ui(self.saved, outcome)

    async def saved(self, outcome: tuple[bool, str]) -> None:
        ok, words = outcome
        if not ok:
            self.problem = words
            self.query_one("#entry-problem", Plain).show(words)
            self.query_one("#save", BigButton).disabled = False
            return
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if isinstance(below, ProgrammeScreen):
            below.message = words
        await self.kiosk.go_back()


__all__ = ["EntryScreen", "ProgrammeScreen", "UsageScreen", "bar_chart"]
