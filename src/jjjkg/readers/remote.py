"""Talk to other SPARQL servers: push the built dataset (Graph Store Protocol), run queries.

Standard library HTTP only, so any SPARQL 1.1 server (Oxigraph, Fuseki, GraphDB, QLever)
works without a client package.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

from jjjkg.core.errors import ServiceError
from jjjkg.core.project import NQ
from jjjkg.dist import require
from jjjkg.readers.credentials import opener

SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


def _request(
    url: str,
    data: bytes | None,
    headers: dict[str, str],
    method: str,
    timeout: float,
    auth: tuple[str, str] | None = None,
) -> bytes:
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
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
    for iri, lines in sorted(graphs.items()):
        url = f"{endpoint}{separator}graph={urllib.parse.quote(iri, safe='')}"
        body = ("\n".join(lines) + "\n").encode("utf-8")
        _request(url, body, {"Content-Type": N_TRIPLES}, "PUT", timeout, auth)
        sent[iri] = len(lines)
    return sent


def remote_query(endpoint: str, sparql: str, accept: str, timeout: float = 30) -> bytes:
    """POST a query to a SPARQL 1.1 endpoint and return the raw response body."""
    headers = {"Content-Type": "application/sparql-query; charset=utf-8", "Accept": accept}
    return _request(endpoint, sparql.encode("utf-8"), headers, "POST", timeout)


def remote_select(endpoint: str, sparql: str, timeout: float = 30) -> dict:
    """Run a SELECT or ASK query remotely; return the SPARQL JSON results document."""
    body = remote_query(endpoint, sparql, SPARQL_JSON, timeout)
    try:
        return json.loads(body)
    except ValueError:
        raise ServiceError(f"{endpoint}: the answer is not SPARQL JSON results") from None
