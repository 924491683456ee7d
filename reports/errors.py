"""The one error type the reports app raises for a mistake a person can fix."""


class ReportsError(Exception):
    """A report can't be compiled or served; the message says why in plain words."""
