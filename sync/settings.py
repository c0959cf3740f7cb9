"""Settings of one place, read from a TOML file into frozen dataclasses.

Holds the generic machinery (`setting`, `section`, `build`, `ConfigFile`) and the `[catalogue]`
section, which is all that `kiosk-sync` needs. The kiosk adds its own sections in `kiosk.config`
with the same machinery. Every error is a `SettingsError` naming the file, the dotted key and
what was expected, e.g. ``kiosk.toml: kiosk.idle_seconds: expected an integer between 30 and
3600, got "abc" (line 12)``.
"""
from __future__ import annotations

import dataclasses
import difflib
import functools
import json
import math
import os
import re
import tomllib
import typing
from collections.abc import Mapping
from pathlib import Path, PurePath
from typing import Any, TypeVar
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parents[1]  # a checkout; site-packages when installed
DEFAULT_CONFIG = PROJECT_ROOT / "kiosk.toml"
ENV_VAR = "KIOSK_CONFIG"
# What belongs to one box only (the volunteer PIN): read on top of the settings file, from this file in
# the same folder; git ignores it, only its owner reads it. See `local_settings_path`.
LOCAL_NAME = "kiosk.local.toml"
APP_DIR = "dritte-orte-kiosk"  # the folder of this program under the XDG base directories

T = TypeVar("T")
_RULES = frozenset({"min", "max", "choices", "nonempty", "pattern", "expect", "url_or_path", "home"})
# XDG base directories (https://specifications.freedesktop.org/basedir-spec/): variable, fallback.
_XDG = {"config": ("XDG_CONFIG_HOME", ".config"), "data": ("XDG_DATA_HOME", ".local/share"),
        "state": ("XDG_STATE_HOME", ".local/state")}


def xdg_home(kind: str, environ: Mapping[str, str] = os.environ) -> Path:
    """This program's folder under the XDG `kind` ("config", "data", "state") base directory.

    E.g. ``~/.local/share/dritte-orte-kiosk``; a relative $XDG_... value is ignored, as the spec says.
    Settings files, catalogues and counts live here when kiosk.toml names no path: never next to
    the code, which may be a read-only site-packages.
    """
    variable, fallback = _XDG[kind]
    value = environ.get(variable, "")
    base = Path(value) if os.path.isabs(value) else Path(environ.get("HOME") or Path.home()) / fallback
    return base / APP_DIR


class SettingsError(Exception):
    """A config file is missing, unreadable or holds a value the kiosk cannot use."""

    def __init__(self, path: Path | None, key: str | None, message: str, line: int | None = None) -> None:
        super().__init__(path, key, message, line)
        self.path = path  # None: the built-in defaults
        self.key = key  # dotted, e.g. "kiosk.idle_seconds"; None for file-level problems
        self.message = message
        self.line = line

    def __str__(self) -> str:
        where = str(self.path) if self.path is not None else "<built-in defaults>"
        text = f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"
        return text + (f" (line {self.line})" if self.line and self.key else "")


