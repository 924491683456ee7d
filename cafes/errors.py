"""The error type the cafes app raises when a user's action cannot be done (and its kind
for an imported file, which lists every mistake by line)."""


class CafeError(Exception):
    """A café rule was broken. ``code`` is for programs, ``message`` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"CafeError({self.code!r}, {self.message!r})"


class CsvImportError(CafeError):
    """An imported file has mistakes; ``errors`` lists each as "line N: what is wrong"."""

    def __init__(self, errors: list[str]) -> None:
        # A file of 100,000 bad rows must not make a page of 300,000 errors: the first
        # ``SHOWN`` are listed, the rest counted.
        self.errors = errors[: self.SHOWN]
        self.more = max(0, len(errors) - self.SHOWN)
        more = f" … and {self.more} more." if self.more else ""
        super().__init__("bad_csv", "Nothing was imported. " + " ".join(errors[:20]) + more)

    SHOWN = 100
