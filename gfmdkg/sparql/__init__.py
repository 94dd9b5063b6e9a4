"""SPARQL: the saved-query catalogue, safe parameter binding, the query guard and result formats."""
