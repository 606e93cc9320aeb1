"""pulled_in: what a lock installs for the declared distributions, and who pulls each in."""

from __future__ import annotations

from flake8_reqs.declared.locked import Lock, Locked, pulled_in


def package(name, *dependencies, extras=(), via=()):
    deps = tuple((dep, (), None) for dep in dependencies)
    return Locked(name, name, "1", 1, deps, extras, via)


GRAPH = Lock(
    "uv.lock",
    (
        package("a", "b"),
        package("b", "c"),
        package("c"),
        package("d", extras=(("x", (("e", (), None),)),)),
        package("e"),
        package("f", "a"),
    ),
)


def reasons(found):
    return {name: (pulled.declared, pulled.because) for name, pulled in found.items()}


def test_a_graph_is_walked_from_the_declared_ones():
    found = pulled_in(GRAPH, {"a": (), "d": ()}, lambda marker: True)
    assert reasons(found) == {
        "a": (True, None),
        "d": (True, None),
        "b": (False, "a"),
        "c": (False, "a"),
    }


def test_an_extra_adds_its_dependencies():
    assert "e" in pulled_in(GRAPH, {"d": ("x",)}, lambda marker: True)


def test_a_declared_one_another_declared_one_depends_on():
    found = pulled_in(GRAPH, {"f": (), "a": ()}, lambda marker: True)
    assert reasons(found)["a"] == (True, "f")


def test_a_flat_lock_installs_everything_and_says_who_needs_it():
    flat = Lock(
        "requirements.txt",
        (package("a"), package("b", via=("a",)), package("c", via=("app",))),
        flat=True,
    )
    found = pulled_in(flat, {"a": ()}, lambda marker: True, own=frozenset({"app"}))
    assert reasons(found) == {"a": (True, None), "b": (False, "a"), "c": (False, None)}
