"""`jjjkg find TEXT`: the entities whose names (zh, en, alternative) or slug contain TEXT.

Each with its IRI, class, names and the article paragraphs that mention it (in either shape
of the data: see `jjjkg.readers.claims`). The article's own structure (article, sections,
paragraphs, sentences) is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from jjjkg.core.names import Candidate, fold_name
from jjjkg.core.terms import JJJ, shorten
from jjjkg.readers.claims import places
from jjjkg.readers.render import labels, table
from jjjkg.readers.resolve import Names

SOURCE_TYPES = {JJJ + name for name in ("Article", "ArticleSection", "Paragraph", "Sentence")}


@dataclass
class Found:
    candidate: Candidate
    classes: list[str]
    paragraphs: list[int]


def find(store, names: Names, text: str) -> list[Found]:
    """The entities matching `text` (as the resolver compares names), exact names first,
    then by IRI."""
    wanted = fold_name(text.strip())
    hits = []
    for c, exact in names.containing(wanted):
        if c.is_kind("entity") and not c.types & SOURCE_TYPES:
            hits.append((not exact, c.iri, c))
    found = [c for *_, c in sorted(hits, key=lambda h: h[:2])]
    mentioned = _paragraphs(store, [c.iri for c in found])
    return [Found(c, _classes(c), mentioned.get(c.iri, [])) for c in found]


def _classes(c: Candidate) -> list[str]:
    """The entity's asserted classes of the ontology (else any it has), sorted."""
    return sorted([t for t in c.types if t.startswith(JJJ)] or c.types)


def _paragraphs(store, iris: list[str]) -> dict[str, list[int]]:
    """The numbers of the paragraphs whose graphs (or sentence graphs) mention each IRI."""
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in iris)
    text = (  # a query, not index look-ups: it reads graph names without decoding the triples
        f"SELECT DISTINCT ?e ?g WHERE {{ VALUES ?e {{ {values} }} "
        "{ GRAPH ?g { ?e ?p ?o } } UNION { GRAPH ?g { ?s ?p ?e } } }"
    )
    pairs = [(row[0].value, row[1].value) for row in store.query(text)]
    where = places(store, {g for _, g in pairs})
    out: dict[str, set[int]] = {}
    for iri, g in pairs:
        number = where[g].paragraph_number
        if number is not None:
            out.setdefault(iri, set()).add(number)
    return {iri: sorted(numbers) for iri, numbers in out.items()}


def render_text(store, found: list[Found], lang: str = "zh", max_width=None) -> str:
    """A table: IRI, class, zh and en names, paragraphs; and how many were found."""
    names = labels(store, {t for f in found for t in f.classes}, lang)
    rows = [
        [
            shorten(f.candidate.iri),
            ", ".join(names.get(t, shorten(t)) for t in f.classes),
            f.candidate.zh,
            f.candidate.en,
            " ".join(str(n) for n in f.paragraphs),
        ]
        for f in found
    ]
    count = f"{len(rows)} entit{'ies' if len(rows) != 1 else 'y'}\n"
    return table(["entity", "class", "zh", "en", "paragraphs"], rows, None, max_width) + count


def render_json(store, found: list[Found], lang: str = "zh") -> list[dict]:
    names = labels(store, {t for f in found for t in f.classes}, lang)
    return [
        {
            "iri": f.candidate.iri,
            "name": shorten(f.candidate.iri),
            "class": [{"iri": t, "label": names.get(t, "")} for t in f.classes],
            "zh": f.candidate.zh,
            "en": f.candidate.en,
            "alt": f.candidate.alt,
            "paragraphs": f.paragraphs,
        }
        for f in found
    ]
