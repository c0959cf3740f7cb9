"""HSDS 3.0 feeds of other shapes than the demo, to prove the kiosk does not depend on the demo's codes.

- `other_taxonomy()`: a county catalogue with its own taxonomy: 14 top-level themes with codes in
  UPPER/under_score spelling, other names, three levels deep, offers filed on the deepest terms,
  audiences as a taxonomy of their own (one group the need map does not know), some offers that
  name no audience, and the largest theme (meeting places and leisure) a third of all offers.
- `no_taxonomy()`: offers without any category.
- `many_categories(n)`: n top-level categories of one taxonomy, one to three offers each.

Deterministic (a seeded random generator), so a failing test shows the same feed again.
"""
from __future__ import annotations

import random
from typing import Any

THEMES = "Sozialatlas Themen"
GROUPS = "Sozialatlas Personengruppen"

# (code, name, share of offers, crisis?) — 12 the bundled need map knows by name or code,
# 2 it does not ("Kultur und Glaube", "Mobilität"): those must still get buttons of their own.
TOP_THEMES = [
    ("SENIOREN_PFLEGE", "Senioren und Pflege", 6),
    ("leben_mit_behinderung", "Leben mit Behinderung", 5),
    ("migration_integration", "Migration und Integration", 6),
    ("Kinder_Jugend_Familie", "Familie & Nachwuchs", 7),  # known only by its code (another spelling)
    ("hilfe_in_krisen", "Hilfe in Krisen", 6),
    ("digitales", "Digitales", 3),
    ("freizeit_begegnung", "Freizeit und Begegnung", 33),  # a third of all offers
    ("GELD_AEMTER", "Rund ums Geld", 6),  # known only by its code
    ("gesundheit_vorsorge", "Gesundheit und Vorsorge", 6),
    ("wohnen", "Wohnen", 5),
    ("arbeit_beruf", "Arbeit und Beruf", 5),
    ("sucht_abhaengigkeit", "Sucht und Abhängigkeit", 4),
    ("kultur_glaube", "Kultur und Glaube", 4),
    ("mobilitaet", "Mobilität", 4),
]
UNMAPPED = ("Kultur und Glaube", "Mobilität")
AUDIENCE_TERMS = [
    ("zg_kinder_jugendliche", "Kinder und Jugendliche"),
    ("zg_aeltere_menschen", "Ältere Menschen"),
    ("zg_menschen_mit_behinderungen", "Menschen mit Behinderungen"),
    ("zg_alleinerziehende", "Alleinerziehende"),  # a group the need map does not know
]
TOWNS = [  # (town, latitude, longitude) in Kreis Steinfurt
    ("Lengerich", 52.1875, 7.8660), ("Tecklenburg", 52.2196, 7.8129), ("Lienen", 52.1457, 7.9741),
    ("Ibbenbüren", 52.2772, 7.7159), ("Rheine", 52.2799, 7.4387), ("Steinfurt", 52.1474, 7.3361),
    ("Greven", 52.0917, 7.6083), ("Emsdetten", 52.1726, 7.5308),
]


def _term(taxonomy: str, tid: str, name: str, code: str | None, parent: str | None = None) -> dict[str, Any]:
    term: dict[str, Any] = {"id": tid, "name": name, "taxonomy": taxonomy}
    if code is not None:
        term["code"] = code
    if parent is not None:
        term["parent_id"] = parent
    return term


def service(sid: str, name: str, town: tuple[str, float, float], terms: list[dict], *,
            location: str | None = None) -> dict[str, Any]:
    """One HSDS 3.0 service at one location in `town`, filed under `terms`."""
    place, lat, lon = town
    return {
        "id": sid, "name": name, "status": "active", "description": f"{name} in {place}.",
        "organization": {"id": f"org-{sid}", "name": f"Träger {sid}"},
        "attributes": [{"id": f"a-{sid}-{i}", "taxonomy_term": t} for i, t in enumerate(terms)],
        "service_at_locations": [{"id": f"sal-{sid}", "location": {
            "id": f"loc-{sid}", "name": location or f"Haus {sid}", "latitude": lat, "longitude": lon,
            "addresses": [{"address_1": "Hauptstraße 1", "postal_code": "49525", "city": place}]}}],
        "schedules": [],
    }


