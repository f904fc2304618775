"""Sentence-level provenance: every article claim sits in the named graph of a sentence whose
text and position are checked against the source file itself."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from test_coverage import article_source

JJJ = "https://w3id.org/jjjkg/ontology#"
ART = "https://w3id.org/jjjkg/resource/article/tianjin-jjj-decade/"

SENTENCES = f"""
PREFIX jjj: <{JJJ}>
SELECT ?s ?para ?lines ?text ?raw ?sl ?sc ?el ?ec WHERE {{
  ?s a jjj:Sentence ; jjj:inParagraph ?para ; jjj:text ?text ;
     jjj:startLine ?sl ; jjj:startColumn ?sc ; jjj:endLine ?el ; jjj:endColumn ?ec .
  ?para jjj:sourceLines ?lines .
  OPTIONAL {{ ?s jjj:sourceText ?raw }}
}}
"""


@pytest.fixture(scope="module")
def store(built_dist) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(built_dist / "jjjkg.nq"), format=ox.RdfFormat.N_QUADS)
    return store


def article_graphs(store: ox.Store) -> set[str]:
    return {g.value for g in store.named_graphs() if g.value.startswith(ART)}


def sentences(store: ox.Store) -> list[dict]:
    rows = store.query(SENTENCES, use_default_graph_as_union=True)
    return [{v.value: row[v] for v in rows.variables if row[v] is not None} for row in rows]


def span(lines: list[str], paragraph_lines: list[int], start, end) -> str:
    """The source text from (line, column) `start` to `end`, both inclusive and 1-based, read
    through the paragraph's own lines only (a column break skips the lines between)."""
    text, inside = "", False
    for number in paragraph_lines:
        line = lines[number - 1]
        first = start[1] - 1 if number == start[0] else 0
        if number == start[0]:
            inside = True
        if not inside:
            continue
        last = end[1] if number == end[0] else len(line)
        text += line[first:last]
        if number == end[0]:
            return text
    raise AssertionError(f"span {start}-{end} is outside the paragraph lines {paragraph_lines}")


def test_every_sentence_text_is_where_the_source_file_has_it(store):
    source = article_source()
    if source is None:
        pytest.skip("the article is not here (set JJJKG_SOURCE)")
    lines = source.read_text(encoding="utf-8").splitlines()
    found = sentences(store)
    assert found, "no jjj:Sentence in the graph"
    wrong = []
    for row in found:
        paragraph_lines = [int(n) for n in row["lines"].value.split(",")]
        start = (int(row["sl"].value), int(row["sc"].value))
        end = (int(row["el"].value), int(row["ec"].value))
        expected = (row.get("raw") or row["text"]).value
        try:
            actual = span(lines, paragraph_lines, start, end)
        except AssertionError as error:
            wrong.append(f"{row['s'].value}: {error}")
            continue
        if actual != expected:
            wrong.append(f"{row['s'].value}: source has {actual!r}, graph has {expected!r}")
    assert wrong == []


def test_every_article_claim_is_in_a_sentence_graph(store):
    described = {row["s"].value for row in sentences(store)}
    outside = sorted(article_graphs(store) - described)
    assert outside == [], "named graphs under the article that are not described sentences"


def test_every_sentence_graph_is_inside_its_paragraph(store):
    for row in sentences(store):
        sentence, paragraph = row["s"].value, row["para"].value
        assert sentence.startswith(paragraph + "-s"), (sentence, paragraph)
