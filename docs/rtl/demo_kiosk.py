"""Run the real kiosk in Arabic or Persian on the demo catalogue plus a few offers whose text is
Arabic or Persian, for looking at right-to-left layout in a real terminal (see shoot.sh).

Until the real translations land, a small temporary catalogue of UI words is written into a
temporary locales folder; nothing under locales/ is touched.

    .venv/bin/python docs/rtl/demo_kiosk.py ar [results|offer]
"""
from __future__ import annotations

import dataclasses
import json
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk import i18n  # noqa: E402
from kiosk.app import make_app  # noqa: E402
from kiosk.config import Settings  # noqa: E402
from sync.catalogue import Catalogue  # noqa: E402
from sync.pull import import_file  # noqa: E402
from tests.conftest import hsds_service  # noqa: E402

WORDS = {
    "ar": {"Back": "رجوع", "Start": "البداية", "Read aloud": "اقرأ بصوت عالٍ", "Search": "بحث",
           "Language": "اللغة", "Help for whom?": "مساعدة لمن؟", "More topics": "مواضيع أخرى",
           "Here at this place ({n})": "هنا في هذا المكان ({n})",
           "Welcome! Here you find help and offers near you.": "أهلاً وسهلاً! هنا تجد المساعدة والعروض بالقرب منك.",
           "What do you need help with? Tap a button.": "بماذا تحتاج المساعدة؟ اضغط على زر.",
           "Arriving & migration": "الوصول والهجرة", "Health": "الصحة", "Age & care": "الشيخوخة والرعاية",
           "Advice & help in need": "الاستشارة والمساعدة", "Money & offices": "المال والدوائر الرسمية",
           "Learning digital": "التعلّم الرقمي", "Meeting & leisure": "اللقاء والترفيه",
           "Disability & inclusion": "الإعاقة والمشاركة", "Children, youth & family": "الأطفال والشباب والأسرة"},
    "fa": {"Back": "بازگشت", "Start": "شروع", "Read aloud": "بلند بخوان", "Search": "جست‌وجو",
           "Language": "زبان", "Help for whom?": "کمک برای چه کسی؟", "More topics": "موضوع‌های بیشتر",
           "Here at this place ({n})": "همین‌جا ({n})",
           "Welcome! Here you find help and offers near you.": "خوش آمدید! این‌جا کمک و خدمات نزدیک خود را می‌یابید.",
           "What do you need help with? Tap a button.": "به چه کمکی نیاز دارید؟ یک دکمه را بزنید.",
           "Arriving & migration": "ورود و مهاجرت", "Health": "سلامت", "Age & care": "سالمندی و مراقبت",
           "Advice & help in need": "مشاوره و کمک", "Money & offices": "پول و اداره‌ها",
           "Learning digital": "یادگیری دیجیتال", "Meeting & leisure": "دیدار و اوقات فراغت",
           "Disability & inclusion": "معلولیت و مشارکت", "Children, youth & family": "کودکان، جوانان و خانواده"},
}
EXTRA = [
    hsds_service("rtl-ar", "دورة لغة ألمانية للنساء مع رعاية الأطفال", organization="مقهى الشاي لينغريش",
                 needs=("ankommen-migration",), town="Lengerich", lat=52.187, lon=7.866,
                 description="نتعلم الألمانية معاً كل يوم ثلاثاء من 9:00 إلى 11:30. Deutschkurs A1 – للمبتدئين.",
                 schedules=[{"freq": "WEEKLY", "byday": "TU", "opens_at": "09:00", "closes_at": "11:30"}]),
    hsds_service("rtl-fa", "مشاوره‌ی حقوقی برای پناهجویان", organization="Caritas Tecklenburger Land",
                 needs=("ankommen-migration",), town="Lengerich", lat=52.19, lon=7.87,
                 description="می‌خواهید درباره‌ی اقامت بپرسید؟ هر پنجشنبه 14:00 تا 16:00، بدون وقت قبلی."),
]


def temporary_locales(base: Path) -> None:
    for code, words in WORDS.items():
        catalog = Catalog(locale=code, domain=i18n.DOMAIN)
        for msgid, text in words.items():
            catalog.add(msgid, text)
        target = base / code / "LC_MESSAGES"
        target.mkdir(parents=True)
        with (target / "kiosk.po").open("wb") as fh:
            write_po(fh, catalog)
    for code in ("de", "en"):
        (base / code / "LC_MESSAGES").mkdir(parents=True)
        (base / code / "LC_MESSAGES" / "kiosk.po").write_bytes(i18n.po_path(code).read_bytes())


def main() -> None:
    code = sys.argv[1] if len(sys.argv) > 1 else "ar"
    page = sys.argv[2] if len(sys.argv) > 2 else "home"
    work = Path(tempfile.mkdtemp(prefix="kiosk-rtl-"))
    settings = Settings.defaults()
    settings = dataclasses.replace(settings, kiosk=dataclasses.replace(
        settings.kiosk, default_language=code, languages=("de", "en", code)))
    temporary_locales(work / "locales")
    i18n.LOCALES_DIR = work / "locales"
    services = json.loads((ROOT / "assets" / "demo-catalogue.json").read_text(encoding="utf-8")) + EXTRA
    (work / "feed.json").write_text(json.dumps(services, ensure_ascii=False), encoding="utf-8")
    import_file(work / "feed.json", work / "catalogue.db")
    app = make_app(settings, Catalogue(work / "catalogue.db"))

    async def open_page() -> None:
        from kiosk.screens.topics import open_need

        if page in ("results", "offer"):
            need = next(n for n in app.finder.needs(None)
                        if "migration" in n.key.lower() or n.label == "Arriving & migration")
            await open_need(app, need)
        if page == "offer":
            from kiosk.screens.offer import OfferScreen

            await app.push_screen(OfferScreen(sys.argv[3] if len(sys.argv) > 3 else "rtl-ar"))

    app.call_later(open_page)
    app.run()


if __name__ == "__main__":
    main()
