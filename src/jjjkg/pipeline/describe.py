"""The data set's own description, `dist/void.ttl`: VoID and DCAT, validated by SHACL.

What it says and where each part comes from:

- the version: `graph/VERSION`, the one place it is set; the build refuses an ontology whose
  `owl:versionInfo` / `owl:versionIRI` say another;
- `dcterms:issued` (the commit that set the version) and `dcterms:modified` (the last commit
  that changed an input): git's commit dates, never the clock, so a build is repeatable. In
  a tree without git, or with inputs not committed, the date git cannot vouch for is left
  out (the manifest's `dataset.dates` says why);
- licence and creator: the ontology header's `dcterms:license` and `dcterms:creator`;
- `prov:wasDerivedFrom`: the `jjj:Article` of the source graph, with its title and author
  as the graph states them (nothing else about its publication);
- counts: `void:triples` (every triple of `jjjkg.nq`), `void:entities` with one class
  partition per class (typed IRIs of the data graphs, as the build summary counts them),
  one property partition per property (over `jjjkg.nq`);
- one `dcat:Distribution` per file of dist/ with media type, size and SHA-256; not the
  description itself (it cannot hold its own checksum) nor `manifest.json` (written after it,
  and it lists the description's checksum).

File IRIs are relative (`<jjjkg.nq>`): they name the files beside the description wherever
dist/ is copied or published. The Turtle is written here as text, in a fixed order.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from jjjkg.core.errors import SourceError, ValidationReport, VersionMismatch, Violation
from jjjkg.core.project import DESCRIPTION, DESCRIPTION_SHAPES_FILE, NAMES, STORE, VERSION_FILE
from jjjkg.core.terms import (
    ARTICLE,
    DATASET,
    DCTERMS,
    IANA_MEDIA_TYPES,
    ONTOLOGY_GRAPH,
    ONTOLOGY_IRI,
    OWL_VERSION_INFO,
    OWL_VERSION_IRI,
    PREFIXES,
    RESOURCE,
    SOURCE_GRAPH,
    expand,
    shorten,
)

if TYPE_CHECKING:
    import pyoxigraph as ox


MANIFEST = "manifest.json"
ENDPOINT = "http://127.0.0.1:7878/query"  # `jjjkg serve`'s default address
TITLE = ("京津冀协同发展知识图谱", "Beijing–Tianjin–Hebei Coordinated Development Knowledge Graph")
ABOUT = (
    "根据一篇关于天津推动京津冀协同发展十年成就的中文文章构建的知识图谱："
    "OWL本体与RDF数据，每条陈述都可追溯到原文段落。",
    "A knowledge graph built from a Chinese article on ten years of Tianjin's part in "
    "Beijing–Tianjin–Hebei coordinated development: an OWL ontology and RDF data in which "
    "every claim is traceable to the paragraph that states it.",
)
INPUT_PATHS = ("ontology", "graph", "queries/checks")
MEDIA_TYPES = {
    ".nq": "application/n-quads",
    ".trig": "application/trig",
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".json": "application/json",
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".gexf": "application/xml",  # GEXF and GraphML are XML with no registered type of their own
    ".graphml": "application/xml",
    ".csv": "text/csv",
}
VERSION_SYNTAX = re.compile(r"[0-9]+(\.[0-9]+)*([-+][0-9A-Za-z.-]+)?")


@dataclass
class Facts:
    """What the description says besides the counts and files, gathered before writing."""

    version: str | None = None
    issued: str | None = None
    modified: str | None = None
    dates: str = ""  # where the dates come from, or why there are none
    licence: str | None = None
    creators: list[str] = field(default_factory=list)  # Turtle terms
    article: str | None = None
    article_titles: list[str] = field(default_factory=list)  # Turtle terms
    article_creators: list[str] = field(default_factory=list)
    properties: list[tuple[str, int]] = field(default_factory=list)

    def manifest(self) -> dict:
        return {
            "version": self.version,
            "issued": self.issued,
            "modified": self.modified,
            "dates": self.dates,
            "description": DESCRIPTION,
        }


# -- the version --


def read_version(root: Path) -> str | None:
    """The data set's version from `graph/VERSION` (one line), or None without the file."""
    path = Path(root) / VERSION_FILE
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8").splitlines()
    text = lines[0].strip() if lines else ""
    if len(lines) != 1 or not VERSION_SYNTAX.fullmatch(text):
        raise SourceError("expected one line with a version number such as 1.2.0", VERSION_FILE, 1)
    return text


