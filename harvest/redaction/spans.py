"""What a redaction is: the kind of personal data, where it was in the original text, and the
marker that replaces it."""

from dataclasses import dataclass

MARKERS = {
    "email": "[email]",
    "phone": "[phone]",
    "postcode": "[postcode]",
    "address": "[address]",
    "name": "[name]",
    "manual": "[redacted]",
}
# When two detections overlap, the earlier one in this list wins (an email holds a name).
PRIORITY = ["manual", "email", "address", "postcode", "phone", "name"]


@dataclass(frozen=True)
class RedactionSpan:
    start: int  # in the original text
    end: int
    kind: str  # a key of MARKERS

    @property
    def marker(self) -> str:
        return MARKERS[self.kind]


@dataclass(frozen=True)
class Redacted:
    text: str
    spans: tuple[RedactionSpan, ...] = ()
    # Detections left as written because a harvester said their words are not personal data.
    kept: tuple[RedactionSpan, ...] = ()

    @property
    def kinds(self) -> list[str]:
        return sorted({span.kind for span in self.spans})


@dataclass(frozen=True)
class Piece:
    """A piece of a redacted text as a page shows it: words as written (``kind`` ""), a
    marker (``text`` the marker, ``hidden`` the words it replaces), or words a detection
    found but a harvester kept (``kept``: shown as written)."""

    text: str
    kind: str = ""
    hidden: str = ""
    kept: bool = False
