"""Query results as text: tables, labelled CSV/TSV, JSON, Turtle and N-Triples.

A table never cuts a cell. Given a width (`--max-width N`, or the terminal's) it wraps the
widest columns onto more lines until the table fits; piped, every cell is whole. With a
language, CSV, TSV and JSON get a name column (`?xLabel`, the Wikidata habit) beside each
column holding IRIs; without one, csv/tsv are W3C SPARQL results (written by pyoxigraph).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import unicodedata

import pyoxigraph as ox

from jjjkg.core.errors import QueryError
from jjjkg.core.terms import PREFIXES, RDFS_LABEL, SKOS_PREF, XSD, shorten

INTEGER_TYPES = {XSD + t for t in ("integer", "int", "long", "short", "nonNegativeInteger")}
DECIMAL_TYPES = {XSD + t for t in ("decimal", "double", "float")}
MIN_WRAP = 8  # display columns below which a column is not narrowed further
_NO_LINE_START = "。，、；：？！）》」』”’"


@functools.lru_cache(maxsize=1 << 16)
def display_width(text: str) -> int:
    """Terminal columns of `text`: wide and full-width (CJK) characters count 2.

    Same answers as wcwidth.wcswidth for the text in this graph, without its import cost.
    (A table of a large answer measures millions of characters, most of them in names that
    repeat: ASCII text is its length, each other text and character is measured once.)
    """
    if text.isascii():
        return len(text)
    width = 0
    for char in text:
        columns = _CHAR_COLUMNS.get(char)
        if columns is None:
            columns = _CHAR_COLUMNS[char] = _columns(char)
        width += columns
    return width


_CHAR_COLUMNS: dict[str, int] = {}


def _columns(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, broken at a space inside Latin words."""
    lines = []
    while display_width(text) > width:
        cut, used = 0, 0
        for char in text:
            used += display_width(char)
            if used > width:
                break
            cut += 1
        while 1 < cut < len(text) and text[cut] in _NO_LINE_START:
            cut -= 1  # a CJK full stop or comma does not open a line
        pair = text[max(cut - 1, 0) : cut + 1]
        if cut and pair.isascii() and " " not in pair:  # inside a Latin word: break before it
            space = text.rfind(" ", 0, cut)
            cut = space + 1 if space > 0 else cut
        lines.append(text[: max(cut, 1)].rstrip())
        text = text[max(cut, 1) :].lstrip()
    return [*lines, text]


LABEL_BATCH = 500  # IRIs per remote label query (one VALUES ?s, one UNION of two patterns)


def label_query(iris: list[str]) -> str:
    """One label query for a batch of IRIs: a VALUES join on ?s, the predicates as a UNION.

    (Two VALUES blocks, one for ?s and one for ?p, make engines try every pair; Oxigraph
    then spends ~10 ms per IRI.)
    """
    values = " ".join(f"<{iri}>" for iri in iris)
    return (
        f"SELECT ?s ?p ?l WHERE {{ VALUES ?s {{ {values} }} "
        f"{{ ?s <{SKOS_PREF}> ?l BIND(<{SKOS_PREF}> AS ?p) }} UNION "
        f"{{ ?s <{RDFS_LABEL}> ?l BIND(<{RDFS_LABEL}> AS ?p) }} }}"
    )


def label_triples(store, iris: list[str]):
    """(subject, predicate, label) for `iris`: the store's own look-up (`label_triples`,
    index look-ups in `jjjkg.dist.store`), else batched label queries."""
    own = getattr(store, "label_triples", None)
    if own is not None:
        yield from own(iris)
        return
    for start in range(0, len(iris), LABEL_BATCH):
        for solution in store.query(label_query(iris[start : start + LABEL_BATCH])):
            yield solution[0], solution[1], solution[2]


def labels(store, iris: set[str], lang: str) -> dict[str, str]:
    """The label to show for each IRI: skos:prefLabel, else rdfs:label, in `lang` first.

    Time grows with the number of IRIs asked for, not with the size of the graph.
    """
    if lang == "none" or not iris:
        return {}
    best: dict[str, tuple[int, str]] = {}
    for s, p, label in label_triples(store, sorted(iris)):
        if not isinstance(label, ox.Literal):
            continue
        rank = (0 if label.language == lang else 2 if label.language else 4) + (
            0 if p.value == SKOS_PREF else 1
        )
        old = best.get(s.value)
        if old is None or (rank, label.value) < old:
            best[s.value] = (rank, label.value)
    return {iri: label for iri, (_, label) in best.items()}


