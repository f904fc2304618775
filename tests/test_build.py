"""The build pipeline: outputs, no-op, determinism, atomicity, round trips, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FILES, REPO, write_project

from jjjkg.core.errors import QueryError, SourceError, ValidationError
from jjjkg.core.project import HASHING
from jjjkg.core.project import RDF_OUTPUTS as OUTPUTS
from jjjkg.pipeline.build import build

JJJR = "https://w3id.org/jjjkg/resource/"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by relative path; not the RocksDB files of `store/` (they
    carry timestamps and random ids: the store's content is that of the files it loads) nor
    the stats of the hashed inputs (`HASHING`: this machine's inodes and times)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.relative_to(folder).parts[0] not in ("store", HASHING)
    }


def test_build_writes_every_output(project: Path):
    result = build(project)
    assert not result.up_to_date
    assert result.dist == project / "dist"
    for name in (*OUTPUTS, "manifest.json"):
        assert (project / "dist" / name).is_file(), name
    manifest = json.loads((project / "dist" / "manifest.json").read_text())
    assert manifest["triples"]["total"] == result.triples == 90
    assert manifest["triples"]["inferred"] == result.inferred == 13
    assert manifest["entities"]["classes"] == {
        "jjj:ArticleSection": 1,
        "jjj:Company": 1,
        "jjj:Paragraph": 2,
        "jjj:Park": 1,
        "jjj:Place": 2,
    }
    assert sorted(manifest["inputs"]) == sorted(FILES)
    assert JJJR + "graph/shapes" not in manifest["triples"]["graphs"]
    assert manifest["validation"] == {"checks": 2, "shapes": 1, "warnings": 0}


def test_second_build_is_a_no_op(project: Path):
    first = build(project)
    before = snapshot(project / "dist")
    again = build(project)
    assert again.up_to_date
    assert again.triples == first.triples
    assert snapshot(project / "dist") == before


def test_no_op_build_does_not_import_rdflib(project: Path):
    build(project)
    code = (
        "import sys; from pathlib import Path; from jjjkg.pipeline.build import build; "
        f"r = build(Path({str(project)!r})); "
        "print(r.up_to_date, 'rdflib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]


def test_changed_input_rebuilds(project: Path):
    build(project)
    catalogue = project / "graph" / "catalogue.trig"
    catalogue.write_text(
        catalogue.read_text().replace('"CNOOC"@en', '"China National Offshore Oil"@en')
    )
    result = build(project)
    assert not result.up_to_date
    assert "China National Offshore Oil" in (project / "dist" / "jjjkg.ttl").read_text()


def test_force_rebuilds(project: Path):
    build(project)
    assert not build(project, force=True).up_to_date


def test_output_is_byte_identical_across_runs_and_hash_seeds(project: Path, tmp_path: Path):
    """Same sources → same bytes, in-process twice and in subprocesses with other seeds."""
    build(project, tmp_path / "a")
    build(project, tmp_path / "b", force=True)
    expected = snapshot(tmp_path / "a")
    assert snapshot(tmp_path / "b") == expected
    for seed in ("0", "4242"):
        dist = tmp_path / f"seed-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "jjjkg", "build", "--root", str(project), "--dist", str(dist)],
            env=env,
            check=True,
            capture_output=True,
        )
        assert snapshot(dist) == expected, f"PYTHONHASHSEED={seed}"


@pytest.mark.parametrize(
    "breakage, error",
    [
        (("graph/catalogue.trig", "skos:prefLabel", "skos:prefLabel ,"), SourceError),
        (("graph/catalogue.trig", '"中海油"@zh, ', ""), ValidationError),
    ],
    ids=["syntax-error", "shacl-violation"],
)
def test_failed_build_leaves_old_dist_intact(project: Path, breakage, error):
    build(project)
    before = snapshot(project / "dist")
    rel, old, new = breakage
    path = project / rel
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(error):
        build(project)
    assert snapshot(project / "dist") == before
    assert sorted(p.name for p in project.iterdir()) == ["dist", "graph", "ontology", "queries"]


def test_failed_first_build_writes_nothing(project: Path):
    path = project / "graph" / "source.trig"
    path.write_text(path.read_text() + "\nthis is not trig\n")
    with pytest.raises(SourceError):
        build(project)
    assert sorted(p.name for p in project.iterdir()) == ["graph", "ontology", "queries"]


# -- round trips --


def _graphs(ds) -> dict[str, object]:
    from rdflib import Graph

    graphs: dict[str, Graph] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        graphs.setdefault(str(g), Graph()).add((s, p, o))
    return graphs


def _isomorphic_graphs(left, right) -> None:
    from rdflib.compare import isomorphic

    assert sorted(left) == sorted(right)
    for name in left:
        assert isomorphic(left[name], right[name]), name


def test_every_output_parses_back_to_the_same_triples(built_project: Path):
    assert_round_trip(built_project / "dist")


def test_real_outputs_parse_back_to_the_same_triples(built_dist: Path):
    assert_round_trip(built_dist)


def assert_round_trip(dist: Path) -> None:
    """Each RDF file of dist/ holds the same graphs as jjjkg.nq (up to blank-node names)."""
    from rdflib import Dataset, Graph
    from rdflib.compare import isomorphic

    nq = Dataset()
    nq.parse(dist / "jjjkg.nq", format="nquads")
    graphs = _graphs(nq)
    assert JJJR + "graph/inferred" in graphs
    assert JJJR + "graph/shapes" not in graphs
    for name, fmt in (("jjjkg.trig", "trig"), ("jjjkg.jsonld", "json-ld")):
        other = Dataset()
        other.parse(dist / name, format=fmt)
        _isomorphic_graphs(_graphs(other), graphs)
    asserted = Graph()
    for name, graph in graphs.items():
        if name != JJJR + "graph/inferred":
            asserted += graph
    assert isomorphic(Graph().parse(dist / "jjjkg.ttl", format="turtle"), asserted)
    inferred = Graph().parse(dist / "jjjkg-inferred.ttl", format="turtle")
    assert isomorphic(inferred, graphs[JJJR + "graph/inferred"])


def test_load_built_returns_the_dataset_of_the_nquads(built_project: Path):
    from jjjkg.dist.dataset import load_built

    ds = load_built(built_project / "dist")
    manifest = json.loads((built_project / "dist" / "manifest.json").read_text())
    counts = {str(g.identifier): len(g) for g in ds.graphs() if len(g)}
    assert counts == manifest["triples"]["graphs"]


def test_ensure_built_builds_a_stale_project(project: Path):
    from jjjkg.dist import ensure_built

    assert ensure_built(project) == project / "dist"
    assert (project / "dist" / "manifest.json").is_file()


# -- reasoning --


def test_inferred_graph_has_the_closure_and_no_noise(built_project: Path):
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.namespace import OWL, RDF, RDFS

    inferred = Graph().parse(built_project / "dist" / "jjjkg-inferred.ttl")
    park, tianjin = URIRef(JJJR + "park/binhai"), URIRef(JJJR + "place/tianjin")
    jjj = "https://w3id.org/jjjkg/ontology#"
    assert (park, URIRef(jjj + "locatedIn"), tianjin) in inferred  # transitive
    assert (tianjin, URIRef(jjj + "hosts"), URIRef(JJJR + "org/cnooc")) in inferred  # inverse
    for s, p, o in inferred:
        assert not isinstance(s, (Literal, BNode)) and not isinstance(o, BNode)
        assert not (s == o and p in (OWL.sameAs, RDFS.subClassOf, OWL.equivalentClass))
        assert o not in (OWL.Thing, RDFS.Resource)
        assert not str(s).startswith((str(OWL), str(RDF), str(RDFS)))


# -- bad input --


def _break(project: Path, rel: str, text: str) -> Path:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return project


@pytest.mark.parametrize(
    "rel, text, expected",
    [
        (
            "graph/section-01.trig",
            "@prefix jjj: <https://w3id.org/jjjkg/ontology#> .\n\n<urn:g> {\n"
            "  <urn:a> jjj:p <urn:b> \n  <urn:c> jjj:p <urn:d> .\n}\n",
            "graph/section-01.trig:5:3: bad syntax: "
            "A '}' or a '.' is expected at the end of a graph block",
        ),
        (
            "graph/section-01.trig",
            "<urn:g> {\n  <urn:a> zz:p <urn:b> .\n}\n",
            "graph/section-01.trig:2:11: bad syntax: The prefix zz: has not been declared",
        ),
        (
            "ontology/jjjkg.ttl",
            '<urn:a> <urn:b> "unterminated\n.\n',
            "ontology/jjjkg.ttl:1:17: bad syntax: Unexpected end of file",
        ),
        (
            "graph/notes.xml",
            "<rdf/>",
            "graph/notes.xml: unknown format '.xml' (expected .ttl or .trig)",
        ),
        ("ontology/extra.trig", "", "ontology/extra.trig: unknown format '.trig' (expected .ttl)"),
    ],
    ids=[
        "missing-dot",
        "unbound-prefix",
        "newline-in-string",
        "unknown-format",
        "trig-in-ontology",
    ],
)
def test_bad_input_is_one_located_message(project: Path, rel, text, expected):
    _break(project, rel, text)
    with pytest.raises(SourceError) as info:
        build(project)
    assert str(info.value) == expected
    assert info.value.exit_code == 2
    assert not (project / "dist").exists()


def test_non_utf8_file(project: Path):
    (project / "graph" / "source.trig").write_bytes(b"# ok\n\xff\xfe\n")
    with pytest.raises(SourceError, match=r"^graph/source.trig:2: not UTF-8 text$"):
        build(project)


def test_missing_root(tmp_path: Path):
    with pytest.raises(SourceError) as info:
        build(tmp_path / "nowhere")
    assert str(info.value) == f"{tmp_path / 'nowhere'}: no such directory"


def test_root_without_sources(tmp_path: Path):
    with pytest.raises(SourceError, match="not a jjjkg project"):
        build(tmp_path)


def test_bad_check_query_is_located(project: Path):
    _break(project, "queries/checks/broken.rq", "SELECT ?x WHERE {\n  ?x ?y \n}\n")
    with pytest.raises(QueryError) as info:
        build(project)
    assert str(info.value) == "queries/checks/broken.rq:3:2: bad query: expected OPTIONAL"


def test_shacl_violation_report(project: Path):
    path = project / "graph" / "catalogue.trig"
    path.write_text(path.read_text().replace('"中海油"@zh, ', "").replace('"天津"@zh', '"天津"'))
    with pytest.raises(ValidationError) as info:
        build(project)
    assert info.value.exit_code == 1
    assert [str(v) for v in info.value.report.violations] == [
        "jorg:cnooc  jjj:EntityShape skos:prefLabel  needs a skos:prefLabel in Chinese (@zh)",
        "jplace:tianjin  jjj:EntityShape skos:prefLabel  labels are language-tagged strings"
        ' (value "天津")',
        "jplace:tianjin  jjj:EntityShape skos:prefLabel  needs a skos:prefLabel in Chinese (@zh)",
    ]


def test_failing_check_is_a_violation(project: Path):
    path = project / "graph" / "catalogue.trig"
    path.write_text(path.read_text().replace('"CNOOC"@en', '"CNOOC"@de'))
    with pytest.raises(ValidationError) as info:
        build(project)
    assert [str(v) for v in info.value.report.violations] == [
        "jorg:cnooc  queries/checks/english-labels.rq  every entity has an English label"
    ]
    assert str(info.value) == "SHACL conforms (1 shape); checks 1/2 passed"


def test_default_graph_of_a_trig_file_goes_to_a_graph_named_after_it(project: Path):
    from jjjkg.dist.dataset import load_built

    _break(
        project,
        "graph/background.trig",
        "<https://w3id.org/jjjkg/resource/place/tianjin> "
        '<http://www.w3.org/2000/01/rdf-schema#comment> "a city"@en .\n',
    )
    ds = load_built(build(project).dist)
    assert len(ds.graph(__import__("rdflib").URIRef(JJJR + "graph/background"))) == 1


# -- the real repository --


def test_real_repository_builds(built_dist: Path):
    """The repository's own ontology and graph build, validate and round-trip."""
    manifest = json.loads((built_dist / "manifest.json").read_text())
    assert manifest["triples"]["total"] > 0
    for name in OUTPUTS:
        assert (built_dist / name).stat().st_size > 0
    assert "dist" not in {p.name for p in REPO.iterdir()} or (REPO / "dist") != built_dist


