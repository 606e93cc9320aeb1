"""NamedTuple: ``typing.NamedTuple`` to the type checker, defined without its cost at run time.

Every record type of ours is a NamedTuple (a frozen dataclass takes half a millisecond to
define), and an editor run defines a dozen of them on every keystroke-save. With
``from __future__ import annotations`` every annotation is a string, and typing's
NamedTuple compiles each one into a ``ForwardRef`` as the class is defined: 0.33 ms for
the 27 fields of ``ProjectState``, against 0.08 ms for the same ``collections.namedtuple``.
Nothing of ours reads annotations at run time, so this NamedTuple makes the
``collections.namedtuple`` typing would make, keeps the annotations as the strings they
are, and copies the class body's methods and docstring onto it, as typing does
(bench/README.md, editor latency). The type checker sees typing's NamedTuple itself.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's own constant costs milliseconds to import: cache/codec.py
if TYPE_CHECKING:
    from typing import NamedTuple as NamedTuple
else:
    import collections

    # What typing's NamedTuple does not copy from the class body, and what it refuses.
    _NOT_COPIED = frozenset({"__module__", "__name__", "__annotations__"})
    _REFUSED = frozenset(
        {"__new__", "__init__", "__slots__", "__getnewargs__", "__classcell__"}
        | {"_fields", "_field_defaults", "_make", "_replace", "_asdict", "_source"}
    )

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
            made = collections.namedtuple(
                name, list(annotations), defaults=defaults, module=namespace["__module__"]
            )
            made.__annotations__ = dict(annotations)
            for key, value in namespace.items():
                if key in _REFUSED:
                    raise AttributeError(f"{name}: a NamedTuple cannot set {key}")
                if key not in _NOT_COPIED and key not in annotations:
                    setattr(made, key, value)
            return made

    NamedTuple = type.__new__(_NamedTupleMeta, "NamedTuple", (), {"__module__": __name__})