def cell(term, names: dict[str, str] | None = None) -> str:
    """A term as a table cell: a label (or prefixed name) for an IRI, a literal's text."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return (names or {}).get(term.value) or shorten(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def table(
    header: list[str],
    rows: list[list[str]],
    right: set[int] | None = None,
    max_width: int | None = None,
) -> str:
    """Columns padded by display width, `right` ones right-aligned; cells wrapped to fit
    `max_width` columns in all (None: never wrapped, never cut)."""
    cells = [[" ".join(c.split()) for c in row] for row in [header, *rows]]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(header))]
    if max_width is not None:
        floor = [
            min(w, max(MIN_WRAP, display_width(h))) for w, h in zip(widths, header, strict=True)
        ]
        while sum(widths) + 2 * (len(widths) - 1) > max_width:
            widest = max(range(len(widths)), key=lambda i: (widths[i] - floor[i], i))
            if widths[widest] <= floor[widest]:
                break
            widths[widest] -= 1
    lines = []
    for n, row in enumerate(cells):
        wrapped = [wrap(c, widths[i]) for i, c in enumerate(row)]
        for k in range(max(len(parts) for parts in wrapped)):
            padded = []
            for i, parts in enumerate(wrapped):
                c = parts[k] if k < len(parts) else ""
                pad = " " * (widths[i] - display_width(c))
                padded.append(pad + c if n and i in (right or ()) else c + pad)
            lines.append("  ".join(padded).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def numeric_columns(rows: list[tuple]) -> set[int]:
    """Columns whose bound values are all numbers (they are right-aligned)."""
    numeric = INTEGER_TYPES | DECIMAL_TYPES
    found = set()
    for i in range(len(rows[0]) if rows else 0):
        terms = [row[i] for row in rows if row[i] is not None]
        if terms and all(isinstance(t, ox.Literal) and t.datatype.value in numeric for t in terms):
            found.add(i)
    return found


def iris(terms) -> set[str]:
    return {t.value for t in terms if isinstance(t, ox.NamedNode)}


def plain(term):
    """A term as a JSON value: IRI text, a number for numeric literals, else the text."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in INTEGER_TYPES:
            return int(term.value)
        if datatype in DECIMAL_TYPES:
            number = float(term.value)
            return int(number) if number.is_integer() and "." not in term.value else number
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def labelled(variables: list[str], rows: list[tuple], store, lang: str):
    """Header and rows of plain values, with `VARLabel` beside each column holding IRIs."""
    names = labels(store, iris(t for row in rows for t in row), lang)
    with_names = [i for i in range(len(variables)) if iris(row[i] for row in rows)]
    header: list[str] = []
    for i, var in enumerate(variables):
        header += [var, f"{var}Label"] if i in with_names else [var]
    out = []
    for row in rows:
        values: list = []
        for i, term in enumerate(row):
            values.append(plain(term))
            if i in with_names:
                values.append(cell(term, names) if isinstance(term, ox.NamedNode) else None)
        out.append(values)
    return header, out


def _delimited(header: list[str], rows: list[list], delimiter: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue().encode()


def used_prefixes(triples) -> dict[str, str]:
    """The prefixes the Turtle output needs: the one `shorten` picks for each IRI."""
    used = {shorten(t.value).partition(":")[0] for tr in triples for t in tr}
    return {name: ns for name, ns in PREFIXES.items() if name in used}


def sorted_triples(triples) -> list:
    return sorted(set(triples), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def render(
    result, fmt: str | None, store, lang: str | None = None, max_width: int | None = None
) -> bytes:
    """The output bytes of a query `Result` in `fmt` (None: table, or ttl for CONSTRUCT).

    `lang` None: tables in zh, and csv/tsv/json as plain W3C-style results (no names).
    """
    if result.serialized is not None:
        return result.serialized
    if result.kind == "graph":
        return _render_graph(result, fmt or "ttl", store, lang or "zh", max_width)
    fmt = fmt or "table"
    if result.kind == "ask":
        if fmt == "table":
            return f"{'true' if result.boolean else 'false'}\n".encode()
        if fmt == "json":
            return (f'{{"boolean": {"true" if result.boolean else "false"}}}\n').encode()
        raise QueryError(f"--format {fmt} is not for ASK queries; use table, json, srj or srx")
    if fmt == "table":
        names = labels(store, iris(t for row in result.rows for t in row), lang or "zh")
        rows = [[cell(t, names) for t in row] for row in result.rows]
        count = f"{len(rows)} row{'s' * (len(rows) != 1)}\n"
        right = numeric_columns(result.rows)
        return (table(result.variables, rows, right, max_width) + count).encode()
    if fmt in ("csv", "tsv", "json") and lang not in (None, "none"):
        header, rows = labelled(result.variables, result.rows, store, lang)
    elif fmt == "json":
        header, rows = result.variables, [[plain(t) for t in row] for row in result.rows]
    else:
        header, rows = None, None
    if fmt == "json":
        items = [{k: v for k, v in zip(header, row, strict=True) if v is not None} for row in rows]
        return json.dumps(items, ensure_ascii=False, indent=1).encode() + b"\n"
    if fmt in ("csv", "tsv") and header is not None:
        return _delimited(header, rows, "," if fmt == "csv" else "\t")
    raise QueryError(
        f"--format {fmt} is for CONSTRUCT queries; use table, csv, tsv, json, srj or srx"
    )


def _render_graph(result, fmt: str, store, lang: str, max_width: int | None) -> bytes:
    triples = sorted_triples(result.triples)
    if fmt == "ttl":
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used_prefixes(triples))
    if fmt == "nt":
        return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    if fmt == "table":
        names = labels(store, iris(t for tr in triples for t in tr), lang)
        rows = [[cell(t, names) for t in tr] for tr in triples]
        count = f"{len(rows)} triple{'s' * (len(rows) != 1)}\n"
        return (table(["subject", "predicate", "object"], rows, None, max_width) + count).encode()
    raise QueryError(f"--format {fmt} is not for CONSTRUCT queries; use ttl, nt or table")
