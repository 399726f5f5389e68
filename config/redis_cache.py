"""Django's Redis cache backend, reusing one redis-py client per connection pool.

Django's RedisCacheClient builds a new `redis.Redis` object on every cache call, and each
one fills a table of ~170 response callbacks: about a quarter of a millisecond per call,
which is more than a whole cached page request otherwise costs. redis-py clients are
thread-safe and their pools survive forks (they check the pid), so one client per pool
per process is enough.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        if index not in clients:
            clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return clients[index]


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
