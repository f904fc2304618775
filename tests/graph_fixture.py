"""A small knowledge graph for the network, page and browser tests.

Ten entities in four families, three paragraphs in two sections, one figure, and one
entity whose names are HTML/script (`<img src=x onerror=alert(1)>`) to prove that the
pages show data as text. `dataset()` gives it as the built dataset would hold it;
`write_project(root)` writes it as a project folder for `jjjkg build` and the CLI.
"""

from __future__ import annotations

from pathlib import Path

XSS_ZH = "<img src=x onerror=alert(1)>"
XSS_EN = "<script>alert(2)</script>"

PREFIXES = """\
@prefix jjj: <https://w3id.org/jjjkg/ontology#> .
@prefix jgraph: <https://w3id.org/jjjkg/resource/graph/> .
@prefix jart: <https://w3id.org/jjjkg/resource/article/tianjin-jjj-decade/> .
@prefix jorg: <https://w3id.org/jjjkg/resource/org/> .
@prefix jplace: <https://w3id.org/jjjkg/resource/place/> .
@prefix jpark: <https://w3id.org/jjjkg/resource/park/> .
@prefix jinfra: <https://w3id.org/jjjkg/resource/infra/> .
@prefix jpol: <https://w3id.org/jjjkg/resource/policy/> .
@prefix jobs: <https://w3id.org/jjjkg/resource/obs/> .
@prefix jindic: <https://w3id.org/jjjkg/resource/indicator/> .
@prefix junit: <https://w3id.org/jjjkg/resource/unit/> .
@prefix jstat: <https://w3id.org/jjjkg/resource/status/> .
@prefix jqual: <https://w3id.org/jjjkg/resource/qualifier/> .
@prefix jscheme: <https://w3id.org/jjjkg/resource/scheme/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


def _class(name: str, parent: str | None, zh: str, en: str) -> str:
    sub = f" rdfs:subClassOf {parent} ;" if parent else ""
    return (
        f'jjj:{name} a owl:Class ;{sub} rdfs:label "{zh}"@zh , "{en}"@en ;\n'
        f'    skos:definition "The {en} class."@en .\n'
    )


def _property(name: str, zh: str, en: str, extra: str = "") -> str:
    return (
        f'jjj:{name} a owl:ObjectProperty ;{extra} rdfs:label "{zh}"@zh , "{en}"@en ;\n'
        f"    rdfs:domain jjj:Entity ; rdfs:range jjj:Entity .\n"
    )


ONTOLOGY = (
    PREFIXES
    + """
<https://w3id.org/jjjkg/ontology> a owl:Ontology ;
    owl:versionInfo "0.0.1" ;
    dcterms:title "测试本体"@zh , "Test ontology"@en ;
    dcterms:description "A few terms of the jjjkg ontology, for tests."@en .
"""
    + "".join(
        _class(*spec)
        for spec in [
            ("Entity", None, "实体", "entity"),
            ("Organization", "jjj:Entity", "组织机构", "organisation"),
            ("Enterprise", "jjj:Organization", "企业", "enterprise"),
            ("CentralSOE", "jjj:Enterprise", "中央企业", "central state-owned enterprise"),
            ("Place", "jjj:Entity", "地点", "place"),
            ("ProvinceLevelUnit", "jjj:Place", "省级行政区", "province-level unit"),
            ("NewArea", "jjj:Place", "国家级新区", "state-level new area"),
            ("Zone", "jjj:Place", "园区与功能区", "park or zone"),
            ("SciencePark", "jjj:Zone", "科技园区", "science park"),
            ("Undertaking", "jjj:Entity", "项目与设施", "project or facility"),
            ("Infrastructure", "jjj:Undertaking", "基础设施", "infrastructure"),
            ("Port", "jjj:Infrastructure", "港口", "port"),
            ("Instrument", "jjj:Entity", "政策工具", "policy instrument"),
            ("Policy", "jjj:Instrument", "政策", "policy"),
            ("Observation", "jjj:Entity", "数据观测", "observation"),
            ("Indicator", "skos:Concept", "指标", "indicator"),
            ("Unit", "skos:Concept", "计量单位", "unit of measure"),
            ("Status", "skos:Concept", "状态", "status"),
            ("Qualifier", "skos:Concept", "限定语", "qualifier"),
            ("ArticleSection", None, "文章章节", "article section"),
            ("Paragraph", None, "段落", "paragraph"),
        ]
    )
    + "".join(
        _property(*spec)
        for spec in [
            ("locatedIn", "位于", "located in", " a owl:TransitiveProperty ;"),
            ("setUpUnitIn", "布局于", "set up a unit in"),
            ("serves", "服务", "serves"),
            ("operatedBy", "运营单位", "operated by"),
            ("appliesTo", "适用于", "applies to"),
            ("partnerOf", "合作伙伴", "partner of", " a owl:SymmetricProperty ;"),
            ("observationOf", "观测对象", "observation of"),
            ("hasStatus", "状态", "has status"),
            ("measure", "指标", "measure"),
            ("unit", "单位", "unit"),
            ("qualifier", "限定", "qualifier"),
            ("inSection", "所在章节", "in section"),
        ]
    )
    + """
