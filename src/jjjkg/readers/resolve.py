"""The one resolver: the IRI a user means by a name, for every command and every `--bind`.

A name is an IRI (`<…>` or `http…`), a prefixed name (`jinfra:tianjin-port`), a slug
(`infra/tianjin-port`, `tianjin-port`), or a zh or en preferred or alternative name (case
folded, full-width forms as ASCII: （） as ()). For a section or paragraph, its number too
(`4`, `s4`, `p07`). The tiers are tried in that order and the first that matches wins; two
resources matching in the same tier are ambiguous. An IRI must be in the graph: a wrong
prefix is an error, not 0 rows.

`Names` holds the candidates (`jjjkg.core.names`); `names_from_store` reads them for the
built dataset (`dist/names.json`) or a remote endpoint's label lookup, `names_from_facts`
from the network's facts. Kinds narrow the candidates: `entity` (anything but ontology
terms), `section`, `paragraph`, `class`, `property`, `status`; `any` takes every resource.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from jjjkg.core.errors import AmbiguousEntity, UnknownEntity
from jjjkg.core.names import NAMES_QUERY, Candidate, fold
from jjjkg.core.names import read as read_names
from jjjkg.core.project import NAMES
from jjjkg.core.terms import (
    JJJ,
    OWL,
    RDFS,
    expand,
    shorten,
    slug,
)
from jjjkg.dist import require


class Names:
    """Candidates by IRI, and the one way to turn a name into one of them."""

    def __init__(self, candidates: list[Candidate], exists=None):
        self.by_iri = {c.iri: c for c in sorted(candidates, key=lambda c: c.iri)}
        self._exists = exists  # IRI -> bool for resources without names (None: names only)

    def __contains__(self, iri: str) -> bool:
        return iri in self.by_iri

    def resolve(self, text: str, kind: str = "entity") -> str:
        """The IRI `text` names; UnknownEntity or AmbiguousEntity (exit 2) otherwise."""
        wanted = text.strip()
        word = "class" if kind == "class" else "entity"
        if not wanted:
            raise UnknownEntity(f"no {word} name given")
        pool = [c for c in self.by_iri.values() if c.is_kind(kind)]
        iri = _as_iri(wanted)
        if iri is not None:
            if iri in self.by_iri and self.by_iri[iri].is_kind(kind):
                return iri
            if iri not in self.by_iri and kind == "any" and self._exists and self._exists(iri):
                return iri
            raise self.unknown(pool, wanted, word)
        folded = fold_name(wanted)
        for match in _tiers(wanted, folded, kind):
            found = [c for c in pool if match(c)]
            if len(found) == 1:
                return found[0].iri
            if found:
                listed = ", ".join(f"{shorten(c.iri)} ({c.name('zh')})" for c in found[:8])
                raise AmbiguousEntity(f"ambiguous {word} '{wanted}': {listed}")
        raise self.unknown(pool, wanted, word)

    def unknown(self, pool: list[Candidate], wanted: str, word: str) -> UnknownEntity:
        """UnknownEntity naming the candidates whose names are nearest to `wanted`."""
        keys: dict[str, Candidate] = {}
        for c in pool:
            local = slug(c.iri).split("/", 1)[-1].removeprefix("jjj:")
            for key in (c.zh, c.en, shorten(c.iri), slug(c.iri), local, *c.alt):
                if key:
                    keys.setdefault(key.casefold(), c)
        lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in wanted) else "en"
        folded = wanted.casefold()
        # a prefixed name or IRI is compared by its local part: `jfac:tianjin-port`
        probe = re.split(r"[:/#]", folded.strip("<>"))[-1] if _as_iri(wanted) else folded
        near = difflib.get_close_matches(probe, sorted(keys), n=12, cutoff=0.4)
        near += sorted(k for k in keys if probe and probe in k and k not in near)
        shown = []
        for key in near:
            c = keys[key]
            name = shorten(c.iri) if _as_iri(wanted) else c.name(lang)
            if name not in shown:
                shown.append(name)
        hint = f"; did you mean: {', '.join(shown[:5])}?" if shown else ""
        return UnknownEntity(f"unknown {word} '{wanted}'{hint}")


def _as_iri(text: str) -> str | None:
    """The IRI of `<iri>`, `http(s)://…` or a prefixed name; None for any other text."""
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if re.match(r"^https?://\S+$", text):
        return text
    return expand(text) if re.match(r"^[A-Za-z][\w.-]*:\S", text) else None


def _tiers(wanted: str, folded: str, kind: str):
    """The ways a name can match, strongest first."""
    number = int(wanted.lstrip("spSP")) if re.fullmatch(r"[spSP]?\d+", wanted) else None
    if number is not None and kind in ("section", "paragraph"):
        yield lambda c: c.number == number
    yield lambda c: folded == slug(c.iri).casefold()
    yield lambda c: folded == slug(c.iri).split("/", 1)[-1].removeprefix("jjj:").casefold()
    yield lambda c: folded == fold_name(c.zh) or folded == fold_name(c.en)
    yield lambda c: folded in (fold_name(a) for a in c.alt)


def fold_name(name: str) -> str:
    """A name as compared: case folded, and full-width forms as their ASCII twins (NFKC), so
    `天津港(集团)有限公司` finds 天津港（集团）有限公司."""
    return unicodedata.normalize("NFKC", name).casefold()


# -- where the candidates come from --


def names_from_store(store) -> Names:
    """Every resource of the built dataset with a name or a type (asserted triples): from
    `dist/names.json` for the built dataset, from the answer of a remote endpoint."""
    if hasattr(store, "dist"):
        candidates = read_names(require(store.dist, (NAMES,)) / NAMES)
    else:  # a remote endpoint's lookup takes SPARQL text
        candidates = fold(store.query(NAMES_QUERY))

    def exists(iri: str) -> bool:
        # a SELECT, not an ASK: a remote endpoint's label lookup reads SELECT results only
        text = (
            f"SELECT ?p WHERE {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} "
            f"UNION {{ ?s <{iri}> ?o }} }} LIMIT 1"
        )
        try:
            return any(True for _ in store.query(text))
        except (SyntaxError, ValueError):
            return False

    return Names(candidates, exists)


def names_from_facts(facts, graph=None) -> Names:
    """The entities of the network's facts (only those in `graph`, if given)."""
    return Names(
        [
            Candidate(e.iri, e.zh, e.en, list(e.alt), {e.cls} if e.cls else set())
            for e in facts.entities.values()
            if graph is None or e.iri in graph
        ]
    )


def resolve(facts, text: str, graph=None) -> str:
    """The IRI of the network entity named `text` (see the module docstring)."""
    names = names_from_facts(facts, graph)
    for c in names.by_iri.values():
        c.types = {RDFS + "Resource"}  # every network entity is of kind "entity"
    return names.resolve(text, "entity")


def resolve_class(facts, text: str) -> str:
    """The IRI of a class named by IRI, `jjj:Name`, `Name`, or its zh/en label."""
    classes = [
        Candidate(iri, term.zh, term.en, types={OWL + "Class"})
        for iri, term in facts.terms.items()
        if iri.startswith(JJJ) and iri[len(JJJ) :][:1].isupper()
    ]
    return Names(classes).resolve(text, "class")


CLASS_FORMS = "IRI, jjj:Name, Name, or its zh or en label (jjj:Enterprise, Enterprise, 企业)"