def check_version(version: str | None, store: ox.Store) -> None:
    """Raise VersionMismatch unless the ontology header carries `version` (when there is one)."""
    import pyoxigraph as ox

    if version is None:
        return
    header, graph = ox.NamedNode(ONTOLOGY_IRI), ox.NamedNode(ONTOLOGY_GRAPH)

    def values(predicate: str) -> list[str]:
        quads = store.quads_for_pattern(header, ox.NamedNode(predicate), None, graph)
        return sorted(q.object.value for q in quads)

    expected = {OWL_VERSION_INFO: [version], OWL_VERSION_IRI: [f"{ONTOLOGY_IRI}/{version}"]}
    for predicate, wanted in expected.items():
        found = values(predicate)
        if found != wanted:
            said = ", ".join(found) or "nothing"
            raise VersionMismatch(
                f"the ontology's {shorten(predicate)} is {said} but {VERSION_FILE} says "
                f"{version}: set {shorten(predicate)} to {wanted[0]}"
            )


# -- dates from git --


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _utc(stamp: str) -> str:
    return datetime.fromisoformat(stamp).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def git_dates(root: Path) -> tuple[str | None, str | None, str]:
    """(issued, modified, where from): commit dates of the version file and of the inputs."""
    if _git(root, "rev-parse", "--is-inside-work-tree") != "true":
        return None, None, "none: not in a git work tree"
    changed = _git(root, "status", "--porcelain", "--", *INPUT_PATHS)
    if changed is None:
        return None, None, "none: git status failed"
    issued = _git(root, "log", "-1", "--format=%cI", "--", VERSION_FILE) or None
    modified = _git(root, "log", "-1", "--format=%cI", "--", *INPUT_PATHS) or None
    if changed:
        # git vouches for neither the last change (not committed) nor, maybe, the version.
        dirty = {line[3:] for line in changed.splitlines()}
        issued = None if VERSION_FILE in dirty else issued
        return (_utc(issued) if issued else None), None, "git; inputs not committed: no modified"
    return (_utc(issued) if issued else None), (_utc(modified) if modified else None), "git"


# -- gathering --


def _term(term) -> str:
    """A pyoxigraph term as Turtle (its N-Triples form is valid Turtle)."""
    return str(term)


def collect(root: Path, store: ox.Store) -> Facts:
    """Read the version (checked against the ontology), dates, licence, source and property
    counts from the project and the build's store. Raises SourceError or VersionMismatch."""
    import pyoxigraph as ox

    facts = Facts(version=read_version(root))
    check_version(facts.version, store)
    facts.issued, facts.modified, facts.dates = git_dates(Path(root))
    header, ontology = ox.NamedNode(ONTOLOGY_IRI), ox.NamedNode(ONTOLOGY_GRAPH)

    def objects(subject, predicate: str, graph) -> list[str]:
        quads = store.quads_for_pattern(subject, ox.NamedNode(predicate), None, graph)
        return sorted(_term(q.object) for q in quads)

    licences = [t[1:-1] for t in objects(header, DCTERMS + "license", ontology) if t[0] == "<"]
    facts.licence = licences[0] if licences else None
    facts.creators = objects(header, DCTERMS + "creator", ontology)
    article, source = ox.NamedNode(ARTICLE), ox.NamedNode(SOURCE_GRAPH)
    if any(store.quads_for_pattern(article, None, None, source)):
        facts.article = ARTICLE
        facts.article_titles = objects(article, DCTERMS + "title", source)
        facts.article_creators = objects(article, DCTERMS + "creator", source)
    rows = store.query("SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?p")
    facts.properties = sorted((p.value, int(n.value)) for p, n in rows)
    return facts


