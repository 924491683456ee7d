"""The report as Markdown, for wikis and plain-text review."""

from reports.blocks import Block, Section
from reports.series_document import AnyDocument


def _escape(text: str) -> str:
    """Keep people's words from turning into Markdown markup."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def _block(block: Block) -> list[str]:
    if block.kind == "paragraph":
        if not block.lead:
            return [_escape(block.text), ""]
        lead = f"**{_escape(block.lead)}{block.lead_stop}**"
        return [f"{lead} {_escape(block.text)}".rstrip(), ""]
    if block.kind == "bullets":
        return [*(f"- {_escape(item)}" for item in block.items), ""]
    if block.kind == "quotes":
        lines = []
        for quote in block.quotes:
            role = f" ({quote.role})" if quote.role else ""
            text = f"“{_escape(' '.join(quote.text.split()))}”{role}"
            lines += [f"- {text}"] if block.compact else [f"> {text}", ""]
        return [*lines, ""] if block.compact else lines
    lines = [f"*{_escape(block.caption)}*", ""]
    lines.append("| " + " | ".join(_escape(h) for h in block.header) + " |")
    lines.append("|" + "---|" * len(block.header))
    for row in block.rows:
        lines.append("| " + " | ".join(_escape(" ".join(c.split())) for c in row) + " |")
    return [*lines, ""]


def _section(section: Section) -> list[str]:
    lines = ["#" * (section.level + 1) + " " + _escape(section.title), ""]
    for block in section.blocks:
        lines += _block(block)
    for sub in section.subsections:
        lines += _section(sub)
    return lines


def render_markdown(doc: AnyDocument) -> bytes:
    lines = [f"# {_escape(doc.title)}", "", f"{_escape(doc.cover.series)} · {doc.cover.date}"]
    lines += ["", f"*{doc.version_label}*", ""]
    for section in doc.sections:
        lines += _section(section)
    return "\n".join(lines).encode()
