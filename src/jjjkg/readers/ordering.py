"""A SELECT's final ORDER BY done here, for queries on the on-disk store.

pyoxigraph (to 0.5.13 at least) decodes both sort keys from the store at every comparison
of an ORDER BY; on the RocksDB store that is most of some queries' time (`all-figures` at 1M:
5.9 s, 3.2 s without its ORDER BY). So a query whose last clause is `ORDER BY` over plain
variables runs without it, and its rows are sorted here, each key read once, by Oxigraph's
rules: unbound < blank nodes < IRIs < literals; nodes by their text; xsd:integer and
xsd:decimal by value; strings, language strings and literals of other vocabularies by
(lexical form, datatype, language). Where a column holds literals those rules do not cover
(dates, booleans, doubles, numbers beside text...), or the answer has more than
`MOST_ROWS` rows, `sorted_answer` gives None and the caller runs the query again with its
ORDER BY, for Oxigraph to sort (none of the library's queries does at 1M). Rows whose
keys are equal may come in another order than Oxigraph's (its sort is not stable either).
"""

from __future__ import annotations

import re
from decimal import Decimal
from itertools import islice

import pyoxigraph as ox

from jjjkg.core.terms import RDF_LANGSTRING, XSD

MOST_ROWS = 500_000  # above this, Oxigraph sorts (rows held here cost far more memory)

# Strings and comments (blanked, so a brace or keyword inside them is not seen) and IRIs
# (kept: a '#' in an IRI starts no comment).
_SKIPPED = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n]*",
    re.DOTALL,
)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)
_CONDITION = re.compile(r"\s*(?:(ASC|DESC)\s*\(\s*[?$](\w+)\s*\)|[?$](\w+))", re.IGNORECASE)
_INTEGER = re.compile(r"[+-]?\d{1,18}")
_DECIMAL = re.compile(r"[+-]?(\d{1,20}(\.\d{0,18})?|\.\d{1,18})")
_TEXT_TYPES = {XSD + "string", RDF_LANGSTRING}


def _blanked(text: str) -> str:
    return _SKIPPED.sub(lambda m: m[0] if m[0][0] == "<" else " " * len(m[0]), text)


def split_order(text: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """(the query without its final ORDER BY, [(variable, ascending)]), or None when the
    query does not end with an ORDER BY over plain variables (a LIMIT or OFFSET after it,
    an expression, a VALUES block after the query...)."""
    code = _blanked(text)
    close = code.rfind("}")
    order = _ORDER_BY.search(code, close + 1) if close >= 0 else None
    if order is None:
        return None
    conditions, end = [], order.end()
    while condition := _CONDITION.match(code, end):
        direction, inner, bare = condition.groups()
        conditions.append((inner or bare, (direction or "ASC").upper() == "ASC"))
        end = condition.end()
    if not conditions or code[end:].strip():
        return None
    return text[: order.start()] + text[end:], conditions


def _column_keys(terms: list) -> list | None:
    """Sort keys of one column's terms, or None where Oxigraph's order is not reproduced."""
    keys, families = [], set()
    for term in terms:
        if term is None:
            keys.append((0, ""))
        elif isinstance(term, ox.BlankNode):
            keys.append((1, term.value))
        elif isinstance(term, ox.NamedNode):
            keys.append((2, term.value))
        elif isinstance(term, ox.Literal):
            datatype = term.datatype.value
            if datatype == XSD + "integer" and _INTEGER.fullmatch(term.value):
                families.add("number")
                keys.append((3, int(term.value)))
            elif datatype == XSD + "decimal" and _DECIMAL.fullmatch(term.value):
                families.add("number")
                keys.append((3, Decimal(term.value)))
            elif datatype in _TEXT_TYPES or not datatype.startswith(XSD):
                families.add("text")
                keys.append((3, (term.value, datatype, term.language or "")))
            else:
                return None
        else:  # a triple term
            return None
    return keys if len(families) <= 1 else None


class SortedAnswer:
    """A SELECT answer sorted here; iterates its rows (tuples) as pyoxigraph's solutions."""

    def __init__(self, variables: list[ox.Variable], rows: list[tuple]):
        self.variables, self.rows = variables, rows

    def __iter__(self):
        return iter(self.rows)


def sorted_answer(answer, conditions: list[tuple[str, bool]]) -> SortedAnswer | None:
    """`answer` (of the query without its ORDER BY) sorted by `conditions`, or None: not a
    SELECT, a variable not selected, more than MOST_ROWS rows, or literals not covered."""
    if not isinstance(answer, ox.QuerySolutions):
        return None
    names = [variable.value for variable in answer.variables]
    if any(name not in names for name, _ in conditions):
        return None
    rows = [tuple(solution) for solution in islice(answer, MOST_ROWS + 1)]
    if len(rows) > MOST_ROWS:
        return None
    order = list(range(len(rows)))
    for name, ascending in reversed(conditions):  # stable sorts, last key first
        keys = _column_keys([row[names.index(name)] for row in rows])
        if keys is None:
            return None
        order.sort(key=keys.__getitem__, reverse=not ascending)
    return SortedAnswer(answer.variables, [rows[i] for i in order])
