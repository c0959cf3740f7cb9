"""Relevance of the kiosk search over the demo catalogue, measured on tests/search_relevance.toml.

Definitions (per query q with its set E(q) of expected offer names, over all N queries):

* top5(q)    = the names of the first 5 offers `Catalogue.search(q.text, limit=5)` returns.
* recall@5   = |{q : top5(q) ∩ E(q) ≠ ∅}| / N — the share of queries for which at least one
               offer a good answer must contain is among the first five shown.
* no result  = |{q : search(q) is empty}| / N — the share of queries that leave the visitor with
               an empty list.

The same numbers are printed for the baseline — a plain FTS5 prefix search over the same index:
`text.fts_query` (every folded word quoted as a prefix, all required), name matches first, then
bm25 — i.e. the search before synonyms, compounds, stop words and typo tolerance.

Run with `-s` to see the report (pytest shows it in the summary of a failure anyway).
"""
from __future__ import annotations

import sqlite3
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from sync.catalogue import Catalogue
from sync.pull import import_file
from sync.text import fts_query

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "assets" / "demo-catalogue.json"
QUERIES = Path(__file__).with_name("search_relevance.toml")
K = 5
MIN_RECALL = 0.9


@dataclass(frozen=True)
class Case:
    text: str
    kind: str
    expect: frozenset[str]


def load_cases() -> list[Case]:
    data = tomllib.loads(QUERIES.read_text(encoding="utf-8"))
    return [Case(q["text"], q.get("kind", "other"), frozenset(q["expect"])) for q in data["query"]]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("relevance") / "demo.db"
    import_file(DEMO, db)
    return db


def baseline_search(db: Path, text: str, limit: int) -> list[str]:
    """The plain FTS5 prefix search: fts_query, name matches first, then everything by bm25."""
    expr = fts_query(text)
    if expr is None:
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        sql = ("SELECT o.name FROM offers_fts JOIN offers o ON o.key = offers_fts.rowid "
               "WHERE offers_fts MATCH ? AND o.visible = 1 ORDER BY rank LIMIT ?")
        names: list[str] = []
        for match in (f"name : ({expr})", expr):
            for (name,) in conn.execute(sql, (match, limit)):
                if name not in names:
                    names.append(name)
        return names[:limit]
    finally:
        conn.close()


def score(cases: list[Case], answers: list[list[str]]) -> tuple[float, float, list[int]]:
    hits = [i for i, (c, got) in enumerate(zip(cases, answers)) if c.expect & set(got[:K])]
    empty = sum(1 for got in answers if not got)
    return len(hits) / len(cases), empty / len(cases), hits


def test_every_expected_offer_exists_in_the_demo_catalogue(demo_db: Path) -> None:
    cases = load_cases()
    assert len(cases) >= 60
    assert len({c.text for c in cases}) == len(cases), "a query is listed twice"
    with Catalogue(demo_db) as cat:
        names = {o.name for o in cat.all_offers()}
    unknown = sorted({n for c in cases for n in c.expect} - names)
    assert not unknown, f"expected offers missing from (or hidden in) the demo catalogue: {unknown}"


def test_recall_at_5_over_the_demo_catalogue(demo_db: Path) -> None:
    cases = load_cases()
    with Catalogue(demo_db) as cat:
        ours = [[o.name for o in cat.search(c.text, limit=K)] for c in cases]
    base = [baseline_search(demo_db, c.text, K) for c in cases]
    recall, empty, hits = score(cases, ours)
    b_recall, b_empty, b_hits = score(cases, base)

    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for i, c in enumerate(cases):
        row = by_kind[c.kind]
        row[0] += 1
        row[1] += i in hits
        row[2] += i in b_hits
    lines = [f"search relevance over {len(cases)} queries (demo catalogue, top {K}):",
             f"  ours:     recall@{K} = {recall:.3f}   no result = {empty:.3f}",
             f"  baseline: recall@{K} = {b_recall:.3f}   no result = {b_empty:.3f}   (plain FTS5 prefix search)",
             "  by kind (queries, ours, baseline): "
             + ", ".join(f"{k} {n}/{o}/{b}" for k, (n, o, b) in sorted(by_kind.items()))]
    misses = [f"    {c.text!r}: got {ours[i]}" for i, c in enumerate(cases) if i not in hits]
    if misses:
        lines += ["  queries without an expected offer in the top 5:", *misses]
    report = "\n".join(lines)
    print("\n" + report)
    assert not [c.text for c, got in zip(cases, ours) if not got], report
    assert recall >= MIN_RECALL, report
