"""Themes: automatic theming of notes, curation, and redaction of personal data."""
