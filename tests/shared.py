"""The reference material beside the checkout (``../shared``: the GFMD sources, W3C suites, reference tables).

A plain clone has no ``../shared``: tests that need it skip with a reason naming what is missing. CI always has it,
so ``.ci/run`` sets ``GFMDKG_REQUIRE_SHARED=1``, under which a missing file fails the run instead of skipping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(os.environ.get("GFMDKG_SHARED", Path(__file__).resolve().parents[2] / "shared"))
REQUIRE_ENV = "GFMDKG_REQUIRE_SHARED"


def shared(*parts: str) -> Path:
    """The path of ``../shared/PARTS`` (it may not exist: see :func:`need`)."""
    return SHARED.joinpath(*parts)


def missing(*parts: str) -> str | None:
    """Why ``../shared/PARTS`` cannot be used, or None when it is there."""
    path = shared(*parts)
    return None if path.exists() else f"needs ../shared/{'/'.join(parts)}, which is not beside this checkout ({path})"


def need(*parts: str, module: bool = False) -> Path:
    """``../shared/PARTS``, or skip the test (the whole module with ``module``) with the reason; under
    ``GFMDKG_REQUIRE_SHARED=1`` (CI) a missing path fails instead."""
    reason = missing(*parts)
    if reason is not None:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{reason}; CI must have it ({REQUIRE_ENV}=1)", pytrace=False)
        pytest.skip(reason, allow_module_level=module)
    return shared(*parts)
