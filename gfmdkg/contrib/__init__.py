"""Contributions: checking and adding new practices, safely, with errors people understand.

- ``fields``: the contributor template's fields (CSV columns / YAML keys), one definition for everything.
- ``readers``: CSV and YAML templates into records (safe on any bytes); RDF files are read by ``gfmdkg.rdfio``.
- ``vocab``: the graph's referable nodes by the words a contributor uses, with "did you mean" suggestions.
- ``convert``: a record into the model of docs/CURATION.md (``practice:<slug>`` and its hash nodes).
- ``checks``: clashes, unknown references, likely duplicates, missing sources, blank nodes.
- ``pipeline``: ``check()`` end to end, with the SHACL shapes of ``gfmdkg.validation``; ``report`` renders it.
- ``style``: project-style Turtle; ``writer``: ``add()``, all or nothing, under a lock.
- ``model`` / ``unit``: records, problems and units (one output file each); ``template``: the empty template;
  ``jsonld_guard``: what a JSON-LD processor would silently drop.
"""
