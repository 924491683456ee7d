"""Report versions, the Celery job that compiles them, renderers and audited downloads."""
