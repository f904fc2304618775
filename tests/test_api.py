"""The public library API (`import jjjkg`): its doctests run against the repository."""

from __future__ import annotations

import doctest

from conftest import REPO

import jjjkg


def test_public_api_doctests(monkeypatch):
    monkeypatch.chdir(REPO)
    failures, tried = doctest.testmod(jjjkg, optionflags=doctest.ELLIPSIS)
    assert tried >= 8 and failures == 0


def test_public_api_names():
    assert jjjkg.__all__ == [
        "build",
        "ensure_built",
        "load",
        "open_store",
        "query",
        "dataframe",
        "export",
    ]
    assert all(callable(getattr(jjjkg, name)) for name in jjjkg.__all__)
