"""Catalogue text in the visitor's language where the feed carries it (HSDS extension field
`x-translations` on a service), else German with a small note. Real import, real SQLite file."""
from __future__ import annotations

import sqlite3

from kiosk import i18n
from kiosk.finder import Finder
from kiosk.present import offer_content, offer_spoken
from sync import schema
from sync.catalogue import Catalogue
from tests.conftest import FROZEN_NOW, hsds_service

NAME_UK = "Курс німецької мови для жінок"
DESCRIPTION_UK = "Вчимо німецьку разом щовівторка."
NOTE_EN = "This offer is not translated into your language; here it is in German."


def services() -> list[dict]:
    return [hsds_service("t1", "Deutschkurs für Frauen", description="Wir lernen jeden Dienstag Deutsch.",
                         **{"x-translations": {"uk": {"name": NAME_UK, "description": DESCRIPTION_UK},
                                               "ar": {"name": "   "}, "<script>": {"name": "x"}, "fa": "kein Objekt"}}),
            hsds_service("t2", "Sprachcafé", description="Deutsch sprechen bei Tee.")]


def finder(catalogue: Catalogue) -> Finder:
    return Finder(catalogue, location_names=[], town="Lengerich", latitude=52.19, longitude=7.87)


def shown(catalogue: Catalogue, offer_id: str, language: str) -> tuple[str, list[tuple[str, str]]]:
    i18n.set_language(language)
    offer = catalogue.offer(offer_id)
    return offer_content(offer, finder(catalogue), FROZEN_NOW).plain, offer_spoken(offer, finder(catalogue), FROZEN_NOW)


def test_the_import_keeps_usable_translations_only(make_catalogue):
    catalogue = make_catalogue(services())
    assert catalogue.offer("t1").translations == {"uk": {"name": NAME_UK, "description": DESCRIPTION_UK}}
    assert catalogue.offer("t2").translations == {}


def test_the_visitors_language_is_shown_and_spoken_in_its_voice(make_catalogue):
    catalogue = make_catalogue(services())
    text, parts = shown(catalogue, "t1", "uk")
    assert text.startswith(NAME_UK) and DESCRIPTION_UK in text and "Deutschkurs für Frauen" not in text
    said_uk = " ".join(t for t, language in parts if language == "uk")
    assert NAME_UK in said_uk and DESCRIPTION_UK in said_uk
    text, parts = shown(catalogue, "t1", "uk-UA")  # a region falls back to the language
    assert text.startswith(NAME_UK)


def test_german_with_a_note_when_the_language_is_missing(make_catalogue):
    catalogue = make_catalogue(services())
    text, parts = shown(catalogue, "t1", "en")
    assert text.startswith("Deutschkurs für Frauen") and NOTE_EN in text
    assert "Deutschkurs für Frauen" in " ".join(t for t, lang in parts if lang == "de")  # German keeps its voice
    text, _parts = shown(catalogue, "t1", "de")
    assert text.startswith("Deutschkurs für Frauen") and "Deutsch" in text and NOTE_EN not in text
    assert "Dieses Angebot gibt es nicht" not in text  # German visitors need no note
    text, _parts = shown(catalogue, "t2", "en")  # a feed without translations: no note on every offer
    assert NOTE_EN not in text


def test_an_older_catalogue_file_without_the_column_still_opens(make_catalogue, tmp_path):
    catalogue = make_catalogue(services())
    path = catalogue.path
    catalogue.close()
    with sqlite3.connect(path) as conn:
        conn.execute("ALTER TABLE offers DROP COLUMN translations")
    old = Catalogue(path)
    try:
        assert old.offer("t1").translations == {} and old.offer("t1").name == "Deutschkurs für Frauen"
    finally:
        old.close()
    with sqlite3.connect(path) as conn:  # the next sync adds the column, empty
        schema.create_schema(conn)
        assert "translations" in {row[1] for row in conn.execute("PRAGMA table_info(offers)")}
