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

    @property
    def kinds(self) -> list[str]:
        return sorted({span.kind for span in self.spans})
