"""The names of the graph's resources, as the resolver matches them: each IRI's zh and en
preferred names, alternative names, asserted types and (section, paragraph) number.

Folded from the asserted triples of a few predicates (`NAME_PREDICATES`), by the build into
`dist/names.tsv` (`write`) and, for a remote endpoint, from its answer to `NAMES_QUERY`.

The file is an index, searched rather than read: one line per key, sorted, so a reader finds
a name or an IRI by binary search over the file mapped in memory (`NameIndex`), in well under
a millisecond at any size, where loading every name costs a second at a million triples. A
line is `KEY<TAB>VALUE`, both JSON: `["iri", IRI]` → `[zh, en, alt, types, number]` (one per
resource), and `[TIER, key]` → IRI for each key the resolver matches (`keys`: slug, its local
part, zh or en name, alternative name, number; names case folded, full-width forms as ASCII).

Standard library only.
"""

from __future__ import annotations

import json
import mmap
import re
import unicodedata
from collections.abc import Iterator
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

# A remote endpoint's names, as the resolver reads them: every name triple, and of the types
# only what `Candidate.is_kind` tests (each type it names, and rdfs:Resource for "has some
# type"): at a million triples 388,000 rows instead of 808,000, most of them types inferred
# from subclasses.
_TESTED_TYPES = " ".join(f"<{t}>" for t in sorted(_ONTOLOGY_TYPES | set(_KIND_TYPE.values())))
_NAMED_BY = " ".join(f"<{p}>" for p in NAME_PREDICATES if p != RDF_TYPE)
REMOTE_NAMES_QUERY = (
    f"SELECT ?s ?p ?o WHERE {{ {{ VALUES ?p {{ {_NAMED_BY} }} ?s ?p ?o }} UNION "
    f"{{ SELECT DISTINCT ?s (<{RDF_TYPE}> AS ?p) (<{RDFS}Resource> AS ?o) WHERE {{ ?s a ?t }} }}"
    f" UNION {{ VALUES ?o {{ {_TESTED_TYPES} }} ?s a ?o BIND(<{RDF_TYPE}> AS ?p) }}"
    " FILTER(isIRI(?s)) }"
)
# Characters an IRI cannot hold (SPARQL's IRIREF): an IRI with one names nothing.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def sparql_iri(iri: str) -> str | None:
    """`<iri>` as SPARQL text, or None if `iri` cannot be an IRI."""
    return None if not iri or _NOT_IN_IRI.search(iri) else f"<{iri}>"


def names_of_query(iri: str) -> str | None:
    """The query for the name and type triples of one IRI; None if `iri` cannot be one."""
    term = sparql_iri(iri)
    if term is None:
        return None
    return f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {term} }} VALUES ?p {{ {_VALUES} }} ?s ?p ?o }}"


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


def fold_name(name: str) -> str:
    """A name as compared: case folded, and full-width forms as their ASCII twins (NFKC), so
    `天津港(集团)有限公司` finds 天津港（集团）有限公司."""
    return unicodedata.normalize("NFKC", name).casefold()


TIERS = ("slug", "local", "name", "alt")  # how a name can match, strongest first


def keys(c: Candidate) -> Iterator[tuple[str, str]]:
    """(tier, key) under which a name finds `c`: TIERS, and "number" for its number."""
    whole = slug(c.iri)
    yield "slug", whole.casefold()
    yield "local", whole.split("/", 1)[-1].removeprefix("jjj:").casefold()
    for name in dict.fromkeys(fold_name(n) for n in (c.zh, c.en) if n):
        yield "name", name
    for alt in dict.fromkeys(fold_name(a) for a in c.alt):
        yield "alt", alt
    if c.number is not None:
        yield "number", str(c.number)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def write(candidates: list[Candidate], path: Path) -> None:
    """`path` as the sorted index of the module note (deterministic)."""
    lines = []
    for c in candidates:
        record = [c.zh, c.en, c.alt, sorted(c.types), c.number]
        lines.append(f"{_json(['iri', c.iri])}\t{_json(record)}\n")
        lines += [f"{_json([tier, key])}\t{_json(c.iri)}\n" for tier, key in keys(c)]
    lines.sort()  # code point order is UTF-8 byte order, the order `NameIndex` searches
    Path(path).write_text("".join(dict.fromkeys(lines)), encoding="utf-8")


