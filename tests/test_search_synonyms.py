"""The thesaurus file: its format, its errors (with file and line), and the bundled word list."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from sync.text import fold
from sync.thesaurus import SYNONYMS_PATH, SynonymError, Thesaurus, load_thesaurus, parse_thesaurus


def targets(th: Thesaurus, words: str) -> set[str]:
    return {" ".join(t) for t in th.rules.get(tuple(fold(words).split()), ())}


def test_rule_forms() -> None:
    th = parse_thesaurus(
        "# a comment\n"
        "\n"
        "doktor, Hausarzt => Arzt, Ärztin   # one way\n"
        "handy, smartphone, mobiltelefon\n"
        "deutsch lernen => sprachkurs, frühe hilfen\n"
        "stop: wo, Kann, ich\n"
        "fallback: sozialberatung, allgemeine beratung\n"
    )
    assert targets(th, "doktor") == {"arzt", "arztin"}
    assert targets(th, "hausarzt") == {"arzt", "arztin"}
    assert targets(th, "arzt") == set()  # one way only
    assert targets(th, "handy") == {"smartphone", "mobiltelefon"}
    assert targets(th, "mobiltelefon") == {"handy", "smartphone"}
    assert targets(th, "deutsch lernen") == {"sprachkurs", "fruhe hilfen"}
    assert th.stopwords == {"wo", "kann", "ich"}
    assert th.fallback == (("sozialberatung",), ("allgemeine", "beratung"))


def test_rules_for_the_same_word_add_up() -> None:
    th = parse_thesaurus("amt => behörde\namt, rathaus\n")
    assert targets(th, "amt") == {"behorde", "rathaus"}


@pytest.mark.parametrize("line, message", [
    ("doktor, , arzt", "empty entry"),
    ("doktor => arzt => praxis", "more than one '=>'"),
    ("doktor =>", "empty entry"),
    ("=> arzt", "empty entry"),
    ("doktor", "two or more words"),
    ("stop: wo kann", "single words"),
    ("stop: a => b", "no meaning"),
    ("synonym: a, b", "unknown directive"),
    ("doktor, !!!", "no letters or digits"),
])
def test_malformed_lines_name_file_and_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "synonyms.txt"
    path.write_text(f"# ok\nhandy, smartphone\n{line}\n", encoding="utf-8")
    with pytest.raises(SynonymError) as err:
        load_thesaurus(path)
    assert f"{path}:3:" in str(err.value)
    assert message in str(err.value)


def test_unreadable_file_is_a_synonym_error(tmp_path: Path) -> None:
    with pytest.raises(SynonymError, match="cannot read"):
        load_thesaurus(tmp_path / "missing.txt")
    (tmp_path / "latin1.txt").write_bytes("stra\xdfe, weg\n".encode("latin-1"))
    with pytest.raises(SynonymError, match="cannot read"):
        load_thesaurus(tmp_path / "latin1.txt")


def test_the_file_is_read_again_after_a_change(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.txt"
    path.write_text("handy, smartphone\n", encoding="utf-8")
    assert targets(load_thesaurus(path), "handy") == {"smartphone"}
    path.write_text("handy, smartphone, mobiltelefon\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))
    assert targets(load_thesaurus(path), "handy") == {"smartphone", "mobiltelefon"}


def test_bundled_list_is_found_from_the_package_not_the_working_directory(tmp_path: Path,
                                                                          monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert SYNONYMS_PATH.is_file()
    assert load_thesaurus().source == str(SYNONYMS_PATH)


def test_bundled_list_is_well_formed_and_large_enough() -> None:
    th = load_thesaurus(SYNONYMS_PATH)
    rule_lines = [line for line in SYNONYMS_PATH.read_text(encoding="utf-8").splitlines()
                  if line.split("#", 1)[0].strip() and ":" not in line.split("#", 1)[0]]
    assert len(rule_lines) >= 80
    assert len(th.rules) >= 400  # every trigger word and phrase counts once
    assert {"wo", "kann", "ich", "suche", "hilfe", "bei"} <= th.stopwords


@pytest.mark.parametrize("asked, meant", [
    ("doktor", "arzt"),
    ("handy", "smartphone"),
    ("geld", "schuldnerberatung"),
    ("schulden", "schuldnerberatung"),
    ("deutsch lernen", "sprachkurs"),
    ("deutsch lernen", "integrationskurs"),
    ("deutsch lernen", "deutschkurs"),
    ("essen umsonst", "tafel"),
    ("essen umsonst", "mittagstisch"),
    ("jobcenter", "bürgergeld"),
    ("oma", "senioren"),
    ("opa", "senioren"),
    ("rollstuhl", "barrierefrei"),
    ("rollstuhl", "behinderung"),
    ("kinder", "kita"),
    ("kinder", "familie"),
    ("wohnung", "wohnberatung"),
    ("pflegeheim", "pflegestützpunkt"),
    ("rentner", "rente"),
    ("übersetzer", "dolmetscher"),
    ("anwalt", "rechtsberatung"),
    ("alkohol", "suchtberatung"),
    ("schwanger", "schwangerschaftsberatung"),
    ("einsam", "besuchsdienst"),
    ("computer", "computerkurs"),
    ("internet", "digital"),
    ("flüchtling", "flüchtlingsberatung"),
    ("asyl", "flüchtlingsberatung"),
    ("streit", "erziehungsberatung"),
    ("gewalt", "frauenberatung"),
    ("nachhilfe", "hausaufgabenhilfe"),
    ("klamotten", "kleiderkammer"),
    ("müde", "zuhör telefon"),
    ("depression", "selbsthilfe"),
    ("seelsorge", "zuhör telefon"),
])
def test_bundled_list_knows_how_people_ask(asked: str, meant: str) -> None:
    assert fold(meant) in targets(load_thesaurus(), asked)
