"""A county catalogue the search was never tuned on: another publisher's names, words and taxonomy.

Written before any search change for issue 9, as a stand-in for the Kreis' future central
catalogue: ~300 offers in the 24 towns of Kreis Steinfurt, named the way welfare organisations
and town halls name their services ("Ehe-, Familien- und Lebensberatung", "Schuldner- und
Insolvenzberatung", "Kinder- und Jugendtelefon", "KoKoBe", "ALZ"), with prose descriptions, and
classified in a taxonomy of its own: 13 top-level needs with sub-terms, codes with underscores
("LK_03_02"), and the audiences as a separate taxonomy ("ZG_KINDER"). Nothing here uses the demo's
codes or the kiosk's synonym list.

The held-out visitor queries over this feed are in tests/search_relevance_county.toml (expected
offers written from this file, as "Name | Town"); tests/test_search_county.py scores them.

`services()` returns HSDS 3.0 services (fully nested, as `kiosk-sync import` reads them).
"""
from __future__ import annotations

import uuid

NS = uuid.UUID("0d6c2f8e-4b1a-4f7e-9a55-3c2d1e0f9a77")
NEED_TAXONOMY = "Leistungskatalog Kreis Steinfurt"
AUDIENCE_TAXONOMY = "Zielgruppen"

TOWNS = {  # town: (postal code, latitude, longitude)
    "Rheine": ("48431", 52.2799, 7.4419), "Ibbenbüren": ("49477", 52.2778, 7.7167),
    "Emsdetten": ("48282", 52.1726, 7.5277), "Greven": ("48268", 52.0917, 7.6083),
    "Steinfurt": ("48565", 52.1467, 7.3360), "Lengerich": ("49525", 52.1875, 7.8660),
    "Ochtrup": ("48607", 52.2075, 7.1897), "Hörstel": ("48477", 52.2975, 7.5847),
    "Neuenkirchen": ("48485", 52.2447, 7.3714), "Mettingen": ("49497", 52.3172, 7.7800),
    "Recke": ("49509", 52.3700, 7.7203), "Westerkappeln": ("49492", 52.3153, 7.8772),
    "Tecklenburg": ("49545", 52.2194, 7.8125), "Lotte": ("49504", 52.2781, 7.9167),
    "Hopsten": ("48496", 52.3822, 7.6097), "Saerbeck": ("48369", 52.1747, 7.6333),
    "Ladbergen": ("49549", 52.1367, 7.7392), "Lienen": ("49536", 52.1458, 7.9733),
    "Nordwalde": ("48356", 52.0833, 7.4833), "Altenberge": ("48341", 52.0458, 7.4667),
    "Laer": ("48366", 52.0556, 7.3583), "Horstmar": ("48612", 52.0806, 7.3097),
    "Metelen": ("48629", 52.1436, 7.2147), "Wettringen": ("48493", 52.2097, 7.3181),
}
BIG = ["Rheine", "Ibbenbüren", "Emsdetten", "Greven", "Steinfurt", "Lengerich", "Ochtrup"]
ALL = list(TOWNS)

