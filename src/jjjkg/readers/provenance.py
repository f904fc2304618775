"""Where the links of the network come from: the paragraphs that state a path's steps.

A link's graphs are paragraph graphs (`p07`), sentence graphs (`p07-s2`, whose paragraph is
their `jjj:inParagraph`) or graphs outside the article (`background`, `catalogue`). A step
stated by no paragraph is a background step, marked as such; `article_only` keeps only the
links the article states, for paths that walk the article's word alone.
"""

from __future__ import annotations

import dataclasses

from jjjkg.core.terms import JJJ

MARKS = {
    "zh": {"background": "背景", "catalogue": "目录"},
    "en": {"background": "background", "catalogue": "catalogue"},
}


def graph_paragraphs(store) -> dict[str, str]:
    """{graph id: paragraph id} for sentence graphs (`p07-s2` → `p07`), from the data."""
    text = f"SELECT ?g ?p WHERE {{ ?g <{JJJ}inParagraph> ?p }}"
    return {_id(row[0].value): _id(row[1].value) for row in store.query(text)}


def _id(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


class Provenance:
    """The paragraphs stating each link of `facts`, in either shape of the data."""

    def __init__(self, facts, in_paragraph: dict[str, str]):
        self.facts = facts
        self.by_link: dict[tuple, tuple[str, ...]] = {}
        for link in facts.links:
            self.by_link[(link.source, link.prop, link.target)] = link.paragraphs
        self.in_paragraph = in_paragraph

    def paragraphs(self, graphs: tuple[str, ...]) -> list[str]:
        found = {self.in_paragraph.get(g, g) for g in graphs}
        return sorted(
            (p for p in found if p in self.facts.paragraphs),
            key=lambda p: self.facts.paragraphs[p].number,
        )

    def step_graphs(self, step) -> tuple[str, ...]:
        key = (step.source, step.prop, step.target)
        if not step.forward:
            key = (step.target, step.prop, step.source)
        return self.by_link.get(key, ())

    def mark(self, step, lang: str) -> str:
        """`[第7段]`, `[paragraphs 2, 5]`, or `[背景]` / `[background]` for a background step."""
        graphs = self.step_graphs(step)
        numbers = [str(self.facts.paragraphs[p].number) for p in self.paragraphs(graphs)]
        if numbers:
            if lang == "zh":
                return f"[第{'、'.join(numbers)}段]"
            return f"[paragraph{'s' * (len(numbers) > 1)} {', '.join(numbers)}]"
        words = MARKS[lang]
        kinds = [words["catalogue"] if g == "catalogue" else words["background"] for g in graphs]
        return f"[{'; '.join(dict.fromkeys(kinds)) or words['background']}]"

    def article_only(self):
        """`facts` with only the links some paragraph of the article states."""
        links = [link for link in self.facts.links if self.paragraphs(link.paragraphs)]
        return dataclasses.replace(self.facts, links=links)
