"""The contribution line of a page: who contributed a node, when, and where its review stands (a curated node
has none)."""

from __future__ import annotations

from gfmdkg.namespaces import VOCAB
from gfmdkg.serve.display import PROLOGUE
from gfmdkg.serve.i18n import N_, _

REVIEWER = VOCAB + "contribution-role/reviewer"
Q_CONTRIBUTION = PROLOGUE + """SELECT ?this ?status ?created ?name ?reviewer ?reviewed ?note WHERE {
  ?this gfmd:reviewStatus ?status .
  OPTIONAL { ?this dcterms:created ?created }
  OPTIONAL { ?this dcterms:contributor ?agent . ?agent foaf:name ?name }
  OPTIONAL { ?this prov:qualifiedAttribution ?r . ?r prov:hadRole <""" + REVIEWER + """> ; dcterms:created ?reviewed .
             OPTIONAL { ?r prov:agent ?ra . ?ra foaf:name ?reviewer } OPTIONAL { ?r rdfs:comment ?note } }
} ORDER BY DESC(?reviewed) LIMIT 1"""
#: review status -> how the page says it
SAID = {VOCAB + "review-status/submitted": N_("not yet reviewed"), VOCAB + "review-status/accepted": N_("accepted"),
        VOCAB + "review-status/rejected": N_("rejected")}


def contribution(rows: list[dict]) -> dict | None:
    """The page's contribution line from Q_CONTRIBUTION's answer; None for a curated node."""
    if not rows:
        return None
    r = {k: v["value"] for k, v in rows[0].items()}
    status = r.get("status", "")
    return {"by": r.get("name") or _("an unnamed contributor"), "created": r.get("created", "")[:10],
            "status": SAID.get(status, status.rsplit("/", 1)[-1]), "submitted": status.endswith("/submitted"),
            "reviewer": r.get("reviewer", ""), "reviewed": r.get("reviewed", "")[:10], "note": r.get("note", "")}
