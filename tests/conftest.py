"""Shared fixtures: a tiny inline project, and one session build of the real repository."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

PREFIXES = """\
@prefix jjj: <https://w3id.org/jjjkg/ontology#> .
@prefix jjjr: <https://w3id.org/jjjkg/resource/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix graph: <https://w3id.org/jjjkg/resource/graph/> .
@prefix article: <https://w3id.org/jjjkg/resource/article/tianjin-jjj-decade/> .
@prefix org: <https://w3id.org/jjjkg/resource/org/> .
@prefix park: <https://w3id.org/jjjkg/resource/park/> .
@prefix place: <https://w3id.org/jjjkg/resource/place/> .
"""

ONTOLOGY = (
    PREFIXES
    + """
<https://w3id.org/jjjkg/ontology> a owl:Ontology ;
    rdfs:label "京津冀知识图谱本体"@zh, "JJJ KG ontology"@en .

jjj:Organization a owl:Class ; rdfs:label "组织"@zh, "organisation"@en .
jjj:Company a owl:Class ; rdfs:subClassOf jjj:Organization ;
    rdfs:label "企业"@zh, "company"@en .
jjj:Place a owl:Class ; rdfs:label "地点"@zh, "place"@en .
jjj:Park a owl:Class ; rdfs:subClassOf jjj:Place ; rdfs:label "园区"@zh, "park"@en .
jjj:Agent a owl:Class ; rdfs:label "主体"@zh, "agent"@en ;
    owl:unionOf ( jjj:Organization jjj:Place ) .
jjj:Paragraph a owl:Class ; rdfs:label "段落"@zh, "paragraph"@en .
jjj:ArticleSection a owl:Class ; rdfs:label "章节"@zh, "section"@en .

jjj:locatedIn a owl:ObjectProperty, owl:TransitiveProperty ;
    rdfs:label "位于"@zh, "located in"@en ; rdfs:range jjj:Place .
jjj:hosts a owl:ObjectProperty ; owl:inverseOf jjj:hostedBy ;
    rdfs:label "承载"@zh, "hosts"@en .
jjj:hostedBy a owl:ObjectProperty ; rdfs:label "落户于"@zh, "hosted by"@en .
jjj:inSection a owl:ObjectProperty ; rdfs:label "所属章节"@zh, "in section"@en .
jjj:paragraphNumber a owl:DatatypeProperty ; rdfs:label "段落号"@zh, "paragraph number"@en .
jjj:sectionNumber a owl:DatatypeProperty ; rdfs:label "章节号"@zh, "section number"@en .
"""
)

SHAPES = (
    PREFIXES
    + """
jjj:EntityShape a sh:NodeShape ;
    sh:targetClass jjj:Organization, jjj:Place ;
    sh:property [
        sh:path skos:prefLabel ;
        sh:qualifiedValueShape [ sh:languageIn ( "zh" ) ] ;
        sh:qualifiedMinCount 1 ;
        sh:message "needs a skos:prefLabel in Chinese (@zh)" ;
    ] , [
        sh:path skos:prefLabel ;
        sh:datatype rdf:langString ;
        sh:message "labels are language-tagged strings" ;
    ] .
"""
)

CATALOGUE = (
    PREFIXES
    + """
graph:catalogue {
    org:cnooc a jjj:Company ;
        skos:prefLabel "中海油"@zh, "CNOOC"@en .
    park:binhai a jjj:Park ;
        skos:prefLabel "滨海中关村科技园"@zh, "Binhai Zhongguancun Science Park"@en .
    place:tianjin a jjj:Place ;
        skos:prefLabel "天津"@zh, "Tianjin"@en .
    place:binhai-new-area a jjj:Place ;
        skos:prefLabel "滨海新区"@zh .
}
"""
)

SECTION_1 = (
    PREFIXES
    + """
article:p01 {
    org:cnooc jjj:hostedBy place:tianjin .
}

article:p02 {
    park:binhai jjj:locatedIn place:binhai-new-area .
    place:binhai-new-area jjj:locatedIn place:tianjin .
    park:binhai jjj:note [ rdfs:comment "a blank node, to test stable labels"@en ] .
}
"""
)

SOURCE = (
    PREFIXES
    + """
graph:source {
    article:s1 a jjj:ArticleSection ;
        jjj:sectionNumber 1 ;
        skos:prefLabel "服务北京非首都功能疏解"@zh .
    article:p01 a jjj:Paragraph ;
        jjj:inSection article:s1 ;
        jjj:paragraphNumber 1 .
    article:p02 a jjj:Paragraph ;
        jjj:inSection article:s1 ;
        jjj:paragraphNumber 2 .
}
"""
)

CHECK_UNLABELLED = """\
#+ summary: every entity has an English label
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?entity WHERE {
  GRAPH <https://w3id.org/jjjkg/resource/graph/catalogue> { ?entity a ?class }
  FILTER NOT EXISTS { ?entity skos:prefLabel ?label FILTER(lang(?label) = "en") }
  FILTER (?entity != <https://w3id.org/jjjkg/resource/place/binhai-new-area>)
}
"""

CHECK_TRANSITIVE = """\
#+ summary: the reasoner closes jjj:locatedIn (the park is in Tianjin)
PREFIX jjj: <https://w3id.org/jjjkg/ontology#>
PREFIX park: <https://w3id.org/jjjkg/resource/park/>
PREFIX place: <https://w3id.org/jjjkg/resource/place/>
SELECT ?missing WHERE {
  BIND (park:binhai AS ?missing)
  FILTER NOT EXISTS { park:binhai jjj:locatedIn place:tianjin }
}
"""

FILES = {
    "ontology/jjjkg.ttl": ONTOLOGY,
    "ontology/shapes.ttl": SHAPES,
    "graph/catalogue.trig": CATALOGUE,
    "graph/section-01.trig": SECTION_1,
    "graph/source.trig": SOURCE,
    "queries/checks/english-labels.rq": CHECK_UNLABELLED,
    "queries/checks/located-in-closed.rq": CHECK_TRANSITIVE,
}


def write_project(root: Path, files: dict[str, str] = FILES) -> Path:
    """Write a project folder from {relative path: text}."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A tiny valid project: 4 entities, 2 paragraphs of section 1, 2 checks."""
    return write_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """The tiny project, built once per session (read-only for tests): its root folder."""
    from jjjkg.pipeline.build import build

    root = write_project(tmp_path_factory.mktemp("built") / "project")
    build(root)
    return root


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory) -> Path:
    """dist/ of the REAL repository, built once per session into a temporary folder.

    Skipped until the repository has its ontology. Treat the folder as read-only.
    """
    if not (REPO / "ontology" / "jjjkg.ttl").is_file():
        pytest.skip("the repository has no ontology/jjjkg.ttl yet")
    from jjjkg.pipeline.build import build

    dist = tmp_path_factory.mktemp("real") / "dist"
    return build(REPO, dist, force=True).dist


@pytest.fixture
def copy_project(tmp_path: Path):
    """Copy a project folder into tmp_path (to change it without touching the original)."""

    def copy(source: Path, name: str = "copy") -> Path:
        target = tmp_path / name
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("dist", ".*"))
        return target

    return copy
