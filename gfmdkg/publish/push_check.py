"""After a push: does the store hold what was sent, and will queries without GRAPH see it?

With the store's query URL (``--sparql-endpoint``, on the same host as the write URL: the push talks to no other
host): one count query over the pushed graphs, and one ASK for a pushed triple in the default graph (a store whose
default graph is not the union of its named graphs answers no). Otherwise, over the Graph Store Protocol: each graph
read back and counted. A count that differs is an error; a default graph that does not see the data is a warning
with what to do.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pyoxigraph as ox

from gfmdkg.errors import RemoteError
from gfmdkg.sparql.client import Credentials, Deadline
from gfmdkg.sparql.remote import UNION_HINT, RemoteEndpoint
from gfmdkg.sparql.terms import from_oxigraph, to_sparql, uri


def verify(report, targets: dict[str, list[ox.Triple]], *, written_to: str, store, sparql_endpoint: str | None,
           credentials: Credentials | None, deadline: Deadline) -> None:
    """Fill ``report.verified`` and ``report.warnings``; raise :class:`RemoteError` when a count differs."""
    from gfmdkg.publish.push import DEFAULT

    named = {g: len(t) for g, t in targets.items() if g != DEFAULT}
    if sparql_endpoint and urlsplit(sparql_endpoint).hostname != urlsplit(written_to).hostname:
        report.warnings.append(f"{sparql_endpoint} is on another host than {written_to}, so it was not asked to "
                               "count the pushed graphs")
        sparql_endpoint = None
    if sparql_endpoint:
        ep = RemoteEndpoint(sparql_endpoint, method="POST", user=credentials.user if credentials else None,
                            deadline=deadline)
        values = " ".join(to_sparql(uri(g)) for g in named)  # checked and escaped, never pasted
        rows = ep.query(f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} "
                        "GROUP BY ?g").rows
        _compare(named, {r["g"]["value"]: int(r["n"]["value"]) for r in rows}, sparql_endpoint)
        report.verified = f"counted by a query on {sparql_endpoint}"
        sample = next((t for g in named for t in targets[g] if isinstance(t.subject, ox.NamedNode)), None)
        if sample is not None and DEFAULT not in targets:
            s, p = (to_sparql(from_oxigraph(x)) for x in (sample.subject, sample.predicate))
            if not ep.query(f"ASK {{ {s} {p} ?o }}", explain_empty=False).boolean:
                report.warnings.append(f"{sparql_endpoint} does not see the pushed graphs in its default graph, so "
                                       f"queries without GRAPH answer nothing there; {UNION_HINT}")
    elif store is not None:
        _compare(named, {g: len(store.get(g)) for g in named}, store.url)
        report.verified = "read back and counted"
    else:
        report.warnings.append("what the store holds was not counted after the push: give --sparql-endpoint (the "
                               "store's query URL) to check it")


def _compare(expected: dict[str, int], found: dict[str, int], where: str) -> None:
    wrong = [(g, n, found.get(g, 0)) for g, n in expected.items() if found.get(g, 0) != n]
    if wrong:
        g, sent, held = wrong[0]
        more = f" (and {len(wrong) - 1} more graphs)" if len(wrong) > 1 else ""
        raise RemoteError(f"{where}: after the push the store holds {held} triples in <{g}>, not the {sent} sent"
                          f"{more}: it did not store the data as sent",
                          hint="see the store's log; check that the URL is the store itself (not a proxy or a "
                          "read-only copy) and push again")
