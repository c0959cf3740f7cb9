"""Whole-catalogue reads for the kiosk's need map and place ordering (kiosk/finder.py).

Which offers each category holds, the ids of the visible offers, every offer's place, all offers in
the order of nearness to a point, the middle of each town and the named locations near a point.
The kiosk builds its own sets and orders from these; the costly ones are kept once per catalogue
version (`CatalogueReader._cached`).
"""
from __future__ import annotations

import math
from collections.abc import Iterable

from .offers import distance_km
from .reader import CatalogueReader, chunks
from .text import fold


class PlaceQueries(CatalogueReader):
    """The reads of kiosk/finder.py, as part of `sync.catalogue.Catalogue`."""

    def category_offers(self) -> dict[str, frozenset[str]]:
        """Visible offers filed directly under each category (descendants not included).

        Not kept: the kiosk's finder reads it once per catalogue version to build its own sets of
        each need's offers (kiosk.topics), and kept here it held 2 MB more at 50,000 offers."""
        # Filtered by the visible offers in Python: joining every row to `offers` costs 0.3-0.5 s
        # at 50,000 offers, reading the pairs alone 0.06 s. The rows are read one by one and
        # every id is the one object of `visible_ids`, so 50,000 ids are held once, not per copy.
        visible = self.visible_ids()
        out: dict[str, set[str]] = {}
        for cid, oid in self._stream("SELECT category_id, offer_id FROM offer_categories"):
            oid = visible.get(oid)
            if oid is not None:
                out.setdefault(cid, set()).add(oid)
        return {cid: frozenset(ids) for cid, ids in out.items()}

    def visible_ids(self) -> dict[str, str]:
        """The ids of every visible offer, each mapped to itself: one shared object per id for the
        kiosk's sets of ids (which offers a need holds), and a quick test whether an id is visible."""
        def compute() -> dict[str, str]:
            # "+visible": a plain scan of the table, 3x faster than looking up each row from the
            # (visible, town) index when nearly every offer is visible (0.1 s against 0.35 s at 50,000).
            return {oid: oid for (oid,) in self._stream("SELECT id FROM offers WHERE +visible = 1")}
        return self._cached(("visible_ids",), compute)

    def places(self) -> dict[str, tuple[str, str | None, float | None, float | None]]:
        """Every visible offer's (name, town, latitude, longitude) (not cached: 25 MB at 50,000 offers)."""
        return {r[0]: tuple(r[1:]) for r in self._query(
            "SELECT id, name, town, latitude, longitude FROM offers WHERE +visible = 1")}

    def by_place(self, latitude: float, longitude: float, *, town: str, first: Iterable[str] = ()) -> list[str]:
        """Every visible offer id in place order: those in `first`, then those in `town` (umlauts and
        case folded), then by distance from the point (offers without a position last), then by name
        (case folded) and id.

        Names are read only for offers at the same distance (the same place): 50,000 sort keys with
        names would hold 11 MB more at once, and the order is the same."""
        first = frozenset(first)
        wanted = fold(town)
        visible = self.visible_ids()
        away: dict[str | None, bool] = {}
        keys: list[tuple[int, float, str]] = []
        rows = self._stream("SELECT id, town, latitude, longitude FROM offers WHERE +visible = 1")
        for oid, offer_town, lat, lon in rows:
            elsewhere = away.get(offer_town)
            if elsewhere is None:
                elsewhere = away[offer_town] = fold(offer_town or "") != wanted
            far = distance_km(latitude, longitude, lat, lon) if lat is not None and lon is not None else math.inf
            keys.append(((oid not in first) * 2 + elsewhere, far, visible.get(oid, oid)))
        keys.sort()
        ordered = [oid for _flag, _far, oid in keys]
        i = 0
        while i < len(keys):  # runs at the same distance: by name, then id
            j = i + 1
            while j < len(keys) and keys[j][:2] == keys[i][:2]:
                j += 1
            if j - i > 1:
                tied = ordered[i:j]
                names: dict[str, str | None] = {}
                for chunk in chunks(tied, 500):
                    names.update(self._query(f"SELECT id, name FROM offers WHERE id IN "
                                             f"({', '.join('?' for _ in chunk)})", chunk))
                ordered[i:j] = sorted(tied, key=lambda oid: ((names.get(oid) or "").casefold(), oid))
            i = j
        return ordered

    def town_centres(self) -> dict[str, tuple[float, float]]:
        """The mean position of each town's visible offers (towns without coordinates are left out)."""
        return self._cached(("town_centres",), lambda: {r[0]: (r[1], r[2]) for r in self._query(
            "SELECT town, avg(latitude), avg(longitude) FROM offers WHERE visible = 1 AND town IS NOT NULL "
            "AND latitude IS NOT NULL AND longitude IS NOT NULL GROUP BY town")})

    def locations_near(self, latitude: float, longitude: float, *, limit: int = 10,
                       ) -> list[tuple[str, str | None, float, int]]:
        """Named locations of visible offers nearest to a point: (name, town, km, offers), nearest first.

        Helps a volunteer find the catalogue's own spelling of the place for `[place] location_names`.
        """
        rows = self._query(
            "SELECT l.name, min(l.city), avg(l.latitude), avg(l.longitude), count(DISTINCT l.offer_id) "
            "FROM locations l JOIN offers o ON o.id = l.offer_id WHERE o.visible = 1 AND l.name IS NOT NULL "
            "AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL GROUP BY l.name")
        near = sorted((distance_km(latitude, longitude, r[2], r[3]), r[0], r[1], r[4]) for r in rows)
        return [(name, town, km, n) for km, name, town, n in near[:max(0, limit)]]
