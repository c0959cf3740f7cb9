"""Towns named in a search: which towns the catalogue has, and offers nearest to one of them."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .offers import distance_km
from .text import MAX_TERM_LENGTH, fold
from .thesaurus import Phrase

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Town:
    """A town of the catalogue: its name, every spelling of it in the offers, and its middle."""

    name: str
    spellings: tuple[str, ...]
    latitude: float | None
    longitude: float | None


def read_towns(run) -> dict[Phrase, Town]:
    """The towns with visible offers, by their folded words ("ibbenburen",)."""
    rows = run("SELECT town, count(*), avg(latitude), avg(longitude) FROM offers "
               "WHERE visible = 1 AND town IS NOT NULL GROUP BY town", ())
    grouped: dict[Phrase, list[tuple]] = {}
    for town, count, lat, lon in rows:
        words = tuple(w[:MAX_TERM_LENGTH] for w in _WORD.findall(fold(town)))
        if words:
            grouped.setdefault(words, []).append((town, count, lat, lon))
    out = {}
    for words, spellings in grouped.items():
        spellings.sort(key=lambda r: -r[1])
        lats = [r[2] for r in spellings if r[2] is not None]
        lons = [r[3] for r in spellings if r[3] is not None]
        out[words] = Town(spellings[0][0], tuple(r[0] for r in spellings),
                          sum(lats) / len(lats) if lats else None, sum(lons) / len(lons) if lons else None)
    return out


def nearest_first(run, ids: list[str], tiers: dict[str, int], town: Town) -> list[str]:
    """`ids` by tier, then by distance from the middle of `town` (no coordinates: last)."""
    if town.latitude is None or town.longitude is None:
        return ids
    where: dict[str, float] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        sql = ("SELECT id, latitude, longitude FROM offers WHERE id IN (" + ",".join("?" * len(chunk)) + ")")
        for oid, lat, lon in run(sql, chunk):
            if lat is not None and lon is not None:
                where[oid] = distance_km(town.latitude, town.longitude, lat, lon)
    return sorted(ids, key=lambda oid: (tiers.get(oid, 9), where.get(oid, math.inf)))