# The need taxonomy: 13 top-level terms, each with sub-terms (code, name).
NEEDS: dict[str, tuple[str, dict[str, str]]] = {
    "LK_01": ("Existenzsicherung und Finanzen", {"LK_01_01": "Schulden und Insolvenz", "LK_01_02": "Sozialleistungen",
                                                 "LK_01_03": "Lebensmittel und Kleidung"}),
    "LK_02": ("Arbeit und Beruf", {"LK_02_01": "Arbeitslosigkeit", "LK_02_02": "Berufliche Orientierung"}),
    "LK_03": ("Ehe, Partnerschaft und Familie", {"LK_03_01": "Paar- und Lebensberatung",
                                                 "LK_03_02": "Erziehung", "LK_03_03": "Schwangerschaft"}),
    "LK_04": ("Kinder und Jugendliche", {"LK_04_01": "Offene Kinder- und Jugendarbeit", "LK_04_02": "Kinderschutz",
                                         "LK_04_03": "Lernen und Schule"}),
    "LK_05": ("Gesundheit und Sucht", {"LK_05_01": "Suchthilfe", "LK_05_02": "Psychische Gesundheit",
                                       "LK_05_03": "Selbsthilfe"}),
    "LK_06": ("Pflege und Alter", {"LK_06_01": "Pflegeberatung", "LK_06_02": "Demenz", "LK_06_03": "Seniorenarbeit"}),
    "LK_07": ("Menschen mit Behinderung", {"LK_07_01": "Teilhabeberatung", "LK_07_02": "Wohnen mit Assistenz"}),
    "LK_08": ("Migration und Integration", {"LK_08_01": "Migrationsberatung", "LK_08_02": "Sprache"}),
    "LK_09": ("Wohnen und Wohnungsnot", {"LK_09_01": "Wohnungslosenhilfe", "LK_09_02": "Wohnberatung"}),
    "LK_10": ("Gewalt und Krisen", {"LK_10_01": "Häusliche Gewalt", "LK_10_02": "Krisentelefone"}),
    "LK_11": ("Begegnung, Freizeit und Ehrenamt", {"LK_11_01": "Treffpunkte", "LK_11_02": "Ehrenamt",
                                                  "LK_11_03": "Kultur und Bildung"}),
    "LK_12": ("Sterben, Tod und Trauer", {"LK_12_01": "Hospizarbeit", "LK_12_02": "Trauerbegleitung"}),
    "LK_13": ("Digitales und Alltagshilfen", {"LK_13_01": "Digitale Hilfe", "LK_13_02": "Reparieren und Tauschen"}),
}
AUDIENCES = {"ZG_KINDER": "Kinder", "ZG_JUGEND": "Jugendliche und junge Erwachsene",
             "ZG_SENIOREN": "Ältere Menschen", "ZG_FRAUEN": "Frauen und Mädchen"}

