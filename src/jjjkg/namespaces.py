"""The IRIs jjjkg mints, in one place."""

from rdflib import Namespace

JJJ = Namespace("https://w3id.org/jjjkg/ontology#")
JJJR = Namespace("https://w3id.org/jjjkg/resource/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
TIME = Namespace("http://www.w3.org/2006/time#")
QUDT_UNIT = Namespace("http://qudt.org/vocab/unit/")

ONTOLOGY_IRI = "https://w3id.org/jjjkg/ontology"
ARTICLE = JJJR["article/tianjin-jjj-decade"]

# Named graphs that are not article paragraphs.
ONTOLOGY_GRAPH = JJJR["graph/ontology"]
SHAPES_GRAPH = JJJR["graph/shapes"]
CATALOGUE_GRAPH = JJJR["graph/catalogue"]
BACKGROUND_GRAPH = JJJR["graph/background"]
SOURCE_GRAPH = JJJR["graph/source"]
INFERRED_GRAPH = JJJR["graph/inferred"]

PREFIXES = {
    "jjj": JJJ,
    "jjjr": JJJR,
    "org": ORG,
    "schema": SCHEMA,
    "geo": GEO,
    "time": TIME,
}
