"""What a volunteer reads in the menu after a fault the sync or the start survived: the kiosk on the
last good copy or the demo, and a delta sync that removed nothing because the id list did not add up."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from kiosk.app import make_app
from kiosk.cli import open_catalogue
from sync.pull import import_file
from tests.conftest import screen_text, small_services
from tests.faults.test_app_faults import open_menu
from tests.faults.test_corrupt_catalogue import garbage_pages, header, write_json


def synced(tmp_path: Path) -> Path:
    db = tmp_path / "var" / "catalogue.db"
    db.parent.mkdir()
    import_file(write_json(tmp_path / "feed.json", small_services()), db)
    return db


async def menu_words(settings, catalogue) -> str:
    """What the volunteer menu says, as one line of words, in the real app started on `catalogue`
    (160x48, room for every status line)."""
    app = make_app(settings, catalogue)
    async with app.run_test(size=(160, 48)) as pilot:
        await open_menu(pilot)
        return " ".join(screen_text(app).split())


async def test_the_menu_says_the_kiosk_shows_the_last_good_copy(settings, tmp_path):
    db = synced(tmp_path)
    garbage_pages(db)
    with open_catalogue(db) as catalogue:
        assert catalogue.status().fallback == "last-good"
        words = await menu_words(settings, catalogue)
    assert "Die Katalogdatei ist beschädigt." in words and "letzten guten" in words, words
    assert "database disk image is malformed" in words  # the technical detail, set apart


async def test_the_menu_says_the_kiosk_shows_the_demo(settings, tmp_path):
    db = synced(tmp_path)
    header(db)
    Path(str(db) + ".last-good").unlink()
    with open_catalogue(db) as catalogue:
        assert catalogue.status().fallback == "demo"
        words = await menu_words(settings, catalogue)
    assert "Beispielkatalog" in words and "neu starten" in words, words


async def test_the_menu_tells_a_sync_that_removed_nothing(settings, make_catalogue):
    catalogue = make_catalogue(small_services())
    with sqlite3.connect(catalogue.path) as conn:  # as a delta sync with an untrusted id list leaves it
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('last_warning', ?)",
                     ("no offers were removed: http://feed/services?minimal=true: announced 164, sent 100",))
    words = await menu_words(settings, catalogue)
    assert "hat keine Angebote entfernt" in words and "announced 164" in words, words
