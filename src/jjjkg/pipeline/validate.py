"""Validate the data: SHACL shapes and convention checks (SPARQL, zero rows), in Oxigraph.

SHACL runs over the asserted union (ontology + data graphs; shapes and inferred left out: it
runs before reasoning), so `sh:targetClass` and `sh:class` see the ontology's
`rdfs:subClassOf` without a reasoner. The
shapes are compiled into SPARQL queries (`jjjkg.pipeline.shapes`) when they use only the SHACL Core
subset the compiler knows; any other valid SHACL falls back to pySHACL (through rdflib), so a
new kind of constraint is checked, just more slowly.

Check queries (`queries/checks/*.rq`) run over the asserted graphs plus the inferred graph:
the default graph is the union of them all and each is a named graph too (the shapes are not
there), so a check may use plain patterns or `GRAPH ?g`. The union is Oxigraph's: a triple
stated in two graphs is there twice, so each row is reported once, and a check that counts
should count DISTINCT values. The shared prefixes (`jjjkg.core.terms`) are predeclared.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from jjjkg.core.errors import QueryError, ValidationReport, Violation
from jjjkg.core.project import check_files, relative
from jjjkg.core.terms import RDF_TYPE, SH, SHAPES_GRAPH, SUB_CLASS_OF

if TYPE_CHECKING:
    from rdflib import Graph

    from jjjkg.pipeline.load import Sources

# Constraint components whose results name the offending value (pySHACL's sh:value).
VALUE_COMPONENTS = {"Datatype", "Class", "LanguageIn", "NodeKind"}


# -- SHACL --


def shape_count(shapes) -> int:
    """How many node and property shapes the shapes store declares."""
    import pyoxigraph as ox

    nodes = set()
    for kind in ("NodeShape", "PropertyShape"):
        for quad in shapes.quads_for_pattern(None, ox.NamedNode(RDF_TYPE), ox.NamedNode(SH + kind)):
            nodes.add(quad.subject)
    return len(nodes)


def _violation(focus: str, shape: str, message: str, value: str | None, severity: str):
    text = message
    if value is not None and value not in text:
        text += f" (value {value})"
    return Violation(focus=focus, shape=shape, message=" ".join(text.split()), severity=severity)


def compiled_report(sources: Sources, progress: Callable[[str], None] | None = None):
    """Run the compiled shapes; raises `UnsupportedShape` (pipeline.shapes) if they cannot be."""
    import pyoxigraph as ox

    from jjjkg.core.terms import short, shorten
    from jjjkg.pipeline.shapes import compile_shapes

    store = sources.store
    ontology = store.quads_for_pattern(None, ox.NamedNode(SUB_CLASS_OF), None, None)
    checks = compile_shapes(sources.shapes, ontology)
    report = ValidationReport(shapes=shape_count(sources.shapes))
    started = time.perf_counter()
    for number, check in enumerate(checks, 1):
        name = shorten(check.shape) + (f" {shorten(check.path)}" if check.path else "")
        for focus, value in store.query(check.sparql, use_default_graph_as_union=True):
            shown = short(value) if check.component in VALUE_COMPONENTS and value else None
            report.violations.append(
                _violation(short(focus), name, check.message, shown, "Violation")
            )
        if progress and time.perf_counter() - started > 0.5:
            progress(f"shacl: {number}/{len(checks)} constraints")
    report.violations.sort(key=_order)  # one per constraint and value, as pySHACL reports
    return report


def _order(v: Violation) -> tuple[str, str, str]:
    return (v.focus, v.shape, v.message)


def _rdflib_graph(store, graph) -> Graph:
    """One graph of a pyoxigraph store as an rdflib Graph, blank-node labels kept."""
    import pyoxigraph as ox
    from rdflib import Graph

    from jjjkg.core.rdfio import KeepLabels, bind_prefixes

    result = Graph()
    bind_prefixes(result)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    result.parse(data=data.decode("utf-8"), format="nt", bnode_context=KeepLabels())
    return result


def _shape_name(shapes: Graph, shape) -> str:
    """A readable shape name: its IRI, or for a blank property shape, owner + path."""
    from rdflib import BNode
    from rdflib.namespace import SH as SHNS

    from jjjkg.core.terms import short

    if not isinstance(shape, BNode):
        return short(shape)
    path = shapes.value(shape, SHNS.path)
    owner = shapes.value(None, SHNS.property, shape)
    parts = [short(owner) if owner is not None and not isinstance(owner, BNode) else ""]
    if path is not None:
        parts.append(short(path) if not isinstance(path, BNode) else "(path)")
    return " ".join(p for p in parts if p) or "(anonymous shape)"


def pyshacl_report(sources: Sources) -> ValidationReport:
    """Run the shapes with pySHACL over the asserted union (converted to rdflib)."""
    import pyoxigraph as ox
    import pyshacl
    from rdflib import BNode
    from rdflib.namespace import RDF
    from rdflib.namespace import SH as SHNS

    from jjjkg.core.terms import short

    shapes = _rdflib_graph(sources.shapes, ox.NamedNode(SHAPES_GRAPH))
    report = ValidationReport(shapes=shape_count(sources.shapes))
    _, results, _ = pyshacl.validate(
        sources.asserted_rdflib(),
        shacl_graph=shapes,
        inference="none",
        allow_warnings=True,
        allow_infos=True,
        inplace=True,
    )
    for result in results.subjects(RDF.type, SHNS.ValidationResult):
        focus = results.value(result, SHNS.focusNode)
        shape = results.value(result, SHNS.sourceShape)
        path = results.value(result, SHNS.resultPath)
        message = results.value(result, SHNS.resultMessage)
        severity = results.value(result, SHNS.resultSeverity)
        value = results.value(result, SHNS.value)
        name = _shape_name(shapes, shape)
        if path is not None and not isinstance(path, BNode) and short(path) not in name:
            name += f" {short(path)}"
        component = results.value(result, SHNS.sourceConstraintComponent)
        text = str(message) if message is not None else short(component)
        violation = _violation(
            short(focus) if focus is not None else "-",
            name,
            text,
            short(value) if value is not None else None,
            str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        )
        (report.violations if violation.severity == "Violation" else report.warnings).append(
            violation
        )
    report.violations.sort(key=_order)
    report.warnings.sort(key=_order)
    return report


def shacl_report(
    sources: Sources, progress: Callable[[str], None] | None = None
) -> ValidationReport:
    """Run the shapes of `ontology/shapes.ttl` over the asserted union.

    Compiled to SPARQL when the shapes allow it (fast at any size), else pySHACL.
    """
    from jjjkg.core.errors import UnsupportedShape

    if not len(sources.shapes):
        return ValidationReport()
    try:
        return compiled_report(sources, progress)
    except UnsupportedShape:
        return pyshacl_report(sources)


# -- check queries --


def check_summary(text: str) -> str:
    """The `#+ summary:` header of a query, or its first comment line."""
    comments = [line.lstrip("#+ ").strip() for line in text.splitlines() if line.startswith("#")]
    for line in text.splitlines():
        if line.startswith("#+ summary:"):
            return line.split(":", 1)[1].strip()
    return comments[0] if comments else "check query returned rows"


def _query_error(exc: SyntaxError, rel: str) -> QueryError:
    """pyoxigraph's `error at 3:2: expected …` as `file:3:2: bad query: expected …`."""
    text = str(exc.args[0]) if exc.args else str(exc)
    first = text.strip().splitlines()[0] if text.strip() else "syntax error"
    match = re.match(r"error at (\d+):(\d+): (.*)", first)
    if match:
        line, col, why = int(match.group(1)), int(match.group(2)), match.group(3)
        return QueryError(f"bad query: {why}", rel, line, col)
    return QueryError(f"bad query: {first}", rel)


