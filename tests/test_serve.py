"""`jjjkg serve`, `jjjkg push` and `query --endpoint`, against real Oxigraph servers."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from jjjkg.cli import cli
from jjjkg.core.errors import ServiceError
from jjjkg.pipeline.describe import parse_description
from jjjkg.readers import remote, serve

REPO = Path(__file__).resolve().parent.parent
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def count(endpoint: str, sparql: str = COUNT) -> int:
    _, rows = remote.remote_select(endpoint, sparql)
    return int(rows[0][0].value)


def local_quads(dist: Path) -> int:
    return sum(1 for line in (dist / "jjjkg.nq").read_text(encoding="utf-8").splitlines() if line)


def local_default_graph(dist: Path) -> int:
    """Triples of the local default graph: jjjkg.ttl and jjjkg-inferred.ttl as a set."""
    import pyoxigraph as ox

    files = (dist / "jjjkg.ttl", dist / "jjjkg-inferred.ttl")
    return len({t for f in files for t in ox.parse(path=f, format=ox.RdfFormat.TURTLE)})


@pytest.fixture()
def writable_server(tmp_path):
    """A read-write Oxigraph server on a free loopback port, stopped after the test."""
    port = free_port()
    process = subprocess.Popen(
        [
            serve.oxigraph_binary(),
            "serve",
            "--location",
            str(tmp_path / "store"),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    serve._wait_until_up(url, process, seconds=30)
    yield url
    serve.stop(process)


def test_serve_answers_queries_over_the_union_and_refuses_updates(built_dist):
    process, url = serve.start(built_dist, "127.0.0.1", free_port())
    try:
        # the default graph is the set union the local queries see, not a bag of every graph
        assert count(url + "/query") == local_default_graph(built_dist)
        graphs = {line.rsplit(" ", 2)[-2] for line in (built_dist / "jjjkg.nq").open() if line}
        assert count(url + "/query", GRAPHS) == len(graphs) + 1  # + jgraph:dataset
        with pytest.raises(ServiceError, match="HTTP 403"):
            remote.push(built_dist, url + "/store")
        assert count(url + "/query") == local_default_graph(built_dist)
        with urllib.request.urlopen(url + "/") as page:
            html = page.read().decode()
        assert "yasgui" in html and "http://" not in html and "https://" not in html
    finally:
        serve.stop(process)
    assert process.poll() is not None


def test_serve_holds_the_description_in_its_own_graph(built_dist):
    process, url = serve.start(built_dist, "127.0.0.1", free_port())
    try:
        _, answer = remote.remote_select(
            url + "/query",
            "SELECT ?v WHERE { GRAPH <https://w3id.org/jjjkg/resource/graph/dataset> { "
            "<https://w3id.org/jjjkg/resource/dataset> <http://www.w3.org/ns/dcat#version> ?v } }",
        )
        described = count(
            url + "/query",
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <https://w3id.org/jjjkg/resource/graph/dataset>"
            " { ?s ?p ?o } }",
        )
    finally:
        serve.stop(process)
    version = (REPO / "graph" / "VERSION").read_text(encoding="utf-8").strip()
    assert [row[0].value for row in answer] == [version]
    assert described == len(parse_description((built_dist / "void.ttl").read_text(), built_dist))


def test_serve_reports_a_port_in_use_in_one_line(built_dist):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["serve", "--port", str(port), "--dist", str(built_dist), "--root", str(REPO)]
        )
    assert result.exit_code == 2
    assert result.output == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "term"])
def test_serve_stops_its_server_on_ctrl_c_or_term(built_dist, stop_signal):
    port = free_port()
    command = [sys.executable, "-m", "jjjkg", "serve", "--port", str(port)]
    command += ["--root", str(REPO), "--dist", str(built_dist)]
    # Ctrl-C as in a terminal, even when the test itself runs as a background job (which
    # starts with SIGINT ignored, and the child would inherit that). A session of its own,
    # so that whatever happens the server is cleaned up below, after the checks.
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        start_new_session=True,
    )
    try:
        first = process.stdout.readline()
        assert first == f"Serving {built_dist}/ read-only at http://127.0.0.1:{port}/\n"
        served = local_default_graph(built_dist)
        assert count(f"http://127.0.0.1:{port}/query") == served
        process.send_signal(stop_signal)
        assert process.wait(timeout=20) == 0
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) != 0:
                    break
            time.sleep(0.1)
        else:
            pytest.fail(f"the oxigraph child process still listens after {stop_signal.name}")
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def test_push_keeps_the_named_graphs(built_dist, writable_server):
    result = CliRunner().invoke(
        cli,
        ["push", "--endpoint", writable_server + "/store", "--dist", str(built_dist)]
        + ["--root", str(REPO)],
    )
    assert result.exit_code == 0, result.output
    graphs = remote.graphs_of(built_dist / "jjjkg.nq")
    total = sum(len(lines) for lines in graphs.values())
    assert result.output == (
        f"Pushed {total} triples in {len(graphs)} graphs to {writable_server}/store\n"
    )
    assert count(writable_server + "/query") == local_quads(built_dist)
    assert count(writable_server + "/query", GRAPHS) == len(graphs)
    sentence = "https://w3id.org/jjjkg/resource/article/tianjin-jjj-decade/p02-s2"
    ask = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{sentence}> {{ ?s ?p ?o }} }}"
    assert count(writable_server + "/query", ask) == len(graphs[sentence])


def test_push_into_one_graph(built_dist, writable_server):
    target = "https://example.org/jjjkg"
    sent = remote.push(built_dist, writable_server + "/store", graph=target)
    assert list(sent) == [target]
    query = urllib.parse.quote(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{target}> {{ ?s ?p ?o }} }}"
    )
    with urllib.request.urlopen(f"{writable_server}/query?query={query}") as answer:
        rows = json.loads(answer.read())["results"]["bindings"]
    assert int(rows[0]["n"]["value"]) == sent[target] > 0


def test_push_to_nowhere_is_one_line(built_dist):
    port = free_port()
    result = CliRunner().invoke(
        cli,
        ["push", "--endpoint", f"http://127.0.0.1:{port}/store", "--dist", str(built_dist)]
        + ["--root", str(REPO)],
    )
    assert result.exit_code == 2
    assert result.output.startswith(f"Error: http://127.0.0.1:{port}/store")
    assert "cannot connect" in result.output and result.output.count("\n") == 1


def _output_format(name: str) -> str:
    if name.startswith("construct-"):
        return "nt"
    return "json" if name.startswith("ask-") else "csv"


def test_every_library_query_gives_the_same_rows_remotely(built_dist, writable_server):
    """Push, then run the whole query library against the server and locally."""
    from jjjkg.dist.store import open_store
    from jjjkg.readers import query as queries

    remote.push(built_dist, writable_server + "/store")
    store = open_store(built_dist)
    library = queries.library(REPO)
    assert len(library) >= 25
    for named in library:
        values = queries.bindings(named, ())
        fmt = _output_format(named.name)
        here = queries.run(store, named, values, fmt)
        there = queries.run_remote(writable_server + "/query", named, values, fmt)
        assert sorted(there.decode().splitlines()) == sorted(here.decode().splitlines()), named.name


def test_query_endpoint_option_shows_labels_from_the_server(built_dist, writable_server):
    remote.push(built_dist, writable_server + "/store")
    args = ["query", "park-enterprise-counts", "--root", str(REPO), "--dist", str(built_dist)]
    local = CliRunner().invoke(cli, args)
    remote_run = CliRunner().invoke(cli, [*args, "--endpoint", writable_server + "/query"])
    assert local.exit_code == remote_run.exit_code == 0, remote_run.output
    assert remote_run.output == local.output
    assert "天津滨海—中关村科技园" in remote_run.output


def test_query_endpoint_pages_every_format_as_locally(built_dist, writable_server):
    """--limit and --offset cut the same page from the server's answer as from the local one,
    in every format that pages; srj and --asserted are refused in one line."""
    remote.push(built_dist, writable_server + "/store")
    base = ["--root", str(REPO), "--dist", str(built_dist)]
    there = [*base, "--endpoint", writable_server + "/query"]
    cases = [("park-enterprise-counts", fmt) for fmt in ("table", "csv", "tsv", "json")]
    cases += [("construct-central-soes", fmt) for fmt in ("nt", "ttl", "table")]
    for name, fmt in cases:
        page = ["query", name, "--format", fmt, "--limit", "3", "--offset", "2"]
        local = CliRunner().invoke(cli, [*page, *base])
        remote_run = CliRunner().invoke(cli, [*page, *there])
        assert local.exit_code == remote_run.exit_code == 0, remote_run.output
        assert remote_run.output == local.output, (name, fmt)
        whole = CliRunner().invoke(cli, ["query", name, "--format", fmt, *there]).output
        assert len(remote_run.output) < len(whole), (name, fmt)
    csv_lang = [
        "query",
        "park-enterprise-counts",
        "--format",
        "csv",
        "--lang",
        "en",
        "--limit",
        "1",
    ]
    assert CliRunner().invoke(cli, [*csv_lang, *there]).output.splitlines() == (
        CliRunner().invoke(cli, [*csv_lang, *base]).output.splitlines()
    )
    refused = CliRunner().invoke(
        cli, ["query", "status-counts", "--format", "srj", "--limit", "1", *there]
    )
    assert refused.exit_code == 2
    assert (
        refused.output
        == "queries/status-counts.rq: --limit and --offset are not for --format srj\n"
    )
    asserted = CliRunner().invoke(cli, ["query", "status-counts", "--asserted", *there])
    assert asserted.exit_code == 2
    assert asserted.output == (
        "Error: --asserted is for the built graph; an endpoint answers from its own graphs\n"
    )


def test_query_endpoint_errors_are_one_line(built_dist, writable_server):
    base = ["--root", str(REPO), "--dist", str(built_dist), "--endpoint"]
    down = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(cli, ["query", "status-counts", *base, down])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert result.output.startswith(f"Error: {down}: cannot connect")
    result = CliRunner().invoke(cli, ["query", "-e", "DROP ALL", *base, writable_server + "/query"])
    assert result.exit_code == 2 and "read-only" in result.output
    missing = writable_server + "/no-such-service"
    result = CliRunner().invoke(cli, ["query", "status-counts", *base, missing])
    assert result.exit_code == 2 and result.output.startswith(f"Error: {missing}: HTTP 404")


def test_query_endpoint_timeout_is_one_line(built_dist):
    """A server that accepts the connection and never answers."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/query"
        args = ["query", "status-counts", "--root", str(REPO), "--dist", str(built_dist)]
        result = CliRunner().invoke(cli, [*args, "--endpoint", url, "--timeout", "1"])
    assert result.exit_code == 2
    assert result.output == f"Error: {url}: no answer within 1 s\n"


