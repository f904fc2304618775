"""The page-test graph in the sentence shape: graph_fixture's claims moved into sentence graphs.

Every claim of paragraphs p01–p03 sits in a named graph `jart:pNN-sK`, a `jjj:Sentence`
with `jjj:inParagraph`, `jjj:sentenceNumber` and `jjj:text` (described in `jgraph:source`).
Added: 滨海新区 (a district of Tianjin, by background knowledge), an entity placed in it by a
sentence (the HTML-named one, so the map must show its name as text), and an entity whose
name is 5,000 characters of markup.
"""

from __future__ import annotations

from pathlib import Path

import graph_fixture as fx

LONG = "<b>长</b>" * 625  # 5,000 characters
LONG_ORG = fx.R + "org/long-name"
BINHAI = fx.R + "place/binhai"
SENTENCES = {
    "p01-s1": ("p01", 1, "中海油等一批央企在津布局，非首都功能疏解服务北京。"),
    "p02-s1": ("p02", 1, "天津滨海—中关村科技园累计注册企业超4900家。"),
    "p03-s1": ("p03", 1, "设立天津港雄安服务中心。"),
    "p03-s2": ("p03", 2, "<script>alert(3)</script>落户滨海新区。"),
}
EXTRA = f"""
jgraph:catalogue {{
jplace:binhai a jjj:NewArea ; skos:prefLabel "滨海新区"@zh .
jorg:long-name a jjj:Enterprise ; skos:prefLabel "{LONG}"@zh .
}}

jgraph:background {{
jplace:binhai skos:prefLabel "Binhai New Area"@en ; jjj:locatedIn jplace:tianjin .
jorg:long-name skos:prefLabel "A very long name"@en .
}}

jart:p03-s2 {{
jorg:evil jjj:locatedIn jplace:binhai .
jorg:long-name jjj:partnerOf jorg:evil .
}}

jgraph:source {{
@@sentences@@}}
"""
SENTENCE_LINES = "".join(
    f"jart:{sid} a jjj:Sentence ; jjj:inParagraph jart:{pid} ; jjj:sentenceNumber {n} ;\n"
    f'    jjj:text "{text}"@zh .\n'
    for sid, (pid, n, text) in SENTENCES.items()
)
DATA = fx.DATA.replace("jart:p01 {", "jart:p01-s1 {").replace(
    "jart:p02 {", "jart:p02-s1 {"
).replace("jart:p03 {", "jart:p03-s1 {") + EXTRA.replace("@@sentences@@", SENTENCE_LINES)
assert DATA.count("jart:p0") > fx.DATA.count("jart:p0")


def dataset():
    """The sentence-shaped fixture as the build hands it over (no inferred graph)."""
    from rdflib import Dataset, Graph, URIRef

    ds = Dataset()
    ds.parse(data=DATA, format="trig")
    ontology = ds.graph(URIRef(fx.ONTOLOGY_GRAPH))
    for triple in Graph().parse(data=fx.ONTOLOGY, format="turtle"):
        ontology.add(triple)
    return ds


def write_project(root: Path) -> Path:
    """The sentence-shaped fixture as a project folder, for a real build (with reasoning)."""
    for rel, text in {"ontology/jjjkg.ttl": fx.ONTOLOGY, "graph/fixture.trig": DATA}.items():
        path = Path(root) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Path(root)
