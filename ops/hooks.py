"""One mechanism for every app's hooks: a named list of functions a higher app registers,
so that a lower app can tell it something happened without importing it.

``events.hooks`` and ``harvest.hooks`` each hold a few; registering is idempotent and usable
as a decorator, and whoever registers can take the function off again.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

HookFunction = Callable[..., None]


class Hook:
    """Functions run, in the order registered, with the keyword arguments of ``run``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._functions: list[HookFunction] = []

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._functions)} registered>"

    def register(self, function: HookFunction) -> HookFunction:
        """Register ``function`` (once, however often this is called); usable as a decorator."""
        if function not in self._functions:
            self._functions.append(function)
        return function

    def unregister(self, function: HookFunction) -> None:
        """Take ``function`` off; nothing happens if it was not registered."""
        if function in self._functions:
            self._functions.remove(function)

    @contextmanager
    def connected(self, function: HookFunction) -> Iterator[HookFunction]:
        """``function`` registered for the duration of a ``with`` block."""
        self.register(function)
        try:
            yield function
        finally:
            self.unregister(function)

    def run(self, **arguments: object) -> None:
        for function in list(self._functions):
            function(**arguments)