class Invalid(ValueError):
    """Raised by a section's `cross_check()` when fields disagree; `field` is the one to blame."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(field, message)
        self.field = field
        self.message = message


def setting(default: Any, doc: str, **rules: Any) -> Any:
    """A documented field. Rules: min, max, choices, nonempty, pattern (full match),
    expect (wording of the expectation), url_or_path (http(s) URL or local file path),
    home ("data" or "state": a Path default lies in that XDG folder, see `xdg_home`; a path
    written in the file still resolves against the config folder)."""
    unknown = set(rules) - _RULES
    if unknown:
        raise TypeError(f"unknown setting rules: {sorted(unknown)}")
    return dataclasses.field(default=default, metadata={"doc": doc, **rules})


def section(cls: type, doc: str) -> Any:
    """A documented field holding a whole `[section]` table."""
    return dataclasses.field(default_factory=cls, metadata={"doc": doc})


def local_settings_path(path: Path | None, environ: Mapping[str, str] = os.environ) -> Path:
    """The box-local settings file read on top of the settings file `path`: kiosk.local.toml in the
    same folder (without a settings file, in the XDG config folder, where an installed kiosk's
    kiosk.toml would be). Its values override those of `path`; it is not part of the repository."""
    if path is None:
        return xdg_home("config", environ) / LOCAL_NAME
    return Path(path).expanduser().absolute().with_name(LOCAL_NAME)


@dataclasses.dataclass(frozen=True)
class ConfigFile:
    """A parsed TOML file (or the built-in defaults when `path` is None), with an optional `overlay`
    (the box-local file) whose values are already merged into `data`; errors about a key the overlay
    sets name the overlay's file and line."""

    path: Path | None
    data: Mapping[str, Any]
    text: str = ""
    overlay: ConfigFile | None = None

    @property
    def base_dir(self) -> Path:
        """Relative paths in the file resolve against this folder. Without a file (the built-in
        defaults) against the XDG config folder, where an installed kiosk's kiosk.toml would be:
        never against the code, which may lie in a read-only site-packages."""
        return self.path.parent if self.path is not None else xdg_home("config")

    @classmethod
    def read(cls, path: Path | None) -> ConfigFile:
        if path is None:
            return cls(None, {})
        path = Path(path).expanduser().absolute()
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise SettingsError(path, None, "config file not found") from None
        except OSError as exc:
            raise SettingsError(path, None, f"cannot read config file: {exc.strerror or exc}") from None
        try:
            text = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise SettingsError(path, None, f"not UTF-8 text (bad byte at offset {exc.start})") from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            found = re.search(r"at line (\d+)", str(exc))
            line = int(found.group(1)) if found else None
            raise SettingsError(path, None, f"invalid TOML: {exc}", line) from None
        return cls(path, data, text)

    @classmethod
    def layered(cls, path: Path | None, local: Path | None) -> ConfigFile:
        """`path` with the file `local` on top, if that exists (None: no local file)."""
        base = cls.read(path)
        if local is None or not os.path.lexists(local):
            return base
        overlay = cls.read(local)
        return cls(base.path, _merged(base.data, overlay.data), base.text, overlay)

    def line_of(self, key: str) -> int | None:
        """Line of `key` (or of the `[section]` header for a bare section name); cheap and naive."""
        *tables, name = key.split(".")
        want, current = ".".join(tables), ""
        key_re = re.compile(rf"""\s*["']?{re.escape(name)}["']?\s*=""")
        for number, line in enumerate(self.text.splitlines(), 1):
            header = _HEADER.match(line)
            if header:
                current = re.sub(r"\s*\.\s*", ".", header.group(1)).replace('"', "").replace("'", "")
                if not tables and current == name:
                    return number
            elif current == want and key_re.match(line):
                return number
        return None

    def error(self, key: str, message: str) -> SettingsError:
        if self.overlay is not None and _has(self.overlay.data, key):
            return self.overlay.error(key, message)
        return SettingsError(self.path, key, message, self.line_of(key))


