"""Django's Redis cache backend, plus *pushed values* that every process holds in memory.

Two things on top of Django's backend:

1. One redis-py client per connection pool. Django's RedisCacheClient builds a new
   `redis.Redis` object on every cache call, and each one fills a table of ~170 response
   callbacks: about a quarter of a millisecond per call, more than a whole cached page
   request otherwise costs. redis-py clients are thread-safe and their pools survive forks
   (they check the pid), so one client per pool per process is enough.

2. `set_pushed(key, value)` / `get_pushed(key)`, for a small string that every process
   must see change at once but reads on every request (the public pages' generation
   token). `set_pushed` stores the value and announces it on a Redis channel in one
   transaction; each process that calls `get_pushed` keeps a watcher thread subscribed to
   that channel, so reading costs no round trip. `set_pushed` returns only once every
   subscribed process has confirmed the new value (or after ACK_TIMEOUT_SECONDS, logged),
   so a request that starts after it returns sees the new value in every process.

   `get_pushed` answers None whenever its copy cannot be trusted (just started, the
   subscription dropped, Redis unreachable, the key missing, or no word from Redis for
   STALE_AFTER_SECONDS): the caller then reads the key from Redis itself, as it would
   without push. While quiet, each watcher re-reads the key every HEARTBEAT_SECONDS,
   which both proves Redis is still there and repairs a missed announcement, and PINGs
   its subscription: one that stays silent for STALE_AFTER_SECONDS (dropped by a NAT or
   a balancer without a word) is replaced, and Redis is told to close it.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis import Redis

HEARTBEAT_SECONDS = 1.0
STALE_AFTER_SECONDS = 3.0
ACK_TIMEOUT_SECONDS = 2.0
ACK_KEY_SECONDS = 60

logger = logging.getLogger(__name__)


class ReusingRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        clients = self.__dict__.setdefault("_clients", {})
        if index not in clients:
            clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return clients[index]


def _channel(redis_key: str) -> str:
    return f"{redis_key}:pushed"


def _ack_key(redis_key: str, value: str) -> str:
    return f"{redis_key}:ack:{value}"


class _SilentSubscription(Exception):
    """The subscription's connection looks open but no longer answers: a NAT or a load
    balancer dropped it without a word."""


class _Watcher(threading.Thread):
    """Keeps this process's copy of one pushed value current, from a Redis subscription."""

    def __init__(self, cache: RedisCacheClient, redis_key: str) -> None:
        super().__init__(name=f"watch {redis_key}", daemon=True)
        self.cache = cache
        self.redis_key = redis_key
        # The subscription's name in Redis's CLIENT LIST, so a silent one can be dropped.
        self.client_name = f"counterpoint-watch-{os.getpid()}-{id(self):x}"
        self.value: str | None = None
        self.trusted_until = 0.0  # time.monotonic(); the copy is ignored after this
        self.stopped = threading.Event()

    def current(self) -> str | None:
        return self.value if time.monotonic() < self.trusted_until else None

    def stop(self) -> None:
        self.stopped.set()
        self.trusted_until = 0.0

    def run(self) -> None:
        pause = 0.1
        while not self.stopped.is_set():
            started = time.monotonic()
            try:
                self._follow()
            except _SilentSubscription as error:
                self.trusted_until = 0.0
                logger.warning("%s; subscribing again", error)
                self._drop_silent_subscription()
            except Exception as error:  # redis.ConnectionError, TimeoutError, OSError…
                self.trusted_until = 0.0
                logger.warning("Lost the subscription to %s (%s); reading it per request "
                               "until it is back", self.redis_key, error)  # fmt: skip
            pause = 0.1 if time.monotonic() - started > 10 else min(pause * 2, 5.0)
            self.stopped.wait(pause)

    def _drop_silent_subscription(self) -> None:
        """Have Redis close the silent connection: until it does, Redis counts it among the
        subscribers a publish waits for (its own keepalive would take minutes)."""
        try:
            client = self.cache.get_client(write=True)
            for entry in client.client_list(_type="pubsub"):
                if entry.get("name") == self.client_name:
                    client.client_kill_filter(_id=entry["id"])
        except Exception as error:
            logger.warning(
                "Could not drop the silent subscription to %s (%s)", self.redis_key, error
            )

    def _subscriber(self):
        """A client of its own for the subscription, named for CLIENT LIST."""
        pool = self.cache.get_client(write=True).connection_pool
        named = type(pool)(
            connection_class=pool.connection_class,
            **{**pool.connection_kwargs, "client_name": self.client_name},
        )
        return Redis(connection_pool=named)

    def _follow(self) -> None:
        client = self.cache.get_client(write=True)
        subscriber = self._subscriber()
        pubsub = subscriber.pubsub()
        try:
            pubsub.subscribe(_channel(self.redis_key))
            next_check = float("inf")  # from the subscription's confirmation on
            unanswered_since = None  # when a PING on the subscription went out unanswered
            while not self.stopped.is_set():
                wait = max(0.0, min(HEARTBEAT_SECONDS, next_check - time.monotonic()))
                message = pubsub.get_message(timeout=wait)
                kind = message["type"] if message else None
                now = time.monotonic()
                if kind == "message":
                    self._trust(message["data"].decode(), acknowledge=True)
                    next_check = time.monotonic() + HEARTBEAT_SECONDS
                elif kind == "pong":
                    unanswered_since = None
                elif kind == "subscribe" or now >= next_check:
                    if unanswered_since and now - unanswered_since > STALE_AFTER_SECONDS:
                        raise _SilentSubscription(
                            f"The subscription to {self.redis_key} stopped answering PING"
                        )
                    if kind != "subscribe":
                        pubsub.ping()
                        unanswered_since = unanswered_since or now
                    # Read after subscribing (any later change arrives as a message); then
                    # once a heartbeat, to repair an announcement that never arrived.
                    stored = client.get(self.redis_key)
                    if stored is None:
                        self.trusted_until = 0.0
                        self.value = None
                    else:
                        value = self.cache._serializer.loads(stored)
                        # A repaired value is confirmed like an announced one: the
                        # publisher counted this process and is waiting for it.
                        self._trust(value, acknowledge=kind != "subscribe" and value != self.value)
                    next_check = time.monotonic() + HEARTBEAT_SECONDS
        finally:
            pubsub.close()
            subscriber.connection_pool.disconnect()

    def _trust(self, value: str, *, acknowledge: bool = False) -> None:
        self.value = value
        self.trusted_until = time.monotonic() + STALE_AFTER_SECONDS
        if acknowledge:
            ack = _ack_key(self.redis_key, value)
            client = self.cache.get_client(write=True)
            client.pipeline().incr(ack).expire(ack, ACK_KEY_SECONDS).execute()


