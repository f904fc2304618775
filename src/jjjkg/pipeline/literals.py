"""Ill-typed literals: a value whose text is not in its XSD datatype's lexical space.

`"abc"^^xsd:decimal` parses (RDF allows it) and passes SHACL's `sh:datatype` in most engines,
then breaks every reader that computes with it. Oxigraph keeps such a literal as opaque text,
so the test is ours: the XSD 1.1 lexical rules as regular expressions (plus ranges of the
bounded integers and the days of each month), over every XSD-typed literal of the store. A
datatype in the XSD namespace that XSD does not define (`xsd:decmial`) is ill-typed too.
"""

from __future__ import annotations

import base64
import binascii
import re
from pathlib import Path
from typing import TYPE_CHECKING

from jjjkg.core.errors import Violation
from jjjkg.core.project import relative
from jjjkg.core.terms import XSD

if TYPE_CHECKING:
    import pyoxigraph as ox

_TZ = r"(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"-?([1-9]\d{3,}|0\d{3})"
_TIME = r"(([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?|24:00:00(\.0+)?)"
_DAYTIME = r"(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?"
_INTEGER = r"[+-]?\d+"
_FLOAT = r"[+-]?(\d+(\.\d*)?|\.\d+)([Ee][+-]?\d+)?|[+-]?INF|NaN"
_NAME = r"[A-Za-z_:\u00c0-\uffff][\w.\-:\u00b7\u00c0-\uffff]*"
_NORMALIZED = r"[^\t\n\r]*"

PATTERNS = {
    "string": r"[\s\S]*",
    "boolean": r"true|false|1|0",
    "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)",
    "integer": _INTEGER,
    "float": _FLOAT,
    "double": _FLOAT,
    "date": rf"{_YEAR}-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01]){_TZ}",
    "dateTime": rf"{_YEAR}-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])T{_TIME}{_TZ}",
    "dateTimeStamp": (
        rf"{_YEAR}-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])T{_TIME}"
        r"(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))"
    ),
    "time": rf"{_TIME}{_TZ}",
    "gYear": rf"{_YEAR}{_TZ}",
    "gYearMonth": rf"{_YEAR}-(0[1-9]|1[0-2]){_TZ}",
    "gMonth": rf"--(0[1-9]|1[0-2]){_TZ}",
    "gDay": rf"---(0[1-9]|[12]\d|3[01]){_TZ}",
    "gMonthDay": rf"--(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01]){_TZ}",
    "duration": rf"-?P(?=\d|T\d)(\d+Y)?(\d+M)?{_DAYTIME}",
    "yearMonthDuration": r"-?P(\d+Y(\d+M)?|\d+M)",
    "dayTimeDuration": rf"-?P(?=\d|T\d){_DAYTIME}",
    "hexBinary": r"([0-9a-fA-F]{2})*",
    "base64Binary": r"[A-Za-z0-9+/= ]*",
    "anyURI": r"[^\s<>\"{}|\\^`]*",
    "language": r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*",
    "normalizedString": _NORMALIZED,
    "token": r"([^\s]+( [^\s]+)*)?",
    "NMTOKEN": r"[\w.\-:\u00b7\u00c0-\uffff]+",
    "NMTOKENS": r"[\w.\-:\u00b7\u00c0-\uffff]+( [\w.\-:\u00b7\u00c0-\uffff]+)*",
    "Name": _NAME,
    "NCName": _NAME.replace(":", ""),
    "ID": _NAME.replace(":", ""),
    "IDREF": _NAME.replace(":", ""),
    "ENTITY": _NAME.replace(":", ""),
    "QName": rf"({_NAME.replace(':', '')}:)?{_NAME.replace(':', '')}",
}
# The bounded integer types: (lowest, highest), None for no bound.
RANGES = {
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-128, 127),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 255),
}
_COMPILED = {name: re.compile(pattern) for name, pattern in PATTERNS.items()}
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _in_range(text: str, low: int | None, high: int | None) -> bool:
    if not re.fullmatch(_INTEGER, text):
        return False
    if len(text.lstrip("+-").lstrip("0")) > 20:  # beyond every bound: no int() of a huge text
        return low is None if text.startswith("-") else high is None
    value = int(text)
    return (low is None or value >= low) and (high is None or value <= high)


