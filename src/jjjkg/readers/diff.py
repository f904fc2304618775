"""What changed between two builds: counts, and the claims added or removed per paragraph.

A claim is a triple of an article graph. Today each paragraph has its own graph; with
sentence-level provenance each sentence has one, linked to its paragraph by
`jjj:inParagraph`. Either way a claim is filed under its paragraph (the graph itself when it
is a `jjj:Paragraph`, else its `jjj:inParagraph`), so moving claims from paragraph graphs into
sentence graphs changes no claim. Blank nodes have no identity across builds: a claim is
compared with each blank node as `[]`. Other graphs (catalogue, background, ontology, ...)
are compared by their triple counts.

`against_revision` builds a git revision of the project, from `git archive`, in a temporary
folder: the user's tree and its dist/ are never touched.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from jjjkg.core.errors import SourceError
from jjjkg.core.terms import (
    INFERRED_GRAPH,
    JJJ_IN_PARAGRAPH,
    JJJ_PARAGRAPH,
    RDF_TYPE,
    RDFS_LABEL,
    SKOS_PREF,
    short,
)

NQ_FILE = "jjjkg.nq"
BLANK = "[]"

Triple = tuple[str, str, str]


@dataclass
class Build:
    """One built dataset, read for comparison."""

    dist: Path
    store: ox.Store
    version: str | None
    claims: dict[str, set[Triple]] = field(default_factory=dict)  # paragraph → claims
    others: dict[str, int] = field(default_factory=dict)  # other graph → triples

    def total(self) -> int:
        return len(self.store)

    def inferred(self) -> int:
        return self.others.get(INFERRED_GRAPH, 0)

    def entities(self) -> int:
        from jjjkg.core.counts import entity_classes

        return entity_classes(self.store)[0]


def _key(term) -> str:
    return BLANK if isinstance(term, ox.BlankNode) else str(term)


def read_build(dist: Path) -> Build:
    """Load `dist/jjjkg.nq` and sort its triples into claims per paragraph and other graphs."""
    dist = Path(dist)
    path = dist / NQ_FILE
    if not path.is_file():
        raise SourceError("no built dataset here (no jjjkg.nq)", str(dist))
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    try:
        manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    build = Build(dist, store, (manifest.get("dataset") or {}).get("version"))
    paragraph_of: dict[str, str] = {}
    rows = store.query(
        f"SELECT ?g ?p WHERE {{ GRAPH ?any {{ {{ ?g <{RDF_TYPE}> <{JJJ_PARAGRAPH}> "
        f"BIND(?g AS ?p) }} UNION {{ ?g <{JJJ_IN_PARAGRAPH}> ?p }} }} }}"
    )
    for graph, paragraph in rows:
        paragraph_of.setdefault(graph.value, paragraph.value)
    for graph in store.named_graphs():
        quads = store.quads_for_pattern(None, None, None, graph)
        paragraph = paragraph_of.get(graph.value)
        if paragraph is None:
            build.others[graph.value] = sum(1 for _ in quads)
        else:
            claims = build.claims.setdefault(paragraph, set())
            claims.update((_key(q.subject), _key(q.predicate), _key(q.object)) for q in quads)
    return build


@dataclass
class Diff:
    old: Build
    new: Build
    added: dict[str, list[Triple]]
    removed: dict[str, list[Triple]]


def compare(old: Build, new: Build) -> Diff:
    added, removed = {}, {}
    for paragraph in sorted(set(old.claims) | set(new.claims)):
        before, after = old.claims.get(paragraph, set()), new.claims.get(paragraph, set())
        if after - before:
            added[paragraph] = sorted(after - before)
        if before - after:
            removed[paragraph] = sorted(before - after)
    return Diff(old, new, added, removed)


def diff_dists(old: Path, new: Path) -> Diff:
    return compare(read_build(old), read_build(new))


# -- names --


class Names:
    """Labels of IRIs in a language, looked up in the new build, then the old."""

    def __init__(self, builds: list[Build], lang: str):
        self.builds, self.lang, self.cache = builds, lang, {}

    def label(self, iri: str) -> str | None:
        if iri not in self.cache:
            self.cache[iri] = next(
                (
                    found
                    for b in self.builds
                    for p in (SKOS_PREF, RDFS_LABEL)
                    if (found := self._in(b, iri, p))
                ),
                None,
            )
        return self.cache[iri]

    def _in(self, build: Build, iri: str, predicate: str) -> str | None:
        quads = build.store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(predicate), None)
        texts = [q.object.value for q in quads if getattr(q.object, "language", None) == self.lang]
        return min(texts) if texts else None

    def term(self, text: str) -> str:
        """A readable form of a term written as N-Triples: a label, a literal's text, `[]`."""
        if text == BLANK:
            return BLANK
        if text.startswith("<"):
            iri = text[1:-1]
            return self.label(iri) or short(iri)
        for quad in ox.parse(f"<x:s> <x:p> {text} .".encode(), ox.RdfFormat.N_TRIPLES):
            return quad.object.value
        return text


