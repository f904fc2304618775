"""jjjkg: a knowledge graph of Beijing–Tianjin–Hebei (京津冀) coordinated development."""


def dataframe(query: str, lang: str | None = None, **options):
    """A query's answer as a pandas DataFrame: see `jjjkg.readers.frame.dataframe`."""
    from jjjkg.readers.frame import dataframe as frame

    return frame(query, lang, **options)
