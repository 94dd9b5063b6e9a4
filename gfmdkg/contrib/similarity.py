"""How alike two practice titles are, for the near-duplicate check (docs/CONTRIBUTING.md, "Likely duplicates").

Titles are compared in two forms: *normalised* (no case, accents or punctuation) and *core* (normalised, without
what a catalogue adds around a name: bracketed parts such as "(TRQN, 2006 - ongoing)", years, "ongoing", and
common words such as "the", "of", "programme"). The score is difflib's ratio (2 x matching characters / total),
the best of the normalised form, the core form and the core words in sorted order (so word order does not
matter); a title whose core words all occur in the other's (three words or more) counts as 0.9 alike.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from gfmdkg.contrib.vocab import normalise

COMMON_WORDS = {"a", "an", "and", "the", "of", "for", "in", "on", "to", "with", "by", "at", "from", "project",
                "programme", "program", "initiative", "scheme", "ongoing", "present", "current", "phase"}
BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
YEAR = re.compile(r"\b(1[89]|20)\d{2}\b")
CONTAINED = 0.9
MIN_CONTAINED_WORDS = 3


@lru_cache(maxsize=65536)
def core_title(title: str) -> str:
    """The words that name the practice: no brackets, years, status or common words (see the module docstring)."""
    words = normalise(YEAR.sub(" ", BRACKETED.sub(" ", title))).split()
    kept = [w for w in words if w not in COMMON_WORDS]
    return " ".join(kept or words)


@lru_cache(maxsize=65536)
def _forms(title: str) -> tuple[str, str, str, frozenset[str]]:
    """A title's normalised form, core form, sorted core words and core word set (computed once per title)."""
    core = core_title(title)
    words = core.split()
    return normalise(title), core, " ".join(sorted(words)), frozenset(words)


def _ratio(a: str, b: str, cutoff: float) -> float:
    """difflib's ratio, or 0.0 when the cheap upper bounds show it is below ``cutoff``."""
    if a == b:
        return 1.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < cutoff or m.quick_ratio() < cutoff:
        return 0.0
    return m.ratio()


def similarity(a: str, b: str, cutoff: float = 0.0) -> tuple[float, float]:
    """(score, core score) of two titles, each from 0 to 1: the score for a near duplicate, and how alike the
    core forms alone are (1.0: the same name once the catalogue's additions are set aside). Values below
    ``cutoff`` may be returned as 0.0 (they are not computed exactly)."""
    norm_a, core_a, sorted_a, set_a = _forms(a)
    norm_b, core_b, sorted_b, set_b = _forms(b)
    core = _ratio(core_a, core_b, cutoff)
    score = max(core, _ratio(norm_a, norm_b, cutoff), _ratio(sorted_a, sorted_b, cutoff))
    shorter, longer = sorted((set_a, set_b), key=len)
    if len(shorter) >= MIN_CONTAINED_WORDS and shorter <= longer:
        score = max(score, CONTAINED)
    return score, core
