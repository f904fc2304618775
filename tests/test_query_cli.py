"""`jjjkg query` and `jjjkg queries` through click's CliRunner (and one real process)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from jjjkg.cli import cli
from jjjkg.readers import query as queries

REPO = Path(__file__).resolve().parent.parent
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JJJ = "https://w3id.org/jjjkg/ontology#"
PLACE = "https://w3id.org/jjjkg/resource/place/"


@pytest.fixture(scope="session")
def jjjkg(built_dist):
    """Run `jjjkg ARGS` on the real repository's built dist/; returns the click Result."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["query", "--root", str(REPO), "--dist", str(built_dist), *args])

    return invoke


def test_table_aligns_chinese_and_right_aligns_numbers(jjjkg):
    result = jjjkg("park-enterprise-counts")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "park                   enterprises  statedAs",
        "---------------------  -----------  --------------------",
        "天津滨海—中关村科技园         4900  累计注册企业超4900家",
        "宝坻京津中关村科技城          1500  累计注册企业超1500家",
        "天开高教科创园                1200  累计注册企业1200余家",
        "3 rows",
    ]


def test_lang_picks_the_label(jjjkg):
    english = jjjkg("park-enterprise-counts", "--lang", "en").output
    assert "Tiankai Higher Education Science" in english
    iris = jjjkg("park-enterprise-counts", "--lang", "none").output
    assert "jpark:tiankai-park" in iris


@pytest.mark.parametrize(
    "fmt, check",
    [
        (
            "csv",
            lambda out: next(csv.reader(io.StringIO(out))) == ["park", "enterprises", "statedAs"],
        ),
        ("tsv", lambda out: out.splitlines()[0] == "?park\t?enterprises\t?statedAs"),
        ("json", lambda out: json.loads(out)[0]["enterprises"] == 4900),
        ("srj", lambda out: json.loads(out)["head"]["vars"] == ["park", "enterprises", "statedAs"]),
        ("srx", lambda out: "<sparql" in out and "tiankai-park" in out),
    ],
)
def test_select_formats(jjjkg, fmt, check):
    result = jjjkg("park-enterprise-counts", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert check(result.output)


def test_construct_gives_turtle(jjjkg):
    result = jjjkg("construct-central-soes")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("@prefix ")
    assert "jorg:cnooc" in result.output and "jjj:setUpUnitIn jplace:tianjin" in result.output
    assert jjjkg("construct-central-soes", "--format", "nt").output.startswith("<https://")


def test_ask_prints_true(jjjkg):
    assert jjjkg("ask-jinxing-in-operation").output == "true\n"


def test_wrong_format_for_the_query_kind(jjjkg):
    result = jjjkg("park-enterprise-counts", "--format", "ttl")
    assert result.exit_code == 2
    assert "is for CONSTRUCT" in result.output


def test_bind_sets_a_parameter(jjjkg):
    default = jjjkg("entity-claims", "--format", "csv").output
    assert "/infra/tianjin-port," in default
    result = jjjkg("entity-claims", "--bind", "entity=jorg:cnooc", "--format", "json")
    assert result.exit_code == 0, result.output
    claims = {(row["link"], row["other"]) for row in json.loads(result.output)}
    assert claims == {(JJJ + "setUpUnitIn", PLACE + "tianjin")}


def test_bind_a_literal(jjjkg):
    text = "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label }"
    result = jjjkg("-e", text, "--bind", 'label="天津"@zh', "--format", "csv")
    assert result.output.splitlines()[1:] == ["https://w3id.org/jjjkg/resource/place/tianjin,天津"]


def test_bind_restricts_a_variable_that_is_not_selected(jjjkg):
    result = jjjkg("-e", "SELECT ?s WHERE { ?s skos:prefLabel ?l }", "--bind", 'l="天津"@zh')
    assert result.exit_code == 0
    assert result.output == "s\n----\n天津\n1 row\n"


def test_expression_and_file(jjjkg, tmp_path):
    assert jjjkg("-e", "ASK { jplace:tianjin a jjj:ProvinceLevelUnit }").output == "true\n"
    query = tmp_path / "mine.rq"
    query.write_text("SELECT ?x WHERE { jorg:cnooc jjj:setUpUnitIn ?x }", encoding="utf-8")
    assert "天津" in jjjkg(str(query)).output


def test_asserted_leaves_out_the_reasoner(jjjkg):
    text = "ASK { jpark:tiankai-park jjj:locatedIn jplace:jjj }"  # only by transitivity
    assert jjjkg("-e", text).output == "true\n"
    assert jjjkg("-e", text, "--asserted").output == "false\n"


def test_asserted_has_no_inferred_graph(jjjkg):
    text = "ASK { GRAPH jgraph:inferred { ?s ?p ?o } }"
    assert jjjkg("-e", text).output == "true\n"
    assert jjjkg("-e", text, "--asserted").output == "false\n"
    # the same process answers both ways, in either order
    assert jjjkg("-e", text).output == "true\n"


def test_bad_sparql_is_one_line_with_position(jjjkg):
    result = jjjkg("-e", "SELECT ?x WHERE {\n  ?x a \n}")
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert re.match(r"-e:3:\d+: bad query: expected ", result.output)


def test_unknown_prefix_is_named(jjjkg):
    result = jjjkg("-e", "SELECT * WHERE { ?x nope:thing ?y }")
    assert result.exit_code == 2
    assert re.fullmatch(r"-e:1:\d+: bad query: unknown prefix 'nope:'\n", result.output)


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { jplace:x a jjj:Place }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://example.org/>\n# comment\nCLEAR ALL",
        "LOAD <http://example.org/data.ttl>",
        "DROP GRAPH jart:p01",
        "WITH jart:p01 DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    ],
)
def test_updates_are_refused_and_change_nothing(jjjkg, built_dist, update):
    digest = hashlib.sha256((built_dist / "jjjkg.nq").read_bytes()).hexdigest()
    before = jjjkg("-e", COUNT, "--format", "csv").output
    result = jjjkg("-e", update)
    assert result.exit_code == 2
    assert "read-only" in result.output and result.output.count("\n") == 1
    assert jjjkg("-e", COUNT, "--format", "csv").output == before
    assert hashlib.sha256((built_dist / "jjjkg.nq").read_bytes()).hexdigest() == digest


