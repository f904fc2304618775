"""Large corpora: labels by look-up, the persistent store dist/store/, streamed answers."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from jjjkg.cli import cli
from jjjkg.core.project import STORE, input_digest, input_hashes, is_fresh
from jjjkg.core.terms import DATASET_GRAPH
from jjjkg.dist.store import Store, store_path
from jjjkg.pipeline.persist import STORE_INPUT, loaded_digest
from jjjkg.readers import query as queries
from jjjkg.readers import render
from jjjkg.readers.stream import stream

REPO = Path(__file__).resolve().parent.parent
PLACE = "https://w3id.org/jjjkg/resource/place/"


def tree_digest(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


class QueryOnly:
    """A store that can only run SPARQL (as a remote endpoint): counts its queries."""

    def __init__(self, store):
        self.store, self.texts = store, []

    def query(self, text):
        self.texts.append(text)
        return self.store.query(text)


def memory_and_disk(dist: Path, monkeypatch) -> tuple[Store, Store]:
    monkeypatch.setenv("JJJKG_STORE", "memory")
    memory = Store(dist)
    monkeypatch.setenv("JJJKG_STORE", "disk")
    disk = Store(dist)
    assert memory.disk_path is None and disk.disk_path == dist / STORE
    return memory, disk


def every_iri(store: Store) -> set[str]:
    rows = store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")
    return {row[0].value for row in rows}


def test_labels_by_look_up_equal_labels_by_batched_queries(built_dist, monkeypatch):
    memory, disk = memory_and_disk(built_dist, monkeypatch)
    iris = every_iri(memory)
    assert len(iris) > render.LABEL_BATCH  # more than one batch
    for lang in ("zh", "en"):
        looked_up = render.labels(memory, iris, lang)
        remote = QueryOnly(memory)
        assert render.labels(remote, iris, lang) == looked_up
        assert len(remote.texts) == -(-len(iris) // render.LABEL_BATCH)  # one per batch
        assert render.labels(disk, iris, lang) == looked_up
    assert render.labels(memory, {PLACE + "tianjin"}, "en") == {PLACE + "tianjin": "Tianjin"}
    assert render.labels(memory, {PLACE + "tianjin"}, "zh") == {PLACE + "tianjin": "天津"}


def test_build_writes_the_store_into_dist_and_the_manifest(built_dist):
    manifest = json.loads((built_dist / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["store"]["dir"] == STORE
    assert manifest["files"]["store/"] == manifest["store"]["loaded"] == loaded_digest(built_dist)
    assert (built_dist / STORE).is_dir()
    assert not (built_dist / STORE_INPUT).exists()  # the load's input is gone
    # the default graph: every triple of the named graphs (but the description), each once
    # (blank nodes apart: each load names them afresh)
    store = ox.Store.read_only(str(built_dist / STORE))
    default = [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    named = {
        q.triple
        for q in store.quads_for_pattern(None, None, None)
        if q.graph_name not in (ox.DefaultGraph(), ox.NamedNode(DATASET_GRAPH))
    }

    def without_blank_nodes(triples) -> set:
        return {t for t in triples if ox.BlankNode not in (type(t.subject), type(t.object))}

    assert without_blank_nodes(default) == without_blank_nodes(named)
    assert len(default) == len(named)
    files = (built_dist / "jjjkg.ttl", built_dist / "jjjkg-inferred.ttl")
    in_files = {q for f in files for q in ox.parse(path=f, format=ox.RdfFormat.TURTLE)}
    assert len(default) == len(in_files)


def test_a_dist_without_its_store_is_not_fresh(project):
    from jjjkg.pipeline.build import build

    dist = build(project).dist
    digest = input_digest(input_hashes(project))
    assert is_fresh(dist, digest) is not None
    shutil.rmtree(dist / STORE)
    assert is_fresh(dist, digest) is None


def test_disk_and_memory_give_the_same_answers_for_the_whole_library(built_dist, monkeypatch):
    memory, disk = memory_and_disk(built_dist, monkeypatch)
    before = tree_digest(built_dist / STORE)
    for named in queries.library(REPO, checks=True):
        values = queries.bindings(named, ())
        for inferred in (True, False):
            want = queries.run(memory, named, values, "table", "en", inferred)
            assert queries.run(disk, named, values, "table", "en", inferred) == want, named.name
    assert tree_digest(built_dist / STORE) == before  # opened read-only: nothing written


def test_the_store_is_chosen_by_size_and_by_how_many_queries(built_dist, monkeypatch):
    manifest = json.loads((built_dist / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["triples"]["total"] < manifest["store"]["memory_below"]
    monkeypatch.setenv("JJJKG_STORE", "auto")
    assert store_path(built_dist) is None  # many queries: the article is parsed into memory
    assert store_path(built_dist, few_queries=True) == built_dist / STORE
    monkeypatch.setenv("JJJKG_STORE", "memory")
    assert store_path(built_dist, few_queries=True) is None
    monkeypatch.setenv("JJJKG_STORE", "disk")
    assert store_path(built_dist) == built_dist / STORE


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json"])
@pytest.mark.parametrize("lang", [None, "en", "zh"])
def test_streamed_answers_are_the_bytes_of_the_whole_answer(built_dist, fmt, lang):
    store = Store(built_dist)
    for named in queries.library(REPO):
        values = queries.bindings(named, ())
        try:
            want = queries.run(store, named, values, fmt, lang)
        except queries.QueryError:
            continue  # ASK and CONSTRUCT queries have no csv
        out = io.BytesIO()
        stream(store, named, out, fmt, values, lang)
        assert out.getvalue() == want, named.name


class Chunks(io.BytesIO):
    def __init__(self):
        super().__init__()
        self.sizes = []

    def write(self, data):
        self.sizes.append(len(data))
        return super().write(data)


def test_rows_are_written_as_they_come(built_dist):
    store = Store(built_dist)
    named = queries.from_text("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", None, "-e")
    out = Chunks()
    rows = stream(store, named, out, "csv", lang="en")
    assert rows > 3000
    assert len(out.sizes) == 2 + rows // 1000  # the header, then one write per batch
    assert max(out.sizes) < len(out.getvalue()) / 2


def test_limit_and_offset_page_tables_and_streams(built_dist):
    runner = CliRunner()
    base = ["query", "park-enterprise-counts", "--root", str(REPO), "--dist", str(built_dist)]
    result = runner.invoke(cli, [*base, "--lang", "en", "--limit", "2", "--offset", "1"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "park                                                  enterprises  statedAs\n"
        "----------------------------------------------------  -----------  --------------------\n"
        "Baodi Beijing–Tianjin Zhongguancun Science City              1500  累计注册企业超1500家\n"
        "Tiankai Higher Education Science and Innovation Park         1200  累计注册企业1200余家\n"
        "2 rows\n"
    )
    whole = runner.invoke(cli, [*base, "--format", "tsv"]).output.splitlines()
    paged = runner.invoke(cli, [*base, "--format", "tsv", "--limit", "1", "--offset", "2"])
    assert paged.output.splitlines() == [whole[0], whole[3]]
    refused = runner.invoke(cli, [*base, "--format", "srj", "--limit", "1"])
    assert refused.exit_code == 2
    assert refused.output == (
        "queries/park-enterprise-counts.rq: --limit and --offset are not for --format srj\n"
    )


def test_pages_of_a_construct_are_pages_of_its_sorted_triples(built_dist):
    """Oxigraph yields a CONSTRUCT's triples in an order that changes between processes, so a
    page is cut from the sorted set: pages in a row add up to the whole, each triple once."""
    store = Store(built_dist)
    named = queries.find_query(REPO, "construct-central-soes")
    whole = io.BytesIO()
    total = stream(store, named, whole, "nt")
    lines = sorted(set(whole.getvalue().decode().splitlines()))
    assert total == len(lines) > 20
    pages = []
    for offset in range(0, total, 7):
        out = io.BytesIO()
        stream(store, named, out, "nt", limit=7, offset=offset)
        pages += out.getvalue().decode().splitlines()
    assert pages == lines
    ttl = queries.run(store, named, None, "ttl", limit=7, offset=7)
    graph = ox.parse(ttl, format=ox.RdfFormat.TURTLE)
    assert sorted(f"{t} ." for t in graph) == lines[7:14]


def test_limit_and_offset_of_any_size(built_dist):
    runner = CliRunner()
    base = ["query", "central-soe-units", "--root", str(REPO), "--dist", str(built_dist)]
    whole = runner.invoke(cli, [*base, "--format", "csv"]).output
    huge = str(10**23)
    for fmt in ("csv", "tsv", "json", "table"):
        far = runner.invoke(cli, [*base, "--format", fmt, "--offset", huge])
        assert far.exit_code == 0, far.output
        assert len(far.output) < 200
    long = runner.invoke(cli, [*base, "--format", "csv", "--limit", huge])
    assert long.exit_code == 0 and long.output == whole
    assert (
        runner.invoke(cli, [*base, "--format", "csv", "--offset", huge]).output
        == (whole.splitlines(keepends=True)[0])
    )


def test_a_reader_that_leaves_ends_the_stream_quietly(built_dist):
    """`jjjkg query … | head -1`: exit 141 as for SIGPIPE, nothing on stderr."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "jjjkg", "query", "-e", "SELECT * WHERE { ?s ?p ?o }"]
    command += ["--root", str(REPO), "--dist", str(built_dist)]
    for fmt in ("csv", "tsv", "json"):
        process = subprocess.Popen(
            [*command, "--format", fmt], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert process.stdout.readline()
        process.stdout.close()
        assert process.wait(timeout=60) == 141, fmt
        assert process.stderr.read() == b"", fmt
