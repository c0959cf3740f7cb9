"""The offline catalogue: turns an Open Referral HSDS 3.0 feed into a local SQLite copy and reads it.

This package never imports Textual or the kiosk: the kiosk depends on it, not the other way round.
"""
from importlib.util import find_spec
from pathlib import Path


def package_dir(name: str) -> Path:
    """The folder of an installed data package (`kiosk_assets`, `kiosk_locales`; see pyproject.toml),
    which an installation always has unpacked on disk. What `importlib.resources.files(name)` gives
    for it, without importing importlib.resources and its readers (zipfile among them): 10-30 ms of
    every start of the kiosk (issue 13)."""
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the data package {name!r} is not installed", name=name)
    return Path(next(iter(spec.submodule_search_locations)))
