"""Filters of the console log (settings.LOGGING)."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """Django logs every refused request (403, 404, 400) with its exception's traceback: a
    console full of stack traces for a manager who opened a page not his. Keep the one-line
    warning, drop the traceback; a server error (5xx) keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.name.startswith("django.") and isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