class CountedQueries:
    """A remote endpoint's label lookup (`RemoteLabels`) that counts its requests."""

    def __init__(self, endpoint: str):
        from jjjkg.readers.query import RemoteLabels

        self.remote, self.asked = RemoteLabels(endpoint, 30), []

    def query(self, text: str):
        self.asked.append(text)
        return self.remote.query(text)


def _resolved(names, text: str, kind: str) -> str:
    from jjjkg.core.errors import JjjkgError

    try:
        return names.resolve(text, kind)
    except JjjkgError as error:
        return f"{type(error).__name__}: {error}"


def test_names_over_an_endpoint_resolve_as_the_built_index_does(built_dist, writable_server):
    """An IRI or prefixed name is looked up alone (a request, not every name);
    names, slugs and numbers read every name once; both resolve as the local index does,
    to the same IRI or the same error."""
    from jjjkg.core.names import KINDS, REMOTE_NAMES_QUERY
    from jjjkg.core.terms import shorten
    from jjjkg.dist.store import open_store
    from jjjkg.readers.resolve import names_from_store

    remote.push(built_dist, writable_server + "/store")
    local = names_from_store(open_store(built_dist))
    every = [c for c in local.by_iri.values() if c.is_kind("entity")][::4]
    assert len(every) > 150
    counted = CountedQueries(writable_server + "/query")
    by_iri = names_from_store(counted)
    for c in every:
        for text in (c.iri, shorten(c.iri), f"<{c.iri}>"):
            for kind in ("entity", "any"):
                assert _resolved(by_iri, text, kind) == _resolved(local, text, kind), text
    assert REMOTE_NAMES_QUERY not in counted.asked
    assert len(counted.asked) <= 2 * 3 * len(every)
    unknown = ["jorg:no-such-org", "<https://w3id.org/jjjkg/resource/org/a b>", "<x>y>"]
    for text in unknown + [every[0].iri]:
        for kind in KINDS:
            assert _resolved(by_iri, text, kind) == _resolved(local, text, kind), (text, kind)
    by_name = names_from_store(counted)
    assert REMOTE_NAMES_QUERY in counted.asked  # did-you-mean reads every name
    texts = [t for c in every[::3] for t in (c.zh, c.en, *c.alt) if t] + unknown
    texts += ["天津港(集团)有限公司", "CNOOC", "org/cnooc", "cnooc", "4", "p07", "天津不存在"]
    for text in texts:
        assert _resolved(by_name, text, "entity") == _resolved(local, text, "entity"), text
    for text in ("4", "s4", "p07", "天津港", "jjj:Park", "Park", "status/in-operation"):
        for kind in KINDS:
            assert _resolved(by_name, text, kind) == _resolved(local, text, kind), (text, kind)
