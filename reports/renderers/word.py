"""The report as a Word document the review team can edit: real headings (so Word builds its
own contents and navigation pane), a "Quote" style for people's words, and tables."""

import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK
from docx.shared import Pt, RGBColor

from reports.document import Block, Section
from reports.series_document import AnyDocument

INK = RGBColor(0x1D, 0x24, 0x33)
ACCENT = RGBColor(0x1F, 0x5F, 0x8B)


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    for level in (1, 2, 3):
        heading = document.styles[f"Heading {level}"]
        heading.font.color.rgb = ACCENT if level == 1 else INK
    if "Report Quote" not in [s.name for s in document.styles]:
        quote = document.styles.add_style("Report Quote", WD_STYLE_TYPE.PARAGRAPH)
        quote.base_style = document.styles["Quote"]
        quote.font.italic = True
        quote.font.color.rgb = INK
        quote.paragraph_format.left_indent = Pt(18)
        quote.paragraph_format.space_after = Pt(6)


def _block(document, block: Block) -> None:
    if block.kind == "paragraph":
        paragraph = document.add_paragraph()
        if block.lead:
            paragraph.add_run(block.lead + (". " if block.text else "")).bold = True
        paragraph.add_run(block.text)
    elif block.kind == "bullets":
        for item in block.items:
            document.add_paragraph(item, style="List Bullet")
    elif block.kind == "quotes":
        for quote in block.quotes:
            paragraph = document.add_paragraph(style="Report Quote")
            paragraph.add_run(f"“{quote.text}”")
            if quote.role:
                role = paragraph.add_run(f" ({quote.role})")
                role.italic = False
                role.bold = True
    else:
        caption = document.add_paragraph(block.caption, style="Caption")
        caption.paragraph_format.keep_with_next = True
        table = document.add_table(rows=1, cols=len(block.header), style="Light Grid Accent 1")
        for cell, text in zip(table.rows[0].cells, block.header, strict=True):
            cell.text = text
        for row in block.rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
        document.add_paragraph()


def _section(document, section: Section) -> None:
    document.add_heading(section.title, level=section.level)
    for block in section.blocks:
        _block(document, block)
    for sub in section.subsections:
        _section(document, sub)


def render_docx(doc: AnyDocument) -> bytes:
    document = Document()
    _styles(document)
    document.core_properties.title = doc.title
    document.core_properties.subject = doc.cover.series
    document.core_properties.author = "Bridgework"
    document.add_heading(doc.title, level=0)
    cover = doc.cover
    facts = [cover.series, cover.subtitle, cover.date, doc.version_label]
    for line in filter(None, facts):
        document.add_paragraph(line)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    for section in doc.sections:
        _section(document, section)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
