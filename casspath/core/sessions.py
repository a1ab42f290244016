"""Django's database sessions, loaded with one prepared statement instead of a queryset.

Every request with a session cookie loads its session first. Through the ORM that costs
0.25 ms of CPU (a queryset built and compiled to SQL each time), through this 0.05 ms
(benchmarks/profile_request.py, stack_user): the same row, the same condition (its key, not
expired), the same table and data, so sessions made before this class are read as they were.
Saving, creating and deleting sessions are Django's own.

The cookie of an ordinary session lasts until the browser closes (SESSION_EXPIRE_AT_BROWSER_CLOSE),
while the server still ends the session SESSION_COOKIE_AGE after its last change: a shared
office computer keeps nobody signed in after closing, and a browser left open is signed out
anyway. A session given a lifetime of its own (`set_expiry(seconds)`: "keep me signed in")
has a cookie of that lifetime; `end_at` ends a session at a fixed time on the server while its
cookie stays a browser-session one.

SESSION_ENGINE = "casspath.core.sessions".
"""

from datetime import datetime

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

# In a session ended by `end_at`: its cookie still ends with the browser.
BROWSER_COOKIE_KEY = "_casspath_browser_cookie"


def end_at(session, when: datetime) -> None:
    """End `session` at `when` on the server, its cookie a browser-session one (unlike
    Django's `set_expiry(datetime)`, whose cookie would be kept until then)."""
    session.set_expiry(when)
    session[BROWSER_COOKIE_KEY] = True


class SessionStore(DatabaseSessionStore):
    def get_expire_at_browser_close(self, **kwargs):
        if self.get(BROWSER_COOKIE_KEY):
            return True
        return super().get_expire_at_browser_close(**kwargs)

    def _get_session_from_db(self):
        """The unexpired row of this key, holding what `load()` reads (its data), or None."""
        key = self.session_key
        if key is None:
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        # Only quoted names of our own table are formatted in; the values are parameters.
        sql = (f"SELECT {quote('session_data')} FROM {quote(model._meta.db_table)} "  # noqa: S608
               f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s")
        now = model._meta.get_field("expire_date").get_db_prep_value(timezone.now(), connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=key, session_data=row[0])
