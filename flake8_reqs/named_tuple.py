"""NamedTuple: ``typing.NamedTuple`` to the type checker, defined without its cost at run time.

Every record type of ours is a NamedTuple (a frozen dataclass takes half a millisecond to
define), and an editor run defines a dozen of them on every keystroke-save. With
``from __future__ import annotations`` every annotation is a string, and typing's
NamedTuple compiles each one into a ``ForwardRef`` as the class is defined: 0.33 ms for
the 27 fields of ``ProjectState``, against 0.08 ms for the same ``collections.namedtuple``.
And ``collections.namedtuple`` compiles each class's ``__new__`` from a string with
``eval``, and makes its methods anew for each class: 70 us a class, of which the ``eval``
is half.

So this NamedTuple makes the class ``collections.namedtuple`` makes without either: its
``__new__`` is one of the functions below, compiled with this module, of the same number
of fields, its parameters renamed after them (so that a keyword argument and an error
name the field); its methods are shared by every class; a field is the same C descriptor
(13 us a class, bench/README.md). A class of more fields than the functions below take is
made by ``collections.namedtuple``. The annotations stay the strings they are, and the
class body's methods and docstring are copied onto the class, as typing does. The type
checker sees typing's NamedTuple itself.
"""

from __future__ import annotations

import collections
import sys
from operator import itemgetter

TYPE_CHECKING = False  # typing's own constant costs milliseconds to import: cache/codec.py

_tuple_new = tuple.__new__

# __new__ of a record of n fields: _NEW[n], with its parameters renamed after the fields.
_NEW = (
    lambda _cls: _tuple_new(_cls, ()),
    lambda _cls, a: _tuple_new(_cls, (a,)),
    lambda _cls, a, b: _tuple_new(_cls, (a, b)),
    lambda _cls, a, b, c: _tuple_new(_cls, (a, b, c)),
    lambda _cls, a, b, c, d: _tuple_new(_cls, (a, b, c, d)),
    lambda _cls, a, b, c, d, e: _tuple_new(_cls, (a, b, c, d, e)),
    lambda _cls, a, b, c, d, e, f: _tuple_new(_cls, (a, b, c, d, e, f)),
    lambda _cls, a, b, c, d, e, f, g: _tuple_new(_cls, (a, b, c, d, e, f, g)),
    lambda _cls, a, b, c, d, e, f, g, h: _tuple_new(_cls, (a, b, c, d, e, f, g, h)),
    lambda _cls, a, b, c, d, e, f, g, h, i: _tuple_new(_cls, (a, b, c, d, e, f, g, h, i)),
    lambda _cls, a, b, c, d, e, f, g, h, i, j: _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j)),
)

if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    # What collections.namedtuple gives a field: a C descriptor where CPython has one.
    _field = getattr(collections, "_tuplegetter", None) or (
        lambda index, doc: property(itemgetter(index), doc=doc)
    )

    # What typing's NamedTuple does not copy from the class body, and what it refuses.
    _NOT_COPIED = frozenset({"__module__", "__name__", "__annotations__"})
    _REFUSED = frozenset(
        {"__new__", "__init__", "__slots__", "__getnewargs__", "__classcell__"}
        | {"_fields", "_field_defaults", "_make", "_replace", "_asdict", "_source"}
    )

    # The methods collections.namedtuple makes for each class, written once for all.
    @classmethod
    def _make(cls, iterable):
        result = _tuple_new(cls, iterable)
        if len(result) != len(cls._fields):
            raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")
        return result

    def _replace(self, /, **changes):
        result = self._make(map(changes.pop, self._fields, self))
        if changes:
            raise ValueError(f"Got unexpected field names: {list(changes)!r}")
        return result

    def _repr(self):
        fields = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self))
        return f"{self.__class__.__name__}({fields})"

    def _asdict(self):
        return dict(zip(self._fields, self))

    def _getnewargs(self):
        return tuple(self)

    def _record(name, fields, defaults, module):
        """The class collections.namedtuple(name, fields, defaults=defaults) makes."""
        if len(fields) >= len(_NEW):
            return collections.namedtuple(name, fields, defaults=defaults, module=module)
        for field in fields:
            if field.startswith("_"):
                raise ValueError(f"Field names cannot start with an underscore: {field!r}")
        template = _NEW[len(fields)]
        code = template.__code__.replace(co_varnames=("_cls", *fields), co_name="__new__")
        new = type(template)(code, template.__globals__, "__new__", tuple(defaults) or None)
        new.__qualname__ = f"{name}.__new__"
        new.__doc__ = f"Create new instance of {name}({', '.join(fields)})"
        namespace = {
            "__doc__": f"{name}({', '.join(fields)})",
            "__slots__": (),
            "_fields": tuple(fields),
            "_field_defaults": dict(zip(fields[len(fields) - len(defaults) :], defaults)),
            "__new__": new,
            "_make": _make,
            "_replace": _replace,
            "__repr__": _repr,
            "_asdict": _asdict,
            "__getnewargs__": _getnewargs,
            "__module__": module,
        }
        if sys.version_info >= (3, 10):  # as collections.namedtuple: for match statements
            namespace["__match_args__"] = tuple(fields)
        for index, field in enumerate(fields):
            namespace[field] = _field(index, f"Alias for field number {index}")
        return type(name, (tuple,), namespace)

    class _NamedTupleMeta(type):
        def __new__(cls, name, bases, namespace):
            if bases != (NamedTuple,):
                raise TypeError(f"{name}: a NamedTuple has no other base")
            annotations = namespace.get("__annotations__", {})
            defaults = []
            for field in annotations:
                if field in namespace:
                    defaults.append(namespace[field])
                elif defaults:
                    raise TypeError(f"{name}: field {field} without a default follows one with")
            made = _record(name, list(annotations), defaults, namespace["__module__"])
            made.__annotations__ = dict(annotations)
            for key, value in namespace.items():
                if key in _REFUSED:
                    raise AttributeError(f"{name}: a NamedTuple cannot set {key}")
                if key not in _NOT_COPIED and key not in annotations:
                    setattr(made, key, value)
            return made

    NamedTuple = type.__new__(_NamedTupleMeta, "NamedTuple", (), {"__module__": __name__})
