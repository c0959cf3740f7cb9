"""Small HSDS 3.0 services for tests, made in code so each test states what it relies on."""
from __future__ import annotations

import gzip
import json
import uuid
from pathlib import Path

NS = uuid.UUID("5b0c7d1e-8f63-4c55-9d3e-0a1b2c3d4e5f")

TOWNS = {  # town: (postal code, latitude, longitude)
    "Lengerich": ("49525", 52.1875, 7.8660),
    "Rheine": ("48431", 52.2799, 7.4419),
    "Ibbenbüren": ("49477", 52.2778, 7.7167),
    "Steinfurt": ("48565", 52.1467, 7.3360),
}


def uid(key: str) -> str:
    """A stable UUID for a readable key."""
    return str(uuid.uuid5(NS, key))


def service(key: str, name: str, *, town: str = "Lengerich", description: str = "", status: str = "active",
            schedules: list[dict] | None = None, categories: list[tuple[str, str]] = (),
            last_modified: str = "2026-01-01T00:00:00Z", **extra) -> dict:
    """A fully nested HSDS service with one location in `town`."""
    postal, lat, lon = TOWNS[town]
    org_id = uid("org:" + key)
    out = {
        "id": uid(key),
        "name": name,
        "description": description or f"Beschreibung von {name}",
        "status": status,
        "last_modified": last_modified,
        "organization": {"id": org_id, "name": f"Träger von {name}", "description": "Beispieldaten"},
        "phones": [{"id": uid("phone:" + key), "number": "05481 12345"}],
        "schedules": schedules if schedules is not None else [
            {"id": uid("sched:" + key), "freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR",
             "opens_at": "09:00", "closes_at": "12:00"}],
        "languages": [{"id": uid("lang:" + key), "code": "de", "name": "Deutsch"}],
        "attributes": [
            {"id": uid(f"attr:{key}:{code}"), "taxonomy_term": {
                "id": uid("term:" + code), "name": term_name, "code": code,
                "description": term_name, "taxonomy": "Dritte Orte Bedarfe"}}
            for code, term_name in categories
        ],
        "service_at_locations": [{
            "id": uid("sal:" + key),
            "location": {
                "id": uid("loc:" + key), "location_type": "physical", "name": f"Haus {name}",
                "latitude": lat, "longitude": lon,
                "addresses": [{"id": uid("addr:" + key), "address_1": "Marktplatz 1", "city": town,
                               "state_province": "NRW", "postal_code": postal, "country": "DE",
                               "address_type": "physical"}],
                "accessibility": [{"id": uid("acc:" + key), "description": "Rollstuhlgerecht"}],
            },
        }],
    }
    out.update(extra)
    return out


def many(n: int, prefix: str = "Angebot") -> list[dict]:
    """`n` plain services named '<prefix> 0' … in rotating towns."""
    towns = list(TOWNS)
    return [service(f"{prefix}-{i}", f"{prefix} {i}", town=towns[i % len(towns)]) for i in range(n)]


def write_json(path: Path, services: list[dict], *, gz: bool = False) -> Path:
    data = json.dumps(services, ensure_ascii=False).encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def write_ndjson(path: Path, lines: list[object]) -> Path:
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
                    encoding="utf-8")
    return path
