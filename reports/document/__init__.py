"""An event's report as one plain document, which every renderer draws in the same order.

``build_document`` (in ``build``) reads the harvest (``harvest.selectors.harvest_for_report``:
themes, quotes, answers and conclusions, already redacted, without the words of anyone who
withdrew), the café as the harvest hands it over (``cafe_for_report``: rounds, tables,
priorities with votes) and the event. The result (``content``) holds the report's data (for
JSON and CSV) and its sections of paragraphs, bullet lists, quotes and tables (``sections``;
for HTML, PDF, DOCX and Markdown). Words are attributed by role code only: no name or
pseudonym is ever read here.
"""

from reports.document.build import build_document
from reports.document.content import ReportDocument

__all__ = ["ReportDocument", "build_document"]
