"""The choices jjjkg offers, declared once: export formats, query result formats, reasoners,
centralities and label languages. The implementing modules and the CLI's choices and help
read them from here (standard library only, so the CLI stays cheap to import).

To add an export format: a row in EXPORT_FORMATS, and its writer in `readers.export`.
"""

from __future__ import annotations

from collections import namedtuple

# (A named tuple, not a dataclass: the CLI imports this, and dataclasses cost milliseconds.)
Format = namedtuple("Format", "name extension description media_type")


EXPORT_FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("ttl", ".ttl", "Turtle, all graphs merged", "text/turtle"),
        Format("trig", ".trig", "TriG, named graphs kept", "application/trig"),
        Format("nq", ".nq", "N-Quads, named graphs kept, sorted lines", "application/n-quads"),
        Format("nt", ".nt", "N-Triples, all graphs merged, sorted lines", "application/n-triples"),
        Format("jsonld", ".jsonld", "JSON-LD, named graphs kept", "application/ld+json"),
        Format("xml", ".rdf", "RDF/XML, all graphs merged", "application/rdf+xml"),
        Format("graphml", ".graphml", "GraphML: the entity network", "application/graphml+xml"),
        Format("gexf", ".gexf", "GEXF: the entity network, for Gephi", "application/gexf+xml"),
        Format("csv", ".csv", "CSV: one row a quad, with term kinds", "text/csv"),
    )
}
# Other file extensions that name an export format.
EXPORT_ALIASES = {".json": "jsonld", ".xml": "xml", ".owl": "xml", ".n3": "ttl"}

# Query result formats, and the query forms each one serves.
QUERY_FORMATS: dict[str, str] = {
    "table": "SELECT, ASK, CONSTRUCT",
    "csv": "SELECT",
    "tsv": "SELECT",
    "json": "SELECT",
    "srj": "SELECT, ASK (W3C SPARQL results JSON)",
    "srx": "SELECT, ASK (W3C SPARQL results XML)",
    "ttl": "CONSTRUCT, DESCRIBE",
    "nt": "CONSTRUCT, DESCRIBE",
}

REASONERS: dict[str, str] = {
    "rules": "the ontology's OWL 2 RL rules in Oxigraph (any size)",
    "owlrl": "owlrl, the reference (slow past ~50k triples)",
}
DEFAULT_REASONER = "rules"

CENTRALITIES: dict[str, str] = {
    "degree": "links in either direction",
    "betweenness": "share of shortest paths through the entity",
    "pagerank": "PageRank over links taken both ways",
}

LANGUAGES = ("zh", "en")


def described(choices: dict) -> str:
    """`a (what a is), b (what b is)` for a help text."""
    return ", ".join(f"{name} ({getattr(v, 'description', v)})" for name, v in choices.items())
