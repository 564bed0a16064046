"""The examples in docstrings are run: they are documentation that cannot go stale."""
from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["nskb.chinese", "nskb.probe.parse"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0
