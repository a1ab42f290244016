"""The console log: a refused request is one line, a server error keeps its traceback."""

import logging
import sys

import pytest

from casspath.core.logfilters import ClientErrorsWithoutTraceback


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("not yours")
    except PermissionError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/x",),
                               exc_info)
    record.status_code = status
    return record


@pytest.mark.parametrize("status", [400, 403, 404])
def test_it_drops_the_traceback_of_a_refused_request(status):
    record = _record(status)
    assert ClientErrorsWithoutTraceback().filter(record) is True
    assert record.exc_info is None
    assert "Traceback" not in logging.Formatter().format(record)


def test_it_keeps_the_traceback_of_a_server_error():
    record = _record(500)
    ClientErrorsWithoutTraceback().filter(record)
    assert "Traceback" in logging.Formatter().format(record)


def test_it_is_on_the_console_handler():
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler)]
    assert any(isinstance(f, ClientErrorsWithoutTraceback) for h in handlers for f in h.filters)
