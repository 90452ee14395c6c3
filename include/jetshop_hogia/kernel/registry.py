"""The one place streams are known: a decorator registers a class, discovery imports every stream module.

Adding a stream is one new package in ``jetshop_hogia.streams`` whose class carries ``@register_stream``;
the DAG factory and the tenant validation ask :data:`REGISTRY` what exists and never name a stream
themselves. Modules outside the package (a deployment's own streams, test doubles) are added by listing
them, comma-separated, in ``$JETSHOP_HOGIA_STREAM_MODULES``.
"""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import re
from typing import TypeVar

from jetshop_hogia.config import Feature, Flow, StreamRequirements
from jetshop_hogia.kernel.stream import STEPS, Direction, Stream

EXTRA_STREAM_MODULES_ENV = "JETSHOP_HOGIA_STREAM_MODULES"
STREAM_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")

StreamT = TypeVar("StreamT", bound=type[Stream])


class StreamRegistry:
    """Stream classes by name, filled by ``register`` and by importing the stream modules."""

    def __init__(self, package: str = "jetshop_hogia.streams") -> None:
        self._package = package
        self._streams: dict[str, type[Stream]] = {}
        self._discovered_with: str | None = None  # the extra modules of the last discovery

    def register(self, stream_cls: StreamT) -> StreamT:
        """Add ``stream_cls`` (usable as a class decorator); refuses incomplete or clashing classes."""
        _check_stream_class(stream_cls)
        existing = self._streams.get(stream_cls.name)
        if existing is not None and _qualified(existing) != _qualified(stream_cls):
            raise ValueError(
                f"stream name {stream_cls.name!r} is taken by {_qualified(existing)}; "
                f"cannot also register {_qualified(stream_cls)}"
            )
        self._streams[stream_cls.name] = stream_cls  # same class re-imported: keep the newest object
        return stream_cls

    def unregister(self, name: str) -> None:
        """Forget a stream (tests)."""
        self._streams.pop(name, None)

    def discover(self) -> None:
        """Import every module of the stream package and of ``$JETSHOP_HOGIA_STREAM_MODULES``.

        Importing is what registers. Done once per process and setting of the variable: listing the
        package's modules costs ~0.3 ms, and a parse of 1,000 tenants asks for the streams per tenant.
        """
        extras = os.environ.get(EXTRA_STREAM_MODULES_ENV, "")
        if self._discovered_with == extras:
            return
        package = importlib.import_module(self._package)
        for module in pkgutil.iter_modules(package.__path__):
            if not module.name.startswith("_"):
                importlib.import_module(f"{self._package}.{module.name}")
        for extra in extras.split(","):
            if extra.strip():
                importlib.import_module(extra.strip())
        self._discovered_with = extras

    def streams(self) -> dict[str, type[Stream]]:
        """All registered streams by name (after discovery), sorted by name."""
        self.discover()
        return dict(sorted(self._streams.items()))

    def get(self, name: str) -> type[Stream]:
        """The stream class called ``name``; the KeyError lists what exists."""
        streams = self.streams()
        try:
            return streams[name]
        except KeyError:
            raise KeyError(f"no stream {name!r} is registered; registered: {sorted(streams)}") from None

    def catalog(self) -> dict[str, StreamRequirements]:
        """What each stream needs from a tenant, for ``jetshop_hogia.config.check_streams``."""
        return {
            name: StreamRequirements(flows=cls.flows, requires=cls.requires, check=cls.config_problems)
            for name, cls in self.streams().items()
        }


REGISTRY = StreamRegistry()
"""The process-wide registry the DAG factory uses."""


def register_stream(stream_cls: StreamT) -> StreamT:
    """Class decorator: make ``stream_cls`` known to :data:`REGISTRY`."""
    return REGISTRY.register(stream_cls)


def _check_stream_class(stream_cls: type[Stream]) -> None:
    label = _qualified(stream_cls)
    if not (inspect.isclass(stream_cls) and issubclass(stream_cls, Stream)):
        raise TypeError(f"{label} is not a Stream subclass")
    if inspect.isabstract(stream_cls):
        missing = sorted(getattr(stream_cls, "__abstractmethods__", ()))
        raise TypeError(f"{label} does not implement {missing}")
    name = getattr(stream_cls, "name", None)
    if not isinstance(name, str) or not STREAM_NAME.match(name) or name in STEPS:
        raise ValueError(f"{label}.name {name!r} must match {STREAM_NAME.pattern} and not be a step name")
    flows = getattr(stream_cls, "flows", None)
    if not isinstance(flows, frozenset) or not flows or not all(isinstance(f, Flow) for f in flows):
        raise ValueError(f"{label}.flows must be a non-empty frozenset of Flow")
    if not isinstance(getattr(stream_cls, "direction", None), Direction):
        raise ValueError(f"{label}.direction must be a Direction")
    if not all(isinstance(feature, Feature) for feature in stream_cls.requires):
        raise ValueError(f"{label}.requires must hold Feature members")


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
