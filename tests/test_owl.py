"""OWL 2 DL: the reasoners Protégé users run accept the built graph, and the profile checker passes.

- HermiT and Pellet, as owlready2 bundles them, on the RDF/XML export (`jjjkg export --format
  xml`): the graph is consistent, no named class is unsatisfiable, and the types they entail for
  the resources equal jjjkg's own closure (asserted plus inferred graph).
- The OWL API's OWL 2 DL profile checker (the library Protégé uses; Debian's libowlapi-java)
  finds no violation in ontology/jjjkg.ttl, in dist/jjjkg.ttl or in the RDF/XML export.

Both need a Java runtime and are skipped without one.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from jjjkg.cli import cli

REPO = Path(__file__).resolve().parent.parent
OWLAPI_JARS = Path("/usr/share/java")  # Debian's libowlapi-java and its dependencies
# Terms of these vocabularies are not resources of the graph.
BUILTIN = (
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
)

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="no Java runtime (java)")


@pytest.fixture(scope="module")
def exports(built_dist: Path, tmp_path_factory) -> dict[str, Path]:
    """The built graph as RDF/XML: {"asserted": file, "inferred": file with inferred triples}."""
    folder = tmp_path_factory.mktemp("owl")
    files = {}
    for name, flags in (("asserted", []), ("inferred", ["--inferred"])):
        files[name] = folder / f"jjjkg-{name}.rdf"
        args = ["export", "--root", str(REPO), "--dist", str(built_dist), "--format", "xml"]
        result = CliRunner().invoke(cli, [*args, *flags, "-o", str(files[name])])
        assert result.exit_code == 0, result.output
    return files


@pytest.fixture(scope="module")
def closure(exports) -> tuple[set[str], set[str], dict[str, set[str]]]:
    """jjjkg's answer, from the export with inferred triples: the named classes the ontology
    declares; the resources (every IRI of the graph that is not a declared term or the
    ontology); and for each resource typed with a declared class, all its declared types."""
    from rdflib import OWL, RDF, Graph, URIRef

    graph = Graph().parse(exports["inferred"], format="xml")
    classes = {str(c) for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    terms = {
        str(t) for t, kind in graph.subject_objects(RDF.type) if str(kind).startswith(str(OWL))
    }
    iris = {str(n) for triple in graph for n in triple if isinstance(n, URIRef)}
    resources = {iri for iri in iris - terms if not iri.startswith(BUILTIN)}
    types: dict[str, set[str]] = {}
    for s, c in graph.subject_objects(RDF.type):
        if str(s) in resources and str(c) in classes:
            types.setdefault(str(s), set()).add(str(c))
    return classes, resources, types


def entailed_types(rdfxml: Path, reasoner: str, classes: set[str], resources: set[str]):
    """Load `rdfxml` into a fresh owlready2 world and run `reasoner` (hermit or pellet) on it.

    Returns the named types (among `classes`) that the reasoner entails for each of
    `resources`, and the classes the reasoner finds equivalent to owl:Nothing; raises
    OwlReadyInconsistentOntologyError when it finds the graph inconsistent. A resource's
    entailed types are its realised types with all their superclasses in the classified
    hierarchy (owlready2's INDIRECT_is_a).
    """
    import owlready2

    world = owlready2.World()
    ontology = world.get_ontology(rdfxml.resolve().as_uri()).load()

    def types() -> dict[str, set[str]]:
        found = {}
        for iri in resources:
            thing = world[iri]
            if isinstance(thing, owlready2.Thing):
                named = {
                    c.iri
                    for c in thing.INDIRECT_is_a
                    if isinstance(c, owlready2.ThingClass) and c.iri in classes
                }
                if named:
                    found[iri] = named
        return found

    with ontology:
        if reasoner == "hermit":
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        else:
            owlready2.sync_reasoner_pellet(
                world, infer_property_values=False, infer_data_property_values=False, debug=0
            )
    unsatisfiable = sorted(c.iri for c in world.inconsistent_classes())
    return types(), unsatisfiable


@needs_java
@pytest.mark.parametrize("export", ["asserted", "inferred"])
@pytest.mark.parametrize("reasoner", ["hermit", "pellet"])
def test_reasoner_accepts_the_graph_and_entails_our_closure(exports, closure, reasoner, export):
    """Consistent, no unsatisfiable class, and exactly jjjkg's types: from the asserted export
    the reasoner entails every type jjjkg's OWL 2 RL closure has and no other (so the closure
    is sound, and complete for named types); given the closure (the inferred export), it adds
    nothing. Today every such type follows from an asserted type and the class hierarchy."""
    pytest.importorskip("owlready2", reason="owlready2 is not installed (pip install -e '.[test]')")
    import owlready2

    classes, resources, ours = closure
    try:
        entailed, unsatisfiable = entailed_types(exports[export], reasoner, classes, resources)
    except owlready2.OwlReadyInconsistentOntologyError as error:
        pytest.fail(f"{reasoner} finds the {export} graph inconsistent: {error}")
    except owlready2.OwlReadyJavaError as error:
        if "UnsupportedClassVersionError" in str(error):
            pytest.fail(
                f"{reasoner} needs a newer Java than this one: owlready2 0.50 and later ship "
                "Pellet's Jena compiled for Java 25; the test extra pins owlready2<0.50"
            )
        raise
    assert unsatisfiable == []
    assert len(entailed) == len(ours) > 500
    missing = {iri: sorted(ours[iri] - entailed.get(iri, set())) for iri in ours}
    extra = {iri: sorted(entailed[iri] - ours.get(iri, set())) for iri in entailed}
    assert {iri: t for iri, t in missing.items() if t} == {}
    assert {iri: t for iri, t in extra.items() if t} == {}


DL_PROFILE_CHECK = """
import java.io.File;
import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.*;
import org.semanticweb.owlapi.profiles.*;

public class DLProfileCheck {
    public static void main(String[] args) throws Exception {
        for (String path : args) {
            OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
            OWLOntology ontology = manager.loadOntologyFromOntologyDocument(new File(path));
            OWLProfileReport report = new OWL2DLProfile().checkOntology(ontology);
            for (OWLProfileViolation v : report.getViolations()) {
                System.out.println(path + "\\t" + v);
            }
            System.out.println("violations\\t" + path + "\\t" + report.getViolations().size());
        }
    }
}
"""


@needs_java
@pytest.mark.skipif(
    not (OWLAPI_JARS / "owlapi-distribution.jar").is_file(),
    reason="the OWL API is not installed (apt-get install libowlapi-java)",
)
def test_owl2_dl_profile_has_no_violations(built_dist, exports, tmp_path):
    """The OWL API's profile checker: every term declared, every datatype in the OWL 2 map."""
    source = tmp_path / "DLProfileCheck.java"
    source.write_text(DL_PROFILE_CHECK, encoding="utf-8")
    files = [REPO / "ontology" / "jjjkg.ttl", built_dist / "jjjkg.ttl", exports["inferred"]]
    run = subprocess.run(
        ["java", "-cp", f"{OWLAPI_JARS}/*", str(source), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    counts = {}
    for line in run.stdout.splitlines():
        if line.startswith("violations\t"):
            _, path, count = line.split("\t")
            counts[path] = int(count)
    violations = [line for line in run.stdout.splitlines() if not line.startswith("violations\t")]
    assert violations[:20] == []
    assert counts == {str(f): 0 for f in files}
