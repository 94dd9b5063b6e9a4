"""Linked data: the local path of every gfmdkg IRI and the description served for it.

``https://w3id.org/gfmdkg/id/practice/x`` is served at ``/id/practice/x``, schemes and concepts under ``/vocab``,
the ontology at ``/def``. A description is the IRI's own triples, those of its hash-IRI children
(``.../practice/x#period``) and the links pointing at it.
"""

from __future__ import annotations

from urllib.parse import quote

from gfmdkg.namespaces import BASE, DEF, VOCAB
from gfmdkg.publish.locator_links import DESCRIBE_BRANCH as LOCATOR_BRANCH
from gfmdkg.publish.locator_links import DESCRIBE_TEMPLATE as LOCATOR_LINK

PREFIXES_SERVED = ("id/", "vocab/")
EXACT_SERVED = ("vocab", "def")


def _served(rel: str) -> bool:
    return rel.startswith(PREFIXES_SERVED) or rel in EXACT_SERVED

# a locator's description also gives its place in the published document (gfmdkg.publish.locator_links)
DESCRIBE = f"""
CONSTRUCT {{ ?this ?p ?o . ?c ?cp ?co . ?in ?ip ?this . {LOCATOR_LINK} }}
WHERE {{
  {{ ?this ?p ?o }}
  UNION {{ ?this ?link ?c . FILTER(isIRI(?c) && STRSTARTS(STR(?c), CONCAT(STR(?this), "#"))) ?c ?cp ?co }}
  UNION {{ ?in ?ip ?this }}
  {LOCATOR_BRANCH}
}}"""

ONTOLOGY_IRI = DEF.rstrip("#")

ONTOLOGY = f"""
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
CONSTRUCT {{ ?s ?p ?o }}
WHERE {{
  {{ BIND(<{ONTOLOGY_IRI}> AS ?s) ?s ?p ?o }}
  UNION {{
    VALUES ?t {{ owl:Class owl:ObjectProperty owl:DatatypeProperty owl:AnnotationProperty rdf:Property }}
    ?s a ?t . FILTER(STRSTARTS(STR(?s), "{DEF}")) ?s ?p ?o
  }}
}}"""

SCHEMES = f"""
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
CONSTRUCT {{ ?s ?p ?o }}
WHERE {{ ?s a skos:ConceptScheme ; ?p ?o . FILTER(STRSTARTS(STR(?s), "{VOCAB}")) }}"""



def iri_for_path(path: str) -> str | None:
    """The gfmdkg IRI served at a local (percent-decoded) path, or None when the path is not a linked-data path."""
    rel = path.lstrip("/")
    if not _served(rel) or any(seg in ("..", ".") for seg in rel.split("/")):
        return None
    if rel == "vocab":
        rel = "vocab/"
    if any(ord(c) < 0x21 or c in '<>"{}|^`\\' for c in rel):
        return None
    return BASE + rel


def query_for(iri: str) -> tuple[str, dict[str, dict[str, str]]]:
    """The CONSTRUCT that describes ``iri`` and its bindings (the IRI bound as ?this, never pasted)."""
    if iri == ONTOLOGY_IRI:
        return ONTOLOGY, {}
    if iri == VOCAB:
        return SCHEMES, {}
    return DESCRIBE, {"this": {"type": "uri", "value": iri}}


def local_href(iri: str) -> str | None:
    """The local link for a gfmdkg IRI (fragments kept), or None for IRIs served elsewhere."""
    if not iri.startswith(BASE):
        return None
    rel = iri[len(BASE):]
    if rel.startswith("def#"):
        return "/def#" + quote(rel[4:], safe="-._~")
    base, sep, frag = rel.partition("#")
    if not _served(base):
        return None
    return "/" + quote(base, safe="/-._~:") + (sep + quote(frag, safe="-._~") if sep else "")