jjj:value a owl:DatatypeProperty ; rdfs:label "数值"@zh , "value"@en ;
    rdfs:domain jjj:Observation ; rdfs:range xsd:decimal .

# -- Presentation --
jjj:siteFamily a owl:AnnotationProperty .
jjj:siteColour a owl:AnnotationProperty .
jjj:siteShape a owl:AnnotationProperty .
jjj:Organization jjj:siteFamily "organisations" ; jjj:siteColour "#3b6fb6" ; jjj:siteShape "dot" .
jjj:Zone jjj:siteFamily "parks" ; jjj:siteColour "#3f9a4a" ; jjj:siteShape "diamond" .
jjj:Place jjj:siteFamily "places" ; jjj:siteColour "#8c6d52" ; jjj:siteShape "square" .
jjj:Infrastructure jjj:siteFamily "infrastructure" ; jjj:siteColour "#e07b20" ;
    jjj:siteShape "triangle" .
jjj:Undertaking jjj:siteFamily "projects" ; jjj:siteColour "#c9a227" ; jjj:siteShape "hexagon" .
jjj:Instrument jjj:siteFamily "policies" ; jjj:siteColour "#8e5ea8" ; jjj:siteShape "star" .
jjj:Observation jjj:siteFamily "figures" ; jjj:siteColour "#7f7f7f" ; jjj:siteShape "dot" .
"""
)

DATA = (
    PREFIXES
    + f"""
jgraph:source {{
jart:s1 a jjj:ArticleSection ; jjj:sectionNumber 1 ;
    skos:prefLabel "服务非首都功能疏解"@zh , "Serving the relief of non-capital functions"@en .
jart:s2 a jjj:ArticleSection ; jjj:sectionNumber 2 ;
    skos:prefLabel "港口与交通"@zh , "Ports and transport"@en .
jart:p01 a jjj:Paragraph ; jjj:inSection jart:s1 ; jjj:paragraphNumber 1 ;
    skos:prefLabel "第1段：央企布局"@zh , "Paragraph 1: Central SOEs"@en ;
    jjj:evidence "一批央企在津布局"@zh .
jart:p02 a jjj:Paragraph ; jjj:inSection jart:s1 ; jjj:paragraphNumber 2 ;
    skos:prefLabel "第2段：科技园"@zh , "Paragraph 2: The science park"@en ;
    jjj:evidence "累计注册企业超4900家"@zh .
jart:p03 a jjj:Paragraph ; jjj:inSection jart:s2 ; jjj:paragraphNumber 3 ;
    skos:prefLabel "第3段：港口服务雄安"@zh , "Paragraph 3: The port serves Xiong'an"@en ;
    jjj:evidence "设立天津港雄安服务中心"@zh .
}}

jgraph:vocabulary {{
jstat:in-operation a jjj:Status ; skos:inScheme jscheme:status ;
    skos:prefLabel "投入运营"@zh , "in operation"@en .
junit:count a jjj:Unit ; skos:inScheme jscheme:unit ; skos:prefLabel "个数"@zh , "count"@en .
jqual:more-than a jjj:Qualifier ; skos:inScheme jscheme:qualifier ;
    skos:prefLabel "超过"@zh , "more than"@en .
jqual:cumulative a jjj:Qualifier ; skos:inScheme jscheme:qualifier ;
    skos:prefLabel "累计"@zh , "cumulative"@en .
jindic:registered-enterprises a jjj:Indicator ; skos:inScheme jscheme:indicator ;
    skos:prefLabel "注册企业数"@zh , "registered enterprises"@en .
}}

jgraph:catalogue {{
jplace:beijing a jjj:ProvinceLevelUnit ; skos:prefLabel "北京"@zh ; skos:altLabel "京"@zh .
jplace:tianjin a jjj:ProvinceLevelUnit ; skos:prefLabel "天津"@zh ; skos:altLabel "天津市"@zh .
jplace:hebei a jjj:ProvinceLevelUnit ; skos:prefLabel "河北省"@zh .
jplace:xiongan a jjj:NewArea ; skos:prefLabel "河北雄安新区"@zh ; skos:altLabel "雄安"@zh .
jorg:cnooc a jjj:Enterprise ; skos:prefLabel "中海油"@zh ;
    skos:altLabel "中国海洋石油集团有限公司"@zh .
jorg:port-group a jjj:Enterprise ; skos:prefLabel "天津港集团"@zh .
jpark:zgc a jjj:SciencePark ; skos:prefLabel "天津滨海—中关村科技园"@zh .
jinfra:port a jjj:Port ; skos:prefLabel "天津港"@zh .
jpol:relief a jjj:Policy ; skos:prefLabel "非首都功能疏解"@zh .
jorg:evil a jjj:Enterprise ; skos:prefLabel "{XSS_ZH}"@zh .
}}

