"""The finder's cache is built in a thread after Home is drawn and after a sync (issue 13: the first
tap at 50,000 offers waited 0.3 to 1 s while it was built on the UI thread)."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

from textual import events

import sync.places
from kiosk.app import make_app
from kiosk.finder import Finder
from kiosk.screens.home import WARM_AFTER, HomeScreen
from kiosk.screens.results import ResultsScreen
from sync.catalogue import Catalogue
from sync.pull import import_file
from tests.conftest import find_button, hsds_service, screen_text, small_services, tap

LENGERICH = dict(town="Lengerich", latitude=52.1875, longitude=7.8660)


def finder(catalogue: Catalogue) -> Finder:
    return Finder(catalogue, location_names=["Teestube Lengerich"], **LENGERICH)


def test_the_cache_is_built_in_a_thread_of_its_own_and_once(catalogue: Catalogue) -> None:
    f = finder(catalogue)
    seen: list[str] = []
    release = threading.Event()
    real_warm = f.warm

    def warm() -> None:  # the real warm-up, held until the test lets it go
        seen.append(threading.current_thread().name)
        release.wait(10)
        real_warm()

    f.warm = warm  # type: ignore[method-assign]
    assert f.warm_in_background()
    assert not f.warm_in_background()  # one warming at a time
    assert not f.wants_warming()  # not asked while the thread holds the connection
    release.set()
    f._warming.join(10)  # type: ignore[union-attr]
    assert seen == ["finder-warm"] and threading.current_thread().name not in seen
    assert None in f._cache.orders and f._cache.version is not None
    assert ("name_words",) in catalogue._memo  # the first letter typed does not read every name
    assert ("category_offers",) not in catalogue._memo  # read once for the cache, not kept (2 MB at 50,000 offers)
    need = f.needs()[0]
    assert f.listing(need).offers  # served from the cache the thread built


def test_after_a_sync_it_wants_warming_again_and_sees_the_new_offers(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    services = small_services()
    source = tmp_path / "feed.json"
    source.write_text(json.dumps(services, ensure_ascii=False), encoding="utf-8")
    import_file(source, db)
    with Catalogue(db) as catalogue:
        f = finder(catalogue)
        assert not f.wants_warming()  # never warmed: Home starts the first warming
        f.warm_in_background()
        f._warming.join(10)  # type: ignore[union-attr]
        assert not f.wants_warming()
        before = sum(n.count for n in f.needs())
        source.write_text(json.dumps(services[: len(services) // 2], ensure_ascii=False), encoding="utf-8")
        import_file(source, db)  # a sync from another process commits to the file
        assert f.wants_warming()
        assert f.warm_in_background()
        f._warming.join(10)  # type: ignore[union-attr]
        assert not f.wants_warming()
        assert sum(n.count for n in f.needs()) < before


def test_a_failure_in_the_thread_is_handed_over_not_raised(catalogue: Catalogue) -> None:
    f = finder(catalogue)
    failures: list[Exception] = []
    catalogue._conn.close()  # the file can no longer be read
    assert f.warm_in_background(failures.append)
    f._warming.join(10)  # type: ignore[union-attr]
    assert len(failures) == 1


async def test_home_warms_the_cache_off_the_ui_thread(settings, catalogue, clock) -> None:
    app = make_app(settings, catalogue, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.finder._warming is None  # not before Home is drawn
        await pilot.pause(WARM_AFTER + 0.3)
        warming = app.finder._warming
        assert warming is not None and warming.name == "finder-warm"
        warming.join(10)
        assert not app.finder.wants_warming()


# Run in a child: before the fix the crash took the whole Python process (and pytest) with it.
CLOSE_WHILE_WARMING = """
import json, sys, threading
from pathlib import Path
from sync.catalogue import Catalogue
errors = []
for _ in range(30):
    catalogue = Catalogue(Path(sys.argv[1]))
    reading = threading.Event()
    def warm():
        try:
            while True:
                reading.set()
                catalogue.by_place(52.1875, 7.8660, town="Lengerich")  # what the warming thread reads
        except Exception as exc:
            errors.append(type(exc).__name__)
    thread = threading.Thread(target=warm)
    thread.start()
    reading.wait()
    catalogue.close()  # as the app's owner does at exit, while the daemon thread may still warm
    thread.join()
