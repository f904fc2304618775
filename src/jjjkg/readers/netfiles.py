"""The entity network as files for Gephi and other network tools: GEXF and GraphML.

`network_file` is the one network every such file holds (site/network.gexf and
`jjjkg export --format gexf|graphml`): the entities and links of `jjjkg.readers.analysis`
with community, degree and PageRank on each node.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from jjjkg.core.errors import JjjkgError
from jjjkg.readers.analysis import annotated, entity_graph
from jjjkg.readers.facts import Facts

if TYPE_CHECKING:
    import networkx as nx


def network_file(facts: Facts, fmt: str) -> bytes:
    """The entity network (figures left out) in `fmt`: "gexf" or "graphml"."""
    writers = {"gexf": to_gexf, "graphml": to_graphml}
    if fmt not in writers:
        raise JjjkgError(f"cannot write a network as '{fmt}' (use gexf or graphml)")
    return writers[fmt](annotated(entity_graph(facts)))


def to_graphml(graph: nx.MultiDiGraph) -> bytes:
    import networkx as nx

    return ("\n".join(nx.generate_graphml(graph)) + "\n").encode("utf-8")


def to_gexf(graph: nx.MultiDiGraph) -> bytes:
    import re

    import networkx as nx

    text = "\n".join(nx.generate_gexf(graph))
    # GEXF stamps today's date; leave it out so the same data gives the same bytes.
    return (re.sub(r' lastmodifieddate="[^"]*"', "", text) + "\n").encode("utf-8")


def write_network(facts: Facts, path: Path) -> Path:
    """Write the entity network as GraphML or GEXF, chosen by the file's extension."""
    path = Path(path)
    if path.suffix not in (".graphml", ".gexf"):
        raise JjjkgError(f"cannot write a network to '{path.name}' (use .graphml or .gexf)")
    path.write_bytes(network_file(facts, path.suffix[1:]))
    return path