_watchers: dict[tuple, _Watcher] = {}
_watchers_lock = threading.Lock()


def _forget_watchers_in_child() -> None:
    """Threads do not survive a fork (gunicorn forks its workers): each child starts its
    own, with a fresh lock (another thread may have held the old one at the fork)."""
    global _watchers_lock
    _watchers_lock = threading.Lock()
    _watchers.clear()


os.register_at_fork(after_in_child=_forget_watchers_in_child)


def stop_watching() -> None:
    """Stop every watcher in this process (tests; a clean shutdown). The next get_pushed
    starts afresh."""
    with _watchers_lock:
        for watcher in _watchers.values():
            watcher.stop()
        _watchers.clear()


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._redis_keys: dict[str, str] = {}
        self._server_list = tuple(self._servers)  # part of a watcher's identity

    def _redis_key(self, key: str) -> str:
        redis_key = self._redis_keys.get(key)
        if redis_key is None:
            redis_key = self._redis_keys[key] = self.make_and_validate_key(key)
        return redis_key

    def get_pushed(self, key: str) -> str | None:
        """This process's copy of pushed value `key`, or None when it cannot be trusted
        (read the key then); the first call starts watching it."""
        identity = (self._server_list, self._redis_key(key))
        watcher = _watchers.get(identity)
        if watcher is None:
            with _watchers_lock:
                watcher = _watchers.get(identity)
                if watcher is None:
                    watcher = _watchers[identity] = _Watcher(self._cache, identity[1])
                    watcher.start()
        return watcher.current()

    def set_pushed(self, key: str, value: str, ack_timeout: float = ACK_TIMEOUT_SECONDS):
        """Store `value` under `key` (no expiry) and wait until every watching process
        has it. Returns (processes told, processes that confirmed)."""
        redis_key = self._redis_key(key)
        client = self._cache.get_client(redis_key, write=True)
        pipeline = client.pipeline(transaction=True)
        pipeline.set(redis_key, self._cache._serializer.dumps(value))
        pipeline.publish(_channel(redis_key), value)
        _, told = pipeline.execute()
        deadline = time.monotonic() + ack_timeout
        confirmed = 0
        while told:
            confirmed = int(client.get(_ack_key(redis_key, value)) or 0)
            if confirmed >= told or time.monotonic() > deadline:
                break
            time.sleep(0.002)
        if confirmed < told:
            logger.warning(
                "%d of %d processes watching %s did not confirm the new value within %.0f s; "
                "they stop trusting their copy within %.0f s",
                told - confirmed, told, redis_key, ack_timeout, STALE_AFTER_SECONDS,
            )  # fmt: skip
        return told, confirmed
