"""Run the real kiosk in Arabic or Persian on the demo catalogue plus a few offers whose text is
Arabic or Persian, for looking at right-to-left layout in a real terminal (see shoot.sh).

The UI words are the real translations of locales/ar and locales/fa; the catalogue is made in a
temporary folder, nothing of the checkout is written.

    .venv/bin/python docs/rtl/demo_kiosk.py ar [results|offer]
"""
from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk.app import make_app  # noqa: E402
from kiosk.config import Settings  # noqa: E402
from sync.catalogue import Catalogue  # noqa: E402
from sync.pull import import_file  # noqa: E402
from tests.conftest import hsds_service  # noqa: E402

EXTRA = [
    hsds_service("rtl-ar", "دورة لغة ألمانية للنساء مع رعاية الأطفال", organization="مقهى الشاي لينغريش",
                 needs=("ankommen-migration",), town="Lengerich", lat=52.187, lon=7.866,
                 description="نتعلم الألمانية معاً كل يوم ثلاثاء من 9:00 إلى 11:30. Deutschkurs A1 – للمبتدئين.",
                 schedules=[{"freq": "WEEKLY", "byday": "TU", "opens_at": "09:00", "closes_at": "11:30"}]),
    hsds_service("rtl-fa", "مشاوره‌ی حقوقی برای پناهجویان", organization="Caritas Tecklenburger Land",
                 needs=("ankommen-migration",), town="Lengerich", lat=52.19, lon=7.87,
                 description="می‌خواهید درباره‌ی اقامت بپرسید؟ هر پنجشنبه 14:00 تا 16:00، بدون وقت قبلی."),
]


def main() -> None:
    code = sys.argv[1] if len(sys.argv) > 1 else "ar"
    page = sys.argv[2] if len(sys.argv) > 2 else "home"
    work = Path(tempfile.mkdtemp(prefix="kiosk-rtl-"))
    settings = Settings.defaults()
    settings = dataclasses.replace(settings, kiosk=dataclasses.replace(
        settings.kiosk, default_language=code, languages=("de", "en", code)))
    services = json.loads((ROOT / "assets" / "demo-catalogue.json").read_text(encoding="utf-8")) + EXTRA
    (work / "feed.json").write_text(json.dumps(services, ensure_ascii=False), encoding="utf-8")
    import_file(work / "feed.json", work / "catalogue.db")
    app = make_app(settings, Catalogue(work / "catalogue.db"))

    async def open_page() -> None:
        from kiosk.screens.topics import open_need

        if page in ("results", "offer"):
            need = next(n for n in app.finder.needs(None)
                        if "migration" in n.key.lower() or n.label == "Arriving & migration")
            await open_need(app.screen, need)  # from Home, as a tap there does
        if page == "offer":
            from kiosk.screens.offer import OfferScreen

            await app.push_screen(OfferScreen(sys.argv[3] if len(sys.argv) > 3 else "rtl-ar"))

    app.call_later(open_page)
    app.run()


if __name__ == "__main__":
    main()
