"""Matching an import to the declared distributions that provide it, whatever its length."""

from __future__ import annotations

import pytest

from flake8_reqs.code.imports import ImportRef
from flake8_reqs.declared.resolve import find_provisions


class Counting(dict):  # type: ignore[type-arg]
    """A provisions mapping that counts the names looked up in it."""

    asked = 0

    def get(self, key, default=None):  # type: ignore[override]
        self.asked += 1
        return super().get(key, default)


PROVISIONS = {"google.cloud.storage": ("storage",), "google": ("protobuf",), "flask": ("flask",)}


@pytest.mark.parametrize(
    ("module", "names", "found"),
    [
        pytest.param("google.cloud.storage.blob", (), ("storage",), id="the longest name wins"),
        pytest.param("google.cloud", ("storage",), ("storage",), id="from ... import a package"),
        pytest.param("google.protobuf", (), ("protobuf",), id="a shorter name"),
        pytest.param(".".join(f"a{i}" for i in range(20_000)), (), (), id="20,000 parts"),
        pytest.param("Flask", (), ("flask",), id="lower case tried too"),
    ],
)
def test_an_import_looks_up_no_longer_name_than_any_provided(module, names, found):
    provisions = Counting(PROVISIONS)
    assert find_provisions(ImportRef(module, 1, 0, names=names), provisions) == found
    # Each candidate is looked up at most once per part of the longest provided name (3):
    # a 20,000-part import was 20,000 joins of growing length, quadratic.
    assert provisions.asked <= 3 * (1 + len(names)) * 2
