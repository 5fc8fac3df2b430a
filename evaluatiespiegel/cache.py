"""The memcached binding for the room versions (sessions/live.py)."""

from django.core.cache.backends.memcached import PyMemcacheCache


class PersistentPyMemcacheCache(PyMemcacheCache):
    """Django's pymemcache binding, keeping its connection between requests.

    Django disconnects memcached clients when every request ends ("many clients don't clean
    up connections properly"); pymemcache does, and reconnecting cost an idle poll a fifth of
    its time (py-spy, issue 14). Caches are per thread in Django, so a gunicorn sync worker
    keeps one connection; a failed one is reconnected by pymemcache on the next call.
    """

    def close(self, **kwargs) -> None:
        pass
