"""A large synthetic catalogue for benchmarks: realistic German offers built from word lists.

Deterministic (seeded), written as NDJSON and loaded through the real import path
(`sync.pull.import_file`), so the benchmark measures the same store the kiosk reads.
The result is cached under /tmp, keyed by `VERSION`, the size and a digest of this generator and
of the code that decides what the store holds (`sync/hsds.py`, `sync/schema.py`, `sync/store.py`),
so a change there rebuilds it; bump `VERSION` to force a rebuild for any other reason.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import uuid
from pathlib import Path

VERSION = "1"
NS = uuid.UUID("0f6a3c52-7d5e-4b8e-9a51-3c2d1e0f9b7a")

TOWNS = {
    "Altenberge": (52.045, 7.466), "Emsdetten": (52.173, 7.530), "Greven": (52.091, 7.612),
    "Hörstel": (52.297, 7.585), "Hopsten": (52.381, 7.608), "Horstmar": (52.080, 7.309),
    "Ibbenbüren": (52.278, 7.717), "Ladbergen": (52.137, 7.739), "Laer": (52.055, 7.358),
    "Lengerich": (52.188, 7.866), "Lienen": (52.146, 7.974), "Lotte": (52.276, 7.918),
    "Metelen": (52.143, 7.213), "Mettingen": (52.317, 7.780), "Neuenkirchen": (52.242, 7.372),
    "Nordwalde": (52.083, 7.478), "Ochtrup": (52.208, 7.190), "Recke": (52.370, 7.721),
    "Rheine": (52.280, 7.442), "Saerbeck": (52.174, 7.633), "Steinfurt": (52.147, 7.336),
    "Tecklenburg": (52.220, 7.813), "Westerkappeln": (52.315, 7.877), "Wettringen": (52.209, 7.319),
}

# (name stem, need category, description sentences)
TOPICS = [
    ("Schuldnerberatung", "geld-aemter", ["Hilfe bei Schulden, Mahnungen und Kontopfändung.",
                                          "Wir erstellen mit Ihnen einen Haushaltsplan."]),
    ("Sozialberatung", "beratung-notlagen", ["Beratung bei Geldsorgen, Wohnung und Anträgen.",
                                             "Wir hören zu und suchen mit Ihnen eine Lösung."]),
    ("Seniorenberatung", "alter-pflege", ["Beratung zu Rente, Pflege und Wohnen im Alter.",
                                          "Auf Wunsch kommen wir zu Ihnen nach Hause."]),
    ("Pflegeberatung", "alter-pflege", ["Wie beantrage ich einen Pflegegrad?", "Was zahlt die Pflegekasse?"]),
    ("Pflegestützpunkt", "alter-pflege", ["Neutrale Beratung zu Pflege, Tagespflege und Pflegeheim."]),
    ("Tagespflege", "alter-pflege", ["Tagsüber betreut, abends zu Hause.", "Ein Fahrdienst holt Sie ab."]),
    ("Sprachcafé", "ankommen-migration", ["Bei Tee und Keksen Deutsch lernen und sprechen."]),
    ("Deutschkurs", "ankommen-migration", ["Deutsch lernen für Anfänger am Abend.", "Einstieg jederzeit."]),
    ("Integrationskurs", "ankommen-migration", ["Deutsch lernen bis B1 und Orientierungskurs."]),
    ("Migrationsberatung", "ankommen-migration", ["Beratung zu Aufenthalt, Arbeit und Anerkennung."]),
    ("Flüchtlingsberatung", "ankommen-migration", ["Beratung zu Asylverfahren, Duldung und Wohnung."]),
    ("Dolmetscherdienst", "ankommen-migration", ["Ehrenamtliche übersetzen beim Arzt und beim Amt."]),
    ("Jugendtreff", "kinder-jugend-familie", ["Kicker, Billard und Musik.", "Hier könnt ihr über Sorgen reden."]),
    ("Jugendzentrum", "kinder-jugend-familie", ["Offener Treff mit Tonstudio und Kochabenden."]),
    ("Hausaufgabenhilfe", "kinder-jugend-familie", ["Hilfe bei den Hausaufgaben nach der Schule."]),
    ("Erziehungsberatung", "kinder-jugend-familie", ["Beratung bei Streit, Trennung und Schulproblemen."]),
    ("Elterncafé", "kinder-jugend-familie", ["Eltern treffen sich, die Kleinen spielen."]),
    ("Krabbelgruppe", "kinder-jugend-familie", ["Für Babys und Kleinkinder mit ihren Eltern."]),
    ("Familienzentrum", "kinder-jugend-familie", ["Beratung zu Kita, Erziehung und Gesundheit."]),
    ("Tafel", "beratung-notlagen", ["Lebensmittel für Menschen mit wenig Geld."]),
    ("Mittagstisch", "beratung-notlagen", ["Warmes Mittagessen in Gesellschaft."]),
    ("Kleiderkammer", "beratung-notlagen", ["Kleidung und Schuhe für kleines Geld."]),
    ("Suchtberatung", "gesundheit", ["Beratung bei Problemen mit Alkohol, Drogen oder Glücksspiel."]),
    ("Selbsthilfegruppe", "gesundheit", ["Betroffene und Angehörige tauschen sich aus."]),
    ("Demenz-Café", "alter-pflege", ["Ein schöner Nachmittag für Menschen mit Demenz."]),
    ("Trauercafé", "alter-pflege", ["Für Menschen, die einen lieben Menschen verloren haben."]),
    ("Seniorentreff", "treffen-freizeit", ["Kaffee, Kuchen, Gespräche und Spiele."]),
    ("Repair-Café", "treffen-freizeit", ["Reparieren statt wegwerfen: Toaster, Fahrrad, Handy."]),
    ("Begegnungscafé", "treffen-freizeit", ["Offenes Café für Alteingesessene und Neuzugezogene."]),
    ("Smartphone-Sprechstunde", "digital-lernen", ["Fragen zu Handy, Smartphone oder Tablet?"]),
    ("Computerkurs", "digital-lernen", ["Computer und Internet Schritt für Schritt lernen."]),
    ("Digital-Treff", "digital-lernen", ["Handy, Tablet, Laptop: Ehrenamtliche erklären geduldig."]),
    ("Rentenberatung", "geld-aemter", ["Hilfe beim Rentenantrag und bei der Grundrente."]),
    ("Bürgergeld-Beratung", "geld-aemter", ["Fragen zum Bürgergeld, zu Miete und Heizkosten."]),
    ("Wohnberatung", "behinderung-teilhabe", ["Wie Ihre Wohnung barrierefrei wird: Rampe, Treppenlift."]),
    ("Teilhabeberatung", "behinderung-teilhabe", ["Beratung zu Rollstuhl, Hilfsmitteln und Assistenz."]),
    ("Inklusive Sportgruppe", "behinderung-teilhabe", ["Sport für Menschen mit und ohne Behinderung."]),
    ("Frauenberatung", "beratung-notlagen", ["Beratung bei Gewalt, Trennung oder Krisen."]),
    ("Schwangerschaftsberatung", "kinder-jugend-familie", ["Elterngeld, Kindergeld und Fragen zur Geburt."]),
    ("Nachbarschaftshilfe", "alter-pflege", ["Ehrenamtliche helfen beim Einkaufen und begleiten zum Arzt."]),
    ("Besuchsdienst", "alter-pflege", ["Ehrenamtliche besuchen einsame ältere Menschen."]),
    ("Zuhör-Telefon", "beratung-notlagen", ["Sie fühlen sich einsam? Wir hören Ihnen zu."]),
]
QUALIFIERS = ["", "", "", "für Seniorinnen und Senioren", "für Familien", "für Jugendliche", "in Leichter Sprache",
              "am Abend", "für Frauen", "international", "für Zugewanderte", "im Stadtteil", "mobil",
              "für Alleinerziehende", "für Menschen mit Behinderung", "am Wochenende"]
PROVIDERS = ["Caritasverband", "Diakonie", "AWO", "DRK", "Lebenshilfe", "Volkshochschule", "Bürgerverein",
             "Kath. Kirchengemeinde", "Ev. Kirchengemeinde", "Stadtverwaltung", "Familienzentrum", "Malteser",
             "Johanniter", "Paritätischer", "Kinderschutzbund", "Flüchtlingshilfe", "Sozialverband VdK"]
EXTRA = ["Termine nach Vereinbarung.", "Kostenlos und vertraulich.", "Einfach vorbeikommen.",
         "Rollstuhlgerecht, mit barrierefreiem WC.", "Auch in Arabisch, Türkisch und Ukrainisch.",
         "Bitte bringen Sie Ihre Unterlagen mit.", "Kinder dürfen mitkommen.", "Mit Kaffee und Kuchen.",
         "Ein Fahrdienst ist möglich.", "Anonym, wenn Sie möchten.", "Auch für Angehörige."]
# Syllables for district and street names, so the vocabulary grows like a real one does.
SYL_A = ["Oster", "Wester", "Nord", "Süd", "Linden", "Birken", "Eichen", "Mühlen", "Kirch", "Brink", "Heide",
         "Esch", "Sand", "Wald", "Berg", "Bach", "Hof", "Moor", "Feld", "Ems", "Aa", "Dreier", "Hasen", "Kamp"]
SYL_B = ["kamp", "feld", "heide", "horst", "bruch", "busch", "hof", "beck", "dorf", "loh", "wiese", "weg",
         "esch", "haar", "wall", "bergen", "stede", "brock", "lage", "winkel"]

# Syllables for project and surnames ("Kulturschiene", "Lichtblick" in the demo): they make the
# vocabulary as large and varied as a real catalogue's (tens of thousands of terms).
NAME_SYL = ["ka", "lo", "mi", "ra", "ben", "tor", "li", "sa", "mon", "del", "ri", "ta", "vin", "go", "la",
            "mer", "sol", "bri", "an", "ke", "nor", "pa", "ul", "fe", "din", "ro", "sel", "ma", "ti", "wen",
            "hol", "ba", "ster", "ni", "kor", "le", "us", "ga", "ber", "zo"]


def uid(key: str) -> str:
    return str(uuid.uuid5(NS, key))


def make_service(i: int, rng: random.Random) -> dict:
    stem, need, sentences = TOPICS[rng.randrange(len(TOPICS))]
    town = rng.choice(list(TOWNS))
    district = rng.choice(SYL_A) + rng.choice(SYL_B) + ("" if rng.random() < 0.7 else str(rng.randrange(2, 9)))
    qualifier = rng.choice(QUALIFIERS)
    project = "".join(rng.choice(NAME_SYL) for _ in range(rng.randint(2, 3))).capitalize()
    surname = "".join(rng.choice(NAME_SYL) for _ in range(rng.randint(2, 3))).capitalize() + rng.choice(
        ["", "mann", "er", "s", "ing", "hoff"])
    name = " ".join(x for x in (stem, qualifier, project if rng.random() < 0.5 else "",
                                rng.choice([town, district, f"{district} {town}"])) if x)
    provider = f"{rng.choice(PROVIDERS)} {rng.choice([town, district])} (Beispiel)"
    street = rng.choice(SYL_A) + rng.choice(SYL_B) + rng.choice(["straße", "weg", "ring", "allee", "platz"])
    lat, lon = TOWNS[town]
    desc = " ".join(sentences + rng.sample(EXTRA, 2) + [f"Ansprechperson: {rng.choice(['Frau', 'Herr'])} {surname}."])
    return {
        "id": uid(f"svc:{i}"), "name": name, "description": desc, "status": "active",
        "organization": {"id": uid(f"org:{provider}"), "name": provider},
        "attributes": [{"id": uid(f"attr:{i}"), "taxonomy_term": {
            "id": uid("term:" + need), "name": need.replace("-", " ").title(), "code": need,
            "taxonomy": "Dritte Orte Bedarfe"}}],
        "schedules": [{"id": uid(f"sched:{i}"), "freq": "WEEKLY", "byday": rng.choice(["MO", "TU,TH", "WE", "FR"]),
                       "opens_at": "09:00", "closes_at": "12:00"}],
        "service_at_locations": [{"id": uid(f"sal:{i}"), "location": {
            "id": uid(f"loc:{i}"), "location_type": "physical", "name": f"Haus {district}",
            "latitude": lat + rng.uniform(-0.02, 0.02), "longitude": lon + rng.uniform(-0.02, 0.02),
            "addresses": [{"id": uid(f"addr:{i}"), "address_1": f"{street} {rng.randrange(1, 120)}",
                           "city": town, "postal_code": "48000", "state_province": "NRW", "country": "DE",
                           "address_type": "physical"}]}}],
    }


def write_feed(path: Path, count: int, seed: int = 20261) -> Path:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(count):
            fh.write(json.dumps(make_service(i, rng), ensure_ascii=False))
            fh.write("\n")
    return path


def cache_key(count: int) -> str:
    root = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256(VERSION.encode())
    for source in (Path(__file__), root / "sync" / "hsds.py", root / "sync" / "schema.py",
                   root / "sync" / "store.py"):
        digest.update(source.read_bytes())
    return f"{VERSION}-{count}-{digest.hexdigest()[:12]}"


def build_catalogue(count: int, cache_dir: Path | None = None) -> Path:
    """The path of a catalogue with `count` synthetic offers, imported through the real sync path."""
    from sync.pull import SyncOptions, import_file

    cache_dir = cache_dir or Path(os.environ.get("KIOSK_BENCH_CACHE", "/tmp/kiosk-bench"))
    cache_dir.mkdir(parents=True, exist_ok=True)
    db = cache_dir / f"catalogue-{cache_key(count)}.db"
    if db.exists():
        return db
    feed = write_feed(cache_dir / f"{db.stem}.{os.getpid()}.ndjson", count)
    tmp = db.with_name(f"{db.name}.{os.getpid()}.building")
    for stale in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        stale.unlink(missing_ok=True)
    import_file(feed, tmp, SyncOptions(guard_min_offers=10 ** 9))
    conn = sqlite3.connect(tmp)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    os.replace(tmp, db)
    for leftover in (feed, Path(f"{tmp}.lock"), Path(f"{tmp}.staging")):
        leftover.unlink(missing_ok=True)
    return db
