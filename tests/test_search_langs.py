"""Search in the visitor's own language: assets/terms/<lang>.toml over the demo catalogue.

hit@5 per language = the share of the language's queries in tests/search_relevance_langs.toml for
which at least one expected German offer is among the first 5 results of
`Catalogue.search(text, limit=5, language=lang)`. The baseline is the same search without the
language's terms (what a visitor typing in their language got before). Run with -s for the table.
"""
from __future__ import annotations

import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

from sync.catalogue import Catalogue
from sync.pull import import_file
from sync.thesaurus import TERMS_DIR, SynonymError, _phrase, load_thesaurus, parse_terms, with_language

ROOT = Path(__file__).resolve().parents[1]
DATA = tomllib.loads(Path(__file__).with_name("search_relevance_langs.toml").read_text(encoding="utf-8"))
LANGS = ("en", "uk", "ar", "tr", "ru", "fa", "pl", "ro")
K = 5
MIN_HIT = 0.8


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Catalogue:
    db = tmp_path_factory.mktemp("langs") / "demo.db"
    import_file(ROOT / "assets" / "demo-catalogue.json", db)
    with Catalogue(db) as catalogue:
        yield catalogue


@pytest.mark.parametrize("lang", LANGS)
def test_every_language_has_a_curated_term_list(lang):
    terms, stop = parse_terms((TERMS_DIR / f"{lang}.toml").read_text(encoding="utf-8"), lang)
    assert sum(len(words) for words in terms.values()) >= 40
    base = load_thesaurus()
    # Each German key is a word the thesaurus knows, so the term reaches its synonyms too.
    assert [" ".join(g) for g in terms if g not in base.rules] == []


def test_query_set_is_big_enough_and_names_real_offers():
    import json

    names = {s["name"] for s in json.loads((ROOT / "assets" / "demo-catalogue.json").read_text(encoding="utf-8"))}
    assert {n for ns in DATA["expect"].values() for n in ns} <= names
    counts = defaultdict(int)
    for q in DATA["query"]:
        counts[q["lang"]] += 1
        assert q["need"] in DATA["expect"]
    assert all(counts[lang] >= 10 for lang in LANGS), dict(counts)


def test_hit_at_5_per_language(demo):
    hits, base_hits, total, misses = defaultdict(int), defaultdict(int), defaultdict(int), []
    for q in DATA["query"]:
        expect = set(DATA["expect"][q["need"]])
        total[q["lang"]] += 1
        found = [o.name for o in demo.search(q["text"], limit=K, language=q["lang"])]
        if expect & set(found):
            hits[q["lang"]] += 1
        else:
            misses.append(f"{q['lang']} {q['text']!r} -> {found}")
        if expect & {o.name for o in demo.search(q["text"], limit=K)}:
            base_hits[q["lang"]] += 1
    report = "\n".join(f"{lang}: hit@5 {hits[lang] / total[lang]:.2f} ({hits[lang]}/{total[lang]}), "
                       f"without the terms {base_hits[lang] / total[lang]:.2f}" for lang in LANGS)
    print("\n" + report + "\nmisses:\n" + "\n".join(misses))
    assert all(hits[lang] / total[lang] >= MIN_HIT for lang in LANGS), report + "\n" + "\n".join(misses)


def test_terms_apply_only_in_their_language(demo):
    assert demo.search("лікар", language="de") == []  # a German visitor's search is unchanged
    assert demo.search("лікар", language="uk")
    assert demo.search("лікар", language="uk-UA")  # a region is ignored
    assert demo.search("طبيب", language=None) == []


def test_a_broken_terms_file_names_the_file(tmp_path):
    (tmp_path / "xx.toml").write_text('[terms]\ndoktor = "лікар"\n', encoding="utf-8")
    with pytest.raises(SynonymError, match=r"xx.toml: terms.doktor"):
        with_language(load_thesaurus(), "xx", tmp_path)
    (tmp_path / "yy.toml").write_text('stop = ["a b"]\n', encoding="utf-8")
    with pytest.raises(SynonymError, match="yy.toml: stop"):
        with_language(load_thesaurus(), "yy", tmp_path)


def test_persian_zwnj_and_arabic_forms_are_read_like_spaces_and_plain_letters():
    merged = with_language(load_thesaurus(), "fa")
    assert _phrase("مشاوره حقوقی") in merged.rules
    assert merged.rules[_phrase("نامه‌ها")] == merged.rules[_phrase("نامه ها")]  # ZWNJ splits like a space
