"""The need map: which catalogue terms make each visitor-facing need and group (assets/needs.toml).

Data, not code: a catalogue with another taxonomy needs a map entry, never a code change. This
module reads the bundled map and an operator's own (entries with the same key replace the bundled
ones) and says whether a catalogue term matches an entry. No Textual, no catalogue access.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sync import package_dir
from sync.text import fold

BUNDLED = package_dir("kiosk_assets") / "needs.toml"  # package data: assets/ is `kiosk_assets`
_SEPARATORS = re.compile(r"[^0-9a-z]+")
_ENTRY_KEYS = {
    "need": {"key", "order", "icon", "label", "labels", "codes", "names", "parents", "terms", "words"},
    "group": {"key", "codes", "names", "parents", "terms", "everyone"},
    "audience": {"key", "order", "label", "labels", "title", "titles", "groups"},
}
_TOP_KEYS = {"audience_taxonomies", "need", "group", "audience"}


class NeedMapError(ValueError):
    """A need map that cannot be used; the message names the file and the entry."""


def spelling(value: str | None) -> str:
    """A code or name folded for comparing: "Alter_Pflege", "alter-pflege", "Alter & Pflege" agree."""
    if not value:
        return ""
    return _SEPARATORS.sub("-", fold(value).replace("&", " ")).strip("-")


@dataclass(frozen=True)
class Rule:
    """How to recognise the terms of one need or group."""

    codes: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    parents: frozenset[str] = frozenset()
    terms: frozenset[tuple[str, str]] = frozenset()  # (taxonomy, code), both folded

    def matches(self, *, code: str | None, name: str | None, taxonomy: str | None,
                parent_code: str | None = None, parent_name: str | None = None) -> bool:
        code_s = spelling(code)
        if code_s and (code_s in self.codes or (spelling(taxonomy), code_s) in self.terms):
            return True
        if spelling(name) in self.names:
            return True
        return bool(self.parents) and bool({spelling(parent_code), spelling(parent_name)} & self.parents - {""})


@dataclass(frozen=True)
class LabelledEntry:
    """What a need and an answer to "help for whom?" share: a key, a place in the order, and a label
    (a message id) with an operator's own words for it per language code."""

    key: str
    order: int
    label: str
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NeedEntry(LabelledEntry):
    icon: str = ""
    rule: Rule = Rule()
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupEntry:
    key: str
    rule: Rule = Rule()
    everyone: bool = False


@dataclass(frozen=True)
class AudienceEntry(LabelledEntry):
    title: str = ""
    titles: Mapping[str, str] = field(default_factory=dict)
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class NeedMap:
    needs: tuple[NeedEntry, ...]
    groups: tuple[GroupEntry, ...]
    audiences: tuple[AudienceEntry, ...]
    audience_taxonomies: tuple[str, ...] = ()

    def is_audience_taxonomy(self, taxonomy: str | None) -> bool:
        """Whether a taxonomy's name says it lists groups of people ("Zielgruppen")."""
        words = spelling(taxonomy).split("-")
        name = "-".join(words)
        return any(w == name or f"-{w}-" in f"-{name}-" for w in self.audience_taxonomies)

    def need_for(self, **term: Any) -> list[NeedEntry]:
        return [n for n in self.needs if n.rule.matches(**term)]

    def group_for(self, **term: Any) -> list[GroupEntry]:
        return [g for g in self.groups if g.rule.matches(**term)]


