"""The query library: pinned answers, rdflib and pyoxigraph agree, checks pass and bite.

One parametrised test per folder (queries/*.rq, queries/checks/*.rq), so a new query cannot
go untested. Re-pin with `.venv/bin/python tests/pin_queries.py [NAME ...]` and review the
diff against the article.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import query_rows
from pin_queries import EXPECTED, read_pin

from jjjkg.core.terms import PREFIXES
from jjjkg.dist.store import open_store
from jjjkg.readers import query, render

REPO = Path(__file__).resolve().parent.parent
NAMED = sorted(p.stem for p in (REPO / "queries").glob("*.rq"))
CHECKS = sorted(p.stem for p in (REPO / "queries" / "checks").glob("*.rq"))
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="session")
def store(built_dist):
    return open_store(built_dist)


@pytest.fixture(scope="session")
def union_dataset(built_dist):
    """The built dataset in rdflib, default graph = union of all graphs (as `store` sees it)."""
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    ds.parse(built_dist / "jjjkg.nq", format="nquads")
    return ds


def named(name: str) -> query.NamedQuery:
    return query.find_query(REPO, name)


def run(store, item: query.NamedQuery):
    return query_rows.result_rows(query.execute(store, item, query.bindings(item)))


# -- the library --


def test_library_is_large_enough_and_covers_every_section():
    assert len(NAMED) >= 25
    tags = {t for q in query.library(REPO) for t in q.tags}
    assert {f"s{n}" for n in range(10)} <= tags


@pytest.mark.parametrize("name", NAMED + [f"checks/{c}" for c in CHECKS])
def test_header(name):
    """Every query says what it answers, in English and Chinese, with tags."""
    item = named(name)
    assert item.summary and not CJK.search(item.summary)
    assert CJK.search(item.question)
    assert item.tags
    if re.search(r"^\s*SELECT", item.text, re.M | re.I):
        select = re.search(r"SELECT(.*?)WHERE", item.text, re.S | re.I).group(1)
        for var in item.params:  # pyoxigraph binds only projected variables
            assert f"?{var}" in select, f"#+ param {var} must be in the SELECT clause"


def test_every_link_kind_is_queried(store):
    """Each jjj: property a paragraph states appears in at least one named query."""
    rows = store.query(
        "SELECT DISTINCT ?p WHERE { GRAPH ?g { ?s ?p ?o } "
        "FILTER(STRSTARTS(STR(?g), STR(jart:)) && STRSTARTS(STR(?p), STR(jjj:))) }"
    )
    used = {row[0].value.removeprefix(PREFIXES["jjj"]) for row in rows}
    text = "\n".join(q.text for q in query.library(REPO))
    missing = sorted(p for p in used if not re.search(rf"jjj:{p}\b", text))
    assert not missing


@pytest.mark.parametrize("name", NAMED)
def test_query_matches_pin(store, name):
    header, rows = run(store, named(name))
    assert rows, f"{name} returned nothing"
    pin = EXPECTED / f"{name}.csv"
    assert pin.exists(), f"no pin: run tests/pin_queries.py {name}"
    assert (header, rows) == read_pin(pin)


@pytest.mark.parametrize("name", NAMED)
def test_engines_agree(store, union_dataset, name):
    """rdflib (the model) and pyoxigraph (the fast engine) give the same rows."""
    item = named(name)
    assert query_rows.run_rdflib(union_dataset, item, query.bindings(item)) == run(store, item)


# -- convention checks --


@pytest.mark.parametrize("name", CHECKS)
def test_check_passes(store, union_dataset, name):
    item = named(f"checks/{name}")
    assert run(store, item)[1] == []
    assert query_rows.run_rdflib(union_dataset, item)[1] == []


HEAD = "".join(f"@prefix {k}: <{v}> .\n" for k, v in PREFIXES.items())
ONTOLOGY = """
jgraph:ontology {
  jjj:Place a owl:Class ; rdfs:label "地点"@zh , "place"@en ;
      skos:definition "A place."@en ; rdfs:isDefinedBy <https://w3id.org/jjjkg/ontology> .
  jjj:Observation a owl:Class ; rdfs:label "数据"@zh , "observation"@en ;
      skos:definition "A figure."@en ; rdfs:isDefinedBy <https://w3id.org/jjjkg/ontology> .
  jjj:locatedIn a owl:ObjectProperty ; rdfs:label "位于"@zh , "located in"@en ;
      skos:definition "Lies in."@en ; rdfs:isDefinedBy <https://w3id.org/jjjkg/ontology> .
}
jgraph:source {
  jart:p01 a jjj:Paragraph ; jjj:inSection jart:s1 ; jjj:paragraphNumber 1 .
  jart:p01-s1 a jjj:Sentence ; jjj:inParagraph jart:p01 ; jjj:sentenceNumber 1 .
}
"""
# Per check: data that breaks the convention, so the check must return rows.
BAD = {
    "catalogue-entity-never-mentioned": "jgraph:catalogue { jplace:x a jjj:Place . }",
    "chinese-in-iri": "jart:p01 { <https://w3id.org/jjjkg/resource/place/天津> a jjj:Place . }",
    "class-without-labels": 'jgraph:ontology { jjj:Zone a owl:Class ; rdfs:label "区"@zh . }',
    "duplicate-zh-label": 'jgraph:catalogue { jplace:a skos:prefLabel "天津"@zh . '
    'jplace:b skos:prefLabel "天津"@zh . }',
    "entity-without-preflabel": "jgraph:catalogue { jplace:x a jjj:Place ; "
    'skos:prefLabel "甲"@zh . }',
    "entity-without-type": "jart:p01 { jplace:x jjj:locatedIn jplace:y . }",
    "extraction-damage": 'jgraph:catalogue { jpark:x skos:prefLabel "天津滨海一中关村科技园"@zh . '
    'jobs:y jjj:statedAs "PM25平均浓度"@zh . }',
    "claim-outside-sentence": "jart:p01 { jplace:x jjj:locatedIn jplace:y . }",
    "label-without-language": 'jgraph:catalogue { jplace:x skos:prefLabel "Tianjin" . }',
    "name-stated-relation-in-background": "jgraph:catalogue { "
    'jorg:g skos:prefLabel "天津港集团"@zh . jplace:t skos:prefLabel "天津"@zh . } '
    "jgraph:background { jorg:g jjj:locatedIn jplace:t . }",
    "numeric-value-as-string": 'jart:p01 { jobs:x jjj:value "4900" . }',
    "observation-incomplete": "jart:p01 { jobs:x a jjj:Observation ; jjj:value 1.0 . }",
    "observation-outside-sentence": "jgraph:catalogue { jobs:x a jjj:Observation ; "
    "jjj:value 1.0 . }",
    "plan-with-achieved-status": "jgraph:source { jart:p21 jjj:inSection jart:s8 . "
    "jart:p21-s1 jjj:inParagraph jart:p21 . } "
    "jart:p21-s1 { jpol:x jjj:hasStatus jstat:completed . }",
    "planned-action-outside-plans": "jart:p01-s1 { jpol:x jjj:hasStatus jstat:planned . }",
    "sentence-outside-paragraph": "jgraph:source { jart:p01-s2 a jjj:Sentence ; "
    "jjj:inParagraph jart:p01 ; jjj:sentenceNumber 1 . }",
    "term-without-definition": 'jgraph:ontology { jjj:Zone a owl:Class ; rdfs:label "区"@zh . }',
    "undefined-term": "jart:p01 { jplace:x jjj:nearTo jplace:y . }",
    "vocabulary-term-undefined": "jart:p01 { jproj:x jjj:hasStatus jstat:finished . }",
}


def test_every_check_has_a_bad_case():
    assert sorted(BAD) == CHECKS


@pytest.mark.parametrize("name", sorted(BAD))
def test_check_catches_bad_data(name):
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    ds.parse(data=HEAD + ONTOLOGY + BAD[name], format="trig")
    assert query_rows.run_rdflib(ds, named(f"checks/{name}"))[1]


def test_damage_check_spares_real_names():
    """天津一中 is a school's name, 一体化/一卡通 are words: only 一 for a dash is damage."""
    from rdflib import Dataset

    ds = Dataset(default_union=True)
    good = 'jgraph:catalogue { jorg:a skos:prefLabel "天津一中"@zh , "京津冀一体化"@zh , '
    good += '"社保卡“一卡通”"@zh , "天津滨海—中关村科技园"@zh , "PM2.5"@en . }'
    ds.parse(data=HEAD + good, format="trig")
    assert query_rows.run_rdflib(ds, named("checks/extraction-damage"))[1] == []


