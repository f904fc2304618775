"""The SHACL compiler (pipeline.shapes: SPARQL in Oxigraph) against pySHACL (the reference)."""

from __future__ import annotations

import pytest
from conftest import PREFIXES, REPO, write_project

SH = "http://www.w3.org/ns/shacl#"

SHAPES = (
    PREFIXES
    + """
jjj:OrganizationShape a sh:NodeShape ;
    sh:targetClass jjj:Organization ;
    sh:nodeKind sh:IRI ;
    sh:property [
        sh:path skos:prefLabel ;
        sh:datatype rdf:langString ;
        sh:languageIn ( "zh" "en" ) ;
        sh:uniqueLang true ;
        sh:minCount 2 ;
        sh:message "one label in Chinese and one in English" ;
    ] , [
        sh:path jjj:locatedIn ;
        sh:class jjj:Place ;
        sh:maxCount 1 ;
    ] , [
        sh:path jjj:value ;
        sh:datatype xsd:decimal ;
        sh:maxCount 1 ;
    ] , [
        sh:path jjj:site ;
        sh:nodeKind sh:IRI ;
    ] .
"""
)

ONTOLOGY = (
    PREFIXES
    + """
jjj:Company rdfs:subClassOf jjj:Organization .
jjj:Park rdfs:subClassOf jjj:Place .
"""
)

# One organisation that conforms, then one breaking each kind of constraint.
BROKEN = (
    PREFIXES
    + """
graph:catalogue {
    org:good a jjj:Company ; skos:prefLabel "好"@zh , "Good"@en ;
        jjj:locatedIn park:binhai ; jjj:value 1.5 ; jjj:site place:tianjin .
    park:binhai a jjj:Park .
    place:tianjin a jjj:Place .
    org:one-label a jjj:Company ; skos:prefLabel "一"@zh .
    org:two-zh a jjj:Organization ; skos:prefLabel "甲"@zh , "乙"@zh , "AB"@en .
    org:plain a jjj:Company ; skos:prefLabel "无语言" , "Plain"@en .
    org:german a jjj:Company ; skos:prefLabel "德"@zh , "Deutsch"@de .
    org:not-a-place a jjj:Company ; skos:prefLabel "丙"@zh , "C"@en ; jjj:locatedIn org:good .
    org:two-places a jjj:Company ; skos:prefLabel "丁"@zh , "D"@en ;
        jjj:locatedIn park:binhai , place:tianjin .
    org:text-value a jjj:Company ; skos:prefLabel "戊"@zh , "E"@en ; jjj:value "12" .
    org:literal-site a jjj:Company ; skos:prefLabel "己"@zh , "F"@en ; jjj:site "here" .
    [] a jjj:Company ; skos:prefLabel "庚"@zh , "G"@en .
}
"""
)


