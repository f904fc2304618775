"""Query answers as pandas DataFrames, for notebooks: `jjjkg.dataframe(NAME_OR_SPARQL)`.

Columns as `jjjkg query --format csv --lang …` gives them (an IRI column keeps full IRIs,
with a `VARLabel` name column beside it when a language is asked for), but numbers are
numbers. pandas is an optional extra: `pip install 'jjjkg[pandas]'`.
"""

from __future__ import annotations

from pathlib import Path

from jjjkg.core.errors import JjjkgError, QueryError


def dataframe(
    query: str,
    lang: str | None = None,
    root: Path | str = ".",
    dist: Path | str | None = None,
    inferred: bool = True,
    **bind,
):
    """The answer of a named query, a .rq file or SPARQL text, as a pandas DataFrame.

    Keyword arguments bind the query's variables, names resolved as `--bind` resolves them:
    `dataframe("entity-claims", lang="en", entity="天津港")`.
    """
    try:
        import pandas as pd
    except ImportError:
        raise JjjkgError("jjjkg.dataframe needs pandas: pip install 'jjjkg[pandas]'") from None
    from jjjkg.readers.query import answer_of
    from jjjkg.readers.render import labelled, plain

    store, chosen, result = answer_of(root, dist, query, bind, inferred, "dataframe")
    if result.kind == "ask":
        raise QueryError("an ASK query answers true or false, not a table", chosen.source)
    if result.kind == "graph":
        variables, rows = ["subject", "predicate", "object"], [tuple(t) for t in result.triples]
    else:
        variables, rows = result.variables, result.rows
    if lang not in (None, "none"):
        header, table = labelled(variables, rows, store, lang)
    else:
        header, table = variables, [[plain(t) for t in row] for row in rows]
    return pd.DataFrame(table, columns=header)
