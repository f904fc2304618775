"""The data set's description `dist/void.ttl`: its files, counts, version, source and dates."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import REPO
from rdflib import RDF, Literal, Namespace, URIRef

from jjjkg.cli import cli
from jjjkg.core.errors import DescriptionError
from jjjkg.core.project import HASHING
from jjjkg.core.terms import shorten
from jjjkg.pipeline.describe import parse_description, validate_description

DCAT = Namespace("http://www.w3.org/ns/dcat#")
VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCT = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
DATASET = URIRef("https://w3id.org/jjjkg/resource/dataset")
ARTICLE = URIRef("https://w3id.org/jjjkg/resource/article/tianjin-jjj-decade")
SHAPES = REPO / "ontology" / "dataset-shapes.ttl"


def described(dist: Path):
    return parse_description((dist / "void.ttl").read_text(encoding="utf-8"), dist)


def manifest(dist: Path) -> dict:
    return json.loads((dist / "manifest.json").read_text(encoding="utf-8"))


def nq_store(dist: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(dist / "jjjkg.nq"), format=ox.RdfFormat.N_QUADS)
    return store


def test_every_file_but_the_description_and_manifest_is_described_with_size_and_sha256(
    built_dist,
):
    g = described(built_dist)
    found = {}
    for distribution in g.objects(DATASET, DCAT.distribution):
        url = g.value(distribution, DCAT.downloadURL)
        path = Path(urllib.parse.unquote(urllib.parse.urlparse(str(url)).path))
        checksum = g.value(distribution, SPDX.checksum)
        assert g.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        found[path.relative_to(built_dist.resolve()).as_posix()] = (
            int(g.value(distribution, DCAT.byteSize)),
            str(g.value(checksum, SPDX.checksumValue)),
        )
    on_disk = sorted(
        p.relative_to(built_dist).as_posix() for p in built_dist.rglob("*") if p.is_file()
    )
    listed = [n for n in on_disk if n not in ("void.ttl", "manifest.json")]
    # the readers' indexes (the query store's RocksDB files, the names) and the stats of the
    # hashed inputs (this machine's state) are not distributions
    assert "names.tsv" in listed and HASHING in listed
    indexes = [n for n in listed if n.startswith("store/") or n in ("names.tsv", HASHING)]
    assert sorted(found) == [n for n in listed if n not in indexes]
    for name, (size, digest) in found.items():
        data = (built_dist / name).read_bytes()
        assert (size, digest) == (len(data), hashlib.sha256(data).hexdigest()), name
    assert (
        manifest(built_dist)["files"]["void.ttl"]
        == hashlib.sha256((built_dist / "void.ttl").read_bytes()).hexdigest()
    )


def test_counts_agree_with_the_store_and_the_manifest(built_dist):
    g, store, built = described(built_dist), nq_store(built_dist), manifest(built_dist)
    assert int(g.value(DATASET, VOID.triples)) == len(store) == built["triples"]["total"]
    per_property = {
        str(g.value(part, VOID.property)): int(g.value(part, VOID.triples))
        for part in g.objects(DATASET, VOID.propertyPartition)
    }
    in_store = {
        p.value: int(n.value)
        for p, n in store.query(
            "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?p"
        )
    }
    assert per_property == in_store
    assert int(g.value(DATASET, VOID.entities)) == built["entities"]["total"]
    per_class = {
        shorten(str(g.value(part, VOID["class"]))): int(g.value(part, VOID.entities))
        for part in g.objects(DATASET, VOID.classPartition)
    }
    assert per_class == built["entities"]["classes"]
    assert URIRef("https://w3id.org/jjjkg/ontology#") in set(g.objects(DATASET, VOID.vocabulary))


def test_version_licence_and_source_come_from_the_repository(built_dist):
    g = described(built_dist)
    version = (REPO / "graph" / "VERSION").read_text(encoding="utf-8").strip()
    assert g.value(DATASET, DCAT.version) == Literal(version)
    assert manifest(built_dist)["dataset"]["version"] == version
    index = (built_dist / "site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'class="version">.*Data version.*' + re.escape(version), index)
    assert g.value(DATASET, DCT.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert g.value(DATASET, PROV.wasDerivedFrom) == ARTICLE
    # the article as the source graph states it: its title and author, nothing invented
    assert set(g.predicates(ARTICLE)) == {RDF.type, DCT.title, DCT.creator}
    assert set(g.objects(ARTICLE, DCT.title)) == {Literal("握紧“方向盘” 跑好“接力赛”", lang="zh")}
    assert set(g.objects(ARTICLE, DCT.creator)) == {Literal("朱波", lang="zh")}
    titles = {(t.value, t.language) for t in g.objects(DATASET, DCT.title)}
    assert {lang for _, lang in titles} == {"zh", "en"}


def test_the_shapes_refuse_a_description_that_lacks_a_checksum_or_a_title(built_dist):
    text = (built_dist / "void.ttl").read_text(encoding="utf-8")
    validate_description(text, SHAPES, built_dist)  # the built one conforms
    broken = re.sub(r'"[0-9a-f]{64}"\^\^xsd:hexBinary', '"f00d"^^xsd:hexBinary', text, count=1)
    broken = broken.replace(
        ', "Beijing–Tianjin–Hebei Coordinated Development Knowledge Graph"@en', ""
    )
    with pytest.raises(DescriptionError) as raised:
        validate_description(broken, SHAPES, built_dist)
    assert str(raised.value) == "the data set description fails its shapes (3 violations)"
    assert sorted(v.message for v in raised.value.report.violations) == [
        "a SHA-256 value: 64 lower-case hex digits",
        "a title in Chinese and one in English",
        "one checksum",
    ]


# -- the tiny project: versions and dates --


TINY_ARTICLE = f"""
<https://w3id.org/jjjkg/resource/graph/source> {{
    <{ARTICLE}> a jjj:Article ; <{DCT}title> "测试文章"@zh ; <{DCT}creator> "测试作者"@zh .
}}
"""


def versioned(project: Path, version: str = "1.0.0", stated: str | None = "1.0.0") -> Path:
    """The tiny project with a version, the description's shapes, and what the description
    needs: a licence and creator in the ontology header, an article in the source graph."""
    (project / "graph" / "VERSION").write_text(version + "\n", encoding="utf-8")
    shutil.copy(SHAPES, project / "ontology" / "dataset-shapes.ttl")
    header = f"    <{DCT}license> <https://creativecommons.org/licenses/by/4.0/> ;\n"
    header += f'    <{DCT}creator> "jjjkg tests" ;\n'
    if stated is not None:
        header += f'    owl:versionInfo "{stated}" ;\n'
        header += f"    owl:versionIRI <https://w3id.org/jjjkg/ontology/{stated}> ;\n"
    ontology = project / "ontology" / "jjjkg.ttl"
    text = ontology.read_text(encoding="utf-8").replace(
        'rdfs:label "京津冀知识图谱本体"@zh, "JJJ KG ontology"@en .',
        header + '    rdfs:label "京津冀知识图谱本体"@zh, "JJJ KG ontology"@en .',
    )
    ontology.write_text(text, encoding="utf-8")
    source = project / "graph" / "source.trig"
    source.write_text(source.read_text(encoding="utf-8") + TINY_ARTICLE, encoding="utf-8")
    return project


def build(project: Path):
    return CliRunner().invoke(cli, ["build", "--root", str(project)])


def test_an_ontology_of_another_version_stops_the_build_in_one_line(project):
    result = build(versioned(project, "1.1.0", stated="1.0.0"))
    assert result.exit_code == 1
    assert result.output == (
        "Error: the ontology's owl:versionInfo is 1.0.0 but graph/VERSION says 1.1.0: "
        "set owl:versionInfo to 1.1.0\n"
    )
    assert not (project / "dist").exists()


def test_an_ontology_without_a_version_stops_the_build_in_one_line(project):
    result = build(versioned(project, stated=None))
    assert result.exit_code == 1
    assert result.output == (
        "Error: the ontology's owl:versionInfo is nothing but graph/VERSION says 1.0.0: "
        "set owl:versionInfo to 1.0.0\n"
    )


def test_a_version_file_that_is_not_a_version_is_a_located_error(project):
    versioned(project)
    (project / "graph" / "VERSION").write_text("1.0.0\nsecond line\n", encoding="utf-8")
    result = build(project)
    assert result.exit_code == 2
    assert result.output == (
        "graph/VERSION:1: expected one line with a version number such as 1.2.0\n"
    )


def test_without_git_there_are_no_dates_rather_than_invented_ones(project):
    assert build(versioned(project)).exit_code == 0
    g = described(project / "dist")
    assert g.value(DATASET, DCT.issued) is None and g.value(DATASET, DCT.modified) is None
    assert manifest(project / "dist")["dataset"] == {
        "version": "1.0.0",
        "issued": None,
        "modified": None,
        "dates": "none: not in a git work tree",
        "description": "void.ttl",
    }


def git(project: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )


def dates(project: Path) -> tuple[str | None, str | None]:
    """dcterms:issued and dcterms:modified as written."""
    text = (project / "dist" / "void.ttl").read_text(encoding="utf-8")
    found = [
        re.search(rf'dcterms:{key} "([^"]+)"\^\^xsd:dateTime', text)
        for key in ("issued", "modified")
    ]
    return tuple(match.group(1) if match else None for match in found)


def test_dates_are_the_commit_dates_of_the_version_and_of_the_inputs(project):
    versioned(project)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "v1", date="2024-03-01T10:00:00+08:00")
    assert build(project).exit_code == 0
    assert dates(project) == ("2024-03-01T02:00:00Z", "2024-03-01T02:00:00Z")
    first = (project / "dist" / "void.ttl").read_bytes()
    assert CliRunner().invoke(cli, ["build", "--force", "--root", str(project)]).exit_code == 0
    assert (project / "dist" / "void.ttl").read_bytes() == first  # the clock plays no part

    catalogue = project / "graph" / "catalogue.trig"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert build(project).exit_code == 0
    assert dates(project) == ("2024-03-01T02:00:00Z", None)  # not committed: no modified
    assert (
        manifest(project / "dist")["dataset"]["dates"] == "git; inputs not committed: no modified"
    )

    git(project, "commit", "-qam", "more", date="2024-04-02T00:00:00Z")
    # a commit changes no input: dist/ is up to date, so only a forced build sees the new date
    assert CliRunner().invoke(cli, ["build", "--force", "--root", str(project)]).exit_code == 0
    assert dates(project) == ("2024-03-01T02:00:00Z", "2024-04-02T00:00:00Z")


def test_the_readme_excerpt_of_the_description_is_what_the_build_writes(built_dist):
    """Every line of the README's `dist/void.ttl` excerpt, but those that change with each
    commit or data change (dates, size, checksum), is a line of the built description."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ sed -n '40,49p;261,267p' dist/void.ttl\n", 1)[1].split("```", 1)[0]
    volatile = ("dcterms:issued", "dcterms:modified", "dcat:byteSize", "spdx:checksumValue")
    shown = [line for line in block.splitlines() if line.strip() != "…"]
    written = set((built_dist / "void.ttl").read_text(encoding="utf-8").splitlines())
    missing = [
        line for line in shown if line not in written and not any(v in line for v in volatile)
    ]
    assert len(shown) > 10 and missing == []