def _day_exists(match: re.Match, text: str) -> bool:
    groups = match.groupdict()
    if "day" not in groups:
        return True
    month, day = int(groups["month"]), int(groups["day"])
    if month == 2 and day == 29 and not text.startswith("--"):  # a date: is its year leap?
        year = int(re.match(r"-?(\d+)", text).group(1))
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return day <= _DAYS[month - 1]


def problem(text: str, datatype: str) -> str | None:
    """Why `text` is not a valid literal of `datatype` (an XSD IRI), or None when it is."""
    name = datatype[len(XSD) :]
    if name in RANGES:
        return None if _in_range(text, *RANGES[name]) else f"not a valid xsd:{name}"
    if name in ("anySimpleType", "anyAtomicType"):
        return None
    if name in ("IDREFS", "ENTITIES"):
        parts = text.split(" ")
        ok = all(_COMPILED["NCName"].fullmatch(part) for part in parts)
        return None if ok else f"not a valid xsd:{name}"
    pattern = _COMPILED.get(name)
    if pattern is None:
        return f"xsd:{name} is not an XSD datatype"
    match = pattern.fullmatch(text)
    if match is None or not _day_exists(match, text):
        return f"not a valid xsd:{name}"
    if name == "base64Binary":
        try:
            base64.b64decode(text.replace(" ", ""), validate=True)
        except (binascii.Error, ValueError):
            return "not a valid xsd:base64Binary"
    return None


LOCATED = 50
_TYPED = f"""SELECT DISTINCT ?o WHERE {{
  ?s ?p ?o FILTER(isLiteral(?o) && STRSTARTS(STR(DATATYPE(?o)), "{XSD}")
                  && DATATYPE(?o) != <{XSD}string>)
}}"""


def ill_typed(store: ox.Store, root: Path, files: list[Path]) -> list[Violation]:
    """One violation per ill-typed literal and statement: the file, the node and the value."""
    from jjjkg.core.terms import short

    bad = []
    for (literal,) in store.query(_TYPED, use_default_graph_as_union=True):
        why = problem(literal.value, literal.datatype.value)
        if why is not None:
            bad.append((literal, why))
    found = []
    for number, (literal, why) in enumerate(bad):
        shown = literal.value if len(literal.value) <= 60 else literal.value[:57] + "..."
        for quad in store.quads_for_pattern(None, None, literal, None):
            # Each search reads the inputs: the first LOCATED values get their file.
            where = _file_of(quad, files, root) if number < LOCATED else "(file not searched)"
            value = f'"{shown}"^^{short(literal.datatype)}'
            message = f"ill-typed {value} ({short(quad.predicate)}): {why}"
            found.append(Violation(short(quad.subject), where, message))
    return sorted(set(found), key=lambda v: (v.shape, v.focus, v.message))


def _file_of(quad: ox.Quad, files: list[Path], root: Path) -> str:
    """The input file that states `quad` (searched only for the few ill-typed ones)."""
    import pyoxigraph as ox

    from jjjkg.pipeline.load import SOURCE_BASE, _format

    needle = quad.object.value.encode("utf-8")
    ordered = sorted(files, key=lambda path: needle not in path.read_bytes())
    for path in ordered:
        rel = relative(path, root)
        try:
            parsed_quads = ox.parse(
                path.read_bytes(), _format(path, rel), base_iri=SOURCE_BASE + rel
            )
            for parsed in parsed_quads:
                if parsed.object == quad.object and parsed.predicate == quad.predicate:
                    return rel
        except (SyntaxError, ValueError):
            continue
    return "-"
