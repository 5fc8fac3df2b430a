"""The memcached binding for the room versions (sessions/live.py)."""

from django.core.cache.backends.memcached import PyMemcacheCache
from django.utils.functional import cached_property


class PersistentPyMemcacheCache(PyMemcacheCache):
    """Django's pymemcache binding, keeping its connection between requests.

    Django disconnects memcached clients when every request ends ("many clients don't clean
    up connections properly"); pymemcache does, and reconnecting cost an idle poll a fifth of
    its time (py-spy, issue 14). Caches are per thread in Django, so a gunicorn sync worker
    keeps one connection; a failed one is reconnected by pymemcache on the next call.

    With one server (make serve starts one), pymemcache's plain Client instead of the
    HashClient Django always uses: the HashClient hashes every key to choose among servers
    (a sixth of an idle poll's cache read, issue 14's profile), and after two failed calls
    it takes a server for dead for a minute, in which every poll would go to the database;
    the plain Client reconnects on the next call.
    """

    @cached_property
    def _cache(self):
        if len(self._servers) != 1:
            return super()._cache
        from pymemcache.client.base import Client, normalize_server_spec

        return Client(normalize_server_spec(self._servers[0]), **self._options)

    def close(self, **kwargs) -> None:
        pass
