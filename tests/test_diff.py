"""`jjjkg diff`: two small builds, the new one in the sentence shape of provenance."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FILES, PREFIXES, write_project

from jjjkg.cli import cli
from jjjkg.pipeline.build import build

# The new version: p01's claim moved into a sentence graph (no change), p02's claims too, less
# its blank-node note and plus one new claim, and a new place in the catalogue.
SENTENCES = (
    PREFIXES
    + """
article:p01-s1 {
    org:cnooc jjj:hostedBy place:tianjin .
}

article:p02-s1 {
    park:binhai jjj:locatedIn place:binhai-new-area .
    place:binhai-new-area jjj:locatedIn place:tianjin .
    org:cnooc jjj:hosts park:binhai .
}
"""
)
SENTENCE_SOURCE = FILES["graph/source.trig"].replace(
    "\n}\n",
    """
    article:p01-s1 a jjj:Sentence ; jjj:inParagraph article:p01 ; jjj:sentenceNumber 1 .
    article:p02-s1 a jjj:Sentence ; jjj:inParagraph article:p02 ; jjj:sentenceNumber 1 .
    article:p01 skos:prefLabel "第1段"@zh, "Paragraph 1"@en .
    article:p02 skos:prefLabel "第2段"@zh, "Paragraph 2"@en .
}
""",
)
NEW_FILES = {
    **FILES,
    "graph/section-01.trig": SENTENCES,
    "graph/source.trig": SENTENCE_SOURCE,
    "graph/catalogue.trig": FILES["graph/catalogue.trig"].replace(
        "\n}\n",
        '\n    place:hebei a jjj:Place ; skos:prefLabel "河北"@zh, "Hebei"@en .\n}\n',
    ),
}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("diff")
    old = build(write_project(folder / "old")).dist
    new = build(write_project(folder / "new", NEW_FILES)).dist
    return old, new


def run(*args: str):
    return CliRunner().invoke(cli, ["diff", *args])


def test_diff_reports_counts_and_claims_per_paragraph_in_english(two_builds):
    old, new = two_builds
    result = run(str(old), str(new), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "triples   90 → 104 (+14)\n"
        "  inferred 13 → 15 (+2)\n"
        "entities  7 → 10 (+3)\n"
        "claims    5 → 4 (−1) in 2 paragraphs: +1 −2 in 1 paragraph\n"
        "\n"
        "jart:p02  Paragraph 2\n"
        "  + CNOOC  hosts  Binhai Zhongguancun Science Park\n"
        "  − Binhai Zhongguancun Science Park  jjj:note  []\n"
        "  − []  rdfs:comment  a blank node, to test stable labels\n"
        "\n"
        "other graphs (triples)\n"
        "  jgraph:catalogue  11 → 14 (+3)\n"
        "  jgraph:inferred   13 → 15 (+2)\n"
        "  jgraph:source     9 → 19 (+10)\n"
    )


def test_diff_names_things_in_chinese_by_default(two_builds):
    old, new = two_builds
    lines = run(str(old), str(new)).output.splitlines()
    assert lines[5:8] == [
        "jart:p02  第2段",
        "  + 中海油  承载  滨海中关村科技园",
        "  − 滨海中关村科技园  jjj:note  []",
    ]


def test_a_build_compared_with_itself_has_no_changes(two_builds):
    _, new = two_builds
    assert run(str(new), str(new)).output.splitlines()[-1] == (
        "claims    4 → 4 in 2 paragraphs: +0 −0 in 0 paragraphs"
    )


def test_diff_usage_errors_are_one_line(two_builds, tmp_path):
    old, _ = two_builds
    result = run(str(old))
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        2,
        "Error: give OLD and NEW dist/ folders, or --against GIT_REV",
    )
    result = run(str(old), str(tmp_path))
    assert (result.exit_code, result.output) == (
        2,
        f"{tmp_path}: no built dataset here (no jjjkg.nq)\n",
    )


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args]
    subprocess.run(command, cwd=root, env=env, check=True, capture_output=True)


def test_diff_against_a_revision_builds_it_aside(tmp_path):
    root = write_project(tmp_path / "project")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "old")
    write_project(root, NEW_FILES)
    before = sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if ".git" not in p.parts
    )
    result = CliRunner().invoke(cli, ["diff", "--against", "HEAD", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "  + 中海油  承载  滨海中关村科技园" in result.output.splitlines()
    after = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if ".git" not in p.parts)
    assert [p for p in after if p not in before and not p.startswith("dist")] == []
    result = CliRunner().invoke(cli, ["diff", "--against", "nope", "--root", str(root)])
    assert (result.exit_code, result.output) == (2, f"{root}: unknown git revision 'nope'\n")