def _component(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")


def pyshacl_results(sources) -> set[tuple[str, str | None, str]]:
    """(focus, path, component) of every pySHACL result (blank focus nodes as "_")."""
    import pyoxigraph as ox
    import pyshacl
    from rdflib import BNode
    from rdflib.namespace import RDF
    from rdflib.namespace import SH as SHNS

    from jjjkg.core.terms import SHAPES_GRAPH
    from jjjkg.pipeline.validate import _rdflib_graph

    shapes = _rdflib_graph(sources.shapes, ox.NamedNode(SHAPES_GRAPH))
    _, results, _ = pyshacl.validate(
        sources.asserted_rdflib(), shacl_graph=shapes, inference="none", inplace=True
    )
    found = set()
    for result in results.subjects(RDF.type, SHNS.ValidationResult):
        focus = results.value(result, SHNS.focusNode)
        path = results.value(result, SHNS.resultPath)
        component = results.value(result, SHNS.sourceConstraintComponent)
        found.add(
            (
                "_" if isinstance(focus, BNode) else str(focus),
                str(path) if path is not None else None,
                _component(str(component)),
            )
        )
    return found


def compiled_results(sources) -> set[tuple[str, str | None, str]]:
    import pyoxigraph as ox

    from jjjkg.pipeline.shapes import compile_shapes

    subclass = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    checks = compile_shapes(sources.shapes, sources.store.quads_for_pattern(None, subclass, None))
    found = set()
    for check in checks:
        for focus, _ in sources.store.query(check.sparql, use_default_graph_as_union=True):
            name = "_" if isinstance(focus, ox.BlankNode) else focus.value
            found.add((name, check.path, check.component))
    return found


def test_compiled_shapes_equal_pyshacl_on_broken_data(tmp_path):
    from jjjkg.pipeline.load import load_sources

    root = write_project(
        tmp_path / "p",
        {
            "ontology/jjjkg.ttl": ONTOLOGY,
            "ontology/shapes.ttl": SHAPES,
            "graph/catalogue.trig": BROKEN,
        },
    )
    sources = load_sources(root)
    reference = pyshacl_results(sources)
    org = "https://w3id.org/jjjkg/resource/org/"
    skos = "http://www.w3.org/2004/02/skos/core#prefLabel"
    jjj = "https://w3id.org/jjjkg/ontology#"
    assert reference == {
        (org + "one-label", skos, "MinCount"),
        (org + "two-zh", skos, "UniqueLang"),
        (org + "plain", skos, "Datatype"),
        (org + "plain", skos, "LanguageIn"),
        (org + "german", skos, "LanguageIn"),
        (org + "not-a-place", jjj + "locatedIn", "Class"),
        (org + "two-places", jjj + "locatedIn", "MaxCount"),
        (org + "text-value", jjj + "value", "Datatype"),
        (org + "literal-site", jjj + "site", "NodeKind"),
        ("_", None, "NodeKind"),
    }
    assert compiled_results(sources) == reference


def test_compiled_shapes_equal_pyshacl_on_the_article():
    if not (REPO / "ontology" / "shapes.ttl").is_file():
        pytest.skip("the repository has no shapes yet")
    from jjjkg.pipeline.load import load_sources

    sources = load_sources(REPO)
    assert compiled_results(sources) == pyshacl_results(sources)


def test_unsupported_shapes_fall_back_to_pyshacl(project):
    """The fixture's shapes use sh:qualifiedValueShape: the compiler refuses, pySHACL runs."""
    from jjjkg.core.errors import UnsupportedShape
    from jjjkg.pipeline.load import load_sources
    from jjjkg.pipeline.validate import compiled_report, shacl_report

    sources = load_sources(project)
    with pytest.raises(UnsupportedShape):
        compiled_report(sources)
    assert shacl_report(sources).conforms
    path = project / "graph" / "catalogue.trig"
    path.write_text(path.read_text().replace('"中海油"@zh, ', ""))
    report = shacl_report(load_sources(project))
    assert [str(v) for v in report.violations] == [
        "jorg:cnooc  jjj:EntityShape skos:prefLabel  needs a skos:prefLabel in Chinese (@zh)"
    ]


def test_compiled_report_messages(tmp_path):
    """Violations from the compiled shapes: focus, shape + path, message (+ the value)."""
    from jjjkg.pipeline.load import load_sources
    from jjjkg.pipeline.validate import shacl_report

    root = write_project(
        tmp_path / "p",
        {
            "ontology/jjjkg.ttl": ONTOLOGY,
            "ontology/shapes.ttl": SHAPES,
            "graph/catalogue.trig": BROKEN,
        },
    )
    lines = [str(v) for v in shacl_report(load_sources(root)).violations]
    message = "jjj:OrganizationShape skos:prefLabel  one label in Chinese and one in English"
    assert f'jorg:german  {message} (value "Deutsch"@de)' in lines
    assert f"jorg:one-label  {message}" in lines
    assert "_:f0b0  jjj:OrganizationShape  the node is not of kind " + SH + "IRI" in lines
    assert len(lines) == 10  # as pySHACL: one per result (org:plain breaks two alike)
