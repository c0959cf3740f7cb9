"""Feeds in a format the kiosk does not read, recognised so that the operator is told in words.

A CSV table or a data package (the HSDS 1.x way of publishing), a page document that is one page of
many: each gets a sentence that says what it looks like and what the kiosk reads instead.
"""
from __future__ import annotations

from pathlib import Path

import ijson

CSV_WORDS = ("this looks like a CSV table (as in an HSDS 1.x CSV set), not JSON: the kiosk reads HSDS 3 JSON "
             "(a /services API, or a JSON array or page of services)")
FOLDER_OF_TABLES_WORDS = ("this is a folder of CSV tables (as in an HSDS 1.x CSV set), not a JSON file: the kiosk "
                          "reads HSDS 3 JSON (a /services API, or a JSON array or page of services)")
PACKAGE_WORDS = ("this looks like a tabular data package (datapackage.json with CSV files, as HSDS 1.x publishes), "
                 "not services: the kiosk reads HSDS 3 JSON (a /services API, or a JSON array or page of services)")
#: URL endings of files that are not HSDS 3 JSON (a CSV table, a zipped CSV set, a spreadsheet).
TABLE_SUFFIXES = (".csv", ".tsv", ".zip", ".xlsx", ".xls", ".ods")


def looks_like_csv(line: bytes, path: Path) -> bool:
    """A first line like "id,organization_id,name,..." (or a file named .csv)."""
    if path.suffix.lower() in (".csv", ".tsv"):
        return True
    text = line.decode("utf-8", "replace").strip()
    return any(text.count(sep) >= 2 for sep in (",", ";", "\t")) and not any(c in text for c in "{}[]")


def is_data_package(head: dict) -> bool:
    """A Frictionless data package descriptor (`resources` listing tables), not a feed of services."""
    return "resources" in head and not {"contents", "id"} & head.keys()


def top_level_scalars(fh) -> dict[str, object]:
    """The numbers, texts and booleans at the top level of a JSON object (the page fields)."""
    found: dict[str, object] = {}
    depth, key = 0, None
    try:
        for event, value in ijson.basic_parse(fh, use_float=True):
            if event in ("start_map", "start_array"):
                depth += 1
            elif event in ("end_map", "end_array"):
                depth -= 1
            elif event == "map_key" and depth == 1:
                key = value
            elif depth == 1 and key is not None:
                found[key] = value
    except (ijson.JSONError, UnicodeDecodeError, ValueError):
        pass
    return found


def partial_page(page: dict[str, object]) -> str | None:
    """A warning when a page document says it is one page of several (only that page was read)."""
    total, number = page.get("total_pages"), page.get("page_number")
    if isinstance(total, (int, float)) and not isinstance(total, bool) and total > 1:
        where = f"page {number:g} of {total:g}" if isinstance(number, (int, float)) else f"one of {total:g} pages"
        items = page.get("total_items")
        counted = isinstance(items, (int, float)) and not isinstance(items, bool)
        more = f" ({items:g} services in all)" if counted else ""
        return (f"the file is {where}{more}: only this page was read, so the catalogue is incomplete; "
                f"give the API base URL (the address before /services) so that every page is read")
    return None
