"""jjjkg: a knowledge graph of Beijing–Tianjin–Hebei (京津冀) coordinated development.

The library in one import. Every function takes the project folder (`root`, default ".")
and builds dist/ first when a source changed; errors are `jjjkg.core.errors.JjjkgError`.

>>> import jjjkg
>>> jjjkg.build().triples > 0
True
>>> jjjkg.query("SELECT ?zh WHERE { jorg:cnooc skos:prefLabel ?zh FILTER(LANG(?zh) = 'zh') }")
[{'zh': '中海油@zh'}]
>>> jjjkg.query("park-enterprise-counts")[0]["enterprises"]
4900
>>> jjjkg.query("ASK { jinfra:jinxing-intercity jjj:hasStatus jstat:in-operation }")
True
>>> jjjkg.export("ttl")[:7]
b'@prefix'
>>> store = jjjkg.open_store()          # the read-only Oxigraph view of dist/
>>> ds = jjjkg.load()                   # the rdflib Dataset view, one graph per sentence
>>> len(ds.graph(jjjkg.core.terms.INFERRED_GRAPH)) > 0
True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rdflib import Dataset

    from jjjkg.dist.store import Store
    from jjjkg.pipeline.build import BuildResult

__all__ = ["build", "ensure_built", "load", "open_store", "query", "dataframe", "export"]


def build(root: Path | str = ".", dist: Path | str | None = None, force: bool = False, **options):
    """Build dist/ (a no-op when it is up to date): a `BuildResult` with counts and timings.

    `options`: `reasoner` ("rules" or "owlrl"), `progress` (a callable taking one-line notes).
    """
    from jjjkg.pipeline.build import build as run

    result: BuildResult = run(Path(root), _path(dist), force=force, **options)
    return result


def ensure_built(root: Path | str = ".", dist: Path | str | None = None) -> Path:
    """The dist/ folder of `root`, built first if it is missing or stale."""
    from jjjkg.dist import ensure_built as ensure

    return ensure(Path(root), _path(dist))


def load(root: Path | str = ".", dist: Path | str | None = None) -> Dataset:
    """The built graph as an rdflib Dataset: one named graph per sentence, plus the catalogue,
    background, source, vocabulary, ontology and inferred graphs."""
    from jjjkg.dist.dataset import load_built

    return load_built(ensure_built(root, dist))


def open_store(root: Path | str = ".", dist: Path | str | None = None) -> Store:
    """The built graph as a read-only Oxigraph store (`.query(sparql)`)."""
    from jjjkg.dist.store import open_store as open_

    return open_(ensure_built(root, dist))


def query(
    name_or_sparql: str,
    root: Path | str = ".",
    dist: Path | str | None = None,
    inferred: bool = True,
    **bind: object,
):
    """Run a named query (`queries/NAME.rq`) or SPARQL text; `bind` sets variables, names
    resolved as `--bind` resolves them (`query("entity-claims", entity="中海油")`).

    SELECT gives a list of dicts (variable → str, int or float; unbound variables left out),
    ASK a bool, CONSTRUCT a list of (subject, predicate, object) tuples of text.
    """
    from jjjkg.readers import query as queries

    _, _, result = queries.answer_of(root, dist, name_or_sparql, bind, inferred)
    if result.kind == "ask":
        return result.boolean
    if result.kind == "graph":
        return [tuple(queries.term_text(t) for t in triple) for triple in result.triples]
    return [
        {
            var: _value(term)
            for var, term in zip(result.variables, row, strict=True)
            if term is not None
        }
        for row in result.rows
    ]


def dataframe(name_or_sparql: str, lang: str | None = None, **options):
    """A query's answer as a pandas DataFrame (pandas: `pip install 'jjjkg[pandas]'`): numbers
    as numbers, and with `lang` ("zh" or "en") a name column beside each IRI column. `options`:
    `root`, `dist`, and variable bindings. See `jjjkg.readers.frame.dataframe`."""
    from jjjkg.readers.frame import dataframe as frame

    return frame(name_or_sparql, lang, **options)


def export(
    fmt: str, root: Path | str = ".", dist: Path | str | None = None, inferred: bool = False
) -> bytes:
    """The built graph in export format `fmt` (see `jjjkg export --help`), as bytes."""
    from jjjkg.readers import export as exporter

    return exporter.export(ensure_built(root, dist), exporter.check_format(fmt), inferred=inferred)


def _path(value: Path | str | None) -> Path | None:
    return None if value is None else Path(value)


def _value(term) -> str | int | float:
    """A result term as a plain Python value: numbers as numbers (a whole decimal as an int),
    IRIs as prefixed names, text with its language tag."""
    from jjjkg.readers.query import term_text

    text = term_text(term)
    datatype = getattr(getattr(term, "datatype", None), "value", "")
    if datatype.endswith(("#integer", "#int", "#long")):
        return int(text)
    if datatype.endswith(("#decimal", "#double", "#float")):
        number = float(text)
        return int(number) if number.is_integer() and "." not in text else number
    return text