WEEKDAYS = [{"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "08:30", "closes_at": "12:30"}]
AFTERNOONS = [{"freq": "WEEKLY", "byday": "TU,TH", "opens_at": "14:00", "closes_at": "17:00"}]
AROUND_THE_CLOCK = [{"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR,SA,SU", "opens_at": "00:00", "closes_at": "23:59"}]

# (name — "{town}" is replaced, organisation, description, need terms, audiences, towns, schedules)
OFFERS: list[tuple[str, str, str, tuple[str, ...], tuple[str, ...], list[str], list[dict]]] = [
    ("Ehe-, Familien- und Lebensberatung", "Bistum Münster",
     "Beratung für Paare, Familien und Einzelne in Krisen, bei Trennung und Scheidung. Vertraulich und "
     "unabhängig von Konfession.", ("LK_03_01",), (), ["Rheine", "Ibbenbüren", "Steinfurt"], WEEKDAYS),
    ("Ehe- und Familienberatung {town}", "Diakonisches Werk Tecklenburg",
     "Wenn es in der Partnerschaft kriselt: Gespräche für Paare und Familien.", ("LK_03_01",), (),
     ["Lengerich", "Greven"], WEEKDAYS),
    ("Paarberatung im Familienzentrum {town}", "Familienzentrum St. Marien",
     "Einmal im Monat berät eine Fachkraft der Eheberatung im Familienzentrum.", ("LK_03_01",), (),
     ["Ochtrup"], AFTERNOONS),
    ("Erziehungs- und Familienberatungsstelle {town}", "Kreis Steinfurt – Jugendamt",
     "Hilfe bei Fragen zur Erziehung, bei Schulproblemen, Trennung der Eltern und Sorgen mit Kindern und "
     "Jugendlichen.", ("LK_03_02", "LK_04_02"), ("ZG_KINDER", "ZG_JUGEND"), ["Rheine", "Ibbenbüren", "Greven",
                                                                             "Steinfurt"], WEEKDAYS),
    ("Schwangerschafts- und Schwangerschaftskonfliktberatung", "Sozialdienst katholischer Frauen (SkF)",
     "Beratung rund um Schwangerschaft und Geburt, finanzielle Hilfen, Beratung nach § 219 StGB.",
     ("LK_03_03",), ("ZG_FRAUEN",), ["Rheine", "Ibbenbüren", "Emsdetten"], WEEKDAYS),
    ("Frühe Hilfen – Familienhebamme {town}", "Kreis Steinfurt – Gesundheitsamt",
     "Eine Familienhebamme besucht Familien mit Babys im ersten Lebensjahr zu Hause.", ("LK_03_03",),
     ("ZG_KINDER",), ["Greven", "Lengerich", "Ochtrup"], WEEKDAYS),
    ("Schuldner- und Insolvenzberatung", "Caritasverband Rheine",
     "Kostenlose Beratung bei Überschuldung, Begleitung im Verbraucherinsolvenzverfahren, "
     "P-Konto-Bescheinigung.", ("LK_01_01",), (), ["Rheine", "Emsdetten", "Ochtrup"], WEEKDAYS),
    ("Schuldnerberatung der Diakonie {town}", "Diakonisches Werk Tecklenburg",
     "Wir helfen, wenn Rechnungen und Mahnungen über den Kopf wachsen.", ("LK_01_01",), (),
     ["Lengerich", "Ibbenbüren", "Westerkappeln"], WEEKDAYS),
    ("Verbraucherinsolvenzberatung {town}", "Verbraucherzentrale NRW",
     "Beratung zum Insolvenzverfahren und zur Restschuldbefreiung.", ("LK_01_01",), (), ["Greven"], AFTERNOONS),
    ("Tafel {town} e.V.", "Tafel Deutschland",
     "Ausgabe von gespendeten Lebensmitteln an Menschen mit geringem Einkommen. Berechtigungsnachweis "
     "mitbringen.", ("LK_01_03",), (), ["Rheine", "Ibbenbüren", "Emsdetten", "Greven", "Steinfurt", "Lengerich",
                                         "Ochtrup", "Mettingen"], AFTERNOONS),
    ("Lebensmittelausgabe der Kirchengemeinde {town}", "Ev. Kirchengemeinde",
     "Jeden Donnerstag werden Lebensmittel verteilt.", ("LK_01_03",), (), ["Hörstel", "Neuenkirchen"], AFTERNOONS),
    ("Kleiderkammer {town}", "Deutsches Rotes Kreuz (DRK)",
     "Gut erhaltene Kleidung, Schuhe und Bettwäsche für wenig Geld.", ("LK_01_03",), (),
     ["Rheine", "Greven", "Ochtrup", "Lengerich", "Recke"], AFTERNOONS),
    ("Sozialkaufhaus „Fundgrube“ {town}", "Arbeiterwohlfahrt (AWO)",
     "Möbel, Hausrat und Kleidung aus zweiter Hand; Beschäftigung für langzeitarbeitslose Menschen.",
     ("LK_01_03", "LK_02_01"), (), ["Ibbenbüren", "Emsdetten"], WEEKDAYS),
    ("Allgemeine Soziale Beratung {town}", "Caritasverband",
     "Erste Anlaufstelle bei Fragen zu Bürgergeld, Wohngeld, Kinderzuschlag und Anträgen.", ("LK_01_02",), (),
     ["Rheine", "Ibbenbüren", "Emsdetten", "Greven", "Steinfurt", "Lengerich", "Ochtrup", "Hörstel"], WEEKDAYS),
    ("Sozialamt – Bürgerbüro {town}", "Stadt- und Gemeindeverwaltung",
     "Anträge auf Grundsicherung, Hilfe zum Lebensunterhalt und Wohngeld.", ("LK_01_02",), (),
     ALL, WEEKDAYS),
    ("Rentenberatung der Deutschen Rentenversicherung", "Deutsche Rentenversicherung Westfalen",
     "Auskunft und Beratung zur Rente, Hilfe beim Rentenantrag.", ("LK_01_02", "LK_06_03"), ("ZG_SENIOREN",),
     ["Rheine", "Ibbenbüren"], WEEKDAYS),
    ("Versichertenälteste – Sprechstunde {town}", "Deutsche Rentenversicherung Bund",
     "Ehrenamtliche Versichertenberater helfen kostenlos beim Ausfüllen des Rentenantrags.",
     ("LK_01_02",), ("ZG_SENIOREN",), ["Mettingen", "Lotte", "Metelen"], AFTERNOONS),
    ("Beratungsstelle für Arbeitslose {town}", "Ev. Kirchenkreis Tecklenburg",
     "Unabhängige Beratung für Erwerbslose zu Bürgergeld, Bescheiden des Jobcenters und Widersprüchen.",
     ("LK_02_01",), (), ["Ibbenbüren", "Lengerich"], WEEKDAYS),
    ("Arbeitslosenzentrum Rheine (ALZ)", "ALZ Rheine e.V.",
     "Treffpunkt und Beratung für Menschen ohne Arbeit, Frühstück am Mittwoch, Bewerbungshilfe.",
     ("LK_02_01", "LK_11_01"), (), ["Rheine"], WEEKDAYS),
    ("Erwerbslosenberatung der AWO {town}", "Arbeiterwohlfahrt (AWO)",
     "Hilfe bei Arbeitslosigkeit: Anträge, Bescheide, Weiterbildung.", ("LK_02_01",), (), ["Greven", "Emsdetten"],
     WEEKDAYS),
    ("Jobcenter Kreis Steinfurt – Standort {town}", "Jobcenter Kreis Steinfurt",
     "Bürgergeld, Arbeitsvermittlung und Förderung für Arbeitsuchende.", ("LK_02_01", "LK_01_02"), (),
     BIG, WEEKDAYS),
    ("Bewerbungswerkstatt {town}", "Volkshochschule",
     "Lebenslauf, Anschreiben, Vorstellungsgespräch: Hilfe bei der Bewerbung, auch online.",
     ("LK_02_02",), ("ZG_JUGEND",), ["Rheine", "Ibbenbüren", "Greven"], AFTERNOONS),
    ("Jugendberufsagentur {town}", "Agentur für Arbeit Rheine",
     "Ausbildung, Studium oder Job? Berufsberatung für junge Menschen unter 25.", ("LK_02_02",), ("ZG_JUGEND",),
     ["Rheine", "Ibbenbüren", "Steinfurt"], WEEKDAYS),
    ("Kinder- und Jugendtelefon (Nummer gegen Kummer)", "Nummer gegen Kummer e.V.",
     "Anonym und kostenlos: Kinder und Jugendliche können über alles sprechen, was sie bedrückt. "
     "Telefon 116 111.", ("LK_10_02", "LK_04_02"), ("ZG_KINDER", "ZG_JUGEND"), ["Rheine"], AFTERNOONS),
    ("Elterntelefon", "Nummer gegen Kummer e.V.",
     "Anonyme Beratung am Telefon für Mütter und Väter, wenn die Erziehung schwierig wird.",
     ("LK_10_02", "LK_03_02"), (), ["Rheine"], WEEKDAYS),
    ("TelefonSeelsorge Münsterland", "Ev. und Kath. Kirche",
     "Rund um die Uhr erreichbar, anonym: Gespräche in Krisen, bei Einsamkeit und Suizidgedanken.",
     ("LK_10_02", "LK_05_02"), (), ["Rheine"], AROUND_THE_CLOCK),
    ("Frauenhaus {town}", "Frauen helfen Frauen e.V.",
     "Schutz und Unterkunft für Frauen und ihre Kinder bei häuslicher Gewalt. Aufnahme Tag und Nacht.",
     ("LK_10_01",), ("ZG_FRAUEN",), ["Rheine", "Ibbenbüren"], AROUND_THE_CLOCK),
    ("Frauen- und Mädchenberatung bei Gewalt", "Frauenberatungsstelle e.V.",
     "Beratung nach Gewalt, sexualisierter Gewalt und Stalking; auch für Mädchen.", ("LK_10_01",), ("ZG_FRAUEN",),
     ["Rheine", "Steinfurt", "Ibbenbüren"], WEEKDAYS),
    ("Opferschutz und Täterberatung {town}", "Kreispolizeibehörde Steinfurt",
     "Beratung für Betroffene von Straftaten.", ("LK_10_01",), (), ["Steinfurt"], WEEKDAYS),
    ("Sucht- und Drogenberatung {town}", "Caritasverband",
     "Beratung bei Problemen mit Alkohol, Cannabis, Medikamenten und Glücksspiel; auch für Angehörige.",
     ("LK_05_01",), (), ["Rheine", "Ibbenbüren", "Greven", "Steinfurt", "Lengerich"], WEEKDAYS),
    ("Fachstelle Glücksspielsucht", "Diakonisches Werk Tecklenburg",
     "Hilfe für Menschen, die vom Spielen nicht loskommen: Automaten, Sportwetten, Online-Casinos.",
     ("LK_05_01",), (), ["Ibbenbüren"], AFTERNOONS),
    ("Anonyme Alkoholiker – Gruppe {town}", "Anonyme Alkoholiker",
     "Offenes Meeting jeden Montagabend im Gemeindehaus.", ("LK_05_01", "LK_05_03"), (),
     ["Emsdetten", "Ochtrup", "Tecklenburg"], AFTERNOONS),
    ("Sozialpsychiatrischer Dienst {town}", "Kreis Steinfurt – Gesundheitsamt",
     "Hilfe für Menschen in seelischen Krisen und ihre Angehörigen, auch Hausbesuche.", ("LK_05_02",), (),
     ["Rheine", "Ibbenbüren", "Steinfurt"], WEEKDAYS),
    ("Selbsthilfe-Kontaktstelle Kreis Steinfurt", "Der Paritätische",
     "Vermittlung in über 300 Selbsthilfegruppen, Hilfe bei der Gründung einer Gruppe.", ("LK_05_03",), (),
     ["Steinfurt"], WEEKDAYS),
    ("Selbsthilfegruppe Depression {town}", "Selbsthilfe-Kontaktstelle",
     "Betroffene treffen sich alle zwei Wochen zum Austausch.", ("LK_05_03", "LK_05_02"), (),
     ["Greven", "Hörstel"], AFTERNOONS),
    ("Pflegestützpunkt {town}", "Kreis Steinfurt",
     "Neutrale Pflegeberatung: Pflegegrad, Leistungen der Pflegekasse, Entlastung für Angehörige.",
     ("LK_06_01",), ("ZG_SENIOREN",), ["Rheine", "Ibbenbüren", "Emsdetten", "Greven", "Steinfurt", "Lengerich"],
     WEEKDAYS),
    ("Pflege- und Wohnberatung {town}", "Kreis Steinfurt – Sozialamt",
     "Beratung zu Pflege zu Hause und zum Umbau der Wohnung, z. B. Treppenlift oder bodengleiche Dusche.",
     ("LK_06_01", "LK_09_02"), ("ZG_SENIOREN",), ["Mettingen", "Ochtrup", "Neuenkirchen"], AFTERNOONS),
    ("Demenz-Servicezentrum Münsterland", "Alexianer",
     "Information und Beratung für Menschen mit Demenz und Angehörige; Gesprächskreise.", ("LK_06_02",),
     ("ZG_SENIOREN",), ["Greven"], WEEKDAYS),
    ("Gedächtnissprechstunde und Angehörigencafé {town}", "Caritasverband",
     "Für Menschen mit Vergesslichkeit und ihre Familien.", ("LK_06_02",), ("ZG_SENIOREN",),
     ["Ibbenbüren", "Rheine"], AFTERNOONS),
    ("Seniorenbüro {town}", "Stadt {town}",
     "Beratung für ältere Menschen, Vermittlung von Hilfen im Alltag, Veranstaltungen.", ("LK_06_03",),
     ("ZG_SENIOREN",), ["Rheine", "Emsdetten", "Greven", "Steinfurt", "Lengerich", "Hörstel"], WEEKDAYS),
    ("Seniorentreff {town}", "Kath. Kirchengemeinde",
     "Kaffee, Kuchen, Spiele und Gespräche jeden Mittwochnachmittag.", ("LK_06_03", "LK_11_01"),
     ("ZG_SENIOREN",), ["Saerbeck", "Ladbergen", "Lienen", "Nordwalde", "Altenberge", "Laer", "Horstmar"],
     AFTERNOONS),
    ("EUTB – Ergänzende unabhängige Teilhabeberatung", "EUTB Kreis Steinfurt",
     "Beratung für Menschen mit Behinderung und ihre Angehörigen, von Betroffenen für Betroffene.",
     ("LK_07_01",), (), ["Steinfurt", "Ibbenbüren"], WEEKDAYS),
    ("KoKoBe – Koordinierungs-, Kontakt- und Beratungsstelle", "Lebenshilfe",
     "Für Erwachsene mit geistiger Behinderung: Beratung zu Wohnen, Freizeit und Assistenz.",
     ("LK_07_01", "LK_07_02"), (), ["Rheine", "Lengerich"], WEEKDAYS),
    ("Ambulant Betreutes Wohnen (BeWo)", "Lebenshilfe",
     "Unterstützung in der eigenen Wohnung für Menschen mit Behinderung oder psychischer Erkrankung.",
     ("LK_07_02",), (), ["Emsdetten", "Greven"], WEEKDAYS),
    ("Rollstuhl- und Hilfsmittelberatung {town}", "Sanitätshaus und VdK",
     "Welcher Rollstuhl, welcher Rollator? Beratung und Hilfe bei Anträgen an die Krankenkasse.",
     ("LK_07_01",), ("ZG_SENIOREN",), ["Rheine"], AFTERNOONS),
    ("Migrationsberatung für erwachsene Zugewanderte (MBE)", "Caritasverband",
     "Beratung zu Aufenthalt, Integrationskurs, Anerkennung von Abschlüssen, Familiennachzug.",
     ("LK_08_01",), (), ["Rheine", "Ibbenbüren", "Greven", "Emsdetten"], WEEKDAYS),
    ("Jugendmigrationsdienst (JMD) {town}", "Internationaler Bund",
     "Für junge Zugewanderte von 12 bis 27: Schule, Ausbildung, Sprachkurse.", ("LK_08_01",), ("ZG_JUGEND",),
     ["Rheine", "Ibbenbüren"], WEEKDAYS),
    ("Flüchtlingsberatung {town}", "Diakonisches Werk Tecklenburg",
     "Asylverfahren, Duldung, Wohnsitzauflage: Beratung für Geflüchtete.", ("LK_08_01",), (),
     ["Lengerich", "Westerkappeln", "Tecklenburg", "Lotte"], WEEKDAYS),
    ("Integrationskurs (Deutsch B1) {town}", "Volkshochschule",
     "Deutschkurs mit Orientierungskurs, mit Kinderbetreuung.", ("LK_08_02",), (),
     ["Rheine", "Ibbenbüren", "Emsdetten", "Greven", "Steinfurt"], WEEKDAYS),
    ("Sprachcafé {town}", "Ehrenamtliche Flüchtlingshilfe",
     "Deutsch üben beim Kaffee, in lockerer Runde, ohne Anmeldung.", ("LK_08_02", "LK_11_01"), (),
     ["Ochtrup", "Hörstel", "Saerbeck", "Recke", "Mettingen"], AFTERNOONS),
    ("Wohnungslosenhilfe – Fachberatungsstelle {town}", "Caritasverband",
     "Hilfe bei drohendem Wohnungsverlust, Postadresse, Duschen und Waschmaschine, Tagesaufenthalt.",
     ("LK_09_01",), (), ["Rheine", "Ibbenbüren"], WEEKDAYS),
    ("Notschlafstelle {town}", "Stadt {town}",
     "Übernachtung für obdachlose Menschen, Einlass ab 18 Uhr.", ("LK_09_01",), (), ["Rheine"], AROUND_THE_CLOCK),
    ("Mieterverein Rheine und Umgebung", "Deutscher Mieterbund",
     "Rechtsberatung für Mieterinnen und Mieter: Nebenkosten, Mieterhöhung, Kündigung.", ("LK_09_02",), (),
     ["Rheine"], AFTERNOONS),
    ("Mehrgenerationenhaus {town}", "Familienbildungsstätte",
     "Offener Treff für Jung und Alt, Mittagstisch, Kurse und Beratung unter einem Dach.",
     ("LK_11_01",), (), ["Emsdetten", "Steinfurt", "Ibbenbüren"], WEEKDAYS),
    ("Nachbarschaftstreff {town}", "Quartiersmanagement",
     "Begegnung im Viertel: Frühstück, Spieleabend, Stadtteilfest.", ("LK_11_01",), (),
     ["Rheine", "Greven", "Lengerich", "Nordwalde", "Wettringen"], AFTERNOONS),
    ("Ehrenamtsbüro / Freiwilligenagentur {town}", "Stadt {town}",
     "Sie möchten sich engagieren? Wir vermitteln ehrenamtliche Aufgaben.", ("LK_11_02",), (),
     ["Rheine", "Ibbenbüren", "Emsdetten", "Greven"], WEEKDAYS),
    ("Nachbarschaftshilfe {town}", "Bürgerverein",
     "Ehrenamtliche helfen beim Einkaufen, bei Arztbesuchen und im Haushalt.", ("LK_11_02", "LK_06_03"),
     ("ZG_SENIOREN",), ["Metelen", "Wettringen", "Horstmar", "Laer", "Hopsten", "Lienen"], AFTERNOONS),
    ("Stadtbücherei {town}", "Stadt {town}",
     "Bücher, Zeitschriften, Spiele; Lesepaten für Kinder.", ("LK_11_03",), ("ZG_KINDER",),
     ["Rheine", "Emsdetten", "Greven", "Ochtrup", "Steinfurt"], AFTERNOONS),
    ("Offene Kinder- und Jugendarbeit – Jugendtreff {town}", "Jugendwerk",
     "Kicker, Billard, Kochen, Hausaufgaben; einfach vorbeikommen.", ("LK_04_01",), ("ZG_JUGEND", "ZG_KINDER"),
     ["Saerbeck", "Ladbergen", "Hopsten", "Recke", "Lotte", "Westerkappeln", "Metelen"], AFTERNOONS),
    ("Jugendzentrum „Alte Post“ {town}", "Stadt {town}",
     "Offene Tür für Jugendliche ab 12: Musikraum, Gaming, Ferienfahrten.", ("LK_04_01",), ("ZG_JUGEND",),
     ["Rheine", "Emsdetten", "Greven", "Steinfurt", "Ibbenbüren"], AFTERNOONS),
    ("Hausaufgabenhilfe und Lernförderung {town}", "Caritasverband",
     "Ehrenamtliche helfen Grundschulkindern bei den Hausaufgaben; Nachhilfe für ältere Schüler.",
     ("LK_04_03",), ("ZG_KINDER",), ["Rheine", "Ibbenbüren", "Ochtrup", "Neuenkirchen"], AFTERNOONS),
    ("Kinderschutzbund Ortsverband {town}", "Deutscher Kinderschutzbund",
     "Elternkurse „Starke Eltern – starke Kinder“, Begleiteter Umgang, Beratung bei Kindeswohlgefährdung.",
     ("LK_04_02",), ("ZG_KINDER",), ["Rheine", "Greven"], WEEKDAYS),
    ("Ambulanter Hospizdienst {town}", "Hospizverein",
     "Ehrenamtliche begleiten schwerkranke und sterbende Menschen und ihre Angehörigen zu Hause.",
     ("LK_12_01",), (), ["Rheine", "Ibbenbüren", "Greven", "Emsdetten", "Lengerich"], WEEKDAYS),
    ("Stationäres Hospiz Haus Hannah", "Hospiz Emsdetten gGmbH",
     "Pflege und Begleitung am Lebensende.", ("LK_12_01",), (), ["Emsdetten"], AROUND_THE_CLOCK),
    ("Trauercafé {town}", "Hospizverein",
     "Für Menschen, die einen nahen Menschen verloren haben: Gespräche bei Kaffee und Kuchen.",
     ("LK_12_02",), (), ["Rheine", "Steinfurt", "Lengerich"], AFTERNOONS),
    ("Trauergruppe für verwaiste Eltern", "Hospizverein",
     "Begleitung für Mütter und Väter nach dem Tod eines Kindes.", ("LK_12_02",), (), ["Ibbenbüren"], AFTERNOONS),
    ("Digitalpaten – Hilfe mit Smartphone und Tablet", "Volkshochschule",
     "Ehrenamtliche erklären Handy, WhatsApp und Online-Banking in Ruhe.", ("LK_13_01",), ("ZG_SENIOREN",),
     ["Rheine", "Ibbenbüren", "Greven", "Ochtrup"], AFTERNOONS),
    ("Internetcafé für Ältere {town}", "Seniorenbüro",
     "Computer und Internet ausprobieren, mit Unterstützung.", ("LK_13_01", "LK_06_03"), ("ZG_SENIOREN",),
     ["Emsdetten", "Lengerich"], AFTERNOONS),
    ("Repair-Café {town}", "Umweltinitiative",
     "Kaputte Toaster, Fahrräder oder Kleidung gemeinsam reparieren statt wegwerfen.", ("LK_13_02",), (),
     ["Rheine", "Greven", "Steinfurt", "Tecklenburg", "Altenberge"], AFTERNOONS),
    ("Fahrradwerkstatt für Geflüchtete {town}", "Ehrenamtliche Flüchtlingshilfe",
     "Fahrräder werden gespendet, repariert und weitergegeben.", ("LK_13_02", "LK_08_01"), (),
     ["Emsdetten"], AFTERNOONS),
]


def uid(key: str) -> str:
    return str(uuid.uuid5(NS, key))


def _term(code: str) -> dict:
    """The taxonomy term of a need code (with its parent) or an audience code."""
    if code in AUDIENCES:
        return {"id": uid("term:" + code), "code": code, "name": AUDIENCES[code], "taxonomy": AUDIENCE_TAXONOMY}
    top = code[:5]
    name = NEEDS[top][0] if code == top else NEEDS[top][1][code]
    term = {"id": uid("term:" + code), "code": code, "name": name, "taxonomy": NEED_TAXONOMY}
    if code != top:
        term["parent_id"] = uid("term:" + top)
    return term


def offer_name(template: str, town: str) -> str:
    return template.replace("{town}", town)


def services() -> list[dict]:
    """The county feed: one HSDS service per (offer, town)."""
    out: list[dict] = []
    for n, (template, org, description, needs, audiences, towns, schedules) in enumerate(OFFERS):
        for town in towns:
            postal, lat, lon = TOWNS[town]
            key = f"{n}:{town}"
            name = offer_name(template, town)
            attributes = [{"id": uid(f"attr:{key}:{code}"), "taxonomy_term": _term(code)}
                          for code in (*{c[:5] for c in needs}, *needs, *audiences)]
            out.append({
                "id": uid(key), "name": name, "description": description, "status": "active",
                "organization": {"id": uid("org:" + offer_name(org, town)), "name": offer_name(org, town)},
                "attributes": attributes,
                "schedules": [dict(s, id=uid(f"sched:{key}:{i}")) for i, s in enumerate(schedules)],
                "phones": [{"id": uid("phone:" + key), "number": f"0{5971 + n % 7} {1000 + n}"}],
                "service_at_locations": [{"id": uid("sal:" + key), "location": {
                    "id": uid("loc:" + key), "name": name, "latitude": lat, "longitude": lon,
                    "addresses": [{"id": uid("addr:" + key), "address_1": "Marktstraße 3", "city": town,
                                   "postal_code": postal, "country": "DE", "address_type": "physical"}]}}],
            })
    return out


if __name__ == "__main__":  # python -m tests.countyfeed > county.json
    import json
    import sys

    json.dump(services(), sys.stdout, ensure_ascii=False, indent=1)