# -- parameters and terms --


def test_bind_values_parse():
    assert query.parse_term("jpark:tiankai-park").value == PREFIXES["jpark"] + "tiankai-park"
    assert query.parse_term("<https://example.org/x>").value == "https://example.org/x"
    assert query.parse_term('"天津"@zh').language == "zh"
    assert query.parse_term("2023").datatype.value.endswith("#integer")
    assert query.parse_term("57.2").datatype.value.endswith("#decimal")
    assert query.parse_term('"2023"^^xsd:gYear').datatype.value.endswith("#gYear")
    assert query.parse_term("天津").value == "天津"


def test_bind_unknown_variable_is_refused():
    with pytest.raises(query.QueryError, match="no variable"):
        query.bindings(named("park-figures"), ["nothing=1"])


def test_display_width_counts_cjk_twice():
    from wcwidth import wcswidth

    for text in ("天津滨海—中关村科技园", "PM2.5", "“京津冀+雄安”", "京津冀 ５G"):
        assert render.display_width(text) == wcswidth(text)


# -- freshness of dist/ --


def test_ensure_built_rebuilds_exactly_when_content_changed(project, monkeypatch):
    """Freshness is content: a touch does not rebuild, an edit right after a build does."""
    import os

    from jjjkg import dist
    from jjjkg.pipeline import build as pipeline

    root = project
    pipeline.build(root)
    calls = []
    real = pipeline.build
    monkeypatch.setattr(pipeline, "build", lambda r, d: calls.append(r) or real(r, d))
    source = root / "graph" / "catalogue.trig"
    os.utime(source)  # newer mtime, same content
    assert dist.ensure_built(root) == root / "dist" and calls == []
    source.write_text(source.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    dist.ensure_built(root)
    assert calls == [root]
    dist.ensure_built(root)
    assert calls == [root]


def test_readers_skip_hashing_unchanged_inputs_but_see_every_change(project, monkeypatch):
    """A reader reuses the build's hash of an input whose stat is the one recorded (and had
    settled); an edit of the same size with its mtime put back is still seen (ctime)."""
    import os

    from jjjkg.core import project as paths
    from jjjkg.core.project import input_digest, input_hashes, is_fresh, read_hashing
    from jjjkg.pipeline import build as pipeline

    monkeypatch.setattr(paths, "SETTLED_NS", 0)  # the fixture's files are seconds old
    pipeline.build(project)
    hashing = read_hashing(project / "dist")
    read = []
    real = paths.sha256
    monkeypatch.setattr(paths, "sha256", lambda path: read.append(path) or real(path))
    hashes = input_hashes(project, hashing)
    assert read == [] and dict(hashes) == paths.read_manifest(project / "dist")["inputs"]
    source = project / "graph" / "catalogue.trig"
    before = source.stat()
    text = source.read_bytes()
    source.write_bytes(text.replace(b"Tianjin", b"Tianjim", 1))  # same size
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))  # same mtime
    assert source.stat().st_size == before.st_size
    hashes = input_hashes(project, hashing)
    assert read == [source]
    assert is_fresh(project / "dist", input_digest(hashes)) is None


def test_an_input_changed_just_before_its_stat_is_hashed_again(project, monkeypatch):
    """Within `SETTLED_NS` of the record, a stat may not show a change: such files are read."""
    from jjjkg.core import project as paths
    from jjjkg.core.project import input_hashes
    from jjjkg.pipeline import build as pipeline

    pipeline.build(project)
    source = project / "graph" / "catalogue.trig"
    source.write_bytes(source.read_bytes())  # changed (ctime) right before the next record
    hashing = {"inputs": input_hashes(project).record()}
    read = []
    real = paths.sha256
    monkeypatch.setattr(paths, "sha256", lambda path: read.append(path) or real(path))
    input_hashes(project, hashing)
    assert source in read
