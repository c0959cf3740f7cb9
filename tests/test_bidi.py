"""Right-to-left layout for a terminal without bidi (kiosk/bidi.py and the widgets that use it)."""
from __future__ import annotations

import pytest
from rich.cells import cell_len

from kiosk import i18n
from kiosk.app import make_app
from kiosk.bidi import display_lines, has_rtl, lay_out, visual_line, wrap
from kiosk.widgets import OfferCard
from tests.conftest import hsds_service, screen_text, small_services, tap, with_kiosk

LAM_ALEF = "\ufefb"  # isolated lam-alef ligature
ARABIC_COURSE = "دورة لغة ألمانية للنساء"  # "German course for women"


def test_mixed_arabic_latin_and_digits_keep_their_own_direction():
    line = visual_line("دورة Deutschkurs الساعة 10:30")
    # Right to left: the first logical word is at the right end; Latin and digits read left to right.
    assert "Deutschkurs" in line and "10:30" in line
    assert line.index("10:30") < line.index("Deutschkurs")
    assert line.endswith(visual_line("دورة"))
    assert not any("\u0600" <= c <= "\u06ff" for c in line)  # all letters shaped to presentation forms


def test_lam_alef_becomes_one_cell_and_wrapping_measures_after_shaping():
    assert LAM_ALEF in visual_line("لا")
    assert cell_len(visual_line("لا لا لا")) == 5  # 8 logical characters
    # Fits in 5 cells only because each lam-alef pair is one cell once shaped.
    assert wrap("لا لا لا", 5) == ["لا لا لا"]


def test_persian_zwnj_stops_joining_and_is_not_drawn():
    with_zwnj, without = visual_line("می\u200cخواهم"), visual_line("میخواهم")
    assert "\u200c" not in with_zwnj
    assert "\ufbfd" in with_zwnj  # yeh in its final form before the non-joiner
    assert "\ufbff" in without and "\ufbfd" not in without  # medial when it joins on
    assert cell_len(with_zwnj) == cell_len(without) == 7  # seven letters, seven cells


def test_wrapped_lines_fit_are_right_aligned_and_keep_reading_order():
    text = f"{ARABIC_COURSE} في Lengerich كل يوم ثلاثاء من 9:00 إلى 12:00"
    for limit in (10, 12, 20, 80):  # every word fits (a longer one is cut, see below)
        logical = wrap(text, limit)
        assert " ".join(logical) == text  # nothing lost, words in reading order
        lines = display_lines(text, limit)
        assert len(lines) == len(logical)
        assert all(cell_len(line) == limit for line in lines)
        assert all(line == " " * (limit - len(line.lstrip(" "))) + line.lstrip(" ") for line in lines)
    # The first line in reading order holds the first words, drawn at the right edge.
    first = display_lines(text, 12)[0]
    assert first.rstrip().endswith(visual_line("دورة"))


def test_a_word_longer_than_the_line_is_cut_not_lost():
    lines = wrap("Rechtsberatungsstelle", 6)
    assert "".join(lines) == "Rechtsberatungsstelle" and all(len(x) <= 6 for x in lines)


def test_no_control_characters_reach_the_terminal():
    line = visual_line("\u202bسلام\u202c \u200fAbc\u200e")
    assert not any(c in line for c in "\u202b\u202c\u200e\u200f")
    assert has_rtl("Hallo سلام") and not has_rtl("Hallo 123")


def arabic_services() -> list[dict]:
    services = small_services()
    services.append(hsds_service("ar-1", ARABIC_COURSE, needs=("ankommen-migration",), organization="مقهى الشاي"))
    return services


