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

from gfmdkg.contrib.vocab import normalise

COMMON_WORDS = {"a", "an", "and", "the", "of", "for", "in", "on", "to", "with", "by", "at", "from", "project",
                "programme", "program", "initiative", "scheme", "ongoing", "present", "current", "phase"}
BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
YEAR = re.compile(r"\b(1[89]|20)\d{2}\b")
CONTAINED = 0.9
MIN_CONTAINED_WORDS = 3


def core_title(title: str) -> str:
    """The words that name the practice: no brackets, years, status or common words (see the module docstring)."""
    words = normalise(YEAR.sub(" ", BRACKETED.sub(" ", title))).split()
    kept = [w for w in words if w not in COMMON_WORDS]
    return " ".join(kept or words)


def _ratio(a: str, b: str) -> float:
    if a == b:
        return 1.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return m.ratio() if m.real_quick_ratio() >= 0.5 and m.quick_ratio() >= 0.5 else 0.0


def similarity(a: str, b: str) -> tuple[float, float]:
    """(score, core score) of two titles, each from 0 to 1: the score for a near duplicate, and how alike the
    core forms alone are (1.0: the same name once the catalogue's additions are set aside)."""
    core_a, core_b = core_title(a), core_title(b)
    core = _ratio(core_a, core_b)
    words_a, words_b = core_a.split(), core_b.split()
    score = max(core, _ratio(normalise(a), normalise(b)), _ratio(" ".join(sorted(words_a)), " ".join(sorted(words_b))))
    shorter, longer = sorted((set(words_a), set(words_b)), key=len)
    if len(shorter) >= MIN_CONTAINED_WORDS and shorter <= longer:
        score = max(score, CONTAINED)
    return score, core
