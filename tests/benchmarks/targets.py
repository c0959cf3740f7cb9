"""How a benchmark reports its figure against its target, and the quick smoke mode for CI.

Benchmarks are not tests: they are deselected from a plain `pytest` run (`-m "not benchmark"` in
pyproject.toml) and run on request with `pytest -m benchmark tests/benchmarks` (`-s` prints the
figures). Each figure is a ratio against a baseline measured in the same run.

A target that is met passes. A target that is not met is reported as an expected failure with the
measured figure (`XFAIL … target NOT met: …`), never hidden behind a looser gate. A benchmark that
breaks (wrong results, a crash) still fails.

`BENCHMARK_SMOKE=1` runs every benchmark on a small catalogue, once, and judges no figure: CI runs it
so that the benchmarks cannot rot between the runs that measure.
"""
from __future__ import annotations

import os

import pytest

SMOKE = os.environ.get("BENCHMARK_SMOKE") == "1"


def size(full: int, smoke: int = 500) -> int:
    """The catalogue size to measure: `full`, or a small one in smoke mode."""
    return smoke if SMOKE else full


def runs(full: int) -> int:
    """How often each side runs (the best run counts): once in smoke mode."""
    return 1 if SMOKE else full


def judge(*checks: tuple[bool, str]) -> None:
    """Report measured figures against their targets, each a (met, figure) pair: pass when all are
    met, else XFAIL naming every figure that is not (in smoke mode figures are printed, not judged)."""
    for met, figure in checks:
        print(f"  {'met' if met else 'NOT met'}: {figure}")
    missed = [figure for met, figure in checks if not met]
    if missed and not SMOKE:
        pytest.xfail("target NOT met: " + "; ".join(missed))
