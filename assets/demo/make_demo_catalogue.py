#!/usr/bin/env python3
"""Generate the bundled demo catalogue ``assets/demo-catalogue.json``.

EXAMPLE DATA ONLY. Every organisation, offer, address, phone number, e-mail
address and web page in the generated file is fictional and exists only for
demos and tests of the Dritte-Orte-Kiosk. Organisation names are marked
"(Beispiel)", organisation descriptions end with " (Beispieldaten)", phone
numbers carry the description "Beispielnummer (fiktiv)", e-mail addresses
are at example.org and web pages under https://example.org/. Town names,
postal codes, dialling codes and approximate town-centre coordinates are real
(Kreis Steinfurt, NRW); street names and house numbers are invented.

Format: one JSON array of fully nested services in the shape of HSDS 3.0
(``GET /services/{id}``). HSDS is "Human Services Data Specification: an Open
Referral resource (https://openreferral.org/)", licensed CC BY-SA 4.0. The
records follow the HSDS structure; no official example records are copied.

The script is deterministic: no randomness, no network, no clock. All ids are
uuid5 values of a fixed namespace and a readable key (e.g.
``"location:teestube-lengerich"``), so the same organisation, location,
language or taxonomy term keeps the same id wherever it repeats, and
re-running the script gives a byte-identical file.

Usage (from the repository root):

    python assets/demo/make_demo_catalogue.py            # writes assets/demo-catalogue.json
    python assets/demo/make_demo_catalogue.py -o out.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Fixed namespace for all uuid5 ids of the demo catalogue. Never change it:
# tests and saved kiosk state may refer to these ids.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://example.org/dritte-orte-kiosk/demo-catalogue")

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "demo-catalogue.json"


def make_id(key: str) -> str:
    """Deterministic UUID for a readable key such as 'service:tafel-ibbenbueren'."""
    return str(uuid.uuid5(NAMESPACE, key))


def stable_fraction(key: str, salt: str) -> float:
    """Deterministic number in [0, 1) derived from a key (no random module)."""
    digest = hashlib.sha256(f"{salt}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


# ---------------------------------------------------------------------------
# Towns of Kreis Steinfurt: postal code, dialling code, approximate centre.
# ---------------------------------------------------------------------------

TOWNS: dict[str, dict] = {
    # name:          postal code, dialling code, latitude, longitude
    "Altenberge":    {"postal_code": "48341", "area_code": "02505", "lat": 52.0458, "lon": 7.4653},
    "Emsdetten":     {"postal_code": "48282", "area_code": "02572", "lat": 52.1728, "lon": 7.5258},
    "Greven":        {"postal_code": "48268", "area_code": "02571", "lat": 52.0917, "lon": 7.6083},
    "Hörstel":       {"postal_code": "48477", "area_code": "05459", "lat": 52.2975, "lon": 7.5856},
    "Hopsten":       {"postal_code": "48496", "area_code": "05458", "lat": 52.3814, "lon": 7.6108},
    "Horstmar":      {"postal_code": "48612", "area_code": "02558", "lat": 52.0806, "lon": 7.3097},
    "Ibbenbüren":    {"postal_code": "49477", "area_code": "05451", "lat": 52.2775, "lon": 7.7158},
    "Ladbergen":     {"postal_code": "49549", "area_code": "05485", "lat": 52.1372, "lon": 7.7408},
    "Laer":          {"postal_code": "48366", "area_code": "02554", "lat": 52.0550, "lon": 7.3581},
    "Lengerich":     {"postal_code": "49525", "area_code": "05481", "lat": 52.1750, "lon": 7.8667},
    "Lienen":        {"postal_code": "49536", "area_code": "05483", "lat": 52.1458, "lon": 7.9744},
    "Lotte":         {"postal_code": "49504", "area_code": "05404", "lat": 52.2764, "lon": 7.9167},
    "Metelen":       {"postal_code": "48629", "area_code": "02556", "lat": 52.1436, "lon": 7.2117},
    "Mettingen":     {"postal_code": "49497", "area_code": "05452", "lat": 52.3167, "lon": 7.7806},
    "Neuenkirchen":  {"postal_code": "48485", "area_code": "05973", "lat": 52.2417, "lon": 7.3694},
    "Nordwalde":     {"postal_code": "48356", "area_code": "02573", "lat": 52.0833, "lon": 7.4833},
    "Ochtrup":       {"postal_code": "48607", "area_code": "02553", "lat": 52.2056, "lon": 7.1903},
    "Recke":         {"postal_code": "49509", "area_code": "05453", "lat": 52.3697, "lon": 7.7208},
    "Rheine":        {"postal_code": "48431", "area_code": "05971", "lat": 52.2797, "lon": 7.4386},
    "Saerbeck":      {"postal_code": "48369", "area_code": "02574", "lat": 52.1739, "lon": 7.6333},
    "Steinfurt":     {"postal_code": "48565", "area_code": "02551", "lat": 52.1486, "lon": 7.3369},
    "Tecklenburg":   {"postal_code": "49545", "area_code": "05482", "lat": 52.2194, "lon": 7.8125},
    "Westerkappeln": {"postal_code": "49492", "area_code": "05404", "lat": 52.3153, "lon": 7.8764},
    "Wettringen":    {"postal_code": "48493", "area_code": "02557", "lat": 52.2089, "lon": 7.3194},
}

# Maximum deterministic offset of an address from its town centre (degrees;
# about +-650 m in both directions).
MAX_LAT_OFFSET = 0.006
MAX_LON_OFFSET = 0.009

# ---------------------------------------------------------------------------
# Taxonomies
# ---------------------------------------------------------------------------

TAXONOMIES = {
    "needs": {
        "key": "dritte-orte-bedarfe",
        "name": "Dritte Orte Bedarfe",
        "description": "Lebenslagen und Bedarfe, nach denen Besucherinnen und Besucher am Kiosk Angebote suchen.",
        "link_type": "need",
    },
    "groups": {
        "key": "dritte-orte-zielgruppen",
        "name": "Dritte Orte Zielgruppen",
        "description": "Besuchergruppen, für die ein Angebot gedacht ist.",
        "link_type": "audience",
    },
}

# code: (taxonomy, name, description, parent code or None)
TERMS: dict[str, tuple[str, str, str, str | None]] = {
    # Needs, top level
    "alter-pflege": ("needs", "Alter & Pflege",
                     "Beratung, Hilfe und Treffpunkte rund ums Älterwerden und die Pflege.", None),
    "behinderung-teilhabe": ("needs", "Behinderung & Teilhabe",
                             "Beratung und Angebote für ein selbstbestimmtes Leben mit Behinderung.", None),
    "ankommen-migration": ("needs", "Ankommen & Migration",
                           "Hilfe beim Ankommen in Deutschland: Beratung, Sprache, Begleitung.", None),
    "kinder-jugend-familie": ("needs", "Kinder, Jugend & Familie",
                              "Angebote für Kinder, Jugendliche, Eltern und Familien.", None),
    "beratung-notlagen": ("needs", "Beratung & Hilfe in Not",
                          "Beratung und schnelle Hilfe in schwierigen Lebenslagen.", None),
    "digital-lernen": ("needs", "Digital lernen",
                       "Hilfe mit Handy, Tablet, Computer und Internet.", None),
    "treffen-freizeit": ("needs", "Treffen & Freizeit",
                         "Orte und Gruppen zum Treffen, Reden und gemeinsamen Tun.", None),
    "geld-aemter": ("needs", "Geld & Ämter",
                    "Hilfe bei Anträgen, Behörden, Geldsorgen, Rente und Bürgergeld.", None),
    "gesundheit": ("needs", "Gesundheit",
                   "Angebote für körperliche und seelische Gesundheit.", None),
    # Needs, child terms
    "pflegeberatung": ("needs", "Pflegeberatung",
                       "Beratung zu Pflegegrad, Pflegegeld und Hilfen im Alltag.", "alter-pflege"),
    "sprachkurse": ("needs", "Sprachkurse",
                    "Deutsch lernen: Kurse, Sprachcafés und Sprachpaten.", "ankommen-migration"),
    "lebensmittel-kleidung": ("needs", "Lebensmittel & Kleidung",
                              "Günstige oder kostenlose Lebensmittel, Essen und Kleidung.", "beratung-notlagen"),
    "schuldnerberatung": ("needs", "Schuldnerberatung",
                          "Hilfe bei Schulden und Geldproblemen.", "geld-aemter"),
    "selbsthilfe": ("needs", "Selbsthilfe",
                    "Selbsthilfegruppen und Austausch mit Menschen in ähnlicher Lage.", "gesundheit"),
    # Visitor groups
    "senioren": ("groups", "Seniorinnen und Senioren",
                 "Angebote für ältere Menschen und ihre Angehörigen.", None),
    "behinderung": ("groups", "Menschen mit Behinderung",
                    "Angebote für Menschen mit Behinderung und ihre Angehörigen.", None),
    "migration": ("groups", "Migrantinnen, Migranten und Geflüchtete",
                  "Angebote für zugewanderte und geflüchtete Menschen.", None),
    "kinder-jugend": ("groups", "Kinder, Jugendliche und Familien",
                      "Angebote für Kinder, Jugendliche, Eltern und Familien.", None),
    "alle": ("groups", "Alle",
             "Offen für alle Menschen.", None),
}

# ---------------------------------------------------------------------------
# Languages (name in German, ISO 639-1 code)
# ---------------------------------------------------------------------------

LANGUAGES = {
    "de": "Deutsch",
    "en": "Englisch",
    "ar": "Arabisch",
    "uk": "Ukrainisch",
    "ru": "Russisch",
    "tr": "Türkisch",
    "fa": "Persisch (Farsi/Dari)",
    "ps": "Paschtu",
    "ku": "Kurdisch (Kurmandschi)",
    "ti": "Tigrinya",
    "fr": "Französisch",
    "pl": "Polnisch",
    "ro": "Rumänisch",
}

# Language sets used by many migration offers.
MIG = ["de", "en", "ar", "fa", "uk", "ru", "tr"]
MIG_WIDE = ["de", "en", "ar", "fa", "ps", "ku", "ti", "uk", "ru", "tr", "fr"]

# ---------------------------------------------------------------------------
# Organisations (all fictional; names marked "(Beispiel)")
# ---------------------------------------------------------------------------

# key: (name, description without the "(Beispieldaten)" suffix)
ORGANIZATIONS: dict[str, tuple[str, str]] = {
    "caritas-rheine": ("Caritasverband Rheine (Beispiel)",
                       "Wohlfahrtsverband mit Beratungsstellen für Familien, Migration, Sucht und Schulden."),
    "caritas-tecklenburg": ("Caritasverband Tecklenburger Land (Beispiel)",
                            "Wohlfahrtsverband mit Beratung und Pflegediensten im Tecklenburger Land."),
    "caritas-emsdetten-greven": ("Caritasverband Emsdetten-Greven (Beispiel)",
                                 "Wohlfahrtsverband mit Beratung, Pflege und Treffpunkten in Emsdetten und Greven."),
    "caritas-steinfurt": ("Caritasverband Steinfurt (Beispiel)",
                          "Wohlfahrtsverband mit Angeboten für ältere Menschen, Familien und Zugewanderte."),
    "diakonie-tecklenburg": ("Diakonie Tecklenburger Land (Beispiel)",
                             "Evangelischer Wohlfahrtsverband mit Sozialberatung, Hospizarbeit und Pflege."),
    "diakonie-rheine": ("Diakonie (Beispiel)",
                        "Evangelischer Wohlfahrtsverband mit Schuldnerberatung und Sozialberatung im Kreis Steinfurt."),
    "awo": ("AWO Kreisverband Steinfurt (Beispiel)",
            "Wohlfahrtsverband mit Begegnungsstätten, Mittagstischen und Beratung."),
    "drk": ("DRK-Kreisverband Steinfurt (Beispiel)",
            "Rotes Kreuz mit Tagespflege, Hausnotruf, Seniorenarbeit und Flüchtlingshilfe."),
    "lebenshilfe": ("Lebenshilfe Kreis Steinfurt (Beispiel)",
                    "Verein von Eltern und Fachleuten für Menschen mit geistiger Behinderung."),
    "eutb": ("EUTB-Beratungsstellen Kreis Steinfurt (Beispiel)",
             "Ergänzende unabhängige Teilhabeberatung: Menschen mit Behinderung beraten Menschen mit Behinderung."),
    "kreis-sozialamt": ("Kreis Steinfurt – Sozialamt (Beispiel)",
                        "Amt des Kreises für Pflege, Wohnberatung und soziale Hilfen."),
    "kreis-jugendamt": ("Kreis Steinfurt – Jugendamt (Beispiel)",
                        "Jugendamt des Kreises für Kinderschutz, Frühe Hilfen und Familienberatung."),
    "stadt-rheine-senioren": ("Stadt Rheine – Fachdienst Senioren (Beispiel)",
                              "Städtischer Fachdienst für Seniorenarbeit und Seniorenberatung."),
    "stadt-emsdetten-jugend": ("Stadt Emsdetten – Kinder- und Jugendarbeit (Beispiel)",
                               "Städtische offene Kinder- und Jugendarbeit."),
    "stadt-ibbenbueren-jugend": ("Stadt Ibbenbüren – Jugendförderung (Beispiel)",
                                 "Städtische Jugendförderung mit Jugendtreffs in den Ortsteilen."),
    "gemeinde-soziales": ("Gemeindeverwaltung – Fachbereich Soziales (Beispiel)",
                          "Sozialbüros der kleineren Städte und Gemeinden im Kreis Steinfurt."),
    "jobcenter": ("Jobcenter Kreis Steinfurt (Beispiel)",
                  "Jobcenter für Bürgergeld, Arbeit und Weiterbildung."),
    "rentenberatung": ("Versichertenberatung Rente Kreis Steinfurt (Beispiel)",
                       "Ehrenamtliche Versichertenberaterinnen und -berater der Rentenversicherung."),
    "tafel": ("Tafeln im Kreis Steinfurt e. V. (Beispiel)",
              "Ehrenamtlicher Verein, der gespendete Lebensmittel an Menschen mit wenig Geld weitergibt."),
    "vhs": ("Volkshochschule im Kreis Steinfurt (Beispiel)",
            "Volkshochschule mit Integrationskursen, Deutschkursen und Computerkursen."),
    "hospiz": ("Ambulanter Hospizdienst im Kreis Steinfurt (Beispiel)",
               "Ehrenamtliche Begleitung von schwer kranken und sterbenden Menschen und ihren Familien."),
    "frauenberatung": ("Frauenberatungsstelle (Beispiel)",
                       "Beratung für Frauen in Krisen, bei Gewalt und in Trennung."),
    "schwangerschaft": ("Beratungsstelle für Schwangere und Familien (Beispiel)",
                        "Staatlich anerkannte Schwangerschaftsberatung."),
    "selbsthilfe": ("Selbsthilfe-Kontaktstelle Kreis Steinfurt (Beispiel)",
                    "Vermittlung und Unterstützung von Selbsthilfegruppen."),
    "sport-inklusiv": ("Inklusiver Sportverein Münsterland (Beispiel)",
                       "Sportverein mit Gruppen für Menschen mit und ohne Behinderung."),
    "ev-kirche": ("Ev. Kirchengemeinde (Beispiel)",
                  "Evangelische Kirchengemeinde mit offenen Treffpunkten und Mittagstisch."),
    "kath-kirche": ("Kath. Kirchengemeinde (Beispiel)",
                    "Katholische Kirchengemeinde mit Familienzentren und Besuchsdiensten."),
    "familienzentrum": ("Familienzentren im Kreis Steinfurt (Beispiel)",
                        "Verbund von Kitas mit Familienzentrum: Beratung, Elterncafés und Kurse."),
    "fluechtlingshilfe": ("Flüchtlingshilfe-Initiativen (Beispiel)",
                          "Ehrenamtliche Initiativen, die geflüchtete Menschen begleiten."),
    "zuhoer-telefon": ("Zuhör-Telefon Münsterland (Beispiel)",
                       "Ehrenamtliche hören zu, wenn Menschen einsam sind oder Sorgen haben."),
    "suchtberatung": ("Fachstelle Sucht (Beispiel)",
                      "Beratung bei Problemen mit Alkohol, Medikamenten, Drogen, Glücksspiel und Medien."),
    "sozialpsychiatrie": ("Sozialpsychiatrischer Verbund (Beispiel)",
                          "Hilfen für Menschen mit seelischer Erkrankung."),
    "repair-cafe": ("Repair-Café-Initiativen (Beispiel)",
                    "Ehrenamtliche reparieren gemeinsam mit Besuchern kaputte Dinge."),
    # Operators of the four Dritte Orte
    "teestube": ("Teestube Lengerich e. V. (Beispiel)",
                 "Verein, der die Teestube als offenen Treffpunkt für Geflüchtete und Nachbarn betreibt."),
    "haus-fuer-alle": ("Bürgerverein Haus für alle Altenberge (Beispiel)",
                       "Ehrenamtlich getragenes Haus für Begegnung, Hilfe und Nachbarschaft."),
    "medienwerkstatt": ("Medienwerkstatt Mettingen e. V. (Beispiel)",
                        "Offene Werkstatt für Medien, Computer und Handy für alle Generationen."),
    "pauline": ("Pauline ist cool! – Digitalclub (Beispiel)",
                "Digitalclub von Seniorinnen und Senioren für Seniorinnen und Senioren."),
}

# ---------------------------------------------------------------------------
# Accessibility profiles of locations
# ---------------------------------------------------------------------------

ACCESSIBILITY = {
    "rollstuhl": [("Rollstuhlgerecht", "Stufenloser Eingang, barrierefreies WC")],
    "rollstuhl-aufzug": [("Rollstuhlgerecht", "Stufenloser Eingang, Aufzug, barrierefreies WC")],
    "rollstuhl-hoeren": [("Rollstuhlgerecht", "Stufenloser Eingang, barrierefreies WC"),
                         ("Induktionsschleife", "Hörschleife im Beratungsraum für Hörgeräte")],
    "rampe": [("Eingeschränkt rollstuhlgerecht", "Rampe am Seiteneingang, kein barrierefreies WC")],
    "stufen": [("Eingang mit 3 Stufen", "Kein Aufzug; Hilfe am Eingang auf Nachfrage")],
    "unbekannt": [],
}

# ---------------------------------------------------------------------------
# Locations: key -> (name, town, street address, accessibility profile)
# ---------------------------------------------------------------------------

LOCATIONS: dict[str, tuple[str, str, str, str]] = {
    # The four Dritte Orte
    "teestube-lengerich": ("Teestube Lengerich", "Lengerich", "Schulstraße 12", "rollstuhl"),
    "haus-fuer-alle": ("Haus für alle", "Altenberge", "Kirchstraße 5", "rollstuhl"),
    "medienwerkstatt-mettingen": ("Medienwerkstatt Mettingen", "Mettingen", "Am Alten Markt 3", "rampe"),
    "pauline-ist-cool": ("Pauline ist cool!", "Steinfurt", "Lindenallee 7", "rollstuhl-hoeren"),
    # Rheine
    "rheine-caritashaus": ("Caritas-Haus Rheine", "Rheine", "Lindenstraße 22", "rollstuhl-aufzug"),
    "rheine-diakonie": ("Diakonie-Beratungszentrum Rheine", "Rheine", "Gartenstraße 14", "rollstuhl"),
    "rheine-buergerhaus": ("Bürgerhaus am Markt Rheine", "Rheine", "Marktstraße 3", "rollstuhl-hoeren"),
    "rheine-jugendzentrum": ("Jugendzentrum Emsufer", "Rheine", "Emsuferweg 5", "rollstuhl"),
    "rheine-tafel": ("Tafel-Laden Rheine", "Rheine", "Gewerbestraße 40", "stufen"),
    "rheine-familienzentrum": ("Familienzentrum Regenbogen", "Rheine", "Schulstraße 17", "rollstuhl"),
    "rheine-awo": ("AWO-Begegnungsstätte Rheine", "Rheine", "Ahornweg 8", "rollstuhl"),
    "rheine-sporthalle": ("Sporthalle am Stadtpark", "Rheine", "Parkallee 2", "rollstuhl"),
    "rheine-jobcenter": ("Jobcenter Rheine", "Rheine", "Bahnhofstraße 31", "rollstuhl-aufzug"),
    "rheine-bahnhof": ("Kleiderkammer am Bahnhof", "Rheine", "Bahnhofstraße 58", "stufen"),
    # Ibbenbüren
    "ibb-caritas": ("Caritas-Zentrum Ibbenbüren", "Ibbenbüren", "Klosterstraße 9", "rollstuhl-aufzug"),
    "ibb-diakonie": ("Diakonie-Haus Ibbenbüren", "Ibbenbüren", "Oststraße 26", "rollstuhl"),
    "ibb-tafel": ("Tafel Ibbenbüren – Ausgabestelle", "Ibbenbüren", "Werkstraße 4", "stufen"),
    "ibb-laggenbeck": ("Jugendtreff Laggenbeck", "Ibbenbüren", "Tecklenburger Weg 11", "stufen"),
    "ibb-buergerhaus": ("Bürgerhaus Ibbenbüren", "Ibbenbüren", "Neumarkt 2", "rollstuhl-hoeren"),
    "ibb-vhs": ("VHS-Haus Ibbenbüren", "Ibbenbüren", "Schulweg 15", "rollstuhl-aufzug"),
    "ibb-familienzentrum": ("Familienzentrum Sonnenschein", "Ibbenbüren", "Birkenweg 3", "rollstuhl"),
    "ibb-hospiz": ("Hospizbüro Ibbenbüren", "Ibbenbüren", "Am Kirchberg 6", "rampe"),
    # Greven
    "greven-caritas": ("Caritas-Beratungshaus Greven", "Greven", "Marktstraße 19", "rollstuhl"),
    "greven-buergerzentrum": ("Bürgerzentrum Greven", "Greven", "Rathausstraße 4", "rollstuhl-aufzug"),
    "greven-jugendzentrum": ("Jugendzentrum Kulturschiene", "Greven", "Bahnhofstraße 44", "rollstuhl"),
    "greven-seniorentreff": ("Seniorentreff am Mühlenbach", "Greven", "Mühlenbachweg 2", "rollstuhl"),
    "greven-hallenbad": ("Hallenbad Greven", "Greven", "Sportpark 1", "rollstuhl"),
    # Emsdetten
    "ems-gleis3": ("Jugendzentrum Gleis 3", "Emsdetten", "Am Güterbahnhof 3", "rollstuhl"),
    "ems-caritas": ("Caritas-Treff Emsdetten", "Emsdetten", "Kirchstraße 27", "rollstuhl-aufzug"),
    "ems-familienzentrum": ("Familienzentrum Lindenhof", "Emsdetten", "Lindenhof 4", "rollstuhl"),
    "ems-buergerhaus": ("Bürgerhaus Emsdetten", "Emsdetten", "Friedrichstraße 10", "rampe"),
    "ems-lebenshilfe": ("Lebenshilfe-Beratungsbüro Emsdetten", "Emsdetten", "Emsstraße 33", "rollstuhl"),
    # Steinfurt
    "steinfurt-kreishaus": ("Kreishaus Steinfurt – Pflegestützpunkt", "Steinfurt", "Tecklenburger Straße 10",
                            "rollstuhl-aufzug"),
    "steinfurt-jugendamt": ("Jugendamt Steinfurt – Beratungsbüro", "Steinfurt", "Kreisallee 2", "rollstuhl-aufzug"),
    "steinfurt-integration": ("Integrationsbüro Steinfurt", "Steinfurt", "Wasserstraße 21", "stufen"),
    "steinfurt-sporthalle": ("Sporthalle Bagno", "Steinfurt", "Bagnostraße 6", "rollstuhl"),
    "steinfurt-gemeindehaus": ("Gemeindehaus St. Nikolaus", "Steinfurt", "Kirchplatz 4", "rampe"),
    # Lengerich
    "lengerich-diakonie": ("Diakonie-Beratungsstelle Lengerich", "Lengerich", "Rahestraße 30", "rollstuhl"),
    "lengerich-gemeindehaus": ("Ev. Gemeindehaus Lengerich", "Lengerich", "Kirchplatz 2", "rollstuhl"),
    "lengerich-rathaus": ("Sozialbüro im Rathaus Lengerich", "Lengerich", "Rathausplatz 1", "rollstuhl-aufzug"),
    "lengerich-zuhoeren": ("Büro Zuhör-Telefon", "Lengerich", "Bahnhofstraße 48", "stufen"),
    # Altenberge
    "altenberge-familienzentrum": ("Familienzentrum Kunterbunt", "Altenberge", "Gartenweg 9", "rollstuhl"),
    # Mettingen
    "mettingen-pfarrheim": ("Pfarrheim Mettingen", "Mettingen", "Kirchstraße 18", "stufen"),
    # Ochtrup
    "ochtrup-tafel": ("Tafel Ochtrup", "Ochtrup", "Weinerstraße 41", "rampe"),
    "ochtrup-jugendtreff": ("Jugendtreff Alte Weberei", "Ochtrup", "Weberstraße 7", "rollstuhl"),
    "ochtrup-rathaus": ("Rathaus Ochtrup – Sozialbüro", "Ochtrup", "Rathausplatz 2", "rollstuhl-aufzug"),
    "ochtrup-pfarrheim": ("Pfarrheim St. Lamberti", "Ochtrup", "Kirchstraße 12", "stufen"),
    # Hörstel
    "hoerstel-familienzentrum": ("Familienzentrum Hörstel", "Hörstel", "Schulstraße 6", "rollstuhl"),
    "hoerstel-buergerhaus": ("Bürgerhaus Hörstel", "Hörstel", "Bahnhofstraße 12", "rollstuhl"),
    # Hopsten
    "hopsten-rathaus": ("Rathaus Hopsten – Bürgerbüro", "Hopsten", "Marktplatz 1", "rollstuhl"),
    "hopsten-pfarrheim": ("Pfarrheim Hopsten", "Hopsten", "Kirchweg 4", "stufen"),
    # Horstmar
    "horstmar-begegnung": ("Begegnungsstätte Horstmar", "Horstmar", "Münsterstraße 9", "rollstuhl"),
    "horstmar-buergerhaus": ("Bürgerhaus Horstmar", "Horstmar", "Schlossstraße 3", "rampe"),
    # Ladbergen
    "ladbergen-jugendtreff": ("Jugendtreff Ladbergen", "Ladbergen", "Schulstraße 8", "rollstuhl"),
    "ladbergen-gemeindehaus": ("Ev. Gemeindehaus Ladbergen", "Ladbergen", "Kirchstraße 6", "rollstuhl"),
    # Laer
    "laer-cafe": ("Café Miteinander Laer", "Laer", "Hohe Straße 5", "stufen"),
    "laer-rathaus": ("Rathaus Laer", "Laer", "Rathausplatz 1", "rollstuhl"),
    # Lienen
    "lienen-tagespflege": ("Tagespflege Haus Linde", "Lienen", "Lindenweg 12", "rollstuhl-aufzug"),
    "lienen-jugendtreff": ("Kinder- und Jugendtreff Lienen", "Lienen", "Schulstraße 3", "rollstuhl"),
    "lienen-gemeindehaus": ("Ev. Gemeindehaus Lienen", "Lienen", "Kirchplatz 5", "rampe"),
    # Lotte
    "lotte-familienbuero": ("Familienbüro Lotte", "Lotte", "Westerkappelner Weg 8", "rollstuhl"),
    "lotte-begegnung": ("Begegnungsstätte Wersen", "Lotte", "Dorfstraße 14", "rollstuhl"),
    "lotte-sportplatz": ("Sportplatz am Autobahnkreuz", "Lotte", "Sportweg 1", "rollstuhl"),
    # Metelen
    "metelen-treff": ("Treffpunkt Alte Schule Metelen", "Metelen", "Schulstraße 2", "stufen"),
    "metelen-offene-tuer": ("Offene Tür Metelen", "Metelen", "Vechtestraße 11", "rollstuhl"),
    # Neuenkirchen
    "neuenkirchen-rathaus": ("Rathaus Neuenkirchen – Integrationsbüro", "Neuenkirchen", "Hauptstraße 16",
                             "rollstuhl-aufzug"),
    "neuenkirchen-jugendtreff": ("Jugendtreff Neuenkirchen", "Neuenkirchen", "Sportplatzweg 4", "rollstuhl"),
    "neuenkirchen-tagesstaette": ("Tagesstätte Lichtblick", "Neuenkirchen", "Wiesenweg 21", "rollstuhl"),
    # Nordwalde
    "nordwalde-pfarrheim": ("Pfarrheim Nordwalde", "Nordwalde", "Kirchplatz 7", "rollstuhl"),
    "nordwalde-familienzentrum": ("Familienzentrum Nordwalde", "Nordwalde", "Bispinghof 2", "rollstuhl"),
    "nordwalde-buecherei": ("Bücherei Nordwalde", "Nordwalde", "Amtmann-Daniel-Weg 1", "unbekannt"),
    # Recke
    "recke-rathaus": ("Rathaus Recke – Seniorenbüro", "Recke", "Hauptstraße 28", "rollstuhl-aufzug"),
    "recke-jugendtreff": ("Jugendtreff Recke", "Recke", "Sportplatzstraße 5", "stufen"),
    # Saerbeck
    "saerbeck-werkstatt": ("Bürgerwerkstatt Saerbeck", "Saerbeck", "Industrieweg 2", "rollstuhl"),
    "saerbeck-buergerhaus": ("Bürgerhaus Saerbeck", "Saerbeck", "Ferrières-Straße 4", "rollstuhl"),
    # Tecklenburg
    "tecklenburg-haus": ("Haus der Begegnung Tecklenburg", "Tecklenburg", "Landrat-Schultz-Straße 6", "rampe"),
    "tecklenburg-jugendtreff": ("Jugendtreff Brochterbeck", "Tecklenburg", "Dorfstraße 20", "rollstuhl"),
    "tecklenburg-diakonie": ("Diakonie-Station Tecklenburg", "Tecklenburg", "Wellenberg 9", "rollstuhl"),
    # Westerkappeln
    "westerkappeln-familienzentrum": ("Familienzentrum Westerkappeln", "Westerkappeln", "Große Straße 33",
                                      "rollstuhl"),
    "westerkappeln-cafe": ("Café International Westerkappeln", "Westerkappeln", "Kirchstraße 10", "stufen"),
    "westerkappeln-gemeindehaus": ("Gemeindehaus Westerkappeln", "Westerkappeln", "Heerstraße 4", "rollstuhl"),
    # Wettringen
    "wettringen-pfarrheim": ("Pfarrheim Wettringen", "Wettringen", "Kirchstraße 9", "rollstuhl"),
    "wettringen-familienzentrum": ("Familienzentrum Wettringen", "Wettringen", "Bahnhofstraße 15", "rollstuhl"),
}

# Extra details of some locations: description, transportation, languages,
# phone (organisation key for the phone number) and house opening hours.
LOCATION_EXTRAS: dict[str, dict] = {
    "teestube-lengerich": {
        "description": "Offene Teestube für Geflüchtete und Nachbarn: Tee trinken, Deutsch sprechen, Hilfe finden.",
        "transportation": "Fünf Minuten zu Fuß vom Bahnhof Lengerich.",
        "languages": ["de", "ar", "fa", "uk", "ti", "en"],
        "phone_org": "teestube",
        "hours": [("W", "MO,TU,WE,TH", "10:00", "18:00")],
    },
    "haus-fuer-alle": {
        "description": "Ehrenamtlich geführtes Haus für Begegnung, Nachbarschaft und Hilfe im Ortskern.",
        "transportation": "Bushaltestelle Altenberge Kirche direkt vor dem Haus.",
        "languages": ["de", "en"],
        "phone_org": "haus-fuer-alle",
        "hours": [("W", "TU,WE,TH", "10:00", "18:00"), ("W", "SA", "10:00", "13:00")],
    },
    "medienwerkstatt-mettingen": {
        "description": "Werkstatt mit Computern, Kameras und Hilfe für Handy und Internet.",
        "transportation": "Bushaltestelle Mettingen Markt, zwei Minuten zu Fuß.",
        "languages": ["de", "en", "pl"],
        "phone_org": "medienwerkstatt",
        "hours": [("W", "TU,WE,TH,FR", "10:00", "19:00")],
    },
    "pauline-ist-cool": {
        "description": "Digitalclub für ältere Menschen mit Kaffee, Geduld und Hilfe bei Handy, Tablet und Computer.",
        "transportation": "Bushaltestelle Steinfurt Lindenallee, barrierefreier Einstieg.",
        "languages": ["de", "en"],
        "phone_org": "pauline",
        "hours": [("W", "MO,TU,TH", "10:00", "17:00"), ("M", "-1FR", "15:00", "17:00")],
    },
    "rheine-jobcenter": {"transportation": "Gegenüber dem Bahnhof Rheine."},
    "steinfurt-kreishaus": {"transportation": "Bushaltestelle Kreishaus, Parkplätze für Menschen mit Behinderung."},
    "ibb-buergerhaus": {"transportation": "Am Neumarkt, Bushaltestelle Ibbenbüren Mitte."},
}

# ---------------------------------------------------------------------------
# Opening-hours helpers. W = weekly, M = monthly (HSDS freq WEEKLY/MONTHLY).
# ---------------------------------------------------------------------------


def W(byday: str, opens: str, closes: str, **extra) -> dict:
    """Weekly opening hours, e.g. W("MO,WE", "09:00", "12:00")."""
    return {"freq": "WEEKLY", "byday": byday, "opens_at": opens, "closes_at": closes, **extra}


def M(byday: str, opens: str, closes: str, **extra) -> dict:
    """Monthly rule, e.g. M("1SA", "10:00", "13:00") = first Saturday of each month."""
    return {"freq": "MONTHLY", "byday": byday, "opens_at": opens, "closes_at": closes, **extra}


# Frequently used hour sets
OFFICE_SPLIT = [W("MO,TU,WE,TH,FR", "09:00", "12:00"), W("MO,TU,TH", "14:00", "16:00")]
WEEKDAYS = "MO,TU,WE,TH,FR"

# ---------------------------------------------------------------------------
# Offers
#
# Each row: O(key, location key(s), name, organisation key, needs, groups,
# hours, description, **details). Details (all optional):
#   langs        language codes (default ["de"])
#   fee          (amount in EUR, option text, amount description) or None = free
#   fees         fees_description text (default derived from fee)
#   ages         (minimum_age, maximum_age); None for an open bound
#   elig         eligibility_description (default derived from groups)
#   apply        application_process (default derived from hours)
#   phone        False for offers without a phone number
#   email, url   False for offers without e-mail / web page
#   status       HSDS status (default "active")
#   alert        service alert text
#   docs         required documents
#   interp       interpretation_services text
# ---------------------------------------------------------------------------

OFFERS: list[dict] = []


# One capital letter on purpose: it marks the 132 rows of the table below as rows, not as calls.
def O(key, locs, name, org, needs, groups, hours, description, **details) -> None:  # noqa: E743
    OFFERS.append({
        "key": key,
        "locations": [locs] if isinstance(locs, str) else list(locs),
        "name": name,
        "org": org,
        "needs": needs,
        "groups": groups,
        "hours": hours,
        "description": description,
        **details,
    })


# --- The four Dritte Orte ---------------------------------------------------

# Teestube Lengerich (refugee tea room)
O("sprachcafe-teestube", "teestube-lengerich", "Sprachcafé in der Teestube", "teestube",
  ["sprachkurse", "treffen-freizeit"], ["migration"],
  [W("MO,WE", "15:00", "17:30")],
  "Bei Tee und Keksen Deutsch lernen und sprechen. Ehrenamtliche helfen beim Üben für Alltag, Arzt und Amt. "
  "Alle Sprachniveaus sind willkommen.",
  langs=["de", "ar", "fa", "uk", "ti", "en"], apply="Einfach vorbeikommen. Keine Anmeldung nötig.")
O("fluechtlingsberatung-teestube", "teestube-lengerich", "Flüchtlingsberatung in der Teestube", "teestube",
  ["ankommen-migration", "beratung-notlagen", "geld-aemter"], ["migration"],
  [W("TU", "10:00", "12:00"), W("TU", "14:00", "16:00")],
  "Beratung zu Aufenthalt, Asylverfahren, Briefen vom Amt und Wohnung. Wir erklären Formulare und "
  "helfen bei Anträgen.",
  langs=["de", "ar", "fa", "ps", "ku", "ti", "en", "fr"],
  interp="Ehrenamtliche Sprachmittlerinnen und Sprachmittler für Arabisch, Farsi, Paschtu, Kurmandschi und Tigrinya.")
O("dolmetscher-teestube", "teestube-lengerich", "Ehrenamtliche Dolmetscher – Begleitung zu Arzt und Amt", "teestube",
  ["ankommen-migration", "gesundheit", "geld-aemter"], ["migration"],
  [],
  "Ehrenamtliche begleiten Sie zur Ärztin oder zum Arzt, zum Jobcenter oder zur Ausländerbehörde und "
  "übersetzen. Bitte melden Sie sich einige Tage vorher.",
  langs=MIG_WIDE, apply="Termin per Telefon oder direkt in der Teestube absprechen.",
  interp="Ehrenamtliche Dolmetscherinnen und Dolmetscher für 10 Sprachen, keine beeidigten Übersetzungen.")
O("hausaufgaben-teestube", "teestube-lengerich", "Hausaufgabenhilfe für Kinder aus aller Welt", "teestube",
  ["kinder-jugend-familie", "ankommen-migration"], ["kinder-jugend", "migration"],
  [W("MO,TU,WE,TH", "14:00", "15:30")],
  "Hilfe bei den Hausaufgaben und beim Lesen für Schulkinder. Es gibt Getränke und Obst.",
  ages=(6, 14), langs=["de", "ar", "uk", "en"], phone=False)
O("frauenfruehstueck-teestube", "teestube-lengerich", "Internationales Frauenfrühstück in der Teestube", "teestube",
  ["treffen-freizeit", "ankommen-migration"], ["migration"],
  [M("2SA", "10:00", "12:30")],
  "Frauen aus vielen Ländern frühstücken zusammen, lernen sich kennen und sprechen Deutsch. Kinder dürfen "
  "mitkommen.",
  langs=["de", "ar", "fa", "uk", "ti"], fee=(2.0, "Kostenbeitrag", "pro Frühstück"),
  fees="2,00 EUR für das Frühstück. Wer kein Geld hat, isst kostenlos mit.", elig="Für Frauen und ihre Kinder.")

# Haus für alle, Altenberge (volunteer house)
O("repair-cafe-haus-fuer-alle", "haus-fuer-alle", "Repair-Café im Haus für alle", "haus-fuer-alle",
  ["treffen-freizeit"], ["alle"],
  [M("-1SA", "10:00", "13:00")],
  "Kaputter Toaster, Fahrrad oder Handy? Ehrenamtliche reparieren mit Ihnen zusammen. Dazu gibt es Kaffee "
  "und Kuchen.",
  fees="Kostenlos, Spenden sind willkommen. Ersatzteile bezahlen Sie selbst.", phone=False)
O("begegnungscafe-haus-fuer-alle", "haus-fuer-alle", "Begegnungscafé im Haus für alle", "haus-fuer-alle",
  ["treffen-freizeit", "ankommen-migration"], ["alle", "migration"],
  [W("TH", "15:00", "18:00")],
  "Offenes Café für Alteingesessene und Neuzugezogene. Hier finden Sie Gesellschaft, Gespräche und Hilfe "
  "bei kleinen Fragen.",
  langs=["de", "en", "ar", "uk"])
O("nachbarschaftshilfe-altenberge", "haus-fuer-alle", "Nachbarschaftshilfe Altenberge", "haus-fuer-alle",
  ["alter-pflege", "treffen-freizeit"], ["senioren", "behinderung"],
  [W("MO,WE,FR", "10:00", "12:00")],
  "Ehrenamtliche helfen beim Einkaufen, begleiten zum Arzt oder kommen zum Vorlesen. Rufen Sie einfach an.",
  apply="Anruf im Büro; wir vermitteln eine passende Helferin oder einen passenden Helfer.")
O("kleiderstube-haus-fuer-alle", "haus-fuer-alle", "Kleiderstube im Haus für alle", "haus-fuer-alle",
  ["lebensmittel-kleidung"], ["alle", "migration"],
  [W("TU", "15:00", "18:00"), W("SA", "10:00", "12:00")],
  "Gut erhaltene Kleidung und Schuhe für Erwachsene und Kinder für kleines Geld.",
  fee=(1.0, "Kostenbeitrag", "pro Teil"), fees="1,00 EUR pro Teil, Kinderkleidung kostenlos.", phone=False)

# Medienwerkstatt Mettingen
O("handy-sprechstunde-medienwerkstatt", "medienwerkstatt-mettingen",
  "Handy-Sprechstunde in der Medienwerkstatt Mettingen", "medienwerkstatt",
  ["digital-lernen"], ["senioren", "alle"],
  [W("WE", "16:00", "18:00")],
  "Fragen zu Handy, Smartphone oder Tablet? Bringen Sie Ihr Gerät mit. Wir erklären in Ruhe WhatsApp, "
  "Fotos, Apps und Einstellungen.",
  langs=["de", "pl"])
O("video-werkstatt-jugend-mettingen", "medienwerkstatt-mettingen", "Video- und Podcast-Werkstatt für Jugendliche",
  "medienwerkstatt",
  ["digital-lernen", "kinder-jugend-familie", "treffen-freizeit"], ["kinder-jugend"],
  [W("TH", "16:00", "19:00")],
  "Eigene Videos drehen, schneiden und Podcasts aufnehmen. Die Technik ist da, ihr bringt die Ideen mit.",
  ages=(12, 18))
O("computerkurs-leichte-sprache-mettingen", "medienwerkstatt-mettingen",
  "Computerkurs in Leichter Sprache", "medienwerkstatt",
  ["digital-lernen", "behinderung-teilhabe"], ["behinderung", "senioren"],
  [W("TU", "10:00", "12:00", valid_from="2026-04-14", valid_to="2026-07-07")],
  "Computer und Internet Schritt für Schritt lernen. Wir sprechen langsam und in Leichter Sprache. "
  "Der Raum ist mit dem Rollstuhl über eine Rampe erreichbar.",
  fee=(10.0, "Kursgebühr", "für den ganzen Kurs (12 Termine)"),
  fees="10,00 EUR für den ganzen Kurs. Ermäßigung ist möglich.",
  apply="Anmeldung bis eine Woche vor Kursbeginn per Telefon oder E-Mail.")
O("bewerbung-computer-mettingen", "medienwerkstatt-mettingen", "Bewerbung am Computer – Hilfe für Zugewanderte",
  "medienwerkstatt",
  ["digital-lernen", "ankommen-migration", "geld-aemter"], ["migration"],
  [W("FR", "10:00", "12:00"), W("FR", "13:00", "15:00")],
  "Wir helfen beim Lebenslauf, bei Bewerbungen und beim Jobportal der Arbeitsagentur. Bringen Sie Ihre "
  "Zeugnisse mit.",
  langs=["de", "en", "ar", "uk", "ru", "pl", "ro"])

# Pauline ist cool!, Steinfurt (seniors' digital club)
O("smartphone-sprechstunde-pauline", "pauline-ist-cool", "Smartphone-Sprechstunde bei Pauline ist cool!", "pauline",
  ["digital-lernen"], ["senioren"],
  [W("TU,TH", "10:00", "12:00")],
  "Seniorinnen und Senioren helfen Ihnen mit dem Handy: Anrufe, WhatsApp, Fotos, Arzttermine online. "
  "Ohne Stress und ohne Fachwörter.",
  ages=(60, None), apply="Einfach vorbeikommen und das Handy mitbringen.")
O("tablet-kurs-pauline", "pauline-ist-cool", "Tablet-Kurs für Einsteigerinnen und Einsteiger", "pauline",
  ["digital-lernen"], ["senioren"],
  [W("WE", "10:00", "11:30", valid_from="2026-03-04", valid_to="2026-06-24")],
  "In acht Treffen lernen Sie das Tablet kennen: Internet, E-Mail, Videos und Nachrichten. Leihgeräte sind da.",
  ages=(60, None), fee=(10.0, "Kursgebühr", "für 8 Termine"), fees="10,00 EUR für alle 8 Termine.",
  apply="Anmeldung per Telefon, höchstens 8 Personen.")
O("videotelefonie-pauline", "pauline-ist-cool", "Digital-Treff: Videotelefonie mit den Enkeln", "pauline",
  ["digital-lernen", "treffen-freizeit"], ["senioren", "kinder-jugend"],
  [M("-1FR", "15:00", "17:00")],
  "Großeltern und Enkel üben zusammen Videoanrufe, Fotos teilen und kleine Spiele auf dem Handy. "
  "Mit Kaffee und Saft.",
  phone=False)
O("online-banking-pauline", "pauline-ist-cool", "Sicher im Internet: Online-Banking und Betrugsmaschen", "pauline",
  ["digital-lernen", "geld-aemter"], ["senioren"],
  [M("2MO", "10:00", "12:00")],
  "So schützen Sie Ihr Geld: sichere Passwörter, falsche SMS, Enkeltrick am Telefon und Online-Banking "
  "Schritt für Schritt.",
  ages=(60, None))

# --- Rheine -------------------------------------------------------------------

O("schuldnerberatung-diakonie-rheine", "rheine-diakonie", "Schuldnerberatung der Diakonie (Beispiel) Rheine",
  "diakonie-rheine",
  ["schuldnerberatung", "beratung-notlagen"], ["alle"],
  [W("MO,TU,TH", "09:00", "12:00"), W("TU,TH", "14:00", "16:00")],
  "Hilfe bei Schulden, Mahnungen und Kontopfändung. Wir prüfen Ihre Unterlagen, sprechen mit Gläubigern "
  "und erklären die Privatinsolvenz.",
  apply="Offene Sprechstunde für den ersten Kontakt, danach feste Termine.",
  docs=["Alle Briefe von Gläubigern", "Kontoauszüge der letzten drei Monate"])
O("mbe-rheine", "rheine-caritashaus", "Migrationsberatung für Erwachsene (MBE) Rheine", "caritas-rheine",
  ["ankommen-migration", "beratung-notlagen", "geld-aemter"], ["migration"],
  OFFICE_SPLIT,
  "Beratung für Zugewanderte ab 27 Jahren: Integrationskurs, Arbeit, Wohnung, Anerkennung von Abschlüssen "
  "und Briefe vom Amt.",
  ages=(27, None), langs=["de", "en", "ar", "ru", "tr", "uk"])
O("seniorenberatung-rheine", "rheine-buergerhaus", "Seniorenberatung Rheine", "stadt-rheine-senioren",
  ["pflegeberatung", "geld-aemter"], ["senioren"],
  [W(WEEKDAYS, "09:00", "12:00"), W("TH", "14:00", "17:00")],
  "Beratung rund ums Älterwerden: Hilfe im Haushalt, Pflege, Wohnen im Alter, Hausnotruf und Anträge. "
  "Auf Wunsch kommen wir zu Ihnen nach Hause.",
  ages=(60, None))
O("mittagstisch-awo-rheine", "rheine-awo", "Mittagstisch in der AWO-Begegnungsstätte Rheine", "awo",
  ["lebensmittel-kleidung", "treffen-freizeit"], ["senioren", "alle"],
  [W("MO,WE,FR", "12:00", "13:30")],
  "Warmes Mittagessen in Gesellschaft. Es gibt jeden Tag ein Essen mit Fleisch und ein vegetarisches Essen.",
  fee=(3.5, "Mittagessen", "pro Essen inklusive Getränk"),
  fees="3,50 EUR pro Essen. Mit Rheine-Pass 2,00 EUR.", apply="Anmeldung bis 10 Uhr am Vortag.")
O("tafel-rheine", "rheine-tafel", "Tafel Rheine", "tafel",
  ["lebensmittel-kleidung", "geld-aemter"], ["alle"],
  [W("TU,FR", "14:00", "17:00")],
  "Lebensmittel für Menschen mit wenig Geld. Bitte bringen Sie eine Einkaufstasche mit.",
  fee=(2.0, "Kostenbeitrag", "pro Einkauf"), fees="2,00 EUR pro Einkauf.",
  elig="Für Menschen mit Bürgergeld, Grundsicherung, Wohngeld, kleiner Rente oder Asylbewerberleistungen.",
  docs=["Bescheid über Bürgergeld, Grundsicherung, Wohngeld oder Asylbewerberleistungen", "Personalausweis"])
O("jugendzentrum-emsufer-rheine", "rheine-jugendzentrum", "Jugendzentrum Emsufer Rheine", "caritas-rheine",
  ["kinder-jugend-familie", "treffen-freizeit"], ["kinder-jugend"],
  [W("MO,TU,WE,TH", "14:00", "20:00"), W("FR", "14:00", "22:00")],
  "Treffpunkt mit Billard, Kicker, Musikraum und Küche. Die Betreuerinnen und Betreuer haben ein offenes "
  "Ohr bei Stress in Schule oder Familie.",
  ages=(10, 21))
O("elterncafe-regenbogen-rheine", "rheine-familienzentrum", "Elterncafé im Familienzentrum Regenbogen",
  "familienzentrum",
  ["kinder-jugend-familie", "treffen-freizeit"], ["kinder-jugend"],
  [W("MO", "09:00", "11:00")],
  "Eltern treffen sich bei Kaffee, die Kleinen spielen. Eine Fachkraft beantwortet Fragen zu Kita, "
  "Erziehung und Schlaf.",
  langs=["de", "tr", "ar"])
O("erziehungsberatung-rheine", "rheine-caritashaus", "Erziehungsberatung Rheine", "caritas-rheine",
  ["kinder-jugend-familie", "beratung-notlagen"], ["kinder-jugend"],
  [W("MO,TU,WE,TH", "08:30", "12:30"), W("MO,TU,WE,TH", "13:30", "17:00")],
  "Beratung für Eltern, Kinder und Jugendliche bei Streit, Trennung, Schulproblemen oder Sorgen. "
  "Vertraulich und kostenlos.",
  apply="Termin per Telefon; in dringenden Fällen noch in der gleichen Woche.")
O("eutb-rheine", "rheine-buergerhaus", "EUTB – Ergänzende unabhängige Teilhabeberatung Rheine", "eutb",
  ["behinderung-teilhabe", "geld-aemter"], ["behinderung"],
  [W("MO,WE", "10:00", "13:00"), W("WE", "14:00", "17:00")],
  "Menschen mit Behinderung beraten Menschen mit Behinderung: Schwerbehindertenausweis, Persönliches Budget, "
  "Hilfsmittel wie Rollstuhl, Assistenz und Arbeit.",
  interp="Gebärdensprachdolmetscher und Leichte Sprache auf Anfrage.")
O("inklusiver-sport-rheine", "rheine-sporthalle", "Inklusiver Sport: Bewegung für alle Rheine", "sport-inklusiv",
  ["behinderung-teilhabe", "treffen-freizeit", "gesundheit"], ["behinderung", "kinder-jugend"],
  [W("WE", "17:30", "19:00")],
  "Rollstuhlbasketball, Ballspiele und Bewegung für Menschen mit und ohne Behinderung. Sportrollstühle "
  "können ausgeliehen werden.",
  ages=(8, None), fee=(5.0, "Mitgliedsbeitrag", "pro Monat"),
  fees="Zwei Probetrainings kostenlos, danach 5,00 EUR im Monat.")
O("buergergeld-beratung-rheine", "rheine-jobcenter", "Bürgergeld-Beratung im Jobcenter Rheine", "jobcenter",
  ["geld-aemter"], ["alle", "migration"],
  [W(WEEKDAYS, "08:00", "12:00"), W("TH", "14:00", "17:00")],
  "Fragen zum Bürgergeld, zu Anträgen, Miete und Heizkosten und zur Arbeitssuche. Sie können auch ohne "
  "Termin kommen.",
  langs=["de", "en", "ar", "uk", "tr"], docs=["Personalausweis oder Aufenthaltstitel"])
O("suchtberatung-rheine", "rheine-caritashaus", "Suchtberatung Rheine", "suchtberatung",
  ["gesundheit", "beratung-notlagen"], ["alle"],
  [W("MO,TU,WE,TH,FR", "09:00", "12:00"), W("TU", "17:00", "19:00")],
  "Beratung bei Problemen mit Alkohol, Medikamenten, Drogen, Glücksspiel oder Handy. Auch für Angehörige. "
  "Anonym, wenn Sie möchten.")
O("jugendmigrationsdienst", ["rheine-caritashaus", "ibb-caritas"], "Jugendmigrationsdienst Rheine und Ibbenbüren",
  "caritas-rheine",
  ["ankommen-migration", "kinder-jugend-familie"], ["migration", "kinder-jugend"],
  [W("MO,TU,TH", "10:00", "13:00"), W("TH", "14:00", "17:00")],
  "Beratung für junge Zugewanderte von 12 bis 27 Jahren: Schule, Ausbildung, Deutschkurs und Alltag. "
  "Sprechstunden in Rheine und Ibbenbüren.",
  ages=(12, 27), langs=["de", "en", "ar", "fa", "uk", "ru"])
O("demenz-cafe-rheine", "rheine-awo", "Demenz-Café Rheine", "awo",
  ["alter-pflege", "gesundheit"], ["senioren"],
  [M("2WE", "15:00", "17:00")],
  "Menschen mit Demenz und ihre Angehörigen verbringen einen schönen Nachmittag mit Kaffee, Musik und "
  "Erinnerungen. Pflegende Angehörige können sich austauschen.",
  fee=(3.0, "Kostenbeitrag", "pro Nachmittag"), fees="3,00 EUR für Kaffee und Kuchen.")
O("kleiderkammer-bahnhof-rheine", "rheine-bahnhof", "Kleiderkammer am Bahnhof Rheine", "ev-kirche",
  ["lebensmittel-kleidung"], ["alle"],
  [W("WE", "14:00", "17:00")],
  "Das Angebot gibt es nicht mehr. Gebrauchte Kleidung gibt es jetzt in der Kleiderstube im Haus für alle "
  "und bei anderen Kleiderkammern im Kreis.",
  status="defunct", phone=False, email=False)

# --- Ibbenbüren ---------------------------------------------------------------

O("tafel-ibbenbueren", "ibb-tafel", "Tafel Ibbenbüren", "tafel",
  ["lebensmittel-kleidung"], ["alle"],
  [W("TU,TH", "13:30", "16:00")],
  "Ausgabe von gespendeten Lebensmitteln wie Brot, Obst und Gemüse für Menschen mit wenig Geld.",
  fee=(1.5, "Kostenbeitrag", "pro Einkauf"), fees="1,50 EUR pro Einkauf.",
  elig="Für Menschen mit Bürgergeld, Grundsicherung, kleiner Rente oder Asylbewerberleistungen.",
  docs=["Tafel-Ausweis (gibt es bei der ersten Ausgabe gegen Vorlage eines Bescheids)"])
O("hospizdienst-ibbenbueren", "ibb-hospiz", "Ambulanter Hospizdienst Ibbenbüren", "hospiz",
  ["alter-pflege", "gesundheit"], ["senioren", "alle"],
  [],
  "Ehrenamtliche begleiten schwer kranke und sterbende Menschen zu Hause, im Heim oder im Krankenhaus. "
  "Auch Angehörige bekommen Unterstützung.",
  apply="Anruf genügt; wir vereinbaren ein erstes Gespräch bei Ihnen zu Hause.")
O("integrationskurs-ibbenbueren", "ibb-vhs", "Integrationskurs mit Kinderbetreuung Ibbenbüren", "vhs",
  ["sprachkurse", "kinder-jugend-familie"], ["migration", "kinder-jugend"],
  [W(WEEKDAYS, "08:30", "12:45", valid_from="2026-02-02", valid_to="2026-09-30")],
  "Deutsch lernen bis zum Niveau B1 und Orientierungskurs über Leben in Deutschland. Während des Kurses "
  "werden kleine Kinder betreut.",
  langs=["de"], fee=(2.29, "Kostenbeitrag", "pro Unterrichtsstunde, wenn keine Befreiung vorliegt"),
  fees="Mit Berechtigungsschein oft kostenlos, sonst 2,29 EUR pro Unterrichtsstunde.",
  apply="Anmeldung mit Einstufungstest im VHS-Büro.",
  docs=["Berechtigungsschein vom BAMF, Jobcenter oder der Ausländerbehörde", "Aufenthaltstitel"])
O("sozialberatung-diakonie-ibbenbueren", "ibb-diakonie", "Sozialberatung der Diakonie Ibbenbüren",
  "diakonie-tecklenburg",
  ["beratung-notlagen", "geld-aemter"], ["alle"],
  OFFICE_SPLIT,
  "Beratung bei Geldsorgen, Problemen mit der Wohnung, mit Anträgen und Behörden. Wir hören zu und suchen "
  "mit Ihnen eine Lösung.")
O("fruehe-hilfen-ibbenbueren", "ibb-familienzentrum", "Frühe Hilfen Ibbenbüren", "kreis-jugendamt",
  ["kinder-jugend-familie", "gesundheit"], ["kinder-jugend"],
  [W("TU", "09:00", "11:00")],
  "Hilfe für Schwangere und Eltern mit Babys und Kleinkindern: Familienhebamme, Babysprechstunde und "
  "Beratung zu Schlafen, Schreien und Stillen.",
  langs=["de", "en", "tr", "ar"])
O("schwangerschaftsberatung-ibbenbueren", "ibb-caritas", "Schwangerschaftsberatung Ibbenbüren", "schwangerschaft",
  ["kinder-jugend-familie", "beratung-notlagen", "gesundheit"], ["kinder-jugend"],
  [W("MO,WE", "09:00", "12:00"), W("WE", "14:00", "18:00")],
  "Beratung in der Schwangerschaft: Elterngeld, Kindergeld, Hilfe bei Geldnot und Fragen zur Geburt. "
  "Vertraulich und auf Wunsch anonym.",
  langs=["de", "en", "ru"])
O("selbsthilfe-kontaktstelle-ibbenbueren", "ibb-buergerhaus", "Selbsthilfe-Kontaktstelle Ibbenbüren", "selbsthilfe",
  ["selbsthilfe", "behinderung-teilhabe"], ["behinderung", "alle"],
  [W("MO,WE", "10:00", "12:00")],
  "Wir vermitteln Selbsthilfegruppen, zum Beispiel zu Diabetes, Depression, Parkinson, Rheuma oder für "
  "Eltern von Kindern mit Behinderung.")
O("wohnberatung-ibbenbueren", "ibb-buergerhaus", "Wohnberatung für ältere Menschen und Menschen mit Behinderung",
  "kreis-sozialamt",
  ["behinderung-teilhabe", "alter-pflege"], ["behinderung", "senioren"],
  [],
  "Wir beraten, wie Ihre Wohnung barrierefrei wird: Dusche statt Wanne, Rampe für den Rollstuhl, "
  "Treppenlift und Zuschüsse der Pflegekasse.",
  apply="Termin nach Vereinbarung, gern als Hausbesuch.")
O("hausaufgabenhilfe-laggenbeck", "ibb-laggenbeck", "Hausaufgabenhilfe im Jugendtreff Laggenbeck",
  "stadt-ibbenbueren-jugend",
  ["kinder-jugend-familie"], ["kinder-jugend"],
  [W("MO,TU,WE,TH", "13:30", "15:30")],
  "Hilfe bei Hausaufgaben und beim Lernen für Grundschul- und Schulkinder bis Klasse 7.",
  ages=(6, 13), status="temporarily closed",
  alert="Wegen Umbau des Jugendtreffs vorübergehend geschlossen. Neustart voraussichtlich nach den Sommerferien.")
O("rentenberatung-ibbenbueren", "ibb-buergerhaus", "Rentenberatung im Bürgerhaus Ibbenbüren", "rentenberatung",
  ["geld-aemter", "alter-pflege"], ["senioren"],
  [M("1TU", "09:00", "12:00"), M("3TU", "14:00", "17:00")],
  "Hilfe beim Rentenantrag, bei Erwerbsminderungsrente und Witwenrente. Die Versichertenberater prüfen "
  "auch Ihren Rentenbescheid.",
  apply="Termin bitte telefonisch vereinbaren.",
  docs=["Personalausweis", "Rentenversicherungsnummer", "Steuer-ID", "Bankverbindung"])
O("frauenberatung-ibbenbueren", "ibb-diakonie", "Frauenberatung Ibbenbüren", "frauenberatung",
  ["beratung-notlagen", "gesundheit"], ["alle", "migration"],
  [W("MO,TU,TH", "09:30", "12:30"), W("TH", "15:00", "18:00")],
  "Beratung für Frauen bei Gewalt, Trennung, Stalking oder Krisen. Wir helfen auch bei der Suche nach "
  "einem Platz im Frauenhaus.",
  langs=["de", "en", "ar", "tr"], elig="Für Frauen ab 16 Jahren.", ages=(16, None))

# --- Greven -------------------------------------------------------------------

O("sprachcafe-greven", "greven-buergerzentrum", "Sprachcafé Greven", "fluechtlingshilfe",
  ["sprachkurse", "treffen-freizeit"], ["migration"],
  [W("TH", "16:00", "18:00")],
  "Deutsch sprechen üben bei Kaffee und Tee. Zurzeit pausiert das Sprachcafé, weil Ehrenamtliche gesucht "
  "werden.",
  langs=["de", "en", "ar", "uk"], status="inactive", phone=False)
O("fluechtlingsberatung-greven", "greven-caritas", "Flüchtlingsberatung Greven", "caritas-emsdetten-greven",
  ["ankommen-migration", "beratung-notlagen"], ["migration"],
  [W("MO,TU,TH", "09:00", "12:00"), W("TU", "14:00", "17:00")],
  "Beratung zu Asylverfahren, Duldung, Familiennachzug, Wohnung und Leistungen. Wir helfen bei Briefen "
  "und Anträgen.",
  langs=["de", "en", "ar", "fa", "ps", "ku"])
O("seniorentreff-greven", "greven-seniorentreff", "Seniorentreff am Mühlenbach Greven", "caritas-emsdetten-greven",
  ["treffen-freizeit"], ["senioren"],
  [W("WE", "14:30", "17:00")],
  "Kaffee, Kuchen, Gespräche und Spiele am Mittwochnachmittag. Einmal im Monat gibt es einen Ausflug.",
  fee=(2.0, "Kostenbeitrag", "für Kaffee und Kuchen"), fees="2,00 EUR für Kaffee und Kuchen.", ages=(60, None))
O("smartphone-treff-greven", "greven-buergerzentrum", "Smartphone-Treff für Seniorinnen und Senioren Greven",
  "caritas-emsdetten-greven",
  ["digital-lernen"], ["senioren"],
  [M("1MO", "15:00", "17:00")],
  "Jugendliche erklären älteren Menschen das Handy: Nachrichten schreiben, Fotos verschicken, Bus-App "
  "und Videoanrufe.",
  phone=False)
O("jugendzentrum-greven", "greven-jugendzentrum", "Jugendzentrum Kulturschiene Greven", "caritas-emsdetten-greven",
  ["kinder-jugend-familie", "treffen-freizeit"], ["kinder-jugend"],
  [W("MO,TU,WE,TH,FR", "15:00", "21:00"), W("SA", "14:00", "18:00")],
  "Offener Treff mit Tonstudio, Sportangeboten und Kochabenden. Hilfe bei Bewerbungen und Ärger in der "
  "Schule.",
  ages=(12, 21))
O("erziehungsberatung-greven", "greven-caritas", "Erziehungsberatung Greven", "caritas-emsdetten-greven",
  ["kinder-jugend-familie", "beratung-notlagen"], ["kinder-jugend"],
  [W("MO,TU,WE,TH", "09:00", "12:00"), W("MO,WE", "14:00", "17:00")],
  "Beratung für Familien bei Erziehungsfragen, Trennung und Scheidung oder wenn Kinder Sorgen haben.")
O("schuldnerberatung-greven", "greven-caritas", "Schuldnerberatung Greven", "caritas-emsdetten-greven",
  ["schuldnerberatung", "beratung-notlagen"], ["alle"],
  [],
  "Beratung bei Schulden, Mietrückständen und Stromsperren. Wir erstellen mit Ihnen einen Haushaltsplan.",
  apply="Erstgespräch nach Vereinbarung per Telefon.")
O("tagespflege-greven", "greven-seniorentreff", "Tagespflege Am Mühlenbach Greven", "drk",
  ["alter-pflege", "gesundheit"], ["senioren"],
  [W(WEEKDAYS, "08:00", "16:30")],
  "Tagsüber betreut, abends zu Hause: Pflege, Essen, Gymnastik und Gesellschaft. Ein Fahrdienst holt Sie ab.",
  fee=(14.5, "Eigenanteil", "pro Tag für Verpflegung und Unterkunft"),
  fees="Die Pflege bezahlt meist die Pflegekasse. Eigenanteil für Essen ca. 14,50 EUR pro Tag.",
  elig="Für Menschen mit Pflegegrad.")
O("schwimmkurs-inklusiv-greven", "greven-hallenbad", "Inklusiver Schwimmkurs für Kinder Greven", "sport-inklusiv",
  ["behinderung-teilhabe", "kinder-jugend-familie", "gesundheit"], ["behinderung", "kinder-jugend"],
  [W("SA", "10:00", "11:00")],
  "Schwimmen lernen in kleinen Gruppen für Kinder mit und ohne Behinderung. Das Becken hat einen Lifter.",
  ages=(5, 14), fee=(30.0, "Kursgebühr", "für 10 Termine"),
  fees="30,00 EUR für 10 Termine; mit Bildungs- und Teilhabepaket kostenlos.")

# --- Emsdetten ----------------------------------------------------------------

O("jugendzentrum-gleis3-emsdetten", "ems-gleis3", "Jugendzentrum Gleis 3 Emsdetten", "stadt-emsdetten-jugend",
  ["kinder-jugend-familie", "treffen-freizeit"], ["kinder-jugend"],
  [W("MO,TU,WE,TH", "14:00", "20:00"), W("FR", "14:00", "22:00")],
  "Chillen, Kicker, Konsole und Konzerte im alten Güterbahnhof. Das Team hilft auch bei Problemen zu Hause "
  "oder in der Schule.",
  ages=(12, 27))
O("hausaufgabenhilfe-gleis3", "ems-gleis3", "Hausaufgabenhilfe im Gleis 3", "stadt-emsdetten-jugend",
  ["kinder-jugend-familie"], ["kinder-jugend", "migration"],
  [W("MO,TU,WE,TH", "13:30", "15:30")],
  "Studierende und Ehrenamtliche helfen bei Hausaufgaben, Referaten und beim Lernen für Arbeiten.",
  ages=(10, 16), langs=["de", "en", "ar", "tr"])
O("familienzentrum-lindenhof-emsdetten", "ems-familienzentrum", "Krabbelgruppe und Kita-Beratung Lindenhof",
  "familienzentrum",
  ["kinder-jugend-familie"], ["kinder-jugend"],
  [W("TU", "09:30", "11:00")],
  "Krabbelgruppe für Babys und Kleinkinder mit ihren Eltern. Wir helfen auch bei der Suche nach einem "
  "Kita-Platz.",
  ages=(0, 3))
O("mbe-emsdetten", "ems-caritas", "Migrationsberatung (MBE) Emsdetten", "caritas-emsdetten-greven",
  ["ankommen-migration", "geld-aemter"], ["migration"],
  [W("MO,WE", "09:00", "12:00"), W("WE", "14:00", "16:00")],
  "Beratung für Zugewanderte: Integrationskurs, Arbeit, Anerkennung von Zeugnissen, Kindergeld und Wohnung.",
  ages=(27, None), langs=["de", "en", "ru", "pl", "ro", "tr"])
O("repair-cafe-emsdetten", "ems-buergerhaus", "Repair-Café Emsdetten", "repair-cafe",
  ["treffen-freizeit"], ["alle"],
  [M("1SA", "10:00", "13:00")],
  "Reparieren statt wegwerfen: Elektrogeräte, Kleidung, Fahrräder und Spielzeug. Bringen Sie das kaputte "
  "Teil einfach mit.",
  fees="Kostenlos, Spenden sind willkommen.", phone=False)
O("beratung-behinderung-emsdetten", "ems-lebenshilfe", "Beratung für Menschen mit Behinderung Emsdetten",
  "lebenshilfe",
  ["behinderung-teilhabe", "geld-aemter"], ["behinderung"],
  [W("MO,WE", "09:00", "12:00"), W("WE", "14:00", "17:00")],
  "Beratung zu Wohnen, Arbeit in der Werkstatt, Freizeit und Anträgen. Auch Eltern und Angehörige sind "
  "willkommen.",
  interp="Beratung in Leichter Sprache.")
O("pflegeberatung-emsdetten", "ems-caritas", "Pflegeberatung der Caritas Emsdetten", "caritas-emsdetten-greven",
  ["pflegeberatung"], ["senioren", "behinderung"],
  [W("TH", "14:00", "17:00")],
  "Wie beantrage ich einen Pflegegrad? Was zahlt die Pflegekasse? Wir beraten pflegende Angehörige und "
  "kommen auch nach Hause.")
O("deutschkurs-frauen-emsdetten", "ems-familienzentrum", "Deutschkurs für Frauen mit Kinderbetreuung Emsdetten",
  "vhs",
  ["sprachkurse", "kinder-jugend-familie"], ["migration", "kinder-jugend"],
  [W("TU,TH", "09:00", "11:30", valid_from="2026-01-12", valid_to="2026-12-18")],
  "Deutsch lernen für Mütter in kleiner Gruppe. Die Kinder werden nebenan betreut.",
  langs=["de", "ar", "tr", "uk"], elig="Für Frauen mit kleinen Kindern.",
  apply="Anmeldung im Familienzentrum.")

# --- Steinfurt ----------------------------------------------------------------

O("pflegestuetzpunkt-kreis", ["steinfurt-kreishaus", "rheine-buergerhaus", "ibb-buergerhaus"],
  "Pflegestützpunkt Kreis Steinfurt", "kreis-sozialamt",
  ["pflegeberatung", "behinderung-teilhabe"], ["senioren", "behinderung"],
  [W(WEEKDAYS, "08:30", "12:30"), W("MO,TU,TH", "14:00", "16:00")],
  "Neutrale Beratung zu Pflege, Pflegegrad, Tagespflege, Pflegeheim und Hilfen im Alltag. Sprechstunden "
  "in Steinfurt, Rheine und Ibbenbüren.",
  apply="Offene Sprechstunde oder Termin; Hausbesuche möglich.")
O("kinderschutz-steinfurt", "steinfurt-jugendamt", "Kinderschutz-Beratung des Kreisjugendamts",
  "kreis-jugendamt",
  ["kinder-jugend-familie", "beratung-notlagen"], ["kinder-jugend"],
  [W(WEEKDAYS, "08:00", "16:00")],
  "Wenn Sie sich Sorgen um ein Kind machen, können Sie hier anrufen. Auch Kinder und Jugendliche selbst "
  "können sich melden.",
  apply="Anruf genügt. Außerhalb der Zeiten hilft die Polizei unter 110.")
O("sprachmittler-steinfurt", "steinfurt-integration", "Sprachmittler-Pool Kreis Steinfurt",
  "fluechtlingshilfe",
  ["ankommen-migration", "gesundheit"], ["migration"],
  [],
  "Ehrenamtliche Sprachmittlerinnen und Sprachmittler übersetzen bei Gesprächen in Schule, Kita, "
  "Arztpraxis oder Beratung.",
  langs=MIG_WIDE + ["pl", "ro"], apply="Anfrage mindestens drei Tage vorher per Telefon oder E-Mail.")
O("sportgruppe-inklusiv-steinfurt", "steinfurt-sporthalle", "Inklusive Sportgruppe für Kinder Steinfurt",
  "sport-inklusiv",
  ["behinderung-teilhabe", "kinder-jugend-familie", "treffen-freizeit"], ["behinderung", "kinder-jugend"],
  [W("FR", "16:00", "17:30")],
  "Spielen, Klettern und Toben für Kinder mit und ohne Behinderung. Geschulte Übungsleiterinnen sind dabei.",
  ages=(6, 12), fee=(4.0, "Mitgliedsbeitrag", "pro Monat"), fees="4,00 EUR im Monat.")
O("shg-demenz-angehoerige-steinfurt", "steinfurt-gemeindehaus",
  "Selbsthilfegruppe für Angehörige von Menschen mit Demenz", "selbsthilfe",
  ["selbsthilfe", "alter-pflege"], ["senioren"],
  [M("1WE", "18:30", "20:00")],
  "Pflegende Angehörige tauschen sich aus, geben Tipps und stärken sich gegenseitig.",
  phone=False)

# --- Lengerich ----------------------------------------------------------------

O("sozialberatung-diakonie-lengerich", "lengerich-diakonie", "Allgemeine Sozialberatung der Diakonie Lengerich",
  "diakonie-tecklenburg",
  ["beratung-notlagen", "geld-aemter"], ["alle"],
  [W("MO,TU,TH", "09:00", "12:00"), W("TU,TH", "14:00", "16:00")],
  "Beratung bei Geldsorgen, Schulden, Problemen mit Wohnung oder Amt. Wir helfen, den richtigen Antrag zu "
  "finden.")
O("mittagstisch-lengerich", "lengerich-gemeindehaus", "Mittagstisch für alle Lengerich", "ev-kirche",
  ["lebensmittel-kleidung", "treffen-freizeit"], ["alle", "senioren"],
  [W("WE", "12:00", "13:30")],
  "Gemeinsam essen statt allein: warmes Essen, Nachtisch und nette Gesellschaft.",
  fee=(3.0, "Mittagessen", "pro Essen"), fees="3,00 EUR pro Essen, Kinder essen kostenlos.")
O("seniorenberatung-lengerich", "lengerich-rathaus", "Seniorenberatung Lengerich", "gemeinde-soziales",
  ["alter-pflege", "geld-aemter"], ["senioren"],
  [],
  "Beratung zu Rente, Grundsicherung, Wohnen im Alter, Hausnotruf und Pflege. Auch Hausbesuche.",
  apply="Termin nach Vereinbarung per Telefon.")
O("zuhoer-telefon-lengerich", "lengerich-zuhoeren", "Zuhör-Telefon: Reden hilft", "zuhoer-telefon",
  ["beratung-notlagen", "gesundheit"], ["senioren", "alle"],
  [W("MO,TU,WE,TH,FR,SA,SU", "17:00", "22:00")],
  "Sie fühlen sich einsam oder haben Sorgen? Ehrenamtliche hören Ihnen am Telefon zu. Anonym und kostenlos.",
  apply="Einfach anrufen. Sie müssen Ihren Namen nicht sagen.", email=False)

# --- Altenberge ---------------------------------------------------------------

O("eltern-kind-treff-altenberge", "altenberge-familienzentrum", "Eltern-Kind-Treff Kunterbunt Altenberge",
  "familienzentrum",
  ["kinder-jugend-familie", "treffen-freizeit"], ["kinder-jugend"],
  [W("WE", "09:30", "11:00")],
  "Spielen, Singen und Austausch für Eltern mit Kindern bis drei Jahre. Eine Erzieherin ist dabei.",
  ages=(0, 3))

# --- Mettingen ----------------------------------------------------------------

O("seniorenfruehstueck-mettingen", "mettingen-pfarrheim", "Seniorenfrühstück Mettingen", "kath-kirche",
  ["treffen-freizeit"], ["senioren"],
  [M("1TH", "09:00", "11:00")],
  "Gemeinsam frühstücken und erzählen. Manchmal gibt es einen kurzen Vortrag, zum Beispiel zu Gesundheit "
  "oder Rente.",
  fee=(4.0, "Kostenbeitrag", "pro Frühstück"), fees="4,00 EUR pro Frühstück.",
  apply="Bitte bis Dienstag anmelden.")

# --- Ochtrup ------------------------------------------------------------------

O("tafel-ochtrup", "ochtrup-tafel", "Tafel Ochtrup", "tafel",
  ["lebensmittel-kleidung"], ["alle"],
  [W("FR", "14:00", "16:00")],
  "Lebensmittel für Menschen mit wenig Geld. Die Ausgabe ist jeden Freitag.",
  fee=(2.0, "Kostenbeitrag", "pro Einkauf"), fees="2,00 EUR pro Einkauf.",
  docs=["Bescheid über Bürgergeld, Grundsicherung oder Wohngeld"])
O("jugendtreff-ochtrup", "ochtrup-jugendtreff", "Jugendtreff Alte Weberei Ochtrup", "kath-kirche",
  ["kinder-jugend-familie", "treffen-freizeit"], ["kinder-jugend"],
  [W("TU,WE,TH,FR", "15:00", "20:00")],
  "Treffpunkt für Jugendliche mit Werkstatt, Küche und Sportraum. Freitags wird zusammen gekocht.",
  ages=(11, 18))
O("deutschkurs-abends-ochtrup", "ochtrup-pfarrheim", "Deutschkurs am Abend Ochtrup", "fluechtlingshilfe",
  ["sprachkurse"], ["migration"],
  [W("MO,WE", "18:00", "19:30")],
  "Ehrenamtlicher Deutschkurs für Anfänger am Abend, gut nach der Arbeit. Einstieg jederzeit möglich.",
  langs=["de", "en", "ro", "pl", "ar"], phone=False)
O("senioren-wohnberatung-ochtrup", "ochtrup-rathaus", "Senioren- und Wohnberatung Ochtrup", "gemeinde-soziales",
  ["alter-pflege", "behinderung-teilhabe"], ["senioren", "behinderung"],
  [W("TU", "09:00", "12:00")],
  "Beratung zu Hilfen im Alltag, barrierefreier Wohnung, Pflege und Schwerbehindertenausweis.")

# --- Hörstel ------------------------------------------------------------------

O("familienzentrum-hoerstel", "hoerstel-familienzentrum", "Elternberatung und Kita-Sprechstunde Hörstel",
  "familienzentrum",
  ["kinder-jugend-familie"], ["kinder-jugend"],
  [W("MO", "14:00", "16:00")],
  "Beratung für Eltern zu Kita-Anmeldung, Entwicklung, Sprache und Erziehung. Kinder dürfen mitkommen.")
O("digital-treff-hoerstel", "hoerstel-buergerhaus", "Digital-Treff für Seniorinnen und Senioren Hörstel",
  "gemeinde-soziales",
  ["digital-lernen", "treffen-freizeit"], ["senioren"],
  [M("3TU", "15:00", "17:00")],
  "Fragen zu Handy, Tablet und Internet in gemütlicher Runde. Ehrenamtliche helfen geduldig.",
  phone=False)
O("fluechtlingshilfe-hoerstel", "hoerstel-buergerhaus", "Sprechstunde der Flüchtlingshilfe Hörstel",
  "fluechtlingshilfe",
  ["ankommen-migration", "beratung-notlagen"], ["migration"],
  [W("WE", "17:00", "19:00")],
  "Hilfe bei Briefen, Wohnungssuche, Schule und Arztbesuchen. Ehrenamtliche begleiten auch zu Terminen.",
  langs=["de", "en", "ar", "uk", "ti"])

# --- Hopsten ------------------------------------------------------------------

O("nachbarschaftshilfe-hopsten", "hopsten-rathaus", "Nachbarschaftshilfe Hopsten", "gemeinde-soziales",
  ["alter-pflege", "treffen-freizeit"], ["senioren", "alle"],
  [W("MO,TH", "09:00", "11:00")],
  "Ehrenamtliche helfen bei Einkauf, Fahrten zum Arzt und kleinen Arbeiten im Garten.",
  apply="Anruf im Bürgerbüro; wir melden uns mit einer Helferin oder einem Helfer.")
O("eltern-kind-gruppe-hopsten", "hopsten-pfarrheim", "Eltern-Kind-Gruppe Hopsten", "kath-kirche",
  ["kinder-jugend-familie"], ["kinder-jugend"],
  [W("TH", "09:30", "11:00")],
  "Spielgruppe für Eltern mit Kindern von 1 bis 3 Jahren: singen, spielen, basteln.",
  ages=(1, 3), fee=(2.0, "Kostenbeitrag", "pro Treffen"), fees="2,00 EUR pro Treffen.", phone=False)

# --- Horstmar -----------------------------------------------------------------

O("seniorenmittagstisch-horstmar", "horstmar-begegnung", "Seniorenmittagstisch Horstmar", "caritas-steinfurt",
  ["lebensmittel-kleidung", "treffen-freizeit"], ["senioren"],
  [W("TH", "12:00", "13:30")],
  "Warmes Mittagessen in Gesellschaft für ältere Menschen. Ein Fahrdienst ist möglich.",
  fee=(4.0, "Mittagessen", "pro Essen"), fees="4,00 EUR pro Essen.", ages=(60, None),
  apply="Anmeldung bis Dienstag per Telefon.")
O("theatergruppe-inklusiv-horstmar", "horstmar-buergerhaus", "Inklusive Theatergruppe Horstmar", "lebenshilfe",
  ["behinderung-teilhabe", "treffen-freizeit"], ["behinderung"],
  [W("MO", "18:00", "20:00")],
  "Theater spielen für Menschen mit und ohne Behinderung. Einmal im Jahr gibt es eine Aufführung.",
  ages=(16, None))

# --- Ladbergen ----------------------------------------------------------------

O("jugendtreff-ladbergen", "ladbergen-jugendtreff", "Jugendtreff Ladbergen", "ev-kirche",
  ["kinder-jugend-familie", "treffen-freizeit"], ["kinder-jugend"],
  [W("TU,TH", "16:00", "20:00"), W("FR", "17:00", "22:00")],
  "Treffpunkt mit Spielen, Musik und Ausflügen. Hier könnt ihr auch über Sorgen reden.",
  ages=(12, 18))
O("sprachpaten-ladbergen", "ladbergen-gemeindehaus", "Sprachpaten Ladbergen", "fluechtlingshilfe",
  ["sprachkurse", "ankommen-migration"], ["migration"],
  [],
  "Eine Sprachpatin oder ein Sprachpate übt mit Ihnen einmal pro Woche Deutsch, zu Hause oder im Café.",
  langs=["de", "en", "ar", "uk"], apply="Termin nach Vereinbarung; wir vermitteln Ihnen eine Patin oder einen Paten.")

# --- Laer ---------------------------------------------------------------------

O("begegnungscafe-laer", "laer-cafe", "Café Miteinander Laer", "fluechtlingshilfe",
  ["treffen-freizeit", "ankommen-migration"], ["migration", "alle"],
  [W("TU", "16:00", "18:00")],
  "Begegnungscafé für Menschen aus Laer und aus aller Welt. Mit Spielen für Kinder.",
  langs=["de", "ar", "fa", "en"], phone=False)
O("seniorenberatung-laer", "laer-rathaus", "Seniorensprechstunde Laer", "gemeinde-soziales",
  ["alter-pflege", "geld-aemter"], ["senioren"],
  [M("1TU", "10:00", "12:00")],
  "Beratung zu Pflege, Rente, Wohngeld und Hilfen im Haushalt im Rathaus.")

# --- Lienen -------------------------------------------------------------------

O("tagespflege-lienen", "lienen-tagespflege", "Tagespflege Haus Linde Lienen", "diakonie-tecklenburg",
  ["alter-pflege", "gesundheit"], ["senioren", "behinderung"],
  [W(WEEKDAYS, "08:00", "16:00")],
  "Tagespflege für ältere Menschen mit Pflegegrad: Essen, Pflege, Bewegung und Gesellschaft. "
  "Angehörige werden entlastet.",
  fee=(13.0, "Eigenanteil", "pro Tag für Verpflegung"),
  fees="Pflegekosten über die Pflegekasse. Eigenanteil für Essen ca. 13,00 EUR pro Tag.",
  elig="Für Menschen mit Pflegegrad.")
O("jugendtreff-lienen", "lienen-jugendtreff", "Kinder- und Jugendtreff Lienen", "gemeinde-soziales",
  ["kinder-jugend-familie", "treffen-freizeit"], ["kinder-jugend"],
  [W("MO,WE,FR", "14:30", "19:00")],
  "Spielen, Basteln, Kochen und Ferienprogramm für Kinder und Jugendliche.",
  ages=(8, 17))
O("trauercafe-lienen", "lienen-gemeindehaus", "Trauercafé Lienen", "hospiz",
  ["alter-pflege", "gesundheit", "treffen-freizeit"], ["senioren", "alle"],
  [M("2SU", "15:00", "17:00")],
  "Für Menschen, die einen lieben Menschen verloren haben. Bei Kaffee reden, zuhören oder einfach da sein.",
  phone=False)

# --- Lotte --------------------------------------------------------------------

O("fruehe-hilfen-lotte", "lotte-familienbuero", "Familienbüro Lotte – Frühe Hilfen", "kreis-jugendamt",
  ["kinder-jugend-familie", "gesundheit"], ["kinder-jugend"],
  [W("MO,WE", "09:00", "12:00")],
  "Begrüßungsbesuch für Babys, Beratung zu Elterngeld, Kita und Kinderarzt und Hilfe in der ersten Zeit "
  "mit dem Kind.")
O("sprachtreff-lotte", "lotte-begegnung", "Deutsch lernen im Sprachtreff Wersen", "fluechtlingshilfe",
  ["sprachkurse"], ["migration"],
  [W("TH", "18:30", "20:00")],
  "Deutsch üben am Abend in kleinen Gruppen. Auch Hilfe beim Lernen für die Sprachprüfung.",
  langs=["de", "en", "uk", "ru", "ar"], phone=False)
O("fussball-inklusiv-lotte", "lotte-sportplatz", "Inklusives Fußballtraining Lotte", "sport-inklusiv",
  ["behinderung-teilhabe", "treffen-freizeit"], ["behinderung", "kinder-jugend"],
  [W("SA", "10:00", "11:30")],
  "Fußball für Kinder und Jugendliche mit und ohne Behinderung. Fußballschuhe können ausgeliehen werden.",
  ages=(6, 18))

# --- Metelen ------------------------------------------------------------------

O("seniorentreff-metelen", "metelen-treff", "Offener Seniorentreff Metelen", "caritas-steinfurt",
  ["treffen-freizeit"], ["senioren"],
  [W("MO", "14:30", "17:00")],
  "Karten spielen, Kaffee trinken, Gedächtnistraining. Neue Gesichter sind immer willkommen.",
  phone=False)
O("hausaufgabenhilfe-metelen", "metelen-offene-tuer", "Hausaufgabenhilfe Offene Tür Metelen", "kath-kirche",
  ["kinder-jugend-familie"], ["kinder-jugend", "migration"],
  [W("MO,TU,WE,TH", "13:00", "14:30")],
  "Hilfe bei den Hausaufgaben nach der Schule. Auch Kinder, die gerade Deutsch lernen, bekommen Unterstützung.",
  ages=(6, 12), langs=["de", "ar", "uk"])

# --- Neuenkirchen -------------------------------------------------------------

O("integrationslotsen-neuenkirchen", "neuenkirchen-rathaus", "Integrationslotsen Neuenkirchen",
  "gemeinde-soziales",
  ["ankommen-migration", "geld-aemter"], ["migration"],
  [W("WE", "15:00", "18:00")],
  "Lotsinnen und Lotsen helfen beim Ankommen: Anmeldung, Kindergeld, Schule und Wohnungssuche.",
  langs=["de", "en", "ar", "ku", "uk"])
O("jugendtreff-neuenkirchen", "neuenkirchen-jugendtreff", "Jugendtreff Neuenkirchen", "kath-kirche",
  ["kinder-jugend-familie", "treffen-freizeit"], ["kinder-jugend"],
  [W("WE", "15:00", "19:00"), W("FR", "18:00", "22:00"), W("SA", "15:00", "19:00")],
  "Treff für Jugendliche mit Kicker, Playstation und Filmabenden am Freitag.",
  ages=(13, 19))
O("tagesstaette-neuenkirchen", "neuenkirchen-tagesstaette", "Tagesstätte Lichtblick für Menschen mit psychischer "
  "Erkrankung", "sozialpsychiatrie",
  ["gesundheit", "behinderung-teilhabe"], ["behinderung"],
  [W(WEEKDAYS, "09:00", "15:00")],
  "Tagesstruktur, gemeinsames Kochen, Kreativgruppen und Gespräche für Menschen mit seelischer Erkrankung.",
  fees="Kostenlos; bei regelmäßigem Besuch zahlt der Landschaftsverband.")

# --- Nordwalde ----------------------------------------------------------------

O("demenz-cafe-nordwalde", "nordwalde-pfarrheim", "Demenz-Café Nordwalde", "caritas-steinfurt",
  ["alter-pflege", "gesundheit"], ["senioren"],
  [M("2TH", "15:00", "17:00")],
  "Gemütlicher Nachmittag für Menschen mit Demenz und ihre Angehörigen: Singen, Erzählen, Kaffee.",
  fee=(2.5, "Kostenbeitrag", "pro Nachmittag"), fees="2,50 EUR für Kaffee und Kuchen.")
O("spielgruppe-nordwalde", "nordwalde-familienzentrum", "Spielgruppe im Familienzentrum Nordwalde",
  "familienzentrum",
  ["kinder-jugend-familie"], ["kinder-jugend"],
  [W("MO,WE", "09:00", "11:00")],
  "Erste Gruppe für Kinder ab zwei Jahren, bevor sie in die Kita gehen. Eltern können zum Elterncafé bleiben.",
  ages=(2, 3), fee=(15.0, "Beitrag", "pro Monat"), fees="15,00 EUR im Monat.")
O("sprachcafe-nordwalde", "nordwalde-buecherei", "Sprachcafé in der Bücherei Nordwalde", "fluechtlingshilfe",
  ["sprachkurse", "treffen-freizeit"], ["migration"],
  [W("SA", "10:00", "12:00")],
  "Deutsch sprechen am Samstagvormittag zwischen Büchern. Kinderbücher in vielen Sprachen zum Ausleihen.",
  langs=["de", "ar", "fa", "uk", "tr"], phone=False)

# --- Recke --------------------------------------------------------------------

O("seniorenbuero-recke", "recke-rathaus", "Seniorenbüro Recke", "gemeinde-soziales",
  ["alter-pflege", "treffen-freizeit"], ["senioren"],
  [W("TU,TH", "09:00", "12:00")],
  "Beratung und Programm für ältere Menschen: Ausflüge, Besuchsdienst, Hilfe im Haushalt und Pflegeberatung.")
O("jugendtreff-recke", "recke-jugendtreff", "Jugendtreff Recke", "gemeinde-soziales",
  ["kinder-jugend-familie", "treffen-freizeit"], ["kinder-jugend"],
  [W("TU,WE,TH", "15:00", "20:00")],
  "Offener Treff mit Billard, Dart, Kochabenden und Ferienaktionen.",
  ages=(12, 20))

# --- Saerbeck -----------------------------------------------------------------

O("repair-cafe-saerbeck", "saerbeck-werkstatt", "Repair-Café Saerbeck", "repair-cafe",
  ["treffen-freizeit"], ["alle"],
  [M("2SA", "10:00", "13:00")],
  "Ehrenamtliche reparieren mit Ihnen Lampen, Radios, Fahrräder und Kleidung.",
  fees="Kostenlos, Spenden sind willkommen.", phone=False)
O("fluechtlingshilfe-saerbeck", "saerbeck-buergerhaus", "Flüchtlingshilfe Saerbeck – offene Sprechstunde",
  "fluechtlingshilfe",
  ["ankommen-migration", "beratung-notlagen"], ["migration"],
  [W("MO", "16:00", "18:00")],
  "Hilfe bei Anträgen, Briefen vom Amt, Wohnung und Arbeit. Deutschkurse werden vermittelt.",
  langs=["de", "en", "ar", "fa", "ti"])
O("freizeitgruppe-inklusiv-saerbeck", "saerbeck-buergerhaus", "Inklusive Freizeitgruppe Saerbeck", "lebenshilfe",
  ["behinderung-teilhabe", "treffen-freizeit"], ["behinderung"],
  [W("SA", "14:00", "17:00", interval=2, dtstart="2026-01-10")],
  "Alle zwei Wochen gemeinsam etwas unternehmen: Kegeln, Kochen, Ausflüge. Für Erwachsene mit und ohne "
  "Behinderung.",
  ages=(18, None), fee=(3.0, "Kostenbeitrag", "pro Treffen"), fees="3,00 EUR pro Treffen, Ausflüge extra.")

# --- Tecklenburg --------------------------------------------------------------

O("shg-ms-tecklenburg", "tecklenburg-haus", "Selbsthilfegruppe Multiple Sklerose Tecklenburger Land",
  "selbsthilfe",
  ["selbsthilfe", "behinderung-teilhabe"], ["behinderung"],
  [M("-1TH", "18:00", "20:00")],
  "Menschen mit MS und Angehörige treffen sich, tauschen Erfahrungen aus und laden Ärztinnen und Ärzte zu "
  "Vorträgen ein.",
  phone=False)
O("pflegeberatung-tecklenburg", "tecklenburg-diakonie", "Pflegeberatung der Diakonie-Station Tecklenburg",
  "diakonie-tecklenburg",
  ["pflegeberatung", "gesundheit"], ["senioren"],
  [W("MO,WE,FR", "08:00", "12:00")],
  "Beratung zu häuslicher Pflege, Pflegegrad und Entlastung für pflegende Angehörige. Auch Beratungsbesuche "
  "nach § 37 SGB XI.")
O("jugendtreff-tecklenburg", "tecklenburg-jugendtreff", "Jugendtreff Brochterbeck", "ev-kirche",
  ["kinder-jugend-familie", "treffen-freizeit"], ["kinder-jugend"],
  [W("WE,FR", "16:00", "20:00"),
   W("MO,TU,WE,TH,FR", "10:00", "15:00", valid_from="2026-07-13", valid_to="2026-08-21",
     description="Sommerferienprogramm: Montag bis Freitag, 10:00–15:00 Uhr (13.07.–21.08.2026)")],
  "Offener Treff mit Tischtennis, Garten und Werkstatt. In den Sommerferien gibt es ein Tagesprogramm.",
  ages=(10, 17))
O("eutb-tecklenburg", "tecklenburg-haus", "EUTB Tecklenburger Land – Sprechstunde Tecklenburg", "eutb",
  ["behinderung-teilhabe", "geld-aemter"], ["behinderung"],
  [],
  "Unabhängige Beratung zu Teilhabe, Eingliederungshilfe, Hilfsmitteln und Rehabilitation. Kostenlos und "
  "auch für Angehörige.",
  apply="Termin nach Vereinbarung, auch telefonisch oder per Video.", interp="Leichte Sprache.")

# --- Westerkappeln ------------------------------------------------------------

O("besuchsdienst-westerkappeln", "westerkappeln-gemeindehaus", "Besuchsdienst für ältere Menschen Westerkappeln",
  "ev-kirche",
  ["alter-pflege", "treffen-freizeit"], ["senioren"],
  [],
  "Ehrenamtliche besuchen einsame ältere Menschen zu Hause: reden, vorlesen, spazieren gehen.",
  apply="Anruf im Gemeindebüro; Besuche nach Vereinbarung.")
O("familienzentrum-westerkappeln", "westerkappeln-familienzentrum", "Familienzentrum Westerkappeln – Elternkurse",
  "familienzentrum",
  ["kinder-jugend-familie"], ["kinder-jugend"],
  [W("TU", "19:00", "21:00", valid_from="2026-09-01", valid_to="2027-01-26")],
  "Abendkurs „Starke Eltern – starke Kinder“: Erziehung ohne Streit, Medien in der Familie, Geschwister.",
  fee=(20.0, "Kursgebühr", "für 8 Abende"), fees="20,00 EUR für den ganzen Kurs, Ermäßigung möglich.")
O("cafe-international-westerkappeln", "westerkappeln-cafe", "Deutsch lernen im Café International Westerkappeln",
  "fluechtlingshilfe",
  ["sprachkurse", "treffen-freizeit"], ["migration"],
  [W("TU", "09:30", "11:30")],
  "Deutsch lernen beim Frühstück: Wörter für Einkaufen, Arzt, Schule und Arbeit.",
  langs=["de", "uk", "ru", "ar", "fa"], phone=False)

# --- Wettringen ---------------------------------------------------------------

O("mittagstisch-wettringen", "wettringen-pfarrheim", "Mittagstisch Wettringen", "caritas-steinfurt",
  ["lebensmittel-kleidung", "treffen-freizeit"], ["senioren", "alle"],
  [W("WE", "12:00", "13:30")],
  "Jeden Mittwoch ein warmes Essen in netter Runde. Ein Fahrdienst holt Sie auf Wunsch ab.",
  fee=(3.5, "Mittagessen", "pro Essen"), fees="3,50 EUR pro Essen.")
O("elterncafe-wettringen", "wettringen-familienzentrum", "Elterncafé im Familienzentrum Wettringen",
  "familienzentrum",
  ["kinder-jugend-familie", "treffen-freizeit"], ["kinder-jugend"],
  [W("FR", "08:30", "10:30")],
  "Nach dem Bringen in die Kita: Kaffee, Austausch und Tipps von der Erzieherin. Geschwisterkinder sind "
  "willkommen.")

# --- More offers in the bigger towns ------------------------------------------

O("digital-treff-senioren-rheine", "rheine-buergerhaus", "Digital-Treff für Seniorinnen und Senioren Rheine",
  "stadt-rheine-senioren",
  ["digital-lernen", "treffen-freizeit"], ["senioren"],
  [W("MO", "14:00", "16:00")],
  "Handy, Tablet, Laptop: Ehrenamtliche erklären Schritt für Schritt, zum Beispiel Online-Termine beim Arzt "
  "oder das Deutschlandticket.",
  ages=(60, None))
O("kinderschutzbund-rheine", "rheine-familienzentrum", "Elternberatung beim Kinderschutzbund Rheine",
  "kreis-jugendamt",
  ["kinder-jugend-familie", "beratung-notlagen"], ["kinder-jugend"],
  [W("TU,TH", "10:00", "12:00")],
  "Offene Sprechstunde für Eltern, die sich überfordert fühlen. Wir helfen ohne Vorwürfe.")
O("rentenberatung-rheine", "rheine-buergerhaus", "Rentenberatung Rheine", "rentenberatung",
  ["geld-aemter", "alter-pflege"], ["senioren"],
  [M("2TH", "09:00", "12:00"), M("4TH", "09:00", "12:00")],
  "Hilfe bei Rentenantrag, Kontenklärung und Grundrente. Die Beratung ist kostenlos.",
  apply="Termin bitte telefonisch vereinbaren.",
  docs=["Personalausweis", "Rentenversicherungsnummer", "Bankverbindung"])
O("wohnungsnotfallhilfe-rheine", "rheine-diakonie", "Beratung bei Wohnungsverlust Rheine", "diakonie-rheine",
  ["beratung-notlagen", "geld-aemter"], ["alle"],
  [W(WEEKDAYS, "09:00", "11:00")],
  "Hilfe, wenn die Wohnung gekündigt ist oder Sie keine Wohnung haben: Beratung, Postadresse, Duschen und "
  "Hilfe bei Anträgen.",
  apply="Einfach vorbeikommen, auch ohne Ausweis.")
O("deutschkurs-ukraine-rheine", "rheine-caritashaus", "Deutschkurs für Geflüchtete aus der Ukraine Rheine",
  "caritas-rheine",
  ["sprachkurse"], ["migration"],
  [W("MO,WE", "17:00", "19:00", valid_from="2026-01-12", valid_to="2026-07-03")],
  "Deutschkurs am Abend für Menschen aus der Ukraine, die tagsüber arbeiten oder Kinder betreuen.",
  langs=["de", "uk", "ru"], apply="Anmeldung im Caritas-Haus.")
O("digital-sprechstunde-ibbenbueren", "ibb-vhs", "Smartphone-Sprechstunde für Ältere Ibbenbüren", "vhs",
  ["digital-lernen"], ["senioren"],
  [W("WE", "10:00", "12:00")],
  "Ihr Handy macht nicht, was es soll? Schülerinnen und Schüler helfen älteren Menschen geduldig.",
  phone=False)
O("jugendmigrationsdienst-sprechstunde-ibbenbueren", "ibb-vhs", "Ausbildungsberatung für junge Zugewanderte",
  "vhs",
  ["ankommen-migration", "kinder-jugend-familie", "geld-aemter"], ["migration", "kinder-jugend"],
  [W("TH", "14:00", "17:00")],
  "Welche Ausbildung passt zu mir? Wie werden meine Zeugnisse anerkannt? Beratung für junge Menschen "
  "von 16 bis 27 Jahren.",
  ages=(16, 27), langs=["de", "en", "ar", "fa", "uk"])
O("familienzentrum-sonnenschein-ibbenbueren", "ibb-familienzentrum", "Familiencafé Sonnenschein Ibbenbüren",
  "familienzentrum",
  ["kinder-jugend-familie", "ankommen-migration"], ["kinder-jugend", "migration"],
  [W("WE", "15:00", "17:00")],
  "Familien aus vielen Ländern treffen sich. Es gibt Hilfe bei Fragen zu Kita, Schule und Kinderarzt.",
  langs=["de", "ar", "tr", "uk", "ru"])
O("inklusiver-tanz-ibbenbueren", "ibb-buergerhaus", "Tanzen ohne Grenzen Ibbenbüren", "sport-inklusiv",
  ["behinderung-teilhabe", "treffen-freizeit", "gesundheit"], ["behinderung", "senioren"],
  [W("TU", "18:00", "19:30")],
  "Sitztanz und Tanz im Rollstuhl für Menschen mit und ohne Behinderung und für ältere Menschen.",
  fee=(3.0, "Kostenbeitrag", "pro Abend"), fees="3,00 EUR pro Abend.")
O("mbe-greven", "greven-caritas", "Migrationsberatung (MBE) Greven", "caritas-emsdetten-greven",
  ["ankommen-migration", "geld-aemter"], ["migration"],
  [W("MO,WE,FR", "09:00", "12:00")],
  "Beratung für erwachsene Zugewanderte zu Aufenthalt, Integrationskurs, Familie, Arbeit und Wohnung.",
  ages=(27, None), langs=["de", "en", "ar", "tr", "ro", "pl"])
O("eutb-greven", "greven-buergerzentrum", "EUTB – Teilhabeberatung Greven", "eutb",
  ["behinderung-teilhabe"], ["behinderung"],
  [W("TU", "10:00", "13:00")],
  "Beratung zu Rollstuhl, Hilfsmitteln, Assistenz, Schule und Arbeit mit Behinderung. Unabhängig und kostenlos.")
O("kleiderkammer-emsdetten", "ems-buergerhaus", "Kleiderkammer Emsdetten", "drk",
  ["lebensmittel-kleidung"], ["alle", "migration"],
  [W("MO", "14:00", "17:00"), M("1SA", "10:00", "12:00")],
  "Kleidung, Schuhe, Bettwäsche und Spielzeug für Menschen mit wenig Geld.",
  fees="Kostenlos mit Bürgergeld- oder Asylbescheid, sonst kleine Spende.")
O("seniorenberatung-emsdetten", "ems-caritas", "Seniorenberatung Emsdetten", "caritas-emsdetten-greven",
  ["alter-pflege", "geld-aemter"], ["senioren"],
  [W("MO,TU,WE,TH", "09:00", "12:00")],
  "Beratung zu Rente, Grundsicherung im Alter, Hilfe im Haushalt und betreutem Wohnen.")
O("wohnberatung-emsdetten", "ems-lebenshilfe", "Ambulant Betreutes Wohnen Emsdetten – Beratung", "lebenshilfe",
  ["behinderung-teilhabe"], ["behinderung"],
  [W("TH", "14:00", "16:00")],
  "Beratung für Menschen mit Behinderung, die in einer eigenen Wohnung leben möchten, und für ihre Eltern.",
  apply="Offene Sprechstunde am Donnerstag oder Termin nach Absprache.")
O("hausnotruf-steinfurt", "steinfurt-gemeindehaus", "Beratung Hausnotruf und Hilfen zu Hause Steinfurt", "drk",
  ["alter-pflege", "gesundheit"], ["senioren", "behinderung"],
  [W("TU,TH", "10:00", "12:00")],
  "Sicher zu Hause leben: Beratung zu Hausnotruf, Essen auf Rädern und Pflegehilfsmitteln.",
  fees="Beratung kostenlos; Hausnotruf wird oft von der Pflegekasse bezahlt.")
O("jugendmigration-steinfurt", "steinfurt-integration", "Sprechstunde Jugendmigrationsdienst Steinfurt",
  "caritas-steinfurt",
  ["ankommen-migration", "kinder-jugend-familie"], ["migration", "kinder-jugend"],
  [W("WE", "13:00", "16:00")],
  "Beratung für junge Zugewanderte zu Schule, Deutschkurs, Ausbildung und Studium.",
  ages=(12, 27), langs=["de", "en", "ar", "fa", "ti", "fr"])
O("familienberatung-steinfurt", "steinfurt-jugendamt", "Erziehungs- und Familienberatung Steinfurt",
  "caritas-steinfurt",
  ["kinder-jugend-familie", "beratung-notlagen"], ["kinder-jugend"],
  [W("MO,TU,WE,TH", "09:00", "12:00"), W("MO,TU,WE,TH", "14:00", "17:00")],
  "Beratung bei Erziehungsfragen, Streit in der Familie, Trennung und Schulangst.")
O("schuldnerberatung-lengerich", "lengerich-diakonie", "Schuldnerberatung Lengerich", "diakonie-tecklenburg",
  ["schuldnerberatung"], ["alle"],
  [W("MO", "09:00", "12:00"), W("MO", "14:00", "16:00")],
  "Beratung bei Schulden, Inkassobriefen und Pfändung. Wir helfen beim P-Konto und beim Haushaltsplan.",
  apply="Offene Sprechstunde am Montag, danach feste Termine.")


# ---------------------------------------------------------------------------
# Builders: turn the tables above into nested HSDS 3.0 objects.
# ---------------------------------------------------------------------------

DAY_NAMES = {"MO": "Montag", "TU": "Dienstag", "WE": "Mittwoch", "TH": "Donnerstag",
             "FR": "Freitag", "SA": "Samstag", "SU": "Sonntag"}
DAY_ORDER = list(DAY_NAMES)
ORDINALS = {"1": "ersten", "2": "zweiten", "3": "dritten", "4": "vierten", "-1": "letzten"}

ELIGIBILITY_BY_GROUP = {
    "senioren": "Für ältere Menschen und ihre Angehörigen.",
    "behinderung": "Für Menschen mit Behinderung und ihre Angehörigen.",
    "migration": "Für Zugewanderte und Geflüchtete, unabhängig vom Aufenthaltsstatus.",
    "kinder-jugend": "Für Kinder, Jugendliche, Eltern und Familien.",
    "alle": "Für alle Menschen, die Hilfe oder Gesellschaft suchen.",
}

# last_modified values are spread deterministically from this point in time.
LAST_MODIFIED_BASE = datetime(2025, 10, 1, 8, 0, tzinfo=UTC)

PHONE_DESCRIPTION = "Beispielnummer (fiktiv)"
VALID_STATUSES = {"active", "inactive", "defunct", "temporarily closed"}


def german_date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def day_phrase(days: list[str]) -> str:
    """'Montag bis Freitag', 'Montag und Mittwoch', 'Täglich'."""
    if len(days) == 7:
        return "Täglich"
    positions = [DAY_ORDER.index(d) for d in days]
    if len(days) >= 3 and positions == list(range(positions[0], positions[0] + len(days))):
        return f"{DAY_NAMES[days[0]]} bis {DAY_NAMES[days[-1]]}"
    names = [DAY_NAMES[d] for d in days]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]


def schedule_text(rule: dict) -> str:
    """Human-readable German text for one schedule rule."""
    days = rule["byday"].split(",")
    if rule["freq"] == "WEEKLY":
        if rule.get("interval") == 2:
            when = "Alle zwei Wochen " + " und ".join(DAY_NAMES[d].lower() + "s" for d in days)
        else:
            when = day_phrase(days)
    else:  # MONTHLY, byday like "1SA" or "-1FR"
        parts = []
        for item in days:
            ordinal, day = item[:-2], item[-2:]
            parts.append(f"{ORDINALS[ordinal]} {DAY_NAMES[day]}")
        when = "Am " + " und am ".join(parts) + " im Monat"
    text = f"{when}, {rule['opens_at']}–{rule['closes_at']} Uhr"
    if rule.get("valid_from") and rule.get("valid_to"):
        text += f" (vom {german_date(rule['valid_from'])} bis {german_date(rule['valid_to'])})"
    elif rule.get("valid_from"):
        text += f" (ab {german_date(rule['valid_from'])})"
    return text


def build_schedules(owner_key: str, rules: list) -> list[dict]:
    schedules = []
    for n, rule in enumerate(rules):
        if isinstance(rule, tuple):  # compact form used in LOCATION_EXTRAS
            kind, byday, opens, closes = rule
            rule = (W if kind == "W" else M)(byday, opens, closes)
        obj = {"id": make_id(f"schedule:{owner_key}:{n}"), "freq": rule["freq"]}
        if "interval" in rule:
            obj["interval"] = rule["interval"]
        obj["byday"] = rule["byday"]
        if "dtstart" in rule:
            obj["dtstart"] = rule["dtstart"]
        obj["opens_at"] = rule["opens_at"]
        obj["closes_at"] = rule["closes_at"]
        for field in ("valid_from", "valid_to"):
            if field in rule:
                obj[field] = rule[field]
        obj["description"] = rule.get("description") or schedule_text(rule)
        schedules.append(obj)
    return schedules


def phone_base(org_key: str, town: str) -> str:
    """Fictional five-digit local number starting with 99, stable per organisation and town."""
    return f"99{int(stable_fraction(f'{org_key}:{town}', 'phone') * 1000):03d}"


def build_phone(key: str, number: str) -> dict:
    return {"id": make_id(f"phone:{key}"), "number": number, "type": "voice",
            "description": PHONE_DESCRIPTION}


def build_language(code: str) -> dict:
    return {"id": make_id(f"language:{code}"), "name": LANGUAGES[code], "code": code}


def build_taxonomy(which: str) -> dict:
    tax = TAXONOMIES[which]
    return {
        "id": make_id(f"taxonomy:{tax['key']}"),
        "name": tax["name"],
        "description": tax["description"],
        "uri": f"https://example.org/dritte-orte-kiosk/taxonomien/{tax['key']}",
        "version": "1.0",
    }


def build_term(code: str) -> dict:
    which, name, description, parent = TERMS[code]
    term = {
        "id": make_id(f"taxonomy_term:{code}"),
        "code": code,
        "name": name,
        "description": description,
    }
    if parent:
        term["parent_id"] = make_id(f"taxonomy_term:{parent}")
    term["taxonomy"] = TAXONOMIES[which]["name"]
    term["taxonomy_detail"] = build_taxonomy(which)
    return term


def build_attribute(offer_key: str, code: str) -> dict:
    which = TERMS[code][0]
    return {
        "id": make_id(f"attribute:{offer_key}:{code}"),
        "link_entity": "service",
        "link_type": TAXONOMIES[which]["link_type"],
        "taxonomy_term": build_term(code),
    }


def build_organization(org_key: str) -> dict:
    name, description = ORGANIZATIONS[org_key]
    return {
        "id": make_id(f"organization:{org_key}"),
        "name": name,
        "description": f"{description} (Beispieldaten)",
        "email": f"{org_key}@example.org",
        "website": f"https://example.org/{org_key}",
    }


def location_coordinates(loc_key: str, town: str) -> tuple[float, float]:
    centre = TOWNS[town]
    lat = centre["lat"] + (stable_fraction(loc_key, "lat") * 2 - 1) * MAX_LAT_OFFSET
    lon = centre["lon"] + (stable_fraction(loc_key, "lon") * 2 - 1) * MAX_LON_OFFSET
    return round(lat, 5), round(lon, 5)


def build_location(loc_key: str) -> dict:
    name, town, street, access = LOCATIONS[loc_key]
    extras = LOCATION_EXTRAS.get(loc_key, {})
    lat, lon = location_coordinates(loc_key, town)
    location = {"id": make_id(f"location:{loc_key}"), "location_type": "physical", "name": name}
    if "description" in extras:
        location["description"] = extras["description"]
    if "transportation" in extras:
        location["transportation"] = extras["transportation"]
    location["latitude"] = lat
    location["longitude"] = lon
    location["addresses"] = [{
        "id": make_id(f"address:{loc_key}"),
        "address_1": street,
        "city": town,
        "state_province": "NRW",
        "postal_code": TOWNS[town]["postal_code"],
        "country": "DE",
        "address_type": "physical",
    }]
    location["accessibility"] = [
        {"id": make_id(f"accessibility:{loc_key}:{n}"), "description": description, "details": details}
        for n, (description, details) in enumerate(ACCESSIBILITY[access])
    ]
    location["languages"] = [build_language(code) for code in extras.get("languages", [])]
    phone_org = extras.get("phone_org")
    location["phones"] = (
        [build_phone(f"location:{loc_key}", f"{TOWNS[town]['area_code']} {phone_base(phone_org, town)}-0")]
        if phone_org else []
    )
    location["schedules"] = build_schedules(f"location:{loc_key}", extras.get("hours", []))
    return location


def expand_needs(needs: list[str]) -> list[str]:
    """Child terms bring their top-level parent along (parent first)."""
    result: list[str] = []
    for code in needs:
        parent = TERMS[code][3]
        if parent and parent not in result:
            result.append(parent)
        if code not in result:
            result.append(code)
    return result


def euro(amount: float) -> str:
    return f"{amount:.2f}".replace(".", ",") + " EUR"


def build_cost_options(offer: dict) -> list[dict]:
    fee = offer.get("fee")
    cost = {"id": make_id(f"cost_option:{offer['key']}")}
    if fee is None:
        cost.update({"option": "kostenlos", "currency": "EUR", "amount": 0})
    else:
        amount, option, amount_description = fee
        cost.update({"option": option, "currency": "EUR", "amount": amount,
                     "amount_description": amount_description})
    return [cost]


def default_fees_description(offer: dict) -> str:
    fee = offer.get("fee")
    if fee is None:
        return "Kostenlos."
    amount, _option, amount_description = fee
    return f"{euro(amount)} {amount_description}."


def default_eligibility(offer: dict) -> str:
    text = ELIGIBILITY_BY_GROUP[offer["groups"][0]]
    ages = offer.get("ages")
    if ages:
        low, high = ages
        if low is not None and high is not None:
            text += f" Alter: {low} bis {high} Jahre."
        elif low is not None:
            text += f" Ab {low} Jahren."
    return text


def default_application(offer: dict) -> str:
    if not offer["hours"]:
        return "Termin nach Vereinbarung per Telefon oder E-Mail."
    return "Einfach zu den Öffnungszeiten vorbeikommen. Eine Anmeldung ist nicht nötig."


def last_modified(index: int) -> str:
    moment = LAST_MODIFIED_BASE + timedelta(days=(index * 37) % 150, hours=(index * 5) % 9,
                                            minutes=(index * 13) % 60)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def check_offer(offer: dict) -> None:
    """Fail loudly on typos in the tables."""
    key = offer["key"]
    assert offer["org"] in ORGANIZATIONS, (key, offer["org"])
    for loc in offer["locations"]:
        assert loc in LOCATIONS, (key, loc)
    needs = expand_needs(offer["needs"])
    assert all(TERMS[c][0] == "needs" for c in needs), (key, needs)
    assert 1 <= len(needs) <= 3, (key, needs)
    assert all(TERMS[c][0] == "groups" for c in offer["groups"]), (key, offer["groups"])
    assert 1 <= len(offer["groups"]) <= 2, (key, offer["groups"])
    for code in offer.get("langs", ["de"]):
        assert code in LANGUAGES, (key, code)
    assert offer.get("status", "active") in VALID_STATUSES, key


def build_service(index: int, offer: dict) -> dict:
    check_offer(offer)
    key = offer["key"]
    org = offer["org"]
    first_town = LOCATIONS[offer["locations"][0]][1]

    description = offer["description"]
    if not offer["hours"] and "nach Vereinbarung" not in description:
        description += " Termine nach Vereinbarung."

    service: dict = {
        "id": make_id(f"service:{key}"),
        "name": offer["name"],
        "description": description,
    }
    if offer.get("url", True):
        service["url"] = f"https://example.org/{org}/{key}"
    if offer.get("email", True):
        service["email"] = f"{key}@example.org"
    service["status"] = offer.get("status", "active")
    if offer.get("alert"):
        service["alert"] = offer["alert"]
    if offer.get("interp"):
        service["interpretation_services"] = offer["interp"]
    service["application_process"] = offer.get("apply") or default_application(offer)
    service["fees_description"] = offer.get("fees") or default_fees_description(offer)
    service["eligibility_description"] = offer.get("elig") or default_eligibility(offer)
    ages = offer.get("ages")
    if ages:
        if ages[0] is not None:
            service["minimum_age"] = ages[0]
        if ages[1] is not None:
            service["maximum_age"] = ages[1]
    service["last_modified"] = last_modified(index)
    service["organization"] = build_organization(org)
    service["phones"] = (
        [build_phone(f"service:{key}",
                     f"{TOWNS[first_town]['area_code']} {phone_base(org, first_town)}-{10 + index % 90}")]
        if offer.get("phone", True) else []
    )
    service["schedules"] = build_schedules(f"service:{key}", offer["hours"])
    multi = len(offer["locations"]) > 1
    service["service_at_locations"] = []
    for loc in offer["locations"]:
        sal = {"id": make_id(f"service_at_location:{key}:{loc}")}
        if multi:
            sal["description"] = f"Sprechstunde in {LOCATIONS[loc][1]}"
        sal["phones"] = []
        sal["schedules"] = []
        sal["location"] = build_location(loc)
        service["service_at_locations"].append(sal)
    service["languages"] = [build_language(code) for code in offer.get("langs", ["de"])]
    service["cost_options"] = build_cost_options(offer)
    service["required_documents"] = [
        {"id": make_id(f"required_document:{key}:{n}"), "document": doc}
        for n, doc in enumerate(offer.get("docs", []))
    ]
    service["attributes"] = (
        [build_attribute(key, code) for code in expand_needs(offer["needs"])]
        + [build_attribute(key, code) for code in offer["groups"]]
    )
    return service


def build_catalogue() -> list[dict]:
    keys = [offer["key"] for offer in OFFERS]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    assert not duplicates, f"duplicate offer keys: {duplicates}"
    return [build_service(index, offer) for index, offer in enumerate(OFFERS)]


def render(services: list[dict]) -> str:
    return json.dumps(services, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"output file (default: {DEFAULT_OUTPUT})")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the output file is missing or out of date")
    args = parser.parse_args(argv)

    text = render(build_catalogue())
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else None
        if current != text:
            print(f"{args.output} is out of date; run {Path(__file__).name} to regenerate it.")
            return 1
        print(f"{args.output} is up to date ({len(OFFERS)} services).")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"Wrote {len(OFFERS)} services to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
