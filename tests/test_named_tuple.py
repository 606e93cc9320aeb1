"""Our NamedTuple makes what typing's makes, from the same class body (named_tuple.py)."""

from __future__ import annotations

import typing
from typing import Any

import pytest

from flake8_reqs import named_tuple

BODIES = {
    "fields only": """
class Point(NamedTuple):
    x: int
    y: tuple[str, ...]
""",
    "defaults": """
class Options(NamedTuple):
    path: str
    jobs: int = 1
    names: frozenset[str] = frozenset()
""",
    "docstring, method, property, class constant": '''
class Pin(NamedTuple):
    """A pinned requirement."""

    name: str
    version: str | None = None
    SEPARATOR = "=="

    def text(self) -> str:
        return self.name if self.version is None else f"{self.name}{self.SEPARATOR}{self.version}"

    @property
    def pinned(self) -> bool:
        return self.version is not None
''',
    "as many fields as the largest __new__ of named_tuple.py takes": (
        "\nclass Wide(NamedTuple):\n"
        + "".join(f"    f{i}: int\n" for i in range(len(named_tuple._NEW) - 2))
        + "    last: int = 0\n"
    ),
    "more fields: made by collections.namedtuple": (
        "\nclass Wider(NamedTuple):\n"
        + "".join(f"    f{i}: int\n" for i in range(len(named_tuple._NEW) + 3))
    ),
}
BAD_BODIES = {
    "a field without a default after one with": """
class Bad(NamedTuple):
    x: int = 0
    y: int
""",
    "a method that replaces namedtuple's": """
class Bad(NamedTuple):
    x: int

    def _replace(self, **changes):
        return self
""",
    "slots": """
class Bad(NamedTuple):
    x: int
    __slots__ = ("x",)
""",
    "a field that starts with an underscore": """
class Bad(NamedTuple):
    x: int
    _y: int
""",
}


def define(body: str, base: Any) -> Any:
    namespace: dict[str, Any] = {"NamedTuple": base, "__name__": "records"}
    code = compile("from __future__ import annotations\n" + body, "records.py", "exec")
    exec(code, namespace)
    return next(
        value for value in namespace.values() if isinstance(value, type) and value is not base
    )


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_the_class_is_typings(body: str) -> None:
    theirs, ours = define(body, typing.NamedTuple), define(body, named_tuple.NamedTuple)
    assert ours.__mro__[1:] == (tuple, object)
    for attribute in ("__name__", "__qualname__", "__module__", "__doc__", "_fields"):
        assert getattr(ours, attribute) == getattr(theirs, attribute), attribute
    assert ours._field_defaults == theirs._field_defaults
    # The annotations stay the strings they are written as: nothing compiles them.
    assert ours.__annotations__ == {
        name: str(text) for name, text in define_annotations(body).items()
    }
    values = tuple(f"v{i}" for i in range(len(ours._fields)))
    made, expected = ours(*values), theirs(*values)
    assert made == expected == values
    assert hash(made) == hash(expected)
    assert repr(made) == repr(expected)
    assert made._replace(**{ours._fields[0]: "new"}) == expected._replace(
        **{theirs._fields[0]: "new"}
    )
    assert made._asdict() == expected._asdict()
    assert made._make(values) == expected._make(values)
    assert made.__getnewargs__() == expected.__getnewargs__()
    assert getattr(ours, "__match_args__", None) == getattr(theirs, "__match_args__", None)
    assert [getattr(made, name) for name in ours._fields] == list(values)
    assert ours.__slots__ == theirs.__slots__ == ()
    assert ours(**dict(zip(ours._fields, values))) == made  # every field by keyword
    for name in set(vars(theirs)) - set(vars(tuple)) - {"__annotations__"}:
        if callable(getattr(expected, name, None)) and not name.startswith("_"):
            assert getattr(made, name)() == getattr(expected, name)(), name
        elif isinstance(getattr(theirs, name), property):
            assert getattr(made, name) == getattr(expected, name), name


def define_annotations(body: str) -> dict[str, str]:
    namespace: dict[str, Any] = {}
    exec(
        compile(
            "from __future__ import annotations\n" + body.replace("(NamedTuple)", ""),
            "records.py",
            "exec",
        ),
        namespace,
    )
    cls = next(value for value in namespace.values() if isinstance(value, type))
    return dict(cls.__annotations__)


@pytest.mark.parametrize("body", BAD_BODIES.values(), ids=BAD_BODIES.keys())
def test_what_typing_refuses_is_refused(body: str) -> None:
    with pytest.raises((TypeError, AttributeError, ValueError)) as theirs:
        define(body, typing.NamedTuple)
    with pytest.raises(type(theirs.value)):
        define(body, named_tuple.NamedTuple)


def test_records_of_the_package_are_plain_namedtuples() -> None:
    """The classes an editor run defines are made by collections.namedtuple, without a
    ForwardRef per field: what makes them cheap to define."""
    from flake8_reqs.project.state import ProjectState
    from flake8_reqs.settings import Settings

    for record in (ProjectState, Settings):
        assert record.__mro__[1:] == (tuple, object)
        assert all(type(text) is str for text in record.__annotations__.values())
        assert record._fields == tuple(record.__annotations__)


@pytest.mark.parametrize("body", BODIES.values(), ids=BODIES.keys())
def test_wrong_arguments_fail_as_with_typing(body: str) -> None:
    theirs, ours = define(body, typing.NamedTuple), define(body, named_tuple.NamedTuple)
    values = tuple(range(len(ours._fields)))
    wrong_calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        ((), {}),  # a field without a default missing
        ((*values, "one too many"), {}),
        (values, {"not_a_field": 1}),
        (values[1:], {ours._fields[0]: 0, ours._fields[1]: 1}),  # a field given twice
    ]
    for args, keywords in wrong_calls:
        with pytest.raises(TypeError) as expected:
            theirs(*args, **keywords)
        with pytest.raises(TypeError) as raised:
            ours(*args, **keywords)
        # The same message, naming the field or the count (before 3.10, the __new__ of
        # collections.namedtuple is named by the lambda it is compiled from).
        assert str(raised.value).replace("<lambda>", "__new__") == str(expected.value).replace(
            "<lambda>", "__new__"
        )
    for made in (theirs(*values), ours(*values)):
        with pytest.raises(ValueError, match="unexpected field names: \\['zz'\\]"):
            made._replace(zz=1)
        with pytest.raises(TypeError, match="Expected"):
            made._make(values[:-1])


def test_each_new_takes_as_many_fields_as_its_place() -> None:
    """``_NEW[n]`` is the ``__new__`` of a record of n fields: a mistyped one would make
    records that drop or repeat a field."""
    for count, new in enumerate(named_tuple._NEW):
        assert new.__code__.co_argcount == count + 1
        values = tuple(f"v{i}" for i in range(count))
        assert new(tuple, *values) == values