def check_report(
    sources: Sources, root: Path, progress: Callable[[str], None] | None = None
) -> ValidationReport:
    """Run every `queries/checks/*.rq`; each returned row is a violation.

    Run after `jjjkg.pipeline.reason.add_inferred`, so the checks see the inferred triples too.
    """
    from jjjkg.core.project import rdf_files, read_text, skipped_inputs
    from jjjkg.core.service import refuse_service
    from jjjkg.core.terms import (
        PREFIXES,  # the prefixes every query may use undeclared
        short,
    )
    from jjjkg.pipeline.literals import ill_typed

    report = ValidationReport()
    files = check_files(root)
    for number, path in enumerate(files, 1):
        rel = relative(path, root)
        text = read_text(path, rel)
        refuse_service(text, rel, "; checks never send requests")
        try:
            results = sources.store.query(text, prefixes=PREFIXES, use_default_graph_as_union=True)
            if not hasattr(results, "variables"):
                raise QueryError("a check must be a SELECT query", rel)
            # Each row once: a triple stated in two graphs is twice in the union.
            rows = list(dict.fromkeys(tuple(row) for row in results))
        except QueryError:
            raise
        except SyntaxError as exc:
            raise _query_error(exc, rel) from None
        except Exception as exc:  # evaluation errors: pyoxigraph raises OSError and others
            raise QueryError(f"query failed: {str(exc).strip()}", rel) from None
        report.checks.append(rel)
        if rows:
            report.failed_checks.append(rel)
        summary = check_summary(text)
        for row in rows:
            values = [short(v) if v is not None else "-" for v in row]
            focus = values[0] if values else "-"
            extra = " ".join(values[1:])
            message = f"{summary} ({extra})" if extra else summary
            report.violations.append(Violation(focus, rel, message, "Check"))
        if progress:
            progress(f"checks: {number}/{len(files)}")
    skipped = skipped_inputs(root)
    report.warnings += [Violation(rel, "input", why, "Warning") for rel, why in skipped]
    # Counted with SHACL's violations (what sh:datatype should have caught), not as a check.
    report.violations += ill_typed(sources.store, root, rdf_files(root))
    report.violations.sort(key=lambda v: (v.shape, v.focus, v.message))
    return report


def merge(*reports: ValidationReport) -> ValidationReport:
    """One report from the SHACL and check reports."""
    merged = ValidationReport()
    for report in reports:
        merged.violations += report.violations
        merged.warnings += report.warnings
        merged.shapes += report.shapes
        merged.checks += report.checks
        merged.failed_checks += report.failed_checks
    return merged
