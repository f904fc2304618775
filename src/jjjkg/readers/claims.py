"""The claims about one entity, each with the place in the article that states it.

A claim is a triple of a data graph with the entity as subject or object. Its graph says
where it comes from, in either shape of the data: a paragraph graph (`jart:p07`, a
`jjj:Paragraph`), or a sentence graph (`jart:p07-s2`, a `jjj:Sentence` with
`jjj:inParagraph`, `jjj:text` and its source lines). "The paragraph of graph g" is g itself
when it is a paragraph, else its `jjj:inParagraph`. Anything else (`jgraph:background`,
`jgraph:catalogue`) is not the article's word: a background fact. Names are not claims.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from jjjkg.core.terms import (
    BACKGROUND_GRAPH,
    DCTERMS,
    INFERRED_GRAPH,
    JJJ,
    ONTOLOGY_GRAPH,
    RDF_TYPE,
    RDFS_LABEL,
    SKOS_ALT,
    SKOS_PREF,
)
from jjjkg.readers.facts import quad_store
from jjjkg.readers.render import labels

NAME_PROPERTIES = {SKOS_PREF, SKOS_ALT, RDFS_LABEL}


@dataclass
class Place:
    """Where a graph sits in the article (all None for a graph outside it)."""

    graph: str
    paragraph: str | None = None
    paragraph_number: int | None = None
    section: str | None = None
    section_number: int | None = None
    article: str | None = None
    sentence: str | None = None  # the sentence's exact text, when the data has sentences
    sentence_number: int | None = None
    evidence: str | None = None  # the paragraph's evidence span
    lines: str = ""  # source lines of the sentence (or paragraph): "21", "21–23" or "13,89"
    paragraph_lines: str = ""  # the paragraph's own source lines

    @property
    def in_article(self) -> bool:
        return self.paragraph is not None

    @property
    def background(self) -> bool:
        return not self.in_article

    def sort_key(self) -> tuple:
        return (
            self.paragraph_number is None,
            self.paragraph_number or 0,
            self.sentence_number or 0,
            self.graph != BACKGROUND_GRAPH,
            self.graph,
        )


@dataclass
class Claim:
    subject: object  # pyoxigraph terms
    predicate: ox.NamedNode
    object: object
    forward: bool  # the entity is the subject
    place: Place

    @property
    def other(self):
        return self.object if self.forward else self.subject


def _int(term) -> int | None:
    try:
        return int(term.value) if term is not None else None
    except ValueError:
        return None


class _Values:
    """The first object of each predicate of a subject, as a query without GRAPH sees them
    (a pyoxigraph Store: in any graph), read by one index look-up per subject: a SPARQL query
    of these OPTIONALs took a second or more at a million triples."""

    def __init__(self, store):
        if hasattr(store, "default_quads"):
            self.read = store.default_quads
        else:
            self.read = quad_store(store).quads_for_pattern
        self._read: dict[str, dict[str, object]] = {}

    def of(self, subject: str | None) -> dict[str, object]:
        if subject is None:
            return {}
        if subject not in self._read:
            found: dict[str, object] = {}
            for q in self.read(ox.NamedNode(subject)):
                p, o = q.predicate.value, q.object
                if p == RDF_TYPE:
                    found.setdefault(RDF_TYPE, set()).add(str(o))
                elif p not in found or str(o) < str(found[p]):
                    found[p] = o
            self._read[subject] = found
        return self._read[subject]

    def first(self, subject: str | None, name: str):
        return self.of(subject).get(JJJ + name)

    def has_type(self, subject: str, cls: str) -> bool:
        return f"<{cls}>" in self.of(subject).get(RDF_TYPE, ())


def places(store, graphs: set[str]) -> dict[str, Place]:
    """The Place of each graph IRI (a graph outside the article gets an empty Place)."""
    values = _Values(store)
    found = {}
    for g in graphs:
        sentence = None
        if values.has_type(g, JJJ + "Paragraph"):
            paragraph = g
        else:
            sentence = values.first(g, "inParagraph")
            if not isinstance(sentence, ox.NamedNode):
                found[g] = Place(g)
                continue
            paragraph = sentence.value
        text, number, first, last = (
            values.first(g, name) if sentence is not None else None
            for name in ("text", "sentenceNumber", "startLine", "endLine")
        )
        lines, evidence, article, section = (
            values.first(paragraph, name)
            for name in ("sourceLines", "evidence", "inArticle", "inSection")
        )
        start, stop = _int(first), _int(last)
        if start is not None:
            span = str(start) if stop in (None, start) else f"{start}–{stop}"
        else:
            span = lines.value if lines is not None else ""
        section_iri = section.value if section is not None else None
        found[g] = Place(
            g,
            paragraph,
            _int(values.first(paragraph, "paragraphNumber")),
            section_iri,
            _int(values.first(section_iri, "sectionNumber")),
            article.value if article is not None else None,
            text.value if text is not None else None,
            _int(number),
            evidence.value if evidence is not None else None,
            span,
            lines.value if lines is not None else "",
        )
    return found


_CLAIMS = f"""SELECT ?s ?p ?o ?g WHERE {{
  VALUES ?e {{ %s }}
  {{ GRAPH ?g {{ ?e ?p ?o }} BIND(?e AS ?s) }} UNION {{ GRAPH ?g {{ ?s ?p ?e }} BIND(?e AS ?o) }}
  FILTER(?g NOT IN (<{INFERRED_GRAPH}>, <{ONTOLOGY_GRAPH}>))
}}"""


def claims(store, iri: str) -> list[Claim]:
    """Every claim about `iri`, in article order (background facts last), names left out."""
    found = []
    for row in store.query(_CLAIMS % f"<{iri}>"):
        s, p, o, g = row[0], row[1], row[2], row[3]
        if p.value in NAME_PROPERTIES:
            continue
        found.append((s, p, o, g.value))
    where = places(store, {g for *_, g in found})
    result = [
        Claim(s, p, o, isinstance(s, ox.NamedNode) and s.value == iri, where[g])
        for s, p, o, g in set(found)
    ]
    return sorted(
        result,
        key=lambda c: (
            c.place.sort_key(),
            not c.forward,
            c.predicate.value,
            str(c.other),
        ),
    )


_ARTICLE = f"""SELECT ?a ?title ?creator ?alt WHERE {{
  VALUES ?a {{ %s }}
  OPTIONAL {{ ?a <{DCTERMS}title> ?title }}
  OPTIONAL {{ ?a <{DCTERMS}creator> ?creator }}
  OPTIONAL {{ ?a <{DCTERMS}alternative> ?alt }}
}}"""


def articles(store, iris: set[str]) -> dict[str, dict]:
    """Title, subtitle and author of each article, as the data states them (nothing else)."""
    out: dict[str, dict] = {}
    if not iris:
        return out
    for row in store.query(_ARTICLE % " ".join(f"<{a}>" for a in sorted(iris))):
        item = out.setdefault(row[0].value, {"iri": row[0].value})
        for key, term in (("title", row[1]), ("author", row[2]), ("subtitle", row[3])):
            if term is not None and key not in item:
                item[key] = term.value
    return out


def names(store, claims_: list[Claim], lang: str) -> dict[str, str]:
    """Labels in `lang` of every IRI the claims mention (terms, paragraphs, sections)."""
    iris = set()
    for c in claims_:
        for term in (c.subject, c.predicate, c.object):
            if isinstance(term, ox.NamedNode):
                iris.add(term.value)
        iris |= {x for x in (c.place.paragraph, c.place.section) if x}
    found = labels(store, iris, lang)
    found.setdefault(RDF_TYPE, "是" if lang == "zh" else "is a")
    return found