def test_unknown_name_suggests_the_nearest(jjjkg):
    result = jjjkg("park-figure")
    assert result.exit_code == 2
    assert result.output.startswith(
        "Error: unknown query 'park-figure'; did you mean: park-figures"
    )


def test_a_missing_query_file_is_said_to_be_missing(jjjkg, tmp_path):
    missing = str(tmp_path / "park-figure.rq")
    result = jjjkg(missing)
    assert result.exit_code == 2
    assert result.output == (
        f"{missing}: no such file, and no such query; did you mean: park-figures, all-figures, "
        "theme-figures, park-residents?\n"
    )


def test_name_and_expression_together_is_a_usage_error(jjjkg):
    for result in (
        jjjkg("park-figures", "-e", COUNT),
        jjjkg(),
        jjjkg("status-counts", "--limit", "x"),
    ):
        assert result.exit_code == 2
        assert result.output.startswith("Error: ") and result.output.count("\n") == 1


def test_show_prints_standalone_sparql(jjjkg):
    result = jjjkg("entity-claims", "--show", "--bind", "entity=jorg:cnooc")
    header, _, sparql = result.output.partition("PREFIX jjj: <https://w3id.org/jjjkg/ontology#>\n")
    assert header == queries.UNION_HEADER
    assert "VALUES (?entity) { (<https://w3id.org/jjjkg/resource/org/cnooc>) }" in result.output
    ox.Store().query(result.output)  # standalone: parses without jjjkg's predeclared prefixes


def test_timeout_stops_a_runaway_query(built_dist):
    """A cross product that would run for hours stops after --timeout: one line, exit 2."""
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    args = ["-m", "jjjkg", "query", "--root", str(REPO), "--dist", str(built_dist)]
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args, "-e", runaway, "--timeout", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.perf_counter() - started < 20
    assert done.returncode == 2
    assert done.stderr == "-e: query stopped after 1 s (raise --timeout to wait longer)\n"


def test_query_path_does_not_import_rdflib(built_dist):
    code = (
        "import sys; from jjjkg.cli import cli\n"
        "try: cli(['query', '--root', sys.argv[1], '--dist', sys.argv[2], 'status-counts'])\n"
        "except SystemExit: pass\n"
        "print('rdflib' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(REPO), str(built_dist)], capture_output=True, text=True
    )
    assert done.stderr.strip().splitlines()[-1] == "False"


def test_queries_lists_names_and_summaries():
    result = CliRunner().invoke(cli, ["queries", "--root", str(REPO)])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.startswith("central-soe-units ") for line in lines)
    assert any("entity-claims" in line and "[--bind entity=…]" in line for line in lines)
    assert not any(line.startswith("checks/") for line in lines)
    checks = CliRunner().invoke(cli, ["queries", "--root", str(REPO), "--checks"]).output
    assert "checks/chinese-in-iri" in checks


def test_show_says_the_query_needs_a_union_default_graph(jjjkg):
    """Printed queries say what default graph they need and how four stores give it."""
    result = jjjkg("which-sentence", "--show")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == (
        "# This query needs a default graph that is the union of all named graphs (jjjkg puts every"
    )
    comments = "\n".join(line for line in lines if line.startswith("#"))
    assert "oxigraph serve --location DB --union-default-graph" in comments
    assert "tdb:unionDefaultGraph true" in comments and "tdb2:unionDefaultGraph true" in comments
    assert "GraphDB:   nothing to set" in comments
    assert "Virtuoso:  nothing to set" in comments
    assert "define input:default-graph-uri" in comments
    body = [line for line in lines if not line.startswith("#")]
    assert body[0] == "PREFIX jjj: <https://w3id.org/jjjkg/ontology#>"


def test_shown_queries_need_the_union_default_graph(built_dist, jjjkg):
    """The printed text, header and all, gives the pinned rows on a store of the named graphs
    with a union default graph, and none without it (the mistake the header warns of)."""
    store = ox.Store()
    store.bulk_load(path=str(built_dist / "jjjkg.nq"), format=ox.RdfFormat.N_QUADS)
    for name in ("central-soe-units", "plans-vs-achievements", "which-sentence"):
        text = jjjkg(name, "--show").output
        pinned = (REPO / "tests" / "expected" / f"{name}.csv").read_text(encoding="utf-8")
        rows = list(store.query(text, use_default_graph_as_union=True))
        assert len(rows) == len(pinned.splitlines()) - 1, name
        # which-sentence reads named graphs only, so it needs no union; the others do
        alone = list(store.query(text))
        assert len(alone) == (len(rows) if name == "which-sentence" else 0), name
