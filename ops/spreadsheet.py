"""Text written to a CSV file that someone will open in a spreadsheet (CSV injection).

A spreadsheet runs a cell that starts with ``= + - @``, a tab or a carriage return as a
formula, even after invisible characters ("\ufeff=HYPERLINK(…)"). Every CSV file the app
writes with people's words in it (reports, the notes export) passes each cell through
``safe_cell``; the notes import reads such a cell back with ``unsafe_cell``.
"""

# A spreadsheet treats a cell starting with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Invisible characters a spreadsheet skips before it reads a formula.
INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060\u00a0 "


def _risky(text: str) -> bool:
    return text.startswith(FORMULA_START) or text.lstrip(INVISIBLE).startswith(FORMULA_START)


def safe_cell(value) -> str:
    """The value as text a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if _risky(text) else text


def unsafe_cell(text: str) -> str:
    """A cell written by ``safe_cell``, as it was: the quote it added is taken off."""
    return text[1:] if text.startswith("'") and _risky(text[1:]) else text