async def test_kiosk_in_arabic_draws_shaped_text_and_keeps_logical_text(settings, make_catalogue, clock):
    settings = with_kiosk(settings, default_language="ar", languages=("de", "en", "ar"))
    app = make_app(settings, make_catalogue(arabic_services()), clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = [w.id for w in app.screen.query("#topbar > *") if w.display]
        assert bar[-1] == "language"  # mirrored: the language button on the right
        await tap(pilot, i18n._("Arriving & migration"))  # the need's Arabic label
        text = screen_text(app)
        assert visual_line(ARABIC_COURSE) in text and ARABIC_COURSE not in text  # shaped, reordered
        card = next(c for c in app.screen.query(OfferCard) if c.offer_id == "ar-1")
        assert ARABIC_COURSE in card.visual.plain  # the widget keeps the logical text
        row = next(line for line in text.splitlines() if visual_line(ARABIC_COURSE) in line)
        assert row.rstrip().endswith("▐")  # the card's accent bar on its right edge (mirrored)
        assert row.rstrip(" ▐").endswith(visual_line(ARABIC_COURSE))  # right-aligned in the card
        bar = [w for w in app.screen.query("#topbar > *") if w.display]
        assert bar[-1].id == "back" and bar[-1].label.plain.startswith("▶")  # Back on the right
        assert "Lengerich" in text  # Latin catalogue text still reads left to right
        # Read aloud gets the logical text, never the presentation forms drawn on screen.
        spoken = " ".join(part for part, _language in app.screen.spoken_parts())
        assert ARABIC_COURSE in spoken and not any("\ufb50" <= c <= "\ufeff" for c in spoken)


def test_brackets_in_right_to_left_runs_are_mirrored():
    # Logical "(5)" after Arabic words: drawn "(5)" at the left end, not ")5(".
    assert visual_line("هنا في هذا المكان (5)").startswith("(5) ")
    assert visual_line("دورة [Deutschkurs (A1)]").startswith("[Deutschkurs (A1)] ")
    assert visual_line("Kurs (A1)", rtl=True) == "Kurs (A1)"  # no Arabic: left as written


@pytest.mark.parametrize(("logical", "drawn"), [
    # A phone's label with brackets of its own, in brackets after the number (the offer screen).
    ("تلفن: 05481 99657-77 (Beispielnummer (fiktiv))", "(Beispielnummer (fiktiv)) 05481 99657-77 :"),
    ("هاتف: 0123 [Zentrale (Notruf)] (A1)", "(A1) [Zentrale (Notruf)] 0123 :"),
    # Right-to-left pairs inside each other: each drawn enclosing its own words.
    ("متن (عربی (داخل)) و [x]", "[x] ﻭ ((ﻞﺧﺍﺩ) ﯽﺑﺮﻋ) "),
    ("دورة (Kurs (A1) für Frauen) اليوم", " (Kurs (A1) für Frauen) "),
    ("«نص» (5)", "(5) «"),
])
def test_nested_brackets_of_both_directions_are_drawn_as_pairs(logical, drawn):
    """Nested pairs in runs of different directions: each pair mirrored by its own direction (the
    pairs found before the reordering), not by pairing the visual line's brackets anew, which
    drew "(Beispielnummer )fiktiv()"."""
    line = visual_line(logical)
    assert drawn in line, line


@pytest.mark.parametrize(("logical", "drawn"), [
    ("» مواضيع أخرى", "ﻯﺮﺧﺃ ﻊﻴﺿﺍﻮﻣ «"),  # Home's "» More topics": the mark points the way Arabic reads
    ("عربي (بدون", "ﻥﻭﺪﺑ) ﻲﺑﺮﻋ"),  # a bracket without its partner, in a right-to-left run
    ("a < b عربي", "ﻲﺑﺮﻋ a < b"),  # in a left-to-right run: as written
    ("متن «نقل» و (١)", "(١) ﻭ «ﻞﻘﻧ» ﻦﺘﻣ"),
])
def test_a_single_mirrored_character_is_mirrored_by_its_own_run(logical, drawn):
    """UBA rule L4 for a character without a partner: mirrored where it lies in a right-to-left run."""
    assert visual_line(logical) == drawn


def test_finding_the_pairs_again_does_not_change_the_order_of_the_line():
    """The stand-in brackets (kiosk/bidi.py) are ordered as the brackets they stand for: every other
    character stands where python-bidi puts it in the unmarked line."""
    from bidi import get_display

    from kiosk.bidi import _RESHAPER, isolate_numbers

    words = ["دورة", "Kurs", "(", ")", "[", "]", "{", "}", "A1", "05481 99657", "für", "اليوم", "«", "»", ":"]
    for n in range(400):
        logical = " ".join(words[(n * 7 + k * k * 3 + n // 5) % len(words)] for k in range(2 + n % 9)) + " دورة"
        plain = get_display(isolate_numbers(_RESHAPER.reshape(logical)), base_dir="R")
        ours = visual_line(logical)
        skeleton = [c for c in "".join(ch for ch in plain if ch not in "\u2066\u2069") if c not in "()[]{}«»"]
        assert [c for c in ours if c not in "()[]{}«»"] == skeleton, (logical, ours)
        assert len([c for c in ours if c in "()[]{}"]) == len([c for c in logical if c in "()[]{}"])


def test_a_line_that_must_not_wrap_is_cut_at_its_logical_end():
    text = "اقرأ بصوت عالٍ"
    (line,) = display_lines(text, 9, wrap_lines=False)
    assert cell_len(line) == 9 and line.startswith("…")  # the end of an Arabic line is its left
    assert line.endswith(visual_line("اقرأ"))  # the start is still there, at the right


def test_numbers_keep_their_order_after_arabic_letters():
    # The bidi algorithm makes digits after Arabic letters Arabic numbers: "123-45" would read "45-123".
    assert visual_line("الهاتف: 02572 123-45").startswith("02572 123-45 ")
    assert visual_line("من 9:00 إلى 12:00").startswith("12:00 ")  # the later time on the left
    assert "Deutschkurs A1" in visual_line("دورة Deutschkurs A1")  # a number inside a word stays there


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_a_date_with_babels_direction_mark_stays_one_unit(language):
    """Babel writes Arabic and Persian day/month with a right-to-left mark inside ("31\u200f/12"): the
    date and the time after it still read as one left-to-right unit, not "12 18:00/31"."""
    from datetime import date

    from babel.dates import format_skeleton

    day = format_skeleton("MMdd", date(2026, 12, 31), locale=language)
    assert any(mark in day for mark in "\u200e\u200f\u061c") or language == "fa", repr(day)
    line = visual_line(f"يفتح الخميس {day} 18:00")
    unmarked = "".join(ch for ch in day if ch not in "\u200e\u200f\u061c")
    assert line.startswith(unmarked + " 18:00 "), line


def test_a_wrapped_arabic_paragraph_keeps_its_direction_on_an_all_latin_line():
    lines = lay_out("دورة لغة ألمانية Deutschkurs A1.", 16)
    assert len(lines) == 2 and lines[1] == ".Deutschkurs A1"  # the full stop ends the line at its left
    assert lay_out("Deutschkurs A1.", 40) == ["Deutschkurs A1."]  # no Arabic: as written


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_every_visitor_screen_renders_right_to_left_without_losing_a_button(settings, make_catalogue, clock,
                                                                                 size):
    settings = with_kiosk(settings, default_language="fa", languages=("de", "en", "fa"))
    app = make_app(settings, make_catalogue(arabic_services()), clock=clock)
    async with app.run_test(size=size) as pilot:
        for steps in ((), ("#search",), ("#whom",), ("#language",), ("#need-2",), ("#need-2", "OfferCard")):
            await app.go_home()
            await pilot.pause()
            for step in steps:
                await pilot.click(step)
                await pilot.pause(0.3)
            screen = app.screen
            lines = screen_text(app).splitlines()
            for button in screen.query("Button"):
                r = button.region
                if not (button.display and r.area) or r.bottom > size[1]:
                    continue  # not shown, or scrolled out of view
                drawn = "".join(lines[y][r.x:r.right] for y in range(r.y, r.bottom))
                assert drawn.strip(" ▔▁▎▊▌"), (steps, button.id, button.label.plain)  # not blank
                if has_rtl(button.label.plain):
                    assert any("\ufb50" <= c <= "\ufeff" for c in drawn), (steps, button.id)  # shaped
            bar = [w for w in screen.query("#topbar > *") if w.display]
            assert bar and bar[0].region.x < bar[-1].region.x
            assert bar[-1].id in ("back", "language"), (steps, [w.id for w in bar])  # mirrored
