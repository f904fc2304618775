"""Find SPARQL `SERVICE` clauses, which make the engine send an HTTP request to another host.

A build or a check never sends one; `jjjkg query` only when the user allows it. The test reads
the query the way the SPARQL grammar does: `\\uXXXX` escapes are decoded first (SPARQL 1.1
§19.2), then strings, IRIs and comments are blanked out, and `SERVICE` counts only as a whole
keyword in any case (not `?service`, `ex:service` or `service:x`).
"""

from __future__ import annotations

import re

from jjjkg.core.errors import ServiceRefused

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# Long strings first, then short ones, IRIs and comments: whatever cannot hold a keyword.
_INERT = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
    re.DOTALL,
)
_KEYWORD = re.compile(r"(?<![\w:?$.\-])SERVICE(?![\w:\-])", re.IGNORECASE)


def _decode(match: re.Match) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF else match.group(0)


def uses_service(text: str) -> bool:
    """Whether the SPARQL `text` has a SERVICE clause."""
    return _KEYWORD.search(_INERT.sub(" ", _ESCAPE.sub(_decode, text))) is not None


def refuse_service(text: str, where: str, hint: str = "") -> None:
    """Raise ServiceRefused if the query `text` (named `where`) has a SERVICE clause."""
    if uses_service(text):
        raise ServiceRefused(where, hint)
