"""The command line, through click's CliRunner: exit codes and exact output."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from jjjkg.cli import cli


@pytest.fixture
def run(monkeypatch):
    """Run `jjjkg ARGS` in a folder (default: the current one); return the click Result."""

    def invoke(*args: str, cwd: Path | None = None):
        if cwd is not None:
            monkeypatch.chdir(cwd)
        return CliRunner().invoke(cli, list(args), prog_name="jjjkg", catch_exceptions=False)

    return invoke


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert re.fullmatch(r"jjjkg, version \d+\.\d+\.\d+.*\n", result.output)


# -- build --


def test_build_prints_a_summary(run, project):
    result = run("build", cwd=project)
    assert result.exit_code == 0, result.output
    first, *rest = result.output.splitlines()
    assert re.fullmatch(
        r"Built dist/ in \d+\.\d\d s \(load \d+\.\d\d, shacl \d+\.\d\d, reason \d+\.\d\d, "
        r"checks \d+\.\d\d, write \d+\.\d\d(, site \d+\.\d\d)?, store \d+\.\d\d\)",
        first,
    )
    files = "jjjkg.trig jjjkg.nq jjjkg.ttl jjjkg-inferred.ttl jjjkg.jsonld names.tsv void.ttl"
    files += " store/ manifest.json"
    assert rest[:4] == [
        "  triples     90 (77 asserted + 13 inferred) in 6 named graphs",
        "  entities    7: jjj:Paragraph 2, jjj:Place 2, jjj:ArticleSection 1, jjj:Company 1, "
        "jjj:Park 1",
        "  validation  SHACL conforms (1 shape); checks 2/2 passed",
        f"  files       {files}" + rest[3][len(f"  files       {files}") :],
    ]


def test_build_when_nothing_changed(run, project):
    run("build", cwd=project)
    result = run("build")
    assert result.exit_code == 0
    assert result.output == "dist/ is up to date (90 triples); nothing to do\n"


def test_build_force_and_dist_option(run, project, tmp_path):
    run("build", cwd=project)
    result = run("build", "--force", "--dist", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert result.output.startswith(f"Built {tmp_path / 'out'}/ in ")
    assert (tmp_path / "out" / "jjjkg.nq").is_file()


def test_build_syntax_error_is_one_line_exit_2_nothing_written(run, project):
    path = project / "graph" / "section-01.trig"
    lines = path.read_text().splitlines()
    lines[19] = lines[19].replace(" .", "")  # drop the dot after the first statement of p02
    path.write_text("\n".join(lines) + "\n")
    result = run("build", cwd=project)
    assert result.exit_code == 2
    assert result.output == (
        "graph/section-01.trig:21:5: bad syntax: "
        "A '}' or a '.' is expected at the end of a graph block\n"
    )
    assert not (project / "dist").exists()


def test_build_missing_root(run, tmp_path):
    result = run("build", "--root", "no-such-folder", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.output == "no-such-folder: no such directory\n"


def test_build_not_a_project(run, tmp_path):
    result = run("build", cwd=tmp_path)
    assert result.exit_code == 2
    assert result.output == ".: not a jjjkg project (no ontology/ or graph/ folder)\n"


def test_build_shacl_violation_reports_and_exits_1(run, project):
    run("build", cwd=project)
    path = project / "graph" / "catalogue.trig"
    path.write_text(path.read_text().replace('"中海油"@zh, ', ""))
    result = run("build")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "jorg:cnooc  jjj:EntityShape skos:prefLabel  needs a skos:prefLabel in Chinese (@zh)\n"
        "Error: SHACL 1 violation (1 shape); checks 2/2 passed\n"
    )


# -- validate --


def test_validate_ok(run, project):
    result = run("validate", cwd=project)
    assert result.exit_code == 0
    assert result.output == "SHACL conforms (1 shape); checks 2/2 passed\n"
    assert not (project / "dist").exists()


def test_validate_reports_each_violation(run, project):
    path = project / "graph" / "catalogue.trig"
    path.write_text(path.read_text().replace('"天津"@zh', '"天津"').replace("@en", "@de"))
    result = run("validate", cwd=project)
    assert result.exit_code == 1
    assert result.stdout == (
        "jplace:tianjin  jjj:EntityShape skos:prefLabel  labels are language-tagged strings"
        ' (value "天津")\n'
        "jplace:tianjin  jjj:EntityShape skos:prefLabel  needs a skos:prefLabel in Chinese"
        " (@zh)\n"
        "jorg:cnooc  queries/checks/english-labels.rq  every entity has an English label\n"
        "jpark:binhai  queries/checks/english-labels.rq  every entity has an English label\n"
        "jplace:tianjin  queries/checks/english-labels.rq  every entity has an English label\n"
        "SHACL 2 violations (1 shape); checks 1/2 passed\n"
    )
    assert result.stderr == "Error: SHACL 2 violations (1 shape); checks 1/2 passed\n"


# -- stats --


def test_stats(run, built_project):
    result = run("stats", cwd=built_project)
    assert result.exit_code == 0
    assert result.output == (
        "90 triples (13 inferred), 7 typed resources (every IRI with a type in the data "
        "graphs: entities, figures, indicators, paragraphs, …; the pages draw the entities "
        "alone)\n"
        "\n"
        "Typed resources per asserted class (one with two classes counts in both)\n"
        "  jjj:Paragraph       2\n"
        "  jjj:Place           2\n"
        "  jjj:ArticleSection  1\n"
        "  jjj:Company         1\n"
        "  jjj:Park            1\n"
        "\n"
        "Triples per property (asserted, data graphs)\n"
        "  skos:prefLabel       8\n"
        "  rdf:type             7\n"
        "  jjj:inSection        2\n"
        "  jjj:locatedIn        2\n"
        "  jjj:paragraphNumber  2\n"
        "  jjj:hostedBy         1\n"
        "  jjj:note             1\n"
        "  jjj:sectionNumber    1\n"
        "  rdfs:comment         1\n"
        "\n"
        "Label coverage (typed resources but sentences, which their text names)\n"
        "  zh  5/7  71.4%\n"
        "  en  3/7  42.9%\n"
        "\n"
        "Claims per article section (triples in its paragraph and sentence graphs)\n"
        "  #  section                 paragraphs  claims\n"
        "  1  服务北京非首都功能疏解           2       5\n"
    )


# -- export --


def _parse_rdf(data: bytes, fmt: str) -> int:
    from rdflib import Dataset

    ds = Dataset()
    ds.parse(data=data.decode("utf-8"), format=fmt)
    return len(list(ds.quads((None, None, None, None))))


@pytest.mark.parametrize(
    "fmt, rdflib_format, quads",
    [
        ("ttl", "turtle", 77),
        ("trig", "trig", 77),
        ("nq", "nquads", 77),
        ("nt", "nt", 77),
        ("jsonld", "json-ld", 77),
        ("xml", "xml", 77),
    ],
)
def test_export_rdf_formats_parse_back(run, built_project, fmt, rdflib_format, quads):
    result = run("export", "--format", fmt, cwd=built_project)
    assert result.exit_code == 0
    assert _parse_rdf(result.stdout_bytes, rdflib_format) == quads


def test_export_inferred(run, built_project):
    result = run("export", "--format", "nq", "--inferred", cwd=built_project)
    assert _parse_rdf(result.stdout_bytes, "nquads") == 90
    assert "graph/inferred" in result.stdout


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_export_network_formats(run, built_project, tmp_path, fmt):
    import networkx as nx

    out = tmp_path / f"jjjkg.{fmt}"
    result = run("export", "-o", str(out), cwd=built_project)
    assert result.exit_code == 0
    assert result.output == f"Wrote {out} ({fmt}, {out.stat().st_size} bytes)\n"
    network = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(out)
    # the entities; paragraphs and sections are the source description, not network nodes
    assert sorted(n.rsplit("/", 1)[1] for n in network) == [
        "binhai",
        "binhai-new-area",
        "cnooc",
        "tianjin",
    ]
    cnooc = network.nodes["https://w3id.org/jjjkg/resource/org/cnooc"]
    assert (cnooc["label"], cnooc["label_zh"], cnooc["label_en"], cnooc["class"]) == (
        "中海油",
        "中海油",
        "CNOOC",
        "jjj:Company",
    )
    edges = {
        (u.rsplit("/", 1)[1], d["property"], v.rsplit("/", 1)[1])
        for u, v, d in network.edges(data=True)
    }
    assert edges == {
        ("cnooc", "jjj:hostedBy", "tianjin"),
        ("binhai", "jjj:locatedIn", "binhai-new-area"),
        ("binhai-new-area", "jjj:locatedIn", "tianjin"),
    }


def test_export_csv(run, built_project):
    result = run("export", "--format", "csv", cwd=built_project)
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == [
        "subject",
        "predicate",
        "object",
        "graph",
        "object_kind",
        "datatype",
        "language",
    ]
    assert len(rows) == 1 + 77
    assert [
        "https://w3id.org/jjjkg/resource/org/cnooc",
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        "中海油",
        "https://w3id.org/jjjkg/resource/graph/catalogue",
        "literal",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
        "zh",
    ] in rows


def test_export_unknown_format(run, built_project):
    result = run("export", "--format", "docx", cwd=built_project)
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: Invalid value for '--format': 'docx' is not one of "
        "'ttl', 'trig', 'nq', 'nt', 'jsonld', 'xml', 'graphml', 'gexf', 'csv'.\n"
    )


def test_export_cannot_guess_format(run, built_project):
    result = run("export", "-o", "graph.docx", cwd=built_project)
    assert result.exit_code == 2
    assert result.output == (
        "Error: cannot guess the export format of 'graph.docx'; use --format "
        "(ttl, trig, nq, nt, jsonld, xml, graphml, gexf, csv)\n"
    )


def test_export_is_deterministic(run, built_project):
    first = run("export", "--format", "gexf", cwd=built_project).stdout_bytes
    assert run("export", "--format", "gexf").stdout_bytes == first


# -- the package as a program and a library --


def test_importing_the_cli_does_not_import_rdflib():
    code = "import sys, jjjkg.cli; print('rdflib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "False\n"


def test_python_dash_m(project):
    out = subprocess.run(
        [sys.executable, "-m", "jjjkg", "build", "--root", str(project)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"Built {project / 'dist'}/ in ") or out.stdout.startswith(
        "Built "
    )


def test_every_command_is_documented():
    """Each command has help text and appears in README.md as `jjjkg NAME`."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    undocumented = [name for name in cli.commands if f"jjjkg {name}" not in readme]
    without_help = [name for name, cmd in cli.commands.items() if not (cmd.help or "").strip()]
    assert undocumented == [], "commands missing from README.md"
    assert without_help == [], "commands without help text"


