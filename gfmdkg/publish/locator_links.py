"""Where a locator can be read: the published document's web address (``schema:url`` on the document), with
``#page=N`` when the document is a PDF (``schema:encodingFormat "application/pdf"``, or an address ending in
``.pdf``) and the locator gives its page (``bibo:pageStart``; the pages of the curated locators are the PDF's own
pages, as the plain-text copies mark them). No address is invented: a document without ``schema:url`` has none.

One SPARQL pattern computes the link, for the pages (``gfmdkg.serve.published``) and for the RDF description of a
locator (``foaf:page``, :data:`DESCRIBE_BRANCH`), so the link is data as well as a link on a page.
"""

from __future__ import annotations

from gfmdkg.namespaces import PREFIXES

PDF = "application/pdf"


def pattern(loc: str, link: str = "?pubLink") -> str:
    """The group pattern binding ``link`` to the link of the locator ``loc`` (both variables); full IRIs, so it
    needs no prologue. Its other variables start with ``pub``."""
    dct, schema, bibo = PREFIXES["dcterms"], PREFIXES["schema"], PREFIXES["bibo"]
    return f"""{loc} <{dct}isPartOf> ?pubDoc . ?pubDoc <{schema}url> ?pubUrl .
    OPTIONAL {{ {loc} <{bibo}pageStart> ?pubPage }}
    OPTIONAL {{ ?pubDoc <{schema}encodingFormat> ?pubFormat }}
    BIND(IF(REGEX(COALESCE(STR(?pubPage), ""), "^[0-9]+$") && !CONTAINS(STR(?pubUrl), "#")
            && (COALESCE(STR(?pubFormat), "") = "{PDF}" || REGEX(STR(?pubUrl), "[.]pdf$", "i")),
            IRI(CONCAT(STR(?pubUrl), "#page=", STR(?pubPage))), ?pubUrl) AS {link})"""


#: a UNION branch of a linked-data description: the locator ``?this``'s link in the published document
DESCRIBE_BRANCH = f"UNION {{ ?this a <{PREFIXES['bibo']}DocumentPart> . {pattern('?this')} }}"
#: what that branch adds to the description
DESCRIBE_TEMPLATE = f"?this <{PREFIXES['foaf']}page> ?pubLink ."