jgraph:background {{
jplace:beijing skos:prefLabel "Beijing"@en .
jplace:tianjin skos:prefLabel "Tianjin"@en .
jplace:hebei skos:prefLabel "Hebei"@en .
jplace:xiongan skos:prefLabel "Xiong'an New Area"@en .
jorg:cnooc skos:prefLabel "CNOOC"@en .
jorg:port-group skos:prefLabel "Tianjin Port Group"@en .
jpark:zgc skos:prefLabel "Tianjin Binhai–Zhongguancun Science Park"@en .
jinfra:port skos:prefLabel "Port of Tianjin"@en .
jpol:relief skos:prefLabel "relief of non-capital functions"@en .
jorg:evil skos:prefLabel "{XSS_EN}"@en .
jplace:xiongan jjj:locatedIn jplace:hebei .
jpark:zgc jjj:locatedIn jplace:tianjin .
}}

jart:p01 {{
jorg:cnooc a jjj:CentralSOE ; jjj:setUpUnitIn jplace:tianjin .
jpol:relief jjj:appliesTo jplace:beijing .
}}

jart:p02 {{
jpark:zgc jjj:hasStatus jstat:in-operation .
jobs:zgc-enterprises a jjj:Observation ;
    skos:prefLabel "科技园累计注册企业数"@zh , "Science park: registered enterprises"@en ;
    jjj:observationOf jpark:zgc ;
    jjj:measure jindic:registered-enterprises ;
    jjj:value 4900.0 ;
    jjj:unit junit:count ;
    jjj:qualifier jqual:cumulative , jqual:more-than ;
    jjj:referenceYear 2023 ;
    jjj:statedAs "累计注册企业超4900家"@zh .
}}

jart:p03 {{
jinfra:port jjj:operatedBy jorg:port-group ; jjj:serves jplace:xiongan .
jorg:evil jjj:partnerOf jorg:port-group .
}}
"""
)

ONTOLOGY_GRAPH = "https://w3id.org/jjjkg/resource/graph/ontology"
R = "https://w3id.org/jjjkg/resource/"
CNOOC, TIANJIN, XIONGAN = R + "org/cnooc", R + "place/tianjin", R + "place/xiongan"
EVIL, PORT, OBSERVATION = R + "org/evil", R + "infra/port", R + "obs/zgc-enterprises"
# Entities of the network (the observation is a figure, not a network node).
ENTITIES = 10


def sentence_shaped(data: str = DATA) -> str:
    """The fixture with its claims in sentence graphs (`jart:p01-s1`, ...) instead of
    paragraph graphs, each sentence described in the source graph with its paragraph."""
    sentences = {"p01": ["p01-s1"], "p02": ["p02-s1"], "p03": ["p03-s1", "p03-s2"]}
    described = "".join(
        f"jart:{sid} a jjj:Sentence ; jjj:inParagraph jart:{pid} ; jjj:sentenceNumber {n} ;\n"
        f'    jjj:text "第{n}句"@zh .\n'
        for pid, sids in sentences.items()
        for n, sid in enumerate(sids, 1)
    )
    data = data.replace("jgraph:source {\n", "jgraph:source {\n" + described)
    data = data.replace("jart:p01 {", "jart:p01-s1 {")
    data = data.replace("jart:p02 {", "jart:p02-s1 {")
    return data.replace(
        "jart:p03 {\njinfra:port jjj:operatedBy jorg:port-group ; jjj:serves jplace:xiongan .\n",
        "jart:p03-s1 {\njinfra:port jjj:operatedBy jorg:port-group ; jjj:serves jplace:xiongan .\n"
        "}\n\njart:p03-s2 {\n",
    )


def store(data: str = DATA):
    """The fixture as a pyoxigraph Store of named graphs, as the build's store holds them."""
    import pyoxigraph as ox

    result = ox.Store()
    result.load(data, format=ox.RdfFormat.TRIG)
    result.load(ONTOLOGY, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
    return result


def dataset():
    """The fixture as the build would hand it over: data graphs plus the ontology graph."""
    from rdflib import Dataset, Graph, URIRef

    ds = Dataset()
    ds.parse(data=DATA, format="trig")
    ontology = ds.graph(URIRef(ONTOLOGY_GRAPH))
    for triple in Graph().parse(data=ONTOLOGY, format="turtle"):
        ontology.add(triple)
    return ds


def write_project(root: Path) -> Path:
    """The fixture as a project folder: ontology/jjjkg.ttl and graph/fixture.trig."""
    for rel, text in {"ontology/jjjkg.ttl": ONTOLOGY, "graph/fixture.trig": DATA}.items():
        path = Path(root) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Path(root)