def _candidate(iri: str, record: list) -> Candidate:
    zh, en, alt, types, number = record
    return Candidate(iri, zh, en, alt, set(types), number)


class NameIndex:
    """The file `write` wrote, mapped in memory and searched by key."""

    def __init__(self, path: Path):
        self.path = Path(path)
        with open(self.path, "rb") as file:
            size = file.seek(0, 2)
            self._data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) if size else b""

    def _lines(self, prefix: bytes) -> Iterator[bytes]:
        """The lines starting with `prefix`, in order (binary search for the first)."""
        data, lo, hi = self._data, 0, len(self._data)
        while lo < hi:  # the first line >= prefix starts in [lo, hi]
            mid = (lo + hi) // 2
            start = data.rfind(b"\n", 0, mid) + 1
            end = data.find(b"\n", start)
            if data[start:end] < prefix:
                lo = end + 1
            else:
                hi = start
        while data[lo : lo + len(prefix)] == prefix:
            end = data.find(b"\n", lo)
            yield data[lo:end]
            lo = end + 1

    def lookup(self, tier: str, key: str) -> list[str]:
        """The IRIs found under (tier, key), in IRI order."""
        prefix = f"{_json([tier, key])}\t".encode()
        return sorted(json.loads(line[len(prefix) :]) for line in self._lines(prefix))

    def candidate(self, iri: str) -> Candidate | None:
        prefix = f"{_json(['iri', iri])}\t".encode()
        for line in self._lines(prefix):
            return _candidate(iri, json.loads(line[len(prefix) :]))
        return None

    def candidates(self) -> list[Candidate]:
        """Every resource, in IRI order."""
        found = []
        for line in self._lines(b'["iri",'):
            key, record = line.split(b"\t", 1)
            found.append(_candidate(json.loads(key)[1], json.loads(record)))
        return found

    def containing(self, tiers: tuple[str, ...], text: str) -> dict[str, bool]:
        """{IRI: whether a key equals `text`} of every resource with a key of `tiers`
        containing `text` (a search of the whole file, in C, not a parse of it)."""
        needle = _json(text)[1:-1].encode()  # as the file writes it, escapes and all
        heads = tuple(f'["{tier}","'.encode() for tier in tiers)
        found: dict[str, bool] = {}
        data, at = self._data, 0
        while needle and (at := data.find(needle, at)) >= 0:
            start = data.rfind(b"\n", 0, at) + 1
            at = data.find(b"\n", at)
            line = data[start:at]
            tab = line.find(b"\t")
            head = next((h for h in heads if line.startswith(h)), None)
            word = line[len(head) : tab - 2] if head is not None else b""
            if needle in word:  # an IRI has no character JSON escapes
                iri = line[tab + 2 : -1].decode()
                found[iri] = found.get(iri, False) or word == needle
        return found

    def starting(self, tiers: tuple[str, ...], text: str, most: int) -> list[str]:
        """The IRIs of the first `most` keys (in key order) of each of `tiers` that start
        with `text`."""
        found = []
        for tier in tiers:
            prefix = _json([tier, text])[:-2].encode()  # the key without its closing `"]`
            for n, line in enumerate(self._lines(prefix)):
                if n == most:
                    break
                found.append(line[line.find(b"\t") + 2 : -1].decode())
        return found

    def count(self, text: str, cap: int) -> int:
        """How many times `text` occurs in the file, counted up to `cap` (an upper bound on
        the size of `containing`)."""
        needle = _json(text)[1:-1].encode()
        found, at = 0, 0
        while needle and found < cap and (at := self._data.find(needle, at)) >= 0:
            found, at = found + 1, at + len(needle)
        return found
