"""The SPARQL prefixes every query may use without declaring them, in one place.

The same prefixes head the TriG files under `graph/`. Queries under `queries/` rely on
them (`jjjkg query --show NAME` prints a query with its PREFIX lines, ready for another
SPARQL engine). Standard library only: `jjjkg query` imports this without rdflib.
"""

from __future__ import annotations

RESOURCE = "https://w3id.org/jjjkg/resource/"

PREFIXES: dict[str, str] = {
    "jjj": "https://w3id.org/jjjkg/ontology#",
    "jjjr": RESOURCE,
    "jgraph": RESOURCE + "graph/",
    "jart": RESOURCE + "article/tianjin-jjj-decade/",
    "jorg": RESOURCE + "org/",
    "jplace": RESOURCE + "place/",
    "jpark": RESOURCE + "park/",
    "jproj": RESOURCE + "project/",
    "jfac": RESOURCE + "facility/",
    "jplat": RESOURCE + "platform/",
    "jinfra": RESOURCE + "infra/",
    "jsvc": RESOURCE + "service/",
    "jpol": RESOURCE + "policy/",
    "jevt": RESOURCE + "event/",
    "jtour": RESOURCE + "tourism/",
    "jind": RESOURCE + "industry/",
    "jindic": RESOURCE + "indicator/",
    "jobs": RESOURCE + "obs/",
    "junit": RESOURCE + "unit/",
    "jstat": RESOURCE + "status/",
    "jqual": RESOURCE + "qualifier/",
    "jscheme": RESOURCE + "scheme/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "geo": "http://www.opengis.net/ont/geosparql#",
    "time": "http://www.w3.org/2006/time#",
    "unit": "http://qudt.org/vocab/unit/",
    "sh": "http://www.w3.org/ns/shacl#",
}

# Longest namespace first, so `jpark:x` wins over `jjjr:park/x` when shortening.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))


def prologue() -> str:
    """The PREFIX lines of every shared prefix, for engines that need them in the text."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


def expand(name: str) -> str | None:
    """`jpark:tianjin-ftz` → the full IRI, or None when the prefix is unknown."""
    prefix, sep, local = name.partition(":")
    if not sep or prefix not in PREFIXES or local.startswith("//"):
        return None
    return PREFIXES[prefix] + local


def shorten(iri: str) -> str:
    """The prefixed name of `iri` when its local part is a plain name, else `<iri>`."""
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns):
            local = iri[len(ns) :]
            if local and all(c.isalnum() or c in "-_." for c in local) and local[-1] != ".":
                return f"{prefix}:{local}"
    return f"<{iri}>"
