"""The raw pyoxigraph script gfmdkg's cold start is compared with: ``python bench/raw_query.py INDEX QUERY.rq``
opens the on-disk index read-only and writes the query's answer as CSV (pyoxigraph's own serialiser)."""

import sys

import pyoxigraph as ox

store = ox.Store.read_only(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as f:
    answer = store.query(f.read(), use_default_graph_as_union=True)
sys.stdout.buffer.write(answer.serialize(format=ox.QueryResultsFormat.CSV))
