"""Which offers a delta sync removes, and when it must read the server's whole id list to know.

A delta sync (`?modified_after=`) brings the services that changed, never the ones that were
deleted. The whole id list (`/services?minimal=true`) shows those, but at 50,000 offers it is 4.7 MB,
seven times the delta itself. So it is read only when the server's count says that something may
have been deleted:

* Every sync keeps the server's `total_items` in the catalogue's meta (`id_count`) at a moment the
  catalogue held no offer the server did not (a full sync, or a delta that read a trusted id list).
* A delta asks for the count alone (`feed.count_services`: one id) and predicts it: the kept count
  plus every record of this delta that is not a live offer (records without an id count as new).
  Services that are new since the last sync were modified since then, so they are in the delta;
  deleted services only make the count smaller. An equal count therefore means nothing was deleted,
  whatever was added; "one deleted, one added" predicts one more than the server says and reads
  the list. A record counted as new that was not (one skipped before) makes the prediction too
  high: the list is read, never a deletion missed.
* The list is also read when the kept count is unknown (first delta after an update, a server
  without `total_items`, a sync whose list could not be trusted) and at least once every
  `ID_LIST_MAX_AGE` (`ids_checked_at`), in case a server's count or `modified_after` filter is
  wrong: that is the trade-off, a deletion such a server hides is seen a day late, not never.

Offers are only ever deleted on an id list that was read completely, whose count equals the
server's `total_items`, that holds every service the same sync has just received, and whose removals
hold up when a few of them are asked for one by one (`/services/{id}` must answer 404); the shrink
guard of `sync.pull` then still applies. Any doubt keeps every offer and says why in `caution`; the
next sync reads the list again and removes what is really gone.
"""
from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta

from . import feed, store
from .errors import FeedError, FeedRejected, clean_message
from .schema import now_iso

#: Removals confirmed one by one (`/services/{id}` answers 404) before offers are deleted.
REMOVAL_PROBES = 3
#: The whole id list is read at least this often, however the counts agree.
ID_LIST_MAX_AGE = timedelta(hours=24)
#: Meta keys: the server's count when the catalogue held nothing it did not; when the list was last read.
COUNT_KEY, CHECKED_KEY = "id_count", "ids_checked_at"


def after_full_sync(total_items: int | None) -> dict[str, str | None]:
    """Meta of a full sync from the API: it read every service, so the count is known (if announced)."""
    return {COUNT_KEY: None if total_items is None else str(total_items), CHECKED_KEY: now_iso()}


def not_api() -> dict[str, str | None]:
    """Meta of a sync from a file or snapshot: no count to keep."""
    return dict.fromkeys((COUNT_KEY, CHECKED_KEY))


def new_records(conn: sqlite3.Connection, received: Iterable[str | None]) -> int:
    """How many of the delta's records are not live offers (a record without an id counts as new)."""
    new = 0
    for offer_id in set(received) - {None}:
        if conn.execute("SELECT 1 FROM offers WHERE id = ?", (offer_id,)).fetchone() is None:
            new += 1
    return new + sum(1 for i in received if i is None)


def list_needed(meta: dict[str, str], predicted_new: int, counted: int | None, now: datetime) -> str | None:
    """Why the whole id list must be read, or None when the server's count shows that nothing was deleted."""
    if counted is None:
        return "the server does not announce total_items"
    kept = meta.get(COUNT_KEY)
    if kept is None or not kept.isdigit():
        return "no count from an earlier sync to compare with"
    if not _recent(meta.get(CHECKED_KEY), now):
        return f"the id list was last read more than {ID_LIST_MAX_AGE} ago"
    if counted != int(kept) + predicted_new:
        return f"the server holds {counted} services, {int(kept) + predicted_new} were expected"
    return None


def _recent(value: str | None, now: datetime) -> bool:
    """Whether `value` (ISO time) lies within ID_LIST_MAX_AGE before `now` (a clock set back: no)."""
    try:
        return bool(value) and timedelta(0) <= now - datetime.fromisoformat(value or "") < ID_LIST_MAX_AGE
    except (ValueError, TypeError):  # not a time, or one without a time zone
        return False


def removed_ids(conn: sqlite3.Connection, staging: store.Staging, report, client, deadline, base: str, *,
                meta: dict[str, str], received: list[str | None]) -> tuple[set[str], dict[str, str | None]]:
    """(live offers that the server no longer lists, the meta to keep for the next delta).

    Reads the whole id list only when `list_needed` says so (see the module's docstring); an id list
    that cannot be trusted removes nothing, says why in `report.caution`, and forgets the count, so
    that the next delta reads the list again.
    """
    predicted = new_records(conn, received)
    try:
        counted = feed.count_services(base, client=client, deadline=deadline)
    except FeedError:
        counted = None  # the whole list is read, and judged, below
    if list_needed(meta, predicted, counted, datetime.fromisoformat(now_iso())) is None:
        return set(), {COUNT_KEY: str(counted), CHECKED_KEY: meta.get(CHECKED_KEY)}
    try:
        current = feed.fetch_minimal_ids(base, client=client, deadline=deadline, per_page=10000)
        staged = staging.staged_ids()
        missing = sorted(staged - current)
        if missing:
            raise FeedRejected(f"{base}/services?minimal=true", f"the id list lacks {len(missing)} of the "
                               f"services this sync has just received (e.g. {missing[0]})")
        live_ids = {row[0] for row in conn.execute("SELECT id FROM offers")}
        removed = live_ids - current - staged
        for offer_id in random.sample(sorted(removed), min(REMOVAL_PROBES, len(removed))):
            if feed.service_exists(base, offer_id, client=client, deadline=deadline):
                raise FeedRejected(f"{base}/services?minimal=true", f"the id list lacks {offer_id}, but "
                                   f"{base}/services/{offer_id} still returns it")
        return removed, {COUNT_KEY: str(len(current)), CHECKED_KEY: now_iso()}
    except FeedError as exc:
        why = str(exc)
    report.caution = clean_message(f"no offers were removed in this sync, because the server's id list "
                                   f"cannot be trusted: {why}")
    return set(), {COUNT_KEY: None, CHECKED_KEY: meta.get(CHECKED_KEY)}