# -- writing --


def _string(text: str, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"' + (f"@{lang}" if lang else "")


def _typed(value, datatype: str) -> str:
    return f'"{value}"^^xsd:{datatype}'


def media_type(name: str) -> str:
    return IANA_MEDIA_TYPES + MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream")


def described_files(dist: Path) -> list[str]:
    """Every file of `dist` the description lists (relative, sorted): all but itself, the
    manifest and the readers' indexes: the query store `store/` (RocksDB's files) and the
    resolver's `names.tsv` (not distributions)."""
    names = [p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()]
    return sorted(
        n
        for n in names
        if n not in (DESCRIPTION, MANIFEST, NAMES) and not n.startswith(STORE + "/")
    )


def vocabularies(facts: Facts, classes: list[tuple[str, int]]) -> list[str]:
    """The namespaces (of the shared prefixes, not our resources) of the properties and
    classes in use."""
    used = [iri for iri, _ in facts.properties]
    used += [expand(name) or name.strip("<>") for name, _ in classes]
    spaces = [ns for ns in PREFIXES.values() if not ns.startswith(RESOURCE)]
    return sorted({ns for ns in spaces for iri in used if iri.startswith(ns)})


def description_turtle(
    facts: Facts,
    triples: int,
    entities: int,
    classes: list[tuple[str, int]],
    files: list[tuple[str, int, str]],
) -> str:
    """The description as Turtle text; `files` are (relative name, bytes, sha256)."""
    lines = [f"@prefix {name}: <{iri}> ." for name, iri in sorted(PREFIXES.items())]
    lines += ["", f"<{DATASET}> a void:Dataset, dcat:Dataset ;"]
    props: list[str] = []
    props.append(f"dcterms:title {_string(TITLE[0], 'zh')}, {_string(TITLE[1], 'en')}")
    props.append(f"dcterms:description {_string(ABOUT[0], 'zh')}, {_string(ABOUT[1], 'en')}")
    if facts.licence:
        props.append(f"dcterms:license <{facts.licence}>")
    if facts.creators:
        props.append("dcterms:creator " + ", ".join(facts.creators))
    if facts.version:
        props.append(f"dcat:version {_string(facts.version)}")
        props.append(f"owl:versionInfo {_string(facts.version)}")
    for key, value in (("issued", facts.issued), ("modified", facts.modified)):
        if value:
            props.append(f"dcterms:{key} {_typed(value, 'dateTime')}")
    if facts.article:
        props.append(f"prov:wasDerivedFrom <{facts.article}>")
    props.append(f"void:uriSpace {_string(RESOURCE)}")
    props.append(f"void:sparqlEndpoint <{ENDPOINT}>")
    if any(name == "site/index.html" for name, _, _ in files):
        props.append("dcat:landingPage <site/index.html>")
    props.append("void:dataDump <jjjkg.nq>")
    props.append(f"void:triples {_typed(triples, 'integer')}")
    props.append(f"void:entities {_typed(entities, 'integer')}")
    vocabs = vocabularies(facts, classes)
    if vocabs:
        props.append("void:vocabulary " + ", ".join(f"<{ns}>" for ns in vocabs))
    for cls, count in classes:
        props.append(
            f"void:classPartition [ void:class {cls} ; void:entities {_typed(count, 'integer')} ]"
        )
    for prop, count in facts.properties:
        props.append(
            f"void:propertyPartition [ void:property {shorten(prop)} ; "
            f"void:triples {_typed(count, 'integer')} ]"
        )
    for name, size, digest in files:
        props.append(
            "dcat:distribution [ a dcat:Distribution ;\n"
            f"        dcterms:title {_string(name)} ;\n"
            f"        dcat:accessURL <{name}> ;\n"
            f"        dcat:downloadURL <{name}> ;\n"
            f"        dcat:mediaType <{media_type(name)}> ;\n"
            f"        dcat:byteSize {_typed(size, 'nonNegativeInteger')} ;\n"
            "        spdx:checksum [ a spdx:Checksum ; "
            "spdx:algorithm spdx:checksumAlgorithm_sha256 ;\n"
            f"            spdx:checksumValue {_typed(digest, 'hexBinary')} ] ]"
        )
    lines.append(" ;\n".join("    " + p for p in props) + " .")
    lines += [
        "",
        f"<{RESOURCE}dataset/sparql> a dcat:DataService ;",
        f"    dcterms:title {_string('jjjkg serve', 'en')} ;",
        "    rdfs:comment "
        + _string(
            "The read-only SPARQL endpoint that `jjjkg serve` opens on this data set, at its "
            "default address; --host and --port change it.",
            "en",
        )
        + " ;",
        f"    dcat:endpointURL <{ENDPOINT}> ;",
        f"    dcat:servesDataset <{DATASET}> .",
    ]
    if facts.article:
        lines += ["", f"<{facts.article}> a jjj:Article"]
        extra = [f"dcterms:title {t}" for t in facts.article_titles]
        extra += [f"dcterms:creator {c}" for c in facts.article_creators]
        lines[-1] += "".join(f" ;\n    {e}" for e in extra) + " ."
    return "\n".join(lines) + "\n"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_description(
    dist: Path,
    root: Path,
    facts: Facts,
    triples: int,
    entities: int,
    classes: list[tuple[str, int]],
    known: dict[str, str] | None = None,
) -> str:
    """Write `dist/void.ttl` over the files now in `dist`, validate it against
    `ontology/dataset-shapes.ttl` (when the project has it), and return its sha256.

    `known`: sha256 already computed for some files (the writers hash what they write).
    Raises DescriptionError when the description fails its shapes.
    """
    dist = Path(dist)
    known = known or {}
    files = [
        (name, (dist / name).stat().st_size, known.get(name) or sha256_file(dist / name))
        for name in described_files(dist)
    ]
    text = description_turtle(facts, triples, entities, classes, files)
    shapes = Path(root) / DESCRIPTION_SHAPES_FILE
    if shapes.is_file():
        validate_description(text, shapes, dist)
    data = text.encode("utf-8")
    (dist / DESCRIPTION).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def parse_description(text: str, dist: Path):
    """The description as an rdflib Graph, its relative file IRIs resolved against `dist`."""
    from rdflib import Graph

    return Graph().parse(data=text, format="turtle", publicID=Path(dist).resolve().as_uri() + "/")


def validate_description(text: str, shapes: Path, dist: Path) -> None:
    """Run pySHACL (the description is small) with the shapes; raise DescriptionError."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import RDF, SH

    from jjjkg.core.errors import DescriptionError
    from jjjkg.core.terms import short

    shapes_graph = Graph().parse(shapes, format="turtle")
    conforms, results, _ = pyshacl.validate(
        parse_description(text, dist), shacl_graph=shapes_graph, inference="none"
    )
    if conforms:
        return
    report = ValidationReport(shapes=len(set(shapes_graph.subjects(RDF.type, SH.NodeShape))))
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus, message = (
            results.value(result, SH.focusNode),
            results.value(result, SH.resultMessage),
        )
        path = results.value(result, SH.resultPath)
        report.violations.append(
            Violation(short(focus), short(path) if path is not None else "-", str(message))
        )
    report.violations.sort(key=lambda v: (v.focus, v.shape, v.message))
    raise DescriptionError(report)