print(json.dumps(errors))
"""


def test_closing_the_catalogue_while_the_cache_is_warmed_is_no_crash(tmp_path: Path) -> None:
    """A test run on a loaded machine died of a segfault: the catalogue was closed (fixture
    teardown, as at the kiosk's exit) while the finder-warm thread was inside a query on the same
    connection. Closing now waits for that query; the thread's next one fails with an error."""
    source = tmp_path / "feed.json"
    source.write_text(json.dumps([hsds_service(f"s{i:05d}", f"Angebot {i}") for i in range(3000)]), encoding="utf-8")
    import_file(source, tmp_path / "catalogue.db")
    done = subprocess.run([sys.executable, "-c", CLOSE_WHILE_WARMING, str(tmp_path / "catalogue.db")],
                          capture_output=True, text=True, timeout=300, cwd=Path(__file__).resolve().parents[1])
    assert done.returncode == 0, f"the process died (exit {done.returncode}): {done.stderr[-2000:]}"
    errors = json.loads(done.stdout.strip().splitlines()[-1])
    assert len(errors) == 30 and set(errors) <= {"StoreError", "ProgrammingError"}, errors


def post_tap(app, widget) -> None:
    """A tap as the terminal driver delivers it: press and release reach the app's queue (not
    Pilot's click, which hands them to the screen and then waits until the process is idle)."""
    x, y = widget.region.x + 2, widget.region.y + 1
    for kind in (events.MouseDown, events.MouseUp):
        app.post_message(kind(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y))


async def until(condition, what: str, seconds: float = 10) -> None:
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, what
        await asyncio.sleep(0.01)


async def test_back_to_home_does_not_wait_for_a_warming_after_a_sync(settings, clock, tmp_path: Path,
                                                                     monkeypatch) -> None:
    """Issue 13: after a sync the finder's cache is built again in a thread (0.3 to 1 s at 50,000
    offers). A tap that needs nothing from it (Back to Home, speech stopping) was held until it
    ended: Home's buttons waited for the thread's lock, and the thread held the catalogue's
    connection while it worked through every offer. Here the warming is held in the middle of the
    place order (the last and longest step) until Home is drawn or 3 s have passed, so the order of
    the two events says whether Home waited. A need tapped during the warming still lists the
    offer the sync brought (it waits for the new cache, never shows the old one)."""
    db, source = tmp_path / "c.db", tmp_path / "feed.json"
    services = small_services()
    source.write_text(json.dumps(services, ensure_ascii=False), encoding="utf-8")
    import_file(source, db)
    order: list[str] = []
    held, release = threading.Event(), threading.Event()
    distance = sync.places.distance_km

    def slow_distance(*args: float) -> float:  # the real distance, held once in the warming thread
        if threading.current_thread().name == "finder-warm" and not held.is_set() and order == ["sync"]:
            held.set()
            release.wait(3)
            order.append("warming ended")
        return distance(*args)

    monkeypatch.setattr(sync.places, "distance_km", slow_distance)
    with Catalogue(db) as catalogue:
        app = make_app(settings, catalogue, clock=clock)
        stops: list[str] = []
        stop = app.stop_speaking
        monkeypatch.setattr(app, "stop_speaking", lambda: (stops.append(order[-1] if order else "start"), stop()))
        async with app.run_test(size=(80, 24)) as pilot:
            await until(lambda: app.finder._warming is not None and not app.finder._warming.is_alive(),
                        "the first warming did not end")
            await tap(pilot, "Geld & Ämter")
            assert isinstance(app.screen, ResultsScreen)
            # A sync lands: the same feed and one more offer, held at this very place.
            services.append(hsds_service("s13", "Neue Sprechstunde Wohngeld", location="Teestube Lengerich",
                                         needs=("geld-aemter",), groups=("alle",)))
            source.write_text(json.dumps(services, ensure_ascii=False), encoding="utf-8")
            import_file(source, db)
            order.append("sync")
            await until(held.is_set, "the app's idle tick did not warm the cache again after the sync")
            stops.clear()
            post_tap(app, find_button(app, "Zurück"))
            await until(lambda: isinstance(app.screen, HomeScreen) and app.screen._composed_here,
                        "Home was not drawn")
            await pilot.pause()
            order.append("Home drawn")
            release.set()
            await until(lambda: not app.finder._warming.is_alive(), "the warming did not end")
            assert order == ["sync", "Home drawn", "warming ended"], f"Home waited for the warming: {order}"
            assert stops and stops[0] == "sync", "speech was not stopped at the tap"

            # A need tapped while the cache is built again waits for it and lists the new offer.
            held.clear()
            order[:] = ["sync"]
            services.append(hsds_service("s14", "Zweite neue Sprechstunde", location="Teestube Lengerich",
                                         needs=("geld-aemter",), groups=("alle",)))
            source.write_text(json.dumps(services, ensure_ascii=False), encoding="utf-8")
            import_file(source, db)  # another sync, with another offer here
            await until(held.is_set, "no warming after the second sync")
            threading.Timer(0.3, release.set).start()
            release.clear()
            post_tap(app, find_button(app, "Geld & Ämter"))
            await until(lambda: isinstance(app.screen, ResultsScreen), "the results were not shown")
            await pilot.pause()
            shown = screen_text(app)
            assert "Zweite neue Sprechstunde" in shown and "Neue Sprechstunde Wohngeld" in shown, shown
