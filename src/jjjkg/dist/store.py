"""The fast query engine: pyoxigraph over the built dataset in dist/, read-only.

What a query sees:

- default graph, `inferred=True` (the default): the set union of every graph the build
  wrote, i.e. the ontology, all data graphs and `jjjr:graph/inferred`, loaded from
  `dist/jjjkg.ttl` (asserted union) and `dist/jjjkg-inferred.ttl`;
- default graph, `inferred=False` (`--asserted`): `dist/jjjkg.ttl` only (ontology and
  data graphs, no reasoner output);
- named graphs (for `GRAPH ?g { ... }`): every graph of `dist/jjjkg.nq` (paragraph graphs,
  catalogue, background, vocabulary, source, ontology; inferred only with `inferred=True`),
  and the data set's description `dist/void.ttl` in `jgraph:dataset`, as `jjjkg serve` has it.
  They are loaded only when the query text says GRAPH or FROM; a query with its own
  FROM / FROM NAMED clauses picks among them itself.

The default graph is loaded from the two Turtle files rather than from the union of the
named graphs because Oxigraph's union default graph is a bag: a triple stated in the
catalogue and again in a paragraph would match twice, and rdflib (and the SPARQL spec's
RDF merge) would see it once. The shapes graph is never in dist/ and so never queried.

Two ways to get there (`store_path`), chosen by measurement: the build's on-disk store
`dist/store/` (`jjjkg.pipeline.persist`, the same layout) opens read-only in milliseconds,
but each query on it is slower than in memory; parsing the files into memory costs tens of
milliseconds on the article and seconds at a million triples. So a process that runs a few
queries (`few_queries=True`: `jjjkg query`, `show`, `find`, `cite`) opens the on-disk store;
one that runs many (the facts behind `viz`, `path`, `rank`, `coverage`, and the library API)
parses into memory below the manifest's `store.memory_below` triples and opens the on-disk
store at or above it. `JJJKG_STORE=memory` or `=disk` forces one. The asserted view (`inferred=False`) is always
parsed into memory: the on-disk store's default graph holds the inferred triples.

Nothing here writes: the in-memory store is private, the on-disk one is opened read-only,
and only `query` is exposed, so SPARQL updates cannot reach dist/. Standard library and
pyoxigraph only (no rdflib).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pyoxigraph as ox

from jjjkg.core.project import DESCRIPTION, INFERRED_TTL, NQ, STORE, TTL, read_manifest
from jjjkg.core.terms import DATASET_GRAPH, INFERRED_GRAPH, PREFIXES, RDFS_LABEL, SKOS_PREF
from jjjkg.dist import require

NQ_FILE, ASSERTED_FILE, INFERRED_FILE = NQ, TTL, INFERRED_TTL
INFERRED_GRAPH_NODE = ox.NamedNode(INFERRED_GRAPH)
LABEL_PREDICATES = (ox.NamedNode(SKOS_PREF), ox.NamedNode(RDFS_LABEL))

_COMMENT = re.compile(r"(^|\s)#[^\n]*")
_GRAPH = re.compile(r"\bGRAPH\b", re.IGNORECASE)
_FROM = re.compile(r"\bFROM\s+(NAMED\s+)?[<\w]", re.IGNORECASE)


def _code(text: str) -> str:
    """The query text without its comments (roughly: good enough to spot keywords)."""
    return _COMMENT.sub(" ", text)


def needs_named_graphs(text: str) -> bool:
    """Whether a query may look at named graphs (a cheap, conservative text test)."""
    code = _code(text)
    return bool(_GRAPH.search(code) or _FROM.search(code))


def has_dataset_clause(text: str) -> bool:
    """Whether the query picks its own graphs with FROM / FROM NAMED."""
    return bool(_FROM.search(_code(text)))


class Store:
    """The built dataset of one dist/ folder, loaded on demand, queried read-only.

    One in-memory Oxigraph store per view, each filled only when a query needs it. The
    default graph is Oxigraph's own default graph, holding `jjjkg.ttl` and, in the view with
    inference, `jjjkg-inferred.ttl` too; the named graphs are those of `jjjkg.nq` (without
    `jgraph:inferred` in the asserted view). A query then sees one default graph and every
    named graph of its store, which Oxigraph evaluates far faster than a list of graphs
    (a large corpus has thousands of paragraph graphs).
    """

    def __init__(self, dist: Path, few_queries: bool = False):
        self.dist = Path(dist)
        require(self.dist, (NQ_FILE, ASSERTED_FILE, INFERRED_FILE))
        self._stores: dict[bool, ox.Store] = {}
        self._loaded: set[tuple[bool, str]] = set()
        self.disk_path = store_path(self.dist, few_queries)
        self._disk: ox.Store | None = None

    def _on_disk(self) -> ox.Store:
        if self._disk is None:
            self._disk = ox.Store.read_only(str(self.disk_path))
        return self._disk

    def _view(self, inferred: bool, parts: list[str]) -> ox.Store:
        store = self._stores.setdefault(inferred, ox.Store())
        for part in parts:
            if (inferred, part) in self._loaded:
                continue
            if part == "named":
                store.load(path=self.dist / NQ_FILE, format=ox.RdfFormat.N_QUADS, lenient=True)
                if not inferred:
                    store.remove_graph(INFERRED_GRAPH_NODE)
                if (self.dist / DESCRIPTION).is_file():  # as in dist/store/ and `jjjkg serve`
                    base = self.dist.resolve().as_uri() + "/"
                    store.load(
                        path=self.dist / DESCRIPTION,
                        format=ox.RdfFormat.TURTLE,
                        to_graph=ox.NamedNode(DATASET_GRAPH),
                        base_iri=base,
                    )
            else:  # "asserted" or "inferred" (lenient: our own build wrote them)
                store.load(
                    path=self.dist / (ASSERTED_FILE if part == "asserted" else INFERRED_FILE),
                    format=ox.RdfFormat.TURTLE,
                    lenient=True,
                )
            self._loaded.add((inferred, part))
        return store

    def query(
        self,
        text: str,
        inferred: bool = True,
        substitutions: dict[ox.Variable, object] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a SPARQL query (the shared prefixes predeclared); raises SyntaxError.

        The result is lazy: iterate or serialize it to do the work.
        """
        named = has_dataset_clause(text) or needs_named_graphs(text)
        if self.on_disk(inferred):
            # every graph of the store: passing a list of 30k graphs makes GRAPH ?g walk them
            return self._on_disk().query(
                text, prefixes=PREFIXES, substitutions=substitutions or None
            )
        parts = ["asserted", "inferred"] if inferred else ["asserted"]
        # FROM <g> names graphs, and they all come from jjjkg.nq
        if named:
            parts.append("named")
        store = self._view(inferred, parts)
        return store.query(text, prefixes=PREFIXES, substitutions=substitutions or None)

    def on_disk(self, inferred: bool = True) -> bool:
        """Whether a query of this view runs on `dist/store/` (else in memory)."""
        return inferred and self.disk_path is not None

    def named(self, inferred: bool = True) -> ox.Store:
        """The store holding every named graph of `jjjkg.nq` (read it, never change it)."""
        if self.on_disk(inferred):
            return self._on_disk()
        return self._view(inferred, ["named"])

    def default_quads(self, subject, predicate=None):
        """The quads of the default graph with inference (what a query sees without GRAPH)
        with this subject (and predicate), by index look-ups."""
        if self.disk_path is not None:
            store = self._on_disk()
        else:
            store = self._view(True, ["asserted", "inferred"])
        return store.quads_for_pattern(subject, predicate, None, ox.DefaultGraph())

    def label_triples(self, iris: list[str]):
        """(subject, predicate, label) of each IRI's skos:prefLabel and rdfs:label in the
        default graph with inference, by index look-ups: time linear in len(iris)."""
        for iri in iris:
            node = ox.NamedNode(iri)
            for predicate in LABEL_PREDICATES:
                for quad in self.default_quads(node, predicate):
                    yield node, predicate, quad.object


def store_path(dist: Path, few_queries: bool = False) -> Path | None:
    """`dist/store/` when a reader should open it (see the module note), else None."""
    manifest = read_manifest(dist) or {}
    entry = manifest.get("store")
    path = Path(dist) / STORE
    if not entry or not path.is_dir():
        return None
    chosen = os.environ.get("JJJKG_STORE", "auto")
    if chosen == "memory":
        return None
    if chosen == "disk" or few_queries:
        return path
    total = manifest.get("triples", {}).get("total", 0)
    return path if total >= entry.get("memory_below", 0) else None


_cache: dict[tuple[str, int, bool], Store] = {}


def open_store(dist: Path, few_queries: bool = False) -> Store:
    """The Store of `dist`, reused while `dist/jjjkg.nq` is unchanged (same process);
    `few_queries`: this process runs only a few (see the module note)."""
    path = require(Path(dist)).resolve()
    key = (str(path), (path / NQ_FILE).stat().st_mtime_ns, few_queries)
    if key not in _cache:
        _cache.clear()
        _cache[key] = Store(path, few_queries)
    return _cache[key]
