"""The one home for names: prefixes, the IRIs jjjkg mints, the vocabulary terms the code
uses, and the one way to shorten and expand an IRI.

The prefixes head the TriG files under `graph/`, and every query may use them without
declaring them (`jjjkg query --show NAME` prints a query with its PREFIX lines, ready for
another SPARQL engine). Every name is a plain string; standard library only, so any layer
imports this without rdflib or pyoxigraph.
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
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "spdx": "http://spdx.org/rdf/terms#",
}

JJJ = PREFIXES["jjj"]
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
XSD = PREFIXES["xsd"]
SKOS = PREFIXES["skos"]
SH = PREFIXES["sh"]
DCTERMS = PREFIXES["dcterms"]
GRAPHS = PREFIXES["jgraph"]
VOID = PREFIXES["void"]
DCAT = PREFIXES["dcat"]
SPDX = PREFIXES["spdx"]
PROV = PREFIXES["prov"]

ONTOLOGY_IRI = "https://w3id.org/jjjkg/ontology"
ARTICLE = RESOURCE + "article/tianjin-jjj-decade"
DATASET = RESOURCE + "dataset"  # the data set itself, as its description in dist/ names it
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"

# The named graphs that are not article paragraphs or sentences.
ONTOLOGY_GRAPH = GRAPHS + "ontology"
SHAPES_GRAPH = GRAPHS + "shapes"
CATALOGUE_GRAPH = GRAPHS + "catalogue"
BACKGROUND_GRAPH = GRAPHS + "background"
SOURCE_GRAPH = GRAPHS + "source"
VOCABULARY_GRAPH = GRAPHS + "vocabulary"
INFERRED_GRAPH = GRAPHS + "inferred"
DATASET_GRAPH = GRAPHS + "dataset"  # the description dist/void.ttl, as `jjjkg serve` holds it

RDF_TYPE = RDF + "type"
RDF_FIRST = RDF + "first"
RDF_REST = RDF + "rest"
RDF_NIL = RDF + "nil"
RDF_LANGSTRING = RDF + "langString"
RDFS_LABEL = RDFS + "label"
SUB_CLASS_OF = RDFS + "subClassOf"
SKOS_PREF = SKOS + "prefLabel"
SKOS_ALT = SKOS + "altLabel"
SKOS_DEFINITION = SKOS + "definition"
OWL_VERSION_INFO = OWL + "versionInfo"
OWL_VERSION_IRI = OWL + "versionIRI"
JJJ_PARAGRAPH = JJJ + "Paragraph"
JJJ_IN_PARAGRAPH = JJJ + "inParagraph"

# How the site draws a class (annotations on classes in ontology/jjjkg.ttl, inherited).
SITE_FAMILY = JJJ + "siteFamily"
SITE_COLOUR = JJJ + "siteColour"
SITE_SHAPE = JJJ + "siteShape"
IN_PARAGRAPH = JJJ + "inParagraph"

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


def compact(iri: str) -> str:
    """The JSON-LD compact IRI (`jorg:cnooc`, `jjjr:article/x`) under the longest prefix, or
    the IRI itself; unlike `shorten`, any suffix will do (JSON-LD asks no PN_LOCAL syntax)."""
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns) and not iri.startswith("//", len(ns)):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


def slug(iri: str) -> str:
    """`org/cnooc` for a resource IRI (its path under the resource base: page paths), `jjj:X`
    for an ontology term, else the IRI's last segment."""
    if iri.startswith(RESOURCE):
        return iri[len(RESOURCE) :]
    if iri.startswith(JJJ):
        return "jjj:" + iri[len(JJJ) :]
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def short(term) -> str:
    """A readable name for a term: `jorg:cnooc`, `skos:prefLabel`, `"文本"@zh`, `_:b1`.

    Takes rdflib terms, pyoxigraph terms and IRI strings alike (a literal or blank node is
    written as in N-Triples).
    """
    if isinstance(term, str) and type(term).__name__ == "str":
        return shorten(term)
    kind = type(term).__name__
    if kind == "NamedNode":
        return shorten(term.value)
    if kind == "URIRef":
        return shorten(str(term))
    if not hasattr(term, "n3"):
        return str(term)  # pyoxigraph literal or blank node: its N-Triples form
    return term.n3()
