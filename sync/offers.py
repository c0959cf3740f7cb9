"""What the read API hands out about offers: the card, the whole offer, its parts, categories.

Plain frozen values, read from the catalogue by `sync.catalogue.Catalogue`; the kiosk shows them,
speaks them, prints them and puts them into QR codes. `distance_km` measures between two points.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class OfferSummary:
    """What a result card needs: name, who offers it, where, and the schedules for 'open now'."""

    id: str
    name: str
    organization: str | None
    town: str | None
    location_name: str | None
    latitude: float | None
    longitude: float | None
    schedules: tuple[dict, ...] = ()

    def distance_from(self, latitude: float, longitude: float) -> float | None:
        """Kilometres from a point, or None when the offer has no coordinates."""
        if self.latitude is None or self.longitude is None:
            return None
        return distance_km(latitude, longitude, self.latitude, self.longitude)


@dataclass(frozen=True)
class Phone:
    number: str
    extension: str | None = None
    type: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Location:
    name: str | None
    address_1: str | None
    address_2: str | None
    postal_code: str | None
    city: str | None
    latitude: float | None
    longitude: float | None
    accessibility: tuple[str, ...] = ()
    transportation: str | None = None
    state_province: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Language:
    code: str | None
    name: str | None


@dataclass(frozen=True)
class Category:
    """A taxonomy term; `count` is the number of visible offers in it and its descendants."""

    id: str
    name: str
    code: str | None = None
    parent_id: str | None = None
    taxonomy: str | None = None
    description: str | None = None
    count: int = 0
    children: tuple[Category, ...] = ()


@dataclass(frozen=True)
class Offer(OfferSummary):
    """Everything the offer screen shows."""

    alternate_name: str | None = None
    description: str | None = None
    organization_website: str | None = None
    url: str | None = None
    email: str | None = None
    status: str | None = None
    fees: str | None = None
    costs: tuple[dict, ...] = ()
    eligibility: str | None = None
    application_process: str | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    alert: str | None = None
    last_modified: str | None = None
    address: str | None = None
    postal_code: str | None = None
    locations: tuple[Location, ...] = ()
    phones: tuple[Phone, ...] = ()
    languages: tuple[Language, ...] = ()
    categories: tuple[Category, ...] = ()
    # Catalogue text in other languages from the feed ({"uk": {"name": ..., "description": ...}}).
    translations: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, hash=False)
