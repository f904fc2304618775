"""A small project in the sentence shape of the data, for the ask-by-name commands.

Paragraph 1 holds its claims in two sentence graphs (`jart:p01-s1`, `jart:p01-s2`, each a
`jjj:Sentence` with its text and source lines); paragraph 2 still holds its claim in the
paragraph graph itself; the background graph holds two facts the article does not state.
Two entities share the alternative name 津港, to be ambiguous. The ontology is the one of
`graph_fixture`, with the article's source terms added.
"""

from __future__ import annotations

from pathlib import Path

import graph_fixture as fx

ONTOLOGY = (
    fx.ONTOLOGY
    + """
jjj:Article a owl:Class ; rdfs:label "文章"@zh , "article"@en .
jjj:Sentence a owl:Class ; rdfs:label "句子"@zh , "sentence"@en .
jjj:inParagraph a owl:ObjectProperty ; rdfs:label "所在段落"@zh , "in paragraph"@en .
jjj:inArticle a owl:ObjectProperty ; rdfs:label "所属文章"@zh , "in article"@en .
"""
)

DATA = (
    fx.PREFIXES
    + """
jgraph:source {
<https://w3id.org/jjjkg/resource/article/tianjin-jjj-decade> a jjj:Article ;
    dcterms:title "测试文章"@zh ; dcterms:creator "朱波"@zh .
jart:s1 a jjj:ArticleSection ; jjj:sectionNumber 1 ;
    skos:prefLabel "港口与交通"@zh , "Ports and transport"@en .
jart:p01 a jjj:Paragraph ; jjj:inSection jart:s1 ; jjj:paragraphNumber 1 ;
    jjj:inArticle <https://w3id.org/jjjkg/resource/article/tianjin-jjj-decade> ;
    jjj:sourceLines "3,5" ; jjj:evidence "天津港服务雄安"@zh ;
    skos:prefLabel "第1段：港口"@zh , "Paragraph 1: The port"@en .
jart:p01-s1 a jjj:Sentence ; jjj:inParagraph jart:p01 ; jjj:sentenceNumber 1 ;
    jjj:text "天津港服务雄安新区。"@zh ;
    jjj:startLine 3 ; jjj:startColumn 1 ; jjj:endLine 3 ; jjj:endColumn 10 .
jart:p01-s2 a jjj:Sentence ; jjj:inParagraph jart:p01 ; jjj:sentenceNumber 2 ;
    jjj:text "天津港由天津港集团运营，集装箱吞吐量突破2200万标准箱。"@zh ;
    jjj:startLine 3 ; jjj:startColumn 11 ; jjj:endLine 5 ; jjj:endColumn 8 .
jart:p02 a jjj:Paragraph ; jjj:inSection jart:s1 ; jjj:paragraphNumber 2 ;
    jjj:inArticle <https://w3id.org/jjjkg/resource/article/tianjin-jjj-decade> ;
    jjj:sourceLines "7" ; jjj:evidence "中海油在津布局"@zh ;
    skos:prefLabel "第2段：央企"@zh , "Paragraph 2: Central SOEs"@en .
}

jgraph:vocabulary {
junit:teu a jjj:Unit ; skos:inScheme jscheme:unit ; skos:prefLabel "标准箱"@zh , "TEU"@en .
jqual:more-than a jjj:Qualifier ; skos:inScheme jscheme:qualifier ;
    skos:prefLabel "超过"@zh , "more than"@en .
}

jgraph:catalogue {
jplace:tianjin a jjj:ProvinceLevelUnit ; skos:prefLabel "天津"@zh , "Tianjin"@en .
jplace:hebei a jjj:ProvinceLevelUnit ; skos:prefLabel "河北省"@zh , "Hebei"@en .
jplace:xiongan a jjj:NewArea ; skos:prefLabel "河北雄安新区"@zh , "Xiong'an New Area"@en ;
    skos:altLabel "雄安"@zh .
jorg:cnooc a jjj:Enterprise ; skos:prefLabel "中海油"@zh , "CNOOC"@en .
jorg:port-group a jjj:Enterprise ; skos:prefLabel "天津港集团"@zh , "Tianjin Port Group"@en ;
    skos:altLabel "津港"@zh .
jinfra:port a jjj:Port ; skos:prefLabel "天津港"@zh , "Port of Tianjin"@en ;
    skos:altLabel "津港"@zh , "Tianjin Port"@en .
}

jgraph:background {
jplace:xiongan jjj:locatedIn jplace:hebei .
jorg:port-group jjj:locatedIn jplace:tianjin .
}

jart:p01-s1 {
jinfra:port jjj:serves jplace:xiongan .
}

jart:p01-s2 {
jinfra:port jjj:operatedBy jorg:port-group .
jobs:port-teu a jjj:Observation ;
    skos:prefLabel "天津港集装箱吞吐量"@zh , "Port of Tianjin: container throughput"@en ;
    jjj:observationOf jinfra:port ;
    jjj:value 22000000 ;
    jjj:unit junit:teu ;
    jjj:qualifier jqual:more-than ;
    jjj:referenceYear "2023"^^xsd:gYear ;
    jjj:statedAs "集装箱吞吐量突破2200万标准箱"@zh .
}

jart:p02 {
jorg:cnooc jjj:setUpUnitIn jplace:tianjin .
}
"""
)

QUERY = """\
#+ summary: Claims about one entity, with the graph that states them
#+ param: entity jinfra:port entity
SELECT ?entity ?link ?other ?value WHERE {
  GRAPH ?g { ?entity ?link ?other }
  FILTER(?link != rdf:type)
  OPTIONAL { ?other jjj:value ?value }
}
ORDER BY ?link ?other
"""


def write_project(root: Path) -> Path:
    """The fixture as a project folder, with one named query."""
    files = {
        "ontology/jjjkg.ttl": ONTOLOGY,
        "graph/fixture.trig": DATA,
        "queries/claims-of.rq": QUERY,
    }
    for rel, text in files.items():
        path = Path(root) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Path(root)
