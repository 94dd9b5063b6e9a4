"""``gfmdkg serve``: a read-only SPARQL 1.1 Protocol endpoint and browsable linked-data pages.

Modules: :mod:`dataset` (what is served), :mod:`runner` (bounded query execution in forked children, page cache),
:mod:`protocol` (the ``/sparql`` request rules, service description), :mod:`conneg` (content negotiation),
:mod:`linked` (IRI <-> local path, descriptions), :mod:`display` (how terms look), :mod:`home`, :mod:`listing` and
:mod:`describe` (what each page shows), :mod:`pages` (Jinja2 rendering), :mod:`app` (routing, limits, errors, the
access log, the server).
"""