def other_taxonomy(offers: int = 240, seed: int = 7) -> list[dict[str, Any]]:
    """The county catalogue with its own taxonomy (see the module docstring)."""
    rng = random.Random(seed)
    leaves: dict[str, list[dict]] = {}
    for code, name, _share in TOP_THEMES:
        top = _term(THEMES, f"t-{code}", name, code)
        beratung = _term(THEMES, f"t-{code}-b", f"{name}: Beratung", f"{code}_beratung", top["id"])
        gruppen = _term(THEMES, f"t-{code}-g", f"{name}: Gruppen", f"{code}_gruppen", top["id"])
        deep = _term(THEMES, f"t-{code}-b-o", f"{name}: Offene Sprechstunde", f"{code}_beratung_offen",
                     beratung["id"])
        leaves[code] = [top, beratung, gruppen, deep]
    groups = {code: _term(GROUPS, f"g-{code}", name, code) for code, name in AUDIENCE_TERMS}
    weights = [share for _c, _n, share in TOP_THEMES]
    services = []
    for i in range(offers):
        code = rng.choices([c for c, _n, _s in TOP_THEMES], weights)[0]
        path = leaves[code]
        terms = [*path[:1 + rng.randrange(1, 3)]]  # the top term's path down to a child or grandchild
        terms = [terms[-1]] if rng.random() < 0.5 else terms  # often only the deepest term
        who = rng.random()
        if who < 0.25:
            terms.append(groups["zg_kinder_jugendliche"])
        elif who < 0.45:
            terms.append(groups["zg_aeltere_menschen"])
        elif who < 0.55:
            terms.append(groups["zg_menschen_mit_behinderungen"])
        elif who < 0.62:
            terms.append(groups["zg_alleinerziehende"])
        # else: the offer names no group of people
        name = f"{dict((c, n) for c, n, _s in TOP_THEMES)[code].split(' ')[0]} Angebot {i:03}"
        services.append(service(f"o{i:03}", name, rng.choice(TOWNS), terms))
    # Crisis offers for children and young people, and one for older people: the trial's 0-offer bug.
    crisis = leaves["hilfe_in_krisen"][3]
    services.append(service("krise-kind-1", "Kinder- und Jugendtelefon", TOWNS[0],
                            [crisis, groups["zg_kinder_jugendliche"]]))
    services.append(service("krise-kind-2", "Krisendienst für junge Menschen", TOWNS[4],
                            [crisis, groups["zg_kinder_jugendliche"]]))
    services.append(service("krise-alt", "Krisentelefon für Ältere", TOWNS[1], [crisis, groups["zg_aeltere_menschen"]]))
    services.append(service("krise-offen", "Offene Krisensprechstunde", TOWNS[2], [crisis]))
    return services


NO_TAXONOMY_NAMES = [
    "Pflegeberatung", "Seniorentreff am Markt", "Computerkurs für Ältere", "Internet-Café", "Sprachkurs Deutsch",
    "Integrationsberatung", "Familiencafé", "Jugendtreff Mitte", "Schuldnerberatung", "Wohngeld-Sprechstunde",
    "Bewegungstreff", "Hausarztpraxis Dr. Beispiel", "Begegnungscafé", "Inklusionsberatung",
    "Bewerbungstraining", "Suchtberatung", "Nähstube", "Repair-Werkstatt",
]


def no_taxonomy() -> list[dict[str, Any]]:
    """Offers without any category; two ("Nähstube", "Repair-Werkstatt") match no need's words."""
    return [service(f"n{i:02}", name, TOWNS[i % len(TOWNS)], []) for i, name in enumerate(NO_TAXONOMY_NAMES)]


def many_categories(n: int = 1000, seed: int = 3) -> list[dict[str, Any]]:
    """n top-level categories ("Leistung 0001" ...; two of them named like needs), 1-3 offers each."""
    rng = random.Random(seed)
    services = []
    for c in range(n):
        name = {0: "Wohnen", 1: "Gesundheit"}.get(c, f"Leistung {c:04}")
        term = _term("Leistungskatalog", f"k{c:04}", name, f"L{c:04}")
        for j in range(1 + rng.randrange(3)):
            services.append(service(f"m{c:04}-{j}", f"{name} Angebot {j}", rng.choice(TOWNS), [term]))
    return services