def test_write_project_helper(tmp_path: Path):
    root = write_project(tmp_path / "p", {"graph/a.trig": ""})
    assert (root / "graph" / "a.trig").read_text() == ""


def test_load_built_without_a_build(tmp_path: Path):
    from jjjkg.dist.dataset import load_built

    with pytest.raises(SourceError) as info:
        load_built(tmp_path)
    assert str(info.value) == f"{tmp_path}: no built dataset here; run `jjjkg build` first"


# -- the Oxigraph pipeline: parallel validation, reasoners, progress, big graphs --


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")
def test_parallel_validation_gives_the_same_bytes(project: Path, tmp_path: Path):
    """Big graphs validate in child processes; the output must not change."""
    serial = build(project, tmp_path / "serial", parallel=False)
    forked = build(project, tmp_path / "forked", parallel=True)
    assert snapshot(tmp_path / "forked") == snapshot(tmp_path / "serial")
    assert list(forked.timings)[:5] == list(serial.timings)[:5]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")
@pytest.mark.parametrize(
    "breakage, error",
    [
        (("graph/catalogue.trig", '"中海油"@zh, ', ""), ValidationError),
        (("queries/checks/broken.rq", "", "SELECT ?x WHERE {\n  ?x ?y \n}\n"), QueryError),
        (("graph/catalogue.trig", '"CNOOC"@en', '"CNOOC"@de'), ValidationError),
    ],
    ids=["shacl", "bad-check", "failing-check"],
)
def test_parallel_validation_fails_like_serial(project: Path, breakage, error):
    rel, old, new = breakage
    path = project / rel
    path.write_text(path.read_text().replace(old, new, 1) if old else new)
    messages = []
    for parallel in (False, True):
        with pytest.raises(error) as info:
            build(project, parallel=parallel)
        report = getattr(info.value, "report", None)
        messages.append((str(info.value), [str(v) for v in report.violations] if report else []))
    assert messages[0] == messages[1]
    assert sorted(p.name for p in project.iterdir()) == ["graph", "ontology", "queries"]