def test_export_to_a_missing_folder(run, built_project):
    result = run("export", "-o", "no/such/folder/x.ttl", cwd=built_project)
    assert result.exit_code == 2
    assert result.output == (
        "Error: cannot write no/such/folder/x.ttl: No such file or directory\n"
    )


def test_a_failed_write_leaves_the_users_file_as_it_was(run, built_project, monkeypatch):
    """export -o and viz -o write whole or not at all: a full disk at the rename (the last
    step) keeps the old file, and leaves no temporary file beside it."""
    import errno
    import os

    from jjjkg.core import output

    def full(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    mine = built_project / "mine.ttl"
    mine.write_text("my notes\n", encoding="utf-8")
    before = sorted(p.name for p in built_project.iterdir())
    monkeypatch.setattr(output.os, "replace", full)
    for args in (["export", "-o", "mine.ttl"], ["viz", "-o", "mine.ttl"]):
        result = run(*args, cwd=built_project)
        assert result.exit_code == 2
        assert result.output == "Error: cannot write mine.ttl: No space left on device\n"
        assert mine.read_text(encoding="utf-8") == "my notes\n"
        assert sorted(p.name for p in built_project.iterdir()) == before


def test_a_written_file_keeps_its_mode(run, built_project):
    out = built_project / "shared.ttl"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    assert run("export", "-o", "shared.ttl", cwd=built_project).exit_code == 0
    assert out.stat().st_mode & 0o777 == 0o640
    assert out.read_bytes().startswith(b"@prefix")
    out.unlink()


def test_viz_depth_without_focus_is_an_error(run, built_project):
    result = run("viz", "--depth", "2", cwd=built_project)
    assert result.exit_code == 2
    assert result.output.endswith(
        "Error: --depth sets how far --focus reaches; give --focus ENTITY\n"
    )


def test_viz_of_an_empty_answer_says_why(run, built_project, tmp_path):
    nothing = tmp_path / "nothing.rq"
    nothing.write_text("SELECT ?s WHERE { ?s a <urn:x:nothing> }\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "viz",
            "--root",
            str(built_project),
            "--query",
            str(nothing),
            "-o",
            str(tmp_path / "p.html"),
        ],
    )
    assert result.exit_code == 0
    assert result.stdout.endswith("(0 nodes, 0 links)\n")
    assert result.stderr.startswith("Note: the page is empty: --query answers on the asserted")


def test_the_server_is_a_dependency_not_a_test_extra():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(d.split(">")[0] == "oxigraph" for d in project["dependencies"])


@pytest.mark.parametrize(
    "command", [["show", "天津港"], ["stats"], ["query", "-e", "ASK { ?s ?p ?o }"], ["export"]]
)
def test_a_reader_makes_no_folder_of_a_mistyped_dist(run, built_project, command):
    missing = built_project / "dsit"
    result = run(*command, "--dist", str(missing), cwd=built_project)
    assert result.exit_code == 2
    assert result.output == (
        f"{missing}: no such folder; `jjjkg build --dist {missing}` makes a build there\n"
    )
    assert not missing.exists()
