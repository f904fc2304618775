"""The names of the graph's resources, as the resolver matches them: each IRI's zh and en
preferred names, alternative names, asserted types and (section, paragraph) number.

Folded from the asserted triples of a few predicates (`NAME_PREDICATES`), by the build into
`dist/names.json` (`write`) and, for a remote endpoint, from its answer to `NAMES_QUERY`. A
reader that resolves a name loads the file (`read`) instead of asking the store for every
label and type again: at the article's size that is 2 ms against 30–140 ms, and at a
million triples it is the difference between a scoped query in a second and one in many.

Standard library only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from jjjkg.core.terms import (
    INFERRED_GRAPH,
    JJJ,
    OWL,
    RDF,
    RDF_TYPE,
    RDFS,
    RDFS_LABEL,
    SKOS_ALT,
    SKOS_PREF,
    slug,
)

NAME_PREDICATES = (
    SKOS_PREF,
    RDFS_LABEL,
    SKOS_ALT,
    RDF_TYPE,
    JJJ + "sectionNumber",
    JJJ + "paragraphNumber",
)
_VALUES = " ".join(f"<{p}>" for p in NAME_PREDICATES)
NAMES_QUERY = f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_VALUES} }} ?s ?p ?o FILTER(isIRI(?s)) }}"
# the build's store: the asserted graphs are its named graphs but the reasoner's
ASSERTED_NAMES_QUERY = (
    f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {_VALUES} }} GRAPH ?g {{ ?s ?p ?o }} "
    f"FILTER(isIRI(?s) && ?g != <{INFERRED_GRAPH}>) }}"
)

KINDS = ("any", "entity", "section", "paragraph", "class", "property", "status")
_CLASS_TYPES = {OWL + "Class", RDFS + "Class"}
_PROPERTY_TYPES = {
    RDF + "Property",
    OWL + "ObjectProperty",
    OWL + "DatatypeProperty",
    OWL + "AnnotationProperty",
}
_ONTOLOGY_TYPES = _CLASS_TYPES | _PROPERTY_TYPES | {OWL + "Ontology"}
_KIND_TYPE = {
    "section": JJJ + "ArticleSection",
    "paragraph": JJJ + "Paragraph",
    "status": JJJ + "Status",
}


@dataclass
class Candidate:
    """A resource a name may mean: its names, asserted types and (section, paragraph) number."""

    iri: str
    zh: str = ""
    en: str = ""
    alt: list[str] = field(default_factory=list)
    types: set[str] = field(default_factory=set)
    number: int | None = None

    def name(self, lang: str) -> str:
        other = "en" if lang == "zh" else "zh"
        return getattr(self, lang) or getattr(self, other) or slug(self.iri)

    def is_kind(self, kind: str) -> bool:
        """Whether the resource is of `kind` (one of KINDS; `entity`: anything but
        ontology terms)."""
        if kind == "any":
            return True
        if kind == "entity":
            return bool(self.types) and not self.types & _ONTOLOGY_TYPES
        if kind == "class":
            return bool(self.types & _CLASS_TYPES)
        if kind == "property":
            return bool(self.types & _PROPERTY_TYPES)
        return _KIND_TYPE[kind] in self.types


def fold(rows) -> list[Candidate]:
    """Candidates from (subject, predicate, object) pyoxigraph terms of `NAME_PREDICATES`
    (a triple stated in two graphs may come twice)."""
    found: dict[str, Candidate] = {}
    for row in rows:
        s, p, o = row[0].value, row[1].value, row[2]
        c = found.setdefault(s, Candidate(s))
        kind = type(o).__name__
        if p == RDF_TYPE and kind == "NamedNode":
            c.types.add(o.value)
        elif p.endswith(("sectionNumber", "paragraphNumber")):
            c.number = int(o.value) if re.fullmatch(r"\d+", o.value) else None
        elif kind == "Literal" and p == SKOS_ALT:
            if o.value not in c.alt:
                c.alt.append(o.value)
        elif kind == "Literal" and o.language in ("zh", "en"):
            if p == SKOS_PREF or not getattr(c, o.language):
                setattr(c, o.language, o.value)
    for c in found.values():
        c.alt.sort()
    return list(found.values())


def write(candidates: list[Candidate], path: Path) -> None:
    """`path` as one JSON object {iri: [zh, en, alt, types, number]}, sorted (deterministic)."""
    data = {
        c.iri: [c.zh, c.en, c.alt, sorted(c.types), c.number]
        for c in sorted(candidates, key=lambda c: c.iri)
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    Path(path).write_text(text + "\n", encoding="utf-8")


def read(path: Path) -> list[Candidate]:
    """The candidates `write` wrote to `path`."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        Candidate(iri, zh, en, alt, set(types), number)
        for iri, (zh, en, alt, types, number) in data.items()
    ]
