"""CITATION.cff is valid CFF 1.2.0 and names the versions set in their one place each."""

from __future__ import annotations

from importlib.metadata import version

from cffconvert import Citation
from conftest import REPO


def test_citation_file_is_valid_and_its_versions_are_the_real_ones():
    citation = Citation((REPO / "CITATION.cff").read_text(encoding="utf-8"))
    citation.validate()  # raises on a file that breaks the CFF schema
    data = (REPO / "graph" / "VERSION").read_text(encoding="utf-8").strip()
    assert str(citation.cffobj["version"]) == version("jjjkg")  # pyproject.toml's
    [dataset] = [ref for ref in citation.cffobj["references"] if ref["type"] == "data"]
    assert str(dataset["version"]) == data
    [article] = [ref for ref in citation.cffobj["references"] if ref["type"] != "data"]
    assert article == {
        "type": "newspaper-article",
        "title": "握紧“方向盘” 跑好“接力赛”",
        "authors": [{"name": "朱波"}],
    }