def load_need_map(own: Path | None = None) -> NeedMap:
    """The bundled map, with an operator's own map on top. Raises NeedMapError."""
    data = _read(BUNDLED)
    if own is not None:
        data = _merge(data, _read(Path(own)))
    return _build(data, own or BUNDLED)


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise NeedMapError(f"{path}: cannot read the need map: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise NeedMapError(f"{path}: not valid TOML: {exc}") from exc


def _merge(base: dict, own: dict) -> dict:
    out = dict(base)
    for kind in ("need", "group", "audience"):
        entries = {e.get("key"): e for e in base.get(kind, [])}
        for entry in own.get(kind, []) if isinstance(own.get(kind, []), list) else [own[kind]]:
            entries[entry.get("key") if isinstance(entry, dict) else None] = entry
        out[kind] = list(entries.values())
    if "audience_taxonomies" in own:
        out["audience_taxonomies"] = own["audience_taxonomies"]
    for key in own:
        if key not in _TOP_KEYS:
            out[key] = own[key]  # reported as unknown by _build
    return out


def _build(data: dict, path: Path) -> NeedMap:
    def fail(where: str, message: str) -> NeedMapError:
        return NeedMapError(f"{path}: {where}: {message}")

    for key in data:
        if key not in _TOP_KEYS:
            raise fail(key, f"unknown key (expected one of {', '.join(sorted(_TOP_KEYS))})")

    def texts(entry: dict, name: str, where: str) -> tuple[str, ...]:
        value = entry.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(f"{where}.{name}", "expected a list of texts")
        return tuple(value)

    def table(entry: dict, name: str, where: str) -> dict[str, str]:
        value = entry.get(name, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise fail(f"{where}.{name}", 'expected a table of texts per language, e.g. { de = "...", en = "..." }')
        return dict(value)

    def rule(entry: dict, where: str) -> Rule:
        terms = entry.get("terms", [])
        if not isinstance(terms, list) or not all(
                isinstance(t, dict) and isinstance(t.get("taxonomy"), str) and isinstance(t.get("code"), str)
                for t in terms):
            raise fail(f"{where}.terms", 'expected a list like [{ taxonomy = "...", code = "..." }]')
        return Rule(codes=frozenset(map(spelling, texts(entry, "codes", where))),
                    names=frozenset(map(spelling, texts(entry, "names", where))),
                    parents=frozenset(map(spelling, texts(entry, "parents", where))),
                    terms=frozenset((spelling(t["taxonomy"]), spelling(t["code"])) for t in terms))

    def entries(kind: str) -> list[tuple[str, dict]]:
        raw = data.get(kind, [])
        if not isinstance(raw, list):
            raise fail(kind, f"expected [[{kind}]] tables")
        out, seen = [], set()
        for i, entry in enumerate(raw):
            key = entry.get("key") if isinstance(entry, dict) else None
            where = f"[[{kind}]] {key!r}" if isinstance(key, str) else f"[[{kind}]] number {i + 1}"
            if not isinstance(key, str) or not key.strip():
                raise fail(where, "needs a key (a short name)")
            unknown = set(entry) - _ENTRY_KEYS[kind]
            if unknown:
                expected = ", ".join(sorted(_ENTRY_KEYS[kind]))
                raise fail(where, f"unknown key {sorted(unknown)[0]!r} (expected {expected})")
            if key in seen:
                raise fail(where, "the key is used twice")
            seen.add(key)
            out.append((where, entry))
        return out

    def order(entry: dict, where: str, default: int) -> int:
        value = entry.get("order", default)
        if not isinstance(value, int) or isinstance(value, bool):
            raise fail(f"{where}.order", "expected a whole number")
        return value

    def text(entry: dict, name: str, where: str, *, required: bool) -> str:
        value = entry.get(name, "")
        if not isinstance(value, str) or required and not value.strip():
            raise fail(f"{where}.{name}", "expected a text" + (", not empty" if required else ""))
        return value

    def labelled(entry: dict, where: str, i: int) -> tuple[str, int, str, dict[str, str]]:
        """The fields of a LabelledEntry (the i-th of its kind: unordered ones keep the file's order)."""
        return (entry["key"], order(entry, where, 1000 + i), text(entry, "label", where, required=True),
                table(entry, "labels", where))

    needs = []
    for i, (where, e) in enumerate(entries("need")):
        icon = text(e, "icon", where, required=False)
        if len(icon) > 1:
            raise fail(f"{where}.icon", f"expected one symbol, got {icon!r}")
        needs.append(NeedEntry(*labelled(e, where, i), icon=icon, rule=rule(e, where),
                               words=tuple(w for w in (fold(x) for x in texts(e, "words", where)) if w)))
    groups = []
    for where, e in entries("group"):
        if not isinstance(e.get("everyone", False), bool):
            raise fail(f"{where}.everyone", "expected true or false")
        groups.append(GroupEntry(e["key"], rule(e, where), e.get("everyone", False)))
    group_keys = {g.key for g in groups}
    audiences = []
    for i, (where, e) in enumerate(entries("audience")):
        wanted = texts(e, "groups", where)
        missing = [g for g in wanted if g not in group_keys]
        if missing:
            raise fail(f"{where}.groups", f"no [[group]] with the key {missing[0]!r}")
        audiences.append(AudienceEntry(*labelled(e, where, i), title=text(e, "title", where, required=False),
                                       titles=table(e, "titles", where), groups=wanted))
    words = data.get("audience_taxonomies", [])
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise fail("audience_taxonomies", "expected a list of texts")
    return NeedMap(tuple(sorted(needs, key=lambda n: n.order)), tuple(groups),
                   tuple(sorted(audiences, key=lambda a: a.order)), tuple(spelling(w) for w in words if spelling(w)))


def labels_of(entries: Iterable[LabelledEntry]) -> list[str]:
    """The message ids of these entries (for the translation check)."""
    out: list[str] = []
    for e in entries:
        out.append(e.label)
        if isinstance(e, AudienceEntry) and e.title:
            out.append(e.title)
    return out
