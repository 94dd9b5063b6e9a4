"""Near-duplicate detection (issue 12, item 6): titles compared without what a catalogue adds around a name,
candidates sharing countries or organisations, the existing practice named in the report; a warning, or an
error above the documented threshold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gfmdkg.contrib import checks
from gfmdkg.contrib.pipeline import check
from gfmdkg.contrib.similarity import core_title, similarity

DOC = Path(__file__).resolve().parent.parent / "docs" / "CONTRIBUTING.md"


def write(tmp_path: Path, rows: list[str], header: str = "id,title,summary,countries,partners,source") -> Path:
    f = tmp_path / "new.csv"
    f.write_text(header + "\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return f


def duplicates(result, n: int = 0):
    return [p for p in result.units[n].problems if p.check == "duplicate"]


def test_the_issue_example_is_flagged_next_to_the_curated_trqn(project, tmp_path):
    f = write(tmp_path, ["trqn-2,Temporary Return of Qualified Nationals,Qualified nationals living in the "
                         "Netherlands return for temporary assignments in Ghana.,Ghana; Netherlands,,bp:p14"])
    (p,) = duplicates(check(project, [f], shapes=False))
    assert p.severity == "error" and p.field == "title"
    assert p.message == ("looks like a duplicate of practice:trqn “Temporary Return of Qualified Nationals (TRQN, "
                         "2006 – ongoing)” (same title apart from brackets, years and common words, same countries: "
                         "country:GHA, country:NLD)")


def test_a_shared_organisation_without_a_shared_country_is_enough(project, tmp_path):
    f = write(tmp_path, ["trqn-chile,Temporary Return of Qualified Nationals,Qualified nationals return for "
                         "temporary assignments in their country of origin.,Chile,IOM,bp:p14"])
    (p,) = duplicates(check(project, [f], shapes=False))
    assert p.severity == "error" and p.message.endswith("same organisation: orgid:iom)")
    f = write(tmp_path, ["trqn-chile,Temporary Return of Qualified Nationals,Qualified nationals return for "
                         "temporary assignments in their country of origin.,Chile,,bp:p14"])
    assert duplicates(check(project, [f], shapes=False)) == []  # nothing shared: another practice


def test_a_near_title_in_a_shared_country_is_a_warning_naming_the_candidate(project, tmp_path):
    f = write(tmp_path, ["qualified-nationals-return,Return of Qualified Nationals Temporary,Qualified nationals "
                         "living in the Netherlands return for temporary assignments.,Netherlands,,bp:p14",
                         "trqn-ghana-health,Temporary Return of Qualified Nationals for health in Ghana,Qualified "
                         "nationals return for temporary assignments in Ghana's hospitals.,Ghana,,bp:p14"])
    result = check(project, [f], shapes=False)
    for n in (0, 1):
        (p,) = duplicates(result, n)
        assert p.severity == "warning", p.message
        assert p.message.startswith("looks like a duplicate of practice:trqn “Temporary Return of Qualified Nationals")
        assert re.search(r"\(\d+ % alike title, same country: country:(NLD|GHA)\)$", p.message), p.message


def test_core_titles_and_scores():
    assert core_title("Temporary Return of Qualified Nationals (TRQN, 2006 – ongoing)") == \
        "temporary return qualified nationals"
    assert core_title("The MIDA Ghana Health Project") == "mida ghana health"
    assert similarity("Temporary Return of Qualified Nationals",
                      "Temporary Return of Qualified Nationals (TRQN, 2006 – ongoing)") == (1.0, 1.0)
    score, core = similarity("Return of Qualified Nationals, temporary", "Temporary Return of Qualified Nationals")
    assert score == 1.0 > core  # the same words in another order: near, but not the same name
    score, core = similarity("Diaspora nurses mentoring", "Diaspora nurses mentoring in Ghana and Togo")
    assert score == pytest.approx(0.9) and core < checks.ERROR_TITLE  # one title's words all in the other
    assert similarity("Remittance-backed housing loans", "Diaspora teachers exchange")[0] < checks.NEAR_TITLE


def test_the_documented_thresholds_are_the_ones_used():
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    assert f"At least **{round(checks.NEAR_TITLE * 100)} %** alike: a *warning*" in text
    assert f"(at least **{round(checks.ERROR_TITLE * 100)} %** alike) *and* a shared country or organisation: an " \
        "*error*" in text
