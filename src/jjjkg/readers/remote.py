"""Talk to other SPARQL servers: push the built dataset (Graph Store Protocol), run queries.

Standard library HTTP only, so any SPARQL 1.1 server (Oxigraph, Fuseki, GraphDB, QLever)
works without a client package (tested against Oxigraph and Virtuoso).
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from jjjkg.core.errors import ServiceError
from jjjkg.core.project import NQ
from jjjkg.dist import require
from jjjkg.readers.credentials import authorize, challenged, opener

SPARQL_JSON = "application/sparql-results+json"
_JSON = ox.QueryResultsFormat.JSON
N_TRIPLES = "application/n-triples"


def _request(
    url: str,
    data: bytes | None,
    headers: dict[str, str],
    method: str,
    timeout: float,
    auth: tuple[str, str] | None = None,
    challenge: str | None = None,
) -> bytes:
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    if auth is not None and challenge is not None:
        authorize(request, auth, challenge)
    try:
        with opener(url, auth).open(request, timeout=timeout) as response:
            return response.read()
    except urllib.error.HTTPError as err:
        detail = err.read().decode("utf-8", "replace").strip().splitlines()
        reason = f": {detail[0][:200]}" if detail else ""
        raise ServiceError(f"{url}: HTTP {err.code} {err.reason}{reason}") from None
    except TimeoutError:
        raise ServiceError(f"{url}: no answer within {timeout:g} s") from None
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, TimeoutError):
            raise ServiceError(f"{url}: no answer within {timeout:g} s") from None
        raise ServiceError(f"{url}: cannot connect: {reason}") from None


def graphs_of(quads_file: Path) -> dict[str, list[str]]:
    """N-Quads lines grouped by graph IRI, each line rewritten as an N-Triples line.

    jjjkg writes one quad a line with an IRI graph label last, so the split is by the last term.
    """
    graphs: dict[str, list[str]] = defaultdict(list)
    for line in quads_file.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        body, _, graph = line[:-1].rstrip().rpartition(" ")
        if not (graph.startswith("<") and graph.endswith(">")):
            raise ServiceError(f"{quads_file}: a quad without a named graph: {line[:80]}")
        graphs[graph[1:-1]].append(body + " .")
    return dict(graphs)


def push(
    dist: Path,
    endpoint: str,
    graph: str | None = None,
    timeout: float = 60,
    auth: tuple[str, str] | None = None,
) -> dict[str, int]:
    """PUT each named graph of the built dataset to a Graph Store Protocol endpoint.

    With `graph`, every triple goes into that one graph instead; `auth` (user, password, see
    `jjjkg.readers.credentials`) answers the server's Basic or Digest challenge. Returns
    triples sent per graph.
    """
    quads_file = require(dist, (NQ,)) / NQ
    graphs = graphs_of(quads_file)
    if graph:
        graphs = {graph: sorted({line for lines in graphs.values() for line in lines})}
    sent = {}
    separator = "&" if "?" in endpoint else "?"
    challenge = challenged(endpoint, timeout) if auth is not None else None
    for iri, lines in sorted(graphs.items()):
        url = f"{endpoint}{separator}graph={urllib.parse.quote(iri, safe='')}"
        body = ("\n".join(lines) + "\n").encode("utf-8")
        _request(url, body, {"Content-Type": N_TRIPLES}, "PUT", timeout, auth, challenge)
        sent[iri] = len(lines)
    return sent


def remote_query(endpoint: str, sparql: str, accept: str, timeout: float = 30) -> bytes:
    """POST a query to a SPARQL 1.1 endpoint and return the raw response body.

    The query goes URL-encoded in a form (`query=…`), which the protocol requires of every
    server: Virtuoso 7.2 never answers the other POST, `application/sparql-query`."""
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
    body = urllib.parse.urlencode({"query": sparql}).encode("ascii")
    return _request(endpoint, body, headers, "POST", timeout)


def remote_select(endpoint: str, sparql: str, timeout: float = 30) -> tuple:
    """Run a SELECT or ASK query remotely: (variables, rows of pyoxigraph terms, None where
    unbound) for SELECT, (None, bool) for ASK."""
    return read_answer(endpoint, remote_answer(endpoint, sparql, timeout), _rows)


def remote_serialized(endpoint: str, sparql: str, fmt, timeout: float = 30) -> bytes:
    """Run a SELECT or ASK query remotely; its answer in the W3C results format `fmt` (a
    pyoxigraph QueryResultsFormat), written by pyoxigraph as a local answer is."""
    answer = remote_answer(endpoint, sparql, timeout)
    return read_answer(endpoint, answer, lambda a: a.serialize(format=fmt))


def remote_answer(endpoint: str, sparql: str, timeout: float = 30):
    """Run a SELECT or ASK query remotely: pyoxigraph's QuerySolutions or QueryBoolean, read
    lazily from the server's answer (so read it through `read_answer`)."""
    # The server's SPARQL JSON is read by pyoxigraph and every writer downstream is ours:
    # servers differ in their CSV (Virtuoso's mangles non-ASCII strings), not in JSON.
    body = remote_query(endpoint, sparql, SPARQL_JSON, timeout)
    return read_answer(endpoint, body, lambda b: ox.parse_query_results(b, format=_JSON))


def read_answer(endpoint: str, answer, read):
    """`read(answer)`, a malformed answer from `endpoint` reported as such (one line)."""
    try:
        return read(answer)
    except (SyntaxError, ValueError):
        raise ServiceError(f"{endpoint}: the answer is not SPARQL JSON results") from None


def _rows(answer) -> tuple:
    if isinstance(answer, ox.QueryBoolean):
        return None, bool(answer)
    return [v.value for v in answer.variables], [tuple(row) for row in answer]
