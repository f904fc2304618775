"""Answers written as they come: CSV, TSV, JSON and N-Triples rows in constant memory.

`stream` runs a query (as `jjjkg.readers.query.execute` does: read-only, in a worker thread,
with a timeout) and writes each row to `out` as Oxigraph yields it, `offset` rows skipped and
at most `limit` written. The bytes are those `render` writes for the whole answer, with two
differences a long answer needs: a column gets its `VARLabel` column (with `--lang`) when an
IRI shows in the first `BATCH` rows, and N-Triples come in the engine's order, not sorted
(sorting or removing duplicates would hold every triple), except a page of them
(`--limit`/`--offset`): that is a page of the sorted set, the same from run to run.
"""

from __future__ import annotations

import csv
import io
import json
import re
from itertools import islice
from typing import BinaryIO

import pyoxigraph as ox

from jjjkg.core.errors import QueryError
from jjjkg.core.terms import XSD
from jjjkg.readers.query import (
    DEFAULT_TIMEOUT,
    NamedQuery,
    in_worker,
    page,
    page_triples,
    refuse_updates,
)
from jjjkg.readers.render import cell, iris, labels, plain

FORMATS = ("csv", "tsv", "json", "nt")
# The literals TSV writes bare, as Turtle does (and Oxigraph's writer): {datatype: lexical form}
_BARE = {
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    XSD + "double": re.compile(r"[+-]?(\d+\.\d*[eE][+-]?\d+|\.?\d+[eE][+-]?\d+)"),
    XSD + "boolean": re.compile(r"true|false"),
}
BATCH = 1000  # rows per label look-up (and the rows that decide which columns get names)


def w3c_value(term, fmt: str) -> str:
    """A term as W3C SPARQL CSV (plain text) or TSV (N-Triples syntax) writes it."""
    if term is None:
        return ""
    if fmt == "tsv":
        if isinstance(term, ox.Literal):
            bare = _BARE.get(term.datatype.value)
            if bare is not None and bare.fullmatch(term.value):
                return term.value
        return str(term)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def _batches(solutions, offset: int, limit: int | None):
    rows = page(solutions, limit, offset)
    while batch := [tuple(s) for s in islice(rows, BATCH)]:
        yield batch


class _Writer:
    """Writes the rows of one SELECT answer in `fmt`, batch by batch."""

    def __init__(self, out: BinaryIO, fmt: str, variables: list[str], store, lang):
        self.out, self.fmt, self.variables, self.store = out, fmt, variables, store
        self.lang = lang if lang not in (None, "none") else None
        self.named: list[int] | None = None  # columns with a VARLabel, fixed by batch one
        self.items = 0
        buffer = self.buffer = io.StringIO()
        delimiter = "\t" if fmt == "tsv" else ","
        self.csv = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")

    def header(self, first: list[tuple]) -> None:
        if self.lang is not None or self.fmt == "json":
            self.named = [i for i in range(len(self.variables)) if iris(r[i] for r in first)]
        if self.fmt == "json":
            self.out.write(b"[")
            return
        if self.lang is None:
            if self.fmt == "csv":
                self.out.write((",".join(self.variables) + "\r\n").encode())
            else:
                self.out.write(("\t".join(f"?{v}" for v in self.variables) + "\n").encode())
            return
        header: list[str] = []
        for i, var in enumerate(self.variables):
            header += [var, f"{var}Label"] if i in self.named else [var]
        self._delimited([header])

    def rows(self, batch: list[tuple]) -> None:
        if self.lang is None and self.fmt == "tsv":
            text = "".join("\t".join(w3c_value(t, "tsv") for t in row) + "\n" for row in batch)
            self.out.write(text.encode())
            return
        if self.lang is None and self.fmt == "csv":
            self._delimited([[w3c_value(t, "csv") for t in row] for row in batch])
            return
        names = labels(self.store, iris(t for row in batch for t in row), self.lang or "none")
        out = []
        for row in batch:
            values: list = []
            for i, term in enumerate(row):
                values.append(plain(term))
                if self.lang is not None and i in self.named:
                    values.append(cell(term, names) if isinstance(term, ox.NamedNode) else None)
            out.append(values)
        if self.fmt != "json":
            self._delimited([["" if v is None else v for v in row] for row in out])
            return
        header = self._json_header()
        for values in out:
            item = {k: v for k, v in zip(header, values, strict=True) if v is not None}
            text = json.dumps(item, ensure_ascii=False, indent=1).replace("\n", "\n ")
            self.out.write((",\n " if self.items else "\n ").encode() + text.encode())
            self.items += 1

    def _json_header(self) -> list[str]:
        header: list[str] = []
        for i, var in enumerate(self.variables):
            named = self.lang is not None and i in self.named
            header += [var, f"{var}Label"] if named else [var]
        return header

    def _delimited(self, rows: list[list]) -> None:
        self.csv.writerows(rows)
        self.out.write(self.buffer.getvalue().encode())
        self.buffer.seek(0)
        self.buffer.truncate()

    def end(self) -> None:
        if self.fmt == "json":
            self.out.write(b"\n]\n" if self.items else b"]\n")


def stream(
    store,
    query: NamedQuery,
    out: BinaryIO,
    fmt: str,
    binds: dict[str, object] | None = None,
    lang: str | None = None,
    inferred: bool = True,
    timeout: float | None = DEFAULT_TIMEOUT,
    limit: int | None = None,
    offset: int = 0,
) -> int:
    """Run `query` and write its answer to `out` in `fmt` (one of FORMATS) as rows come;
    the number of rows (or triples) written. A timeout stops it mid-answer (QueryError)."""
    refuse_updates(query.text, query.source)
    return in_worker(
        store,
        query,
        binds,
        inferred,
        timeout,
        lambda results: write_answer(results, out, fmt, store, lang, limit, offset),
        rows=True,
    )


def write_answer(
    results, out: BinaryIO, fmt: str, store, lang=None, limit=None, offset: int = 0
) -> int:
    """Write a pyoxigraph answer (local, or read from an endpoint) to `out` in `fmt`, a page
    of it with `limit` and `offset`; the number of rows (or triples) written. `store` gives
    the labels (anything `render.labels` reads)."""
    if isinstance(results, ox.QueryBoolean):
        if fmt == "json":
            out.write(f'{{"boolean": {"true" if results else "false"}}}\n'.encode())
            return 1
        raise QueryError(f"--format {fmt} is not for ASK queries; use table, json, srj or srx")
    if isinstance(results, ox.QueryTriples):
        if fmt != "nt":
            raise QueryError(f"--format {fmt} is not for CONSTRUCT queries; use ttl, nt or table")
        written = 0
        for triple in page_triples(results, limit, offset):
            out.write(f"{triple.subject} {triple.predicate} {triple.object} .\n".encode())
            written += 1
        return written
    if fmt == "nt":
        raise QueryError(
            "--format nt is for CONSTRUCT queries; use table, csv, tsv, json, srj or srx"
        )
    writer = _Writer(out, fmt, [v.value for v in results.variables], store, lang)
    written = 0
    for n, batch in enumerate(_batches(results, offset, limit)):
        if n == 0:
            writer.header(batch)
        writer.rows(batch)
        written += len(batch)
    if written == 0:
        writer.header([])
    writer.end()
    return written