# -- the text report --


def _change(old: int, new: int) -> str:
    delta = new - old
    return f"{old} → {new}" + (f" ({delta:+d})".replace("-", "−") if delta else "")


def report_lines(diff: Diff, lang: str = "zh") -> list[str]:
    old, new = diff.old, diff.new
    names = Names([new, old], lang)
    lines = []
    if old.version or new.version:
        lines.append(f"version   {old.version or '-'} → {new.version or '-'}")
    lines.append(f"triples   {_change(old.total(), new.total())}")
    lines.append(f"  inferred {_change(old.inferred(), new.inferred())}")
    lines.append(f"entities  {_change(old.entities(), new.entities())}")
    count = sum(len(c) for c in old.claims.values()), sum(len(c) for c in new.claims.values())
    plus, minus = sum(map(len, diff.added.values())), sum(map(len, diff.removed.values()))
    changed = sorted(set(diff.added) | set(diff.removed))
    lines.append(
        f"claims    {_change(*count)} in {len(new.claims)} paragraphs: "
        f"+{plus} −{minus} in {len(changed)} paragraph{'s' * (len(changed) != 1)}"
    )
    for paragraph in changed:
        name = names.label(paragraph)
        lines.append("")
        lines.append(f"{short(paragraph)}  {name}" if name else short(paragraph))
        for sign, triples in (("+", diff.added), ("−", diff.removed)):
            for s, p, o in triples.get(paragraph, []):
                lines.append(f"  {sign} {names.term(s)}  {names.term(p)}  {names.term(o)}")
    others = sorted(set(old.others) | set(new.others))
    moved = [g for g in others if old.others.get(g, 0) != new.others.get(g, 0)]
    if moved:
        lines.append("")
        lines.append("other graphs (triples)")
        width = max(len(short(g)) for g in moved)
        for graph in moved:
            before, after = old.others.get(graph, 0), new.others.get(graph, 0)
            lines.append(f"  {short(graph):<{width}}  {_change(before, after)}")
    return lines


# -- a revision, built aside --


def _git(root: Path, *args: str, text: bool = True):
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=text)
    except OSError as exc:
        raise SourceError(f"git is not available: {exc.strerror}") from None
    if done.returncode != 0:
        error = done.stderr if text else done.stderr.decode("utf-8", "replace")
        message = (error.strip().splitlines() or ["git failed"])[0].removeprefix("fatal: ")
        raise SourceError(message)
    return done.stdout


@contextmanager
def revision_built(root: Path, revision: str) -> Iterator[Path]:
    """Build `revision` of the project at `root` in a temporary folder; yield its dist/."""
    from jjjkg.pipeline.build import build

    prefix = _git(root, "rev-parse", "--show-prefix").strip()
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").strip()
    except SourceError:
        raise SourceError(f"unknown git revision '{revision}'", str(root)) from None
    tree = f"{commit}:{prefix}" if prefix else commit
    data = _git(root, "archive", "--format=tar", tree, text=False)
    with tempfile.TemporaryDirectory(prefix="jjjkg-diff-") as folder:
        source = Path(folder) / "source"
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            if hasattr(tarfile, "data_filter"):  # Python 3.12, and 3.10.12 / 3.11.4 on
                archive.extractall(source, filter="data")
            else:
                archive.extractall(source)
        yield build(source, Path(folder) / "dist").dist
