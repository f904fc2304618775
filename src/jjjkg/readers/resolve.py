"""The one resolver: the IRI a user means by a name, for every command and every `--bind`.

A name is an IRI (`<…>` or `http…`), a prefixed name (`jinfra:tianjin-port`), a slug
(`infra/tianjin-port`, `tianjin-port`), or a zh or en preferred or alternative name (case
folded, full-width forms as ASCII: （） as ()). For a section or paragraph, its number too
(`4`, `s4`, `p07`). The tiers are tried in that order and the first that matches wins; two
resources matching in the same tier are ambiguous. An IRI must be in the graph: a wrong
prefix is an error, not 0 rows.

`Names` holds the candidates (`jjjkg.core.names`); `names_from_store` reads them for the
built dataset (`dist/names.tsv`, searched by key) or a remote endpoint's label lookup,
`names_from_facts` from the network's facts. Kinds narrow the candidates: `entity`
(anything but ontology terms), `section`, `paragraph`, `class`, `property`, `status`; `any`
takes every resource.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Callable

from jjjkg.core.errors import AmbiguousEntity, UnknownEntity
from jjjkg.core.names import (
    REMOTE_NAMES_QUERY,
    TIERS,
    Candidate,
    NameIndex,
    fold,
    fold_name,
    keys,
    names_of_query,
    sparql_iri,
)
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
    """Candidates by IRI, and the one way to turn a name into one of them.

    From a list (the network's entities), a callable giving the list when something first
    needs it, with `one` giving one IRI's candidate until then (a remote endpoint: reading
    every name there takes seconds at a million triples, one IRI's a request), or from the
    build's index file (`index`), which is searched, not loaded, until something needs every
    name.
    """

    def __init__(
        self,
        candidates: list[Candidate] | Callable[[], list[Candidate]] | None = None,
        exists=None,
        index: NameIndex | None = None,
        one: Callable[[str], Candidate | None] | None = None,
    ):
        self._read = candidates if callable(candidates) else None
        self._all = None if candidates is None or self._read else _by_iri(candidates)
        self._index = index
        self._one = one
        self._exists = exists  # IRI -> bool for resources without names (None: names only)
        self._keys: dict[tuple[str, str], list[Candidate]] | None = None

    @property
    def by_iri(self) -> dict[str, Candidate]:
        """Every candidate by IRI, in IRI order (read in full from the index once)."""
        if self._all is None:
            self._all = _by_iri(self._read() if self._read else self._index.candidates())
        return self._all

    def _searched(self) -> bool:
        """Whether the index answers (every name not yet read from it)."""
        return self._all is None and self._index is not None

    def get(self, iri: str) -> Candidate | None:
        if self._searched():
            return self._index.candidate(iri)
        if self._all is None and self._one is not None:
            return self._one(iri)
        return self.by_iri.get(iri)

    def __contains__(self, iri: str) -> bool:
        return self.get(iri) is not None

    def containing(self, text: str) -> list[tuple[Candidate, bool]]:
        """(candidate, whether a key equals `text`) of those with a name, alternative name or
        slug (keys of `names.keys`) containing the folded `text`, in IRI order."""
        tiers = ("slug", "name", "alt")
        if self._searched():
            found = self._index.containing(tiers, text)
            return [(self._index.candidate(iri), found[iri]) for iri in sorted(found)]
        out = []
        for c in self.by_iri.values():
            words = [key for tier, key in keys(c) if tier in tiers and text in key]
            if text and words:
                out.append((c, text in words))
        return out

    def under(self, tier: str, key: str) -> list[Candidate]:
        """The candidates found under a key of `names.keys`, in IRI order."""
        if self._searched():
            return [self._index.candidate(iri) for iri in self._index.lookup(tier, key)]
        return self._table().get((tier, key), [])

    def _table(self) -> dict[tuple[str, str], list[Candidate]]:
        """Every (tier, key) of `names.keys` → its candidates in IRI order, made once."""
        if self._keys is None:
            self._keys = {}
            for c in self.by_iri.values():
                for found in keys(c):
                    self._keys.setdefault(found, []).append(c)
        return self._keys

    def _having(self, text: str, starting: bool = False) -> set[str]:
        """The IRIs of the candidates with a key of TIERS containing `text` (or starting so)."""
        return {
            c.iri
            for (tier, key), found in self._table().items()
            if tier in TIERS and (key.startswith(text) if starting else text in key)
            for c in found
        }

    def resolve(self, text: str, kind: str = "entity", accept=None) -> str:
        """The IRI `text` names; UnknownEntity or AmbiguousEntity (exit 2) otherwise.
        `accept`: a test a candidate must pass too (`kind` narrows by type alone)."""
        if accept is not None:
            fits = lambda c: c.is_kind(kind) and accept(c)  # noqa: E731
        else:
            fits = lambda c: c.is_kind(kind)  # noqa: E731
        wanted = text.strip()
        word = "class" if kind == "class" else "entity"
        if not wanted:
            raise UnknownEntity(f"no {word} name given")
        iri = _as_iri(wanted)
        if iri is not None:
            found = self.get(iri)
            if found is not None and fits(found):
                return iri
            if found is None and kind == "any" and self._exists and self._exists(iri):
                return iri
            raise self.unknown(fits, wanted, word)
        for found in self._matches(wanted, kind, fits):
            if len(found) == 1:
                return found[0].iri
            if found:
                listed = ", ".join(f"{shorten(c.iri)} ({c.name('zh')})" for c in found[:8])
                raise AmbiguousEntity(f"ambiguous {word} '{wanted}': {listed}")
        raise self.unknown(fits, wanted, word)

    def _matches(self, wanted: str, kind: str, fits):
        """The candidates that `fits` each tier matches, strongest tier first (a section or
        paragraph by its number before any name)."""
        if re.fullmatch(r"[spSP]?\d+", wanted) and kind in ("section", "paragraph"):
            number = str(int(wanted.lstrip("spSP")))
            yield [c for c in self.under("number", number) if fits(c)]
        folded = fold_name(wanted)
        for tier in TIERS:
            yield [c for c in self.under(tier, folded) if fits(c)]

    def nearby(self, text: str, most: int = 2000, budget: int = 50_000) -> list[Candidate]:
        """What "did you mean" compares `text` with, in IRI order: the candidates with a key
        starting as `text` starts (its longest start any key has, the first `most` such keys
        of each tier), and at most `most` sharing the most two-character pieces with it. In
        the index the rarest pieces are looked for first, stopping once `budget` lines
        matched, so this costs about the same in a million names as in a thousand."""
        start = [c.iri for c in self._starting(text, most)]
        pieces = sorted({text[i : i + 2] for i in range(len(text) - 1)} or {text})
        shared: Counter[str] = Counter()
        if self._searched():
            counts = {piece: self._index.count(piece, budget + 1) for piece in pieces if piece}
            spent = 0
            for piece in sorted(counts, key=lambda p: (counts[p], p)):
                if spent and spent + counts[piece] > budget:
                    break
                spent += counts[piece]
                shared.update(self._index.containing(TIERS, piece).keys())
        else:
            for piece in filter(None, pieces):
                shared.update(self._having(piece))
        best = sorted(shared, key=lambda iri: (-shared[iri], iri))[:most]
        return [self.get(iri) for iri in sorted({*start, *best})]

    def _starting(self, text: str, most: int) -> list[Candidate]:
        for end in range(len(text), 0, -1):
            if self._searched():
                found = [self.get(iri) for iri in self._index.starting(TIERS, text[:end], most)]
            else:
                starts = sorted(self._having(text[:end], starting=True))
                found = [self.by_iri[iri] for iri in starts[:most]]
            if found:
                return found
        return []

    def unknown(self, fits, wanted: str, word: str) -> UnknownEntity:
        """UnknownEntity naming the candidates that `fits` whose names are nearest to
        `wanted`."""
        lang = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in wanted) else "en"
        folded = wanted.casefold()
        # a prefixed name or IRI is compared by its local part: `jfac:tianjin-port`
        probe = re.split(r"[:/#]", folded.strip("<>"))[-1] if _as_iri(wanted) else folded
        keys: dict[str, Candidate] = {}
        for c in self.nearby(fold_name(probe)):
            if not fits(c):
                continue
            local = slug(c.iri).split("/", 1)[-1].removeprefix("jjj:")
            for key in (c.zh, c.en, shorten(c.iri), slug(c.iri), local, *c.alt):
                if key:
                    keys.setdefault(key.casefold(), c)
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


# -- where the candidates come from --


def names_from_store(store) -> Names:
    """Every resource of the built dataset with a name or a type (asserted triples): from
    `dist/names.tsv` for the built dataset (searched, not read), from the answer of a
    remote endpoint (one IRI's names asked for alone, every name once a name needs them)."""

    def exists(iri: str) -> bool:
        term = sparql_iri(iri)
        if term is None:
            return False
        # a SELECT, not an ASK: a remote endpoint's label lookup reads SELECT results only
        text = (
            f"SELECT ?p WHERE {{ {{ {term} ?p ?o }} UNION {{ ?s ?p {term} }} "
            f"UNION {{ ?s {term} ?o }} }} LIMIT 1"
        )
        try:
            return any(True for _ in store.query(text))
        except (SyntaxError, ValueError):
            return False

    def one(iri: str) -> Candidate | None:
        text = names_of_query(iri)
        return next(iter(fold(store.query(text))), None) if text else None

    if hasattr(store, "dist"):
        return Names(None, exists, NameIndex(require(store.dist, (NAMES,)) / NAMES))
    # a remote endpoint's lookup takes SPARQL text
    return Names(lambda: fold(store.query(REMOTE_NAMES_QUERY)), exists, one=one)


def _by_iri(candidates: list[Candidate]) -> dict[str, Candidate]:
    return {c.iri: c for c in sorted(candidates, key=lambda c: c.iri)}


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