def test_owlrl_reasoner_gives_the_same_output(project: Path, tmp_path: Path):
    rules = build(project, tmp_path / "rules")
    owlrl = build(project, tmp_path / "owlrl", reasoner="owlrl")
    assert (rules.triples, rules.inferred) == (owlrl.triples, owlrl.inferred) == (90, 13)
    for name in OUTPUTS:
        assert (tmp_path / "rules" / name).read_bytes() == (tmp_path / "owlrl" / name).read_bytes()
    # the reasoner is part of what makes dist/ up to date
    assert not build(project, tmp_path / "rules", reasoner="owlrl").up_to_date
    assert build(project, tmp_path / "rules", reasoner="owlrl").up_to_date


def test_unknown_reasoner(project: Path):
    from jjjkg.core.errors import JjjkgError

    with pytest.raises(JjjkgError, match="unknown reasoner 'pellet'"):
        build(project, reasoner="pellet")


def test_progress_notes(project: Path):
    notes: list[str] = []
    build(project, progress=notes.append)
    stages = [note.split(":")[0].split(" ")[0] for note in notes]
    for stage in ("load", "shacl", "reason", "checks", "write"):
        assert stage in stages
    assert build(project, progress=notes.append).up_to_date  # a no-op says nothing more


def test_blank_nodes_get_labels_by_file_and_order(built_project: Path):
    nq = (built_project / "dist" / "jjjkg.nq").read_text()
    # graph/section-01.trig is the 2nd input file: its one blank node is _:f1b0
    assert "_:f1b0 <http://www.w3.org/2000/01/rdf-schema#comment>" in nq
    assert "_:f3b0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first>" in nq  # the union list


def test_no_site_for_a_big_graph(project: Path, monkeypatch):
    import jjjkg.pipeline.build

    monkeypatch.setattr(jjjkg.pipeline.build, "SITE_MAX_TRIPLES", 50)
    result = build(project)
    assert result.site_files == 0
    assert (
        result.site_note
        == "site/ skipped: 90 triples, more than a browser view can show (limit 50)"
    )
    assert not (project / "dist" / "site").exists()
    assert build(project).up_to_date


def test_nquads_are_sorted_by_graph_then_triple(built_project: Path):
    lines = (built_project / "dist" / "jjjkg.nq").read_bytes().splitlines()

    def key(line: bytes) -> tuple[bytes, bytes]:
        graph = line[line.rindex(b" ", 0, len(line) - 2) + 1 : -2]
        return graph, line

    assert lines == sorted(lines, key=key)
    assert len(set(lines)) == len(lines)
