"""Find references by id in a page (aria-describedby, <label for>, ...) that point at nothing.

A screen reader follows these ids silently: when one is wrong nothing fails, the help text or
the label is simply never announced. Only the stdlib's HTML parser is used.
"""

from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

# Attributes whose value is a space-separated list of ids of the same page.
ID_LIST_ATTRIBUTES = ("aria-describedby", "aria-labelledby", "aria-controls", "aria-owns")
# Attributes whose value is exactly one id.
ONE_ID_ATTRIBUTES = ("aria-activedescendant", "aria-errormessage", "aria-details")


@dataclass(frozen=True)
class Reference:
    attribute: str
    target: str
    element: str  # the start tag as written, shortened, to find it in the template

    def __str__(self) -> str:
        target = f"id “{self.target}”" if self.target else "an empty id"
        return f"{self.attribute} names {target}: {self.element}"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.references: list[Reference] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids[values["id"]] += 1
        element = (self.get_starttag_text() or f"<{tag}>")[:160]
        for attribute in ID_LIST_ATTRIBUTES:
            if attribute in values:
                names = values[attribute].split() or [""]
                self.references += [Reference(attribute, name, element) for name in names]
        for attribute in ONE_ID_ATTRIBUTES:
            if attribute in values:
                self.references.append(Reference(attribute, values[attribute].strip(), element))
        if tag == "label" and "for" in values:
            self.references.append(Reference("label for", values["for"].strip(), element))

    handle_startendtag = handle_starttag


def dangling_references(html: str) -> list[str]:
    """Each reference of ``html`` whose id is missing, empty, or on more than one element (a
    screen reader then reads the first, which may be the wrong one)."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    problems = []
    for reference in collector.references:
        count = collector.ids[reference.target] if reference.target else 0
        if count == 0:
            problems.append(f"missing: {reference}")
        elif count > 1:
            problems.append(f"on {count} elements: {reference}")
    return problems