def _merged(base: Mapping[str, Any], top: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with the values of `top`; tables are merged key by key, anything else is replaced."""
    merged = dict(base)
    for key, value in top.items():
        below = merged.get(key)
        merged[key] = _merged(below, value) if isinstance(below, dict) and isinstance(value, dict) else value
    return merged


def _has(data: Mapping[str, Any], dotted: str) -> bool:
    for part in dotted.split("."):
        if not isinstance(data, Mapping) or part not in data:
            return False
        data = data[part]
    return True


_HEADER = re.compile(r"""^\s*\[\s*([A-Za-z0-9_.\-"' ]+?)\s*\]\s*(?:#.*)?$""")


def build(cls: type[T], table: Mapping[str, Any], source: ConfigFile, key: str = "") -> T:
    """Turn the TOML `table` at dotted `key` into the frozen dataclass `cls`, or raise SettingsError.

    Unknown keys are errors, missing keys take the field default, values are type-checked
    (bool is not int; int is accepted for float) and checked against the field's rules; relative
    paths resolve against the config folder. Finally `cls.cross_check()` runs, if defined.
    """
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}  # type: ignore[arg-type]  # T is a dataclass
    hints = _hints(cls)  # type: ignore[arg-type]
    for name in table:
        if name not in fields:
            kind = "key" if key else "section"
            close = difflib.get_close_matches(name, list(fields), n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise source.error(_join(key, name), f"unknown {kind}{hint}; known {kind}s: {', '.join(fields)}")
    values: dict[str, Any] = {}
    for name, f in fields.items():
        dotted, kind = _join(key, name), hints[name]
        if isinstance(kind, type) and dataclasses.is_dataclass(kind):
            sub = table.get(name, {})
            if not isinstance(sub, dict):
                raise source.error(dotted, f"expected a table [{dotted}], got {_show(sub)}")
            values[name] = build(kind, sub, source, dotted)
        else:
            raw = table[name] if name in table else _default(f)
            values[name] = _convert(raw, kind, f.metadata, source, dotted)
            if name not in table and "home" in f.metadata:
                values[name] = xdg_home(f.metadata["home"]) / raw
    obj = cls(**values)
    cross_check = getattr(obj, "cross_check", None)
    if cross_check is not None:
        try:
            cross_check()
        except Invalid as exc:
            raise source.error(_join(key, exc.field), exc.message) from None
    return obj


def describe(kind: Any, meta: Mapping[str, Any]) -> str:
    """What a field expects, in words: 'an integer between 10 and 3600'."""
    if "expect" in meta:
        return meta["expect"]
    if "choices" in meta:
        return "one of " + ", ".join(_show(c) for c in meta["choices"])
    nonempty = "non-empty " if meta.get("nonempty") else ""
    words = {bool: "true or false", int: "an integer", float: "a number", str: f"a {nonempty}text",
             Path: "a file path"}.get(kind, f"a {nonempty}list of texts")
    low, high = meta.get("min"), meta.get("max")
    if low is not None and high is not None:
        return f"{words} between {low:g} and {high:g}"
    if low is not None:
        return f"{words} of at least {low:g}"
    if high is not None:
        return f"{words} of at most {high:g}"
    return words


def _convert(raw: Any, kind: Any, meta: Mapping[str, Any], source: ConfigFile, key: str) -> Any:
    def bad() -> SettingsError:
        return source.error(key, f"expected {describe(kind, meta)}, got {_show(raw)}")

    value: Any
    is_number = isinstance(raw, (int, float)) and not isinstance(raw, bool)
    if kind is bool and isinstance(raw, bool) or kind is str and isinstance(raw, str):
        value = raw
    elif kind is int and is_number and isinstance(raw, int):
        value = raw
    elif kind is float and is_number and math.isfinite(raw):
        value = float(raw)
    elif kind is Path and isinstance(raw, (str, PurePath)) and str(raw).strip():
        value = source.base_dir / Path(raw).expanduser()
    elif kind == tuple[str, ...] and isinstance(raw, (list, tuple)) and all(isinstance(i, str) for i in raw):
        value = tuple(raw)
    elif kind in (bool, str, int, float, Path, tuple[str, ...]):
        raise bad()
    else:
        raise TypeError(f"{key}: unsupported setting type {kind!r}")
    if not _meets(value, meta):
        why = url_or_path_problem(value) if meta.get("url_or_path") and value else None
        if why:
            raise source.error(key, f"expected {describe(kind, meta)}, got {_show(raw)}: {why}")
        raise bad()
    if meta.get("url_or_path") and value and not _is_url(value):
        value = str(source.base_dir / Path(value).expanduser())
    return value


def _meets(value: Any, meta: Mapping[str, Any]) -> bool:
    if "min" in meta and value < meta["min"] or "max" in meta and value > meta["max"]:
        return False
    if "choices" in meta and value not in meta["choices"]:
        return False
    if meta.get("nonempty") and not (value.strip() if isinstance(value, str) else value):
        return False
    if "pattern" in meta:
        items = value if isinstance(value, tuple) else (value,)
        if not all(re.fullmatch(meta["pattern"], item) for item in items):
            return False
    if meta.get("url_or_path") and value:
        return url_or_path_problem(value) is None
    return True


def url_or_path_problem(value: str) -> str | None:
    """None if `value` is an http(s) URL with a host (and a valid port) or a local path; else why not."""
    if any(not ch.isprintable() for ch in value):
        return "it holds a control character"
    try:
        parts = urlsplit(value)
        if parts.scheme.lower() in ("http", "https"):
            if not parts.hostname:
                return "the URL has no host name"
            if any(ch.isspace() for ch in value):
                return "the URL holds a space"
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
            return None
    except ValueError as exc:  # "Invalid IPv6 URL", "Port out of range 0-65535", ...
        return f"not a valid URL ({exc})"
    # Any other scheme is refused; a one-letter "scheme" is a Windows drive letter.
    if len(parts.scheme) > 1 or "://" in value:
        return "only http:// and https:// URLs are read"
    return None


def _is_url(value: str) -> bool:
    try:
        return urlsplit(value).scheme.lower() in ("http", "https")
    except ValueError:
        return False


def _default(f: dataclasses.Field) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    raise TypeError(f"setting {f.name!r} has no default")


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _show(value: Any) -> str:
    """A value the way it looks in TOML, shortened."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, dict):
        text = "a table"
    elif isinstance(value, (str, list, tuple)):
        text = json.dumps(value, ensure_ascii=False, default=str)
    else:
        text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


# --- the [catalogue] section ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CatalogueSettings:
    """Where the offers come from and how the local copy is kept fresh."""

    feed_url: str = setting(
        "", "HSDS feed: an http(s) URL or a local file path (relative to the config folder); "
        "empty = no feed configured", url_or_path=True,
        expect='an http:// or https:// URL, a local file path, or "" for no feed')
    feed_kind: str = setting(
        "auto", "How to read the feed: 'api' (paged HSDS API), 'snapshot' (one file), or 'auto' "
        "(a snapshot when the URL ends in .json, .gz, .ndjson or .jsonl, else the API)",
        choices=("auto", "api", "snapshot"))
    database: Path = setting(
        Path("catalogue.db"), "SQLite file of the local catalogue (relative to the config folder); "
        "without this key catalogue.db in $XDG_DATA_HOME/dritte-orte-kiosk (~/.local/share/...)", home="data")
    sync_interval_minutes: int = setting(
        360, "Minutes between two automatic syncs", min=5, max=10080)
    timeout_seconds: float = setting(
        300.0, "Overall deadline for one sync, in seconds", min=5, max=3600)
    per_page: int = setting(
        200, "Records asked for per page of a paged HSDS API", min=1, max=1000)
    min_keep_ratio: float = setting(
        0.5, "Guard: reject a feed with fewer than this share of the offers we already have",
        min=0, max=1)
    guard_min_offers: int = setting(
        20, "The guard applies only once the local catalogue holds at least this many offers", min=0)
    stale_after_days: int = setting(
        14, "Days after the last good sync when the catalogue counts as stale", min=1, max=365)


def load_catalogue_settings(path: Path | None, *, local: bool = True) -> CatalogueSettings:
    """The `[catalogue]` section of `path` (other sections are ignored); None: the defaults. With
    `local`, the box-local file (`local_settings_path`) is read on top, as the kiosk does."""
    source = ConfigFile.layered(path, local_settings_path(path) if local else None)
    table = source.data.get("catalogue", {})
    if not isinstance(table, dict):
        raise source.error("catalogue", f"expected a table [catalogue], got {_show(table)}")
    return build(CatalogueSettings, table, source, "catalogue")


def resolve_config_path(cli_value: str | None, environ: Mapping[str, str]) -> Path | None:
    """`--config` wins, then $KIOSK_CONFIG, then kiosk.toml of the checkout (at the project root),
    then kiosk.toml in $XDG_CONFIG_HOME/dritte-orte-kiosk (an installed package), if they exist.

    A file named by --config or $KIOSK_CONFIG must exist; None means: use the built-in defaults.
    """
    for value, origin in ((cli_value, "--config"), (environ.get(ENV_VAR), f"${ENV_VAR}")):
        if value:
            path = Path(value).expanduser().absolute()
            if not path.is_file():
                what = "is not a file" if path.exists() else "does not exist"
                raise SettingsError(path, None, f"config file named by {origin} {what}")
            return path
    for candidate in (DEFAULT_CONFIG, xdg_home("config", environ) / "kiosk.toml"):
        if candidate.is_file():
            return candidate
    return None
