"""Pushed values (config/redis_cache.py) against a real redis-server this module starts.

A process's copy of a pushed value is used only while it is known to be current: these
tests change the value behind its back, cut its subscription and stop Redis, and check it
then answers None (the caller reads Redis) or catches up, never serving an old value.
"""

import os
import runpy
import shutil
import socket
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis

from config import redis_cache
from config.redis_cache import RedisCache

pytestmark = pytest.mark.skipif(
    not shutil.which("redis-server"), reason="needs redis-server (scripts/system-packages.sh)"
)

KEY = "pages:generation"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port),
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.client = redis.Redis.from_url(self.url)
        wait_until(self.ping)

    def ping(self) -> bool:
        try:
            return self.client.ping()
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def wait_until(condition, seconds: float = 5.0):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {seconds} s: {condition}")
        time.sleep(0.01)
    return result


@pytest.fixture
def fast_heartbeat(monkeypatch):
    monkeypatch.setattr(redis_cache, "HEARTBEAT_SECONDS", 0.2)
    monkeypatch.setattr(redis_cache, "STALE_AFTER_SECONDS", 0.6)


@pytest.fixture
def server():
    server = RedisServer()
    yield server
    redis_cache.stop_watching()
    server.stop()


@pytest.fixture
def cache(server, fast_heartbeat):
    return RedisCache(server.url, {"KEY_PREFIX": f"t-{uuid.uuid4().hex}"})


def subscribers(server, cache) -> int:
    channel = redis_cache._channel(cache.make_key(KEY))
    return dict(server.client.pubsub_numsub(channel))[channel.encode()]


def test_a_process_reads_until_its_watcher_has_the_value_then_holds_it(cache, server):
    cache.set(KEY, "first", None)
    assert cache.get_pushed(KEY) is None  # just started watching: not trusted yet
    assert wait_until(lambda: cache.get_pushed(KEY)) == "first"
    assert subscribers(server, cache) == 1


def test_set_pushed_returns_once_every_watcher_confirmed(cache, server):
    cache.set(KEY, "first", None)
    wait_until(lambda: cache.get_pushed(KEY))
    assert cache.set_pushed(KEY, "second") == (1, 1)
    assert cache.get_pushed(KEY) == "second"  # no waiting: the watcher confirmed it
    assert cache.get(KEY) == "second"  # stored for processes that read it per request


def test_set_pushed_with_nobody_watching_just_stores(cache):
    started = time.monotonic()
    assert cache.set_pushed(KEY, "lonely") == (0, 0)
    assert time.monotonic() - started < 1
    assert cache.get(KEY) == "lonely"


def test_a_change_that_was_not_announced_is_caught_by_the_heartbeat(cache):
    cache.set(KEY, "first", None)
    wait_until(lambda: cache.get_pushed(KEY))
    cache.set(KEY, "changed quietly", None)  # as if the announcement were lost
    assert wait_until(lambda: cache.get_pushed(KEY) == "changed quietly", seconds=2)


def test_a_deleted_value_is_no_longer_trusted(cache):
    cache.set(KEY, "first", None)
    wait_until(lambda: cache.get_pushed(KEY))
    cache.delete(KEY)  # e.g. Redis restarted empty or evicted it
    wait_until(lambda: cache.get_pushed(KEY) is None, seconds=2)


def test_a_dropped_subscription_comes_back_and_confirms_again(cache, server):
    cache.set(KEY, "first", None)
    wait_until(lambda: cache.get_pushed(KEY))
    server.client.client_kill_filter(_type="pubsub")
    # Until it has resubscribed, a change reaches it by its own read, never by luck.
    wait_until(lambda: subscribers(server, cache) == 1)
    assert cache.set_pushed(KEY, "after the drop") == (1, 1)
    assert cache.get_pushed(KEY) == "after the drop"


def test_when_redis_goes_away_the_copy_stops_being_trusted(cache, server):
    cache.set(KEY, "first", None)
    wait_until(lambda: cache.get_pushed(KEY))
    server.stop()
    wait_until(lambda: cache.get_pushed(KEY) is None, seconds=2)
    with pytest.raises(redis.ConnectionError):
        cache.get(KEY)  # the caller's own read fails too, and says so


@pytest.mark.filterwarnings("ignore:.*multi-threaded.*:DeprecationWarning")
def test_a_forked_child_watches_for_itself(cache):
    """gunicorn forks workers from a master that may already watch: the child's copy must
    come from its own subscription, not from a thread that did not survive the fork."""
    cache.set(KEY, "first", None)
    wait_until(lambda: cache.get_pushed(KEY))
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report what it sees, then leave without pytest's cleanup
        try:
            seen = [cache.get_pushed(KEY)]
            seen.append(wait_until(lambda: cache.get_pushed(KEY)))
            os.write(write, repr(seen).encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 1000).decode() == "[None, 'first']"
    os.close(read)


class SilencingProxy:
    """A TCP relay to Redis that can go silent on the connections carrying a subscription,
    keeping them open, as a NAT or load balancer does when it drops an idle connection."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        self.connections: list[dict] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def subscriptions(self) -> int:
        return sum(c["subscriber"] for c in self.connections)

    def silence_subscriptions(self) -> None:
        for connection in self.connections:
            connection["silent"] = connection["subscriber"]

    def silence_everything(self) -> None:
        for connection in self.connections:
            connection["silent"] = True

    def _accept(self) -> None:
        while True:
            try:
                downstream, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
            state = {"subscriber": False, "silent": False}
            self.connections.append(state)
            for source, target in ((downstream, upstream), (upstream, downstream)):
                threading.Thread(
                    target=self._relay, args=(source, target, state, source is downstream),
                    daemon=True,
                ).start()  # fmt: skip

    @staticmethod
    def _relay(source, target, state: dict, from_client: bool) -> None:
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:  # one side closed: close the other, as a relay does
                target.close()
                return
            if from_client and b"SUBSCRIBE" in data:
                state["subscriber"] = True
            if not state["silent"]:
                try:
                    target.sendall(data)
                except OSError:
                    return

    def close(self) -> None:
        self.listener.close()


def test_a_subscription_that_goes_silent_is_replaced_and_dropped(server, fast_heartbeat):
    proxy = SilencingProxy(server.port)
    cache = RedisCache(proxy.url, {"KEY_PREFIX": f"t-{uuid.uuid4().hex}"})
    try:
        cache.set(KEY, "first", None)
        wait_until(lambda: cache.get_pushed(KEY))
        time.sleep(3 * redis_cache.STALE_AFTER_SECONDS)
        assert proxy.subscriptions() == 1  # a subscription that answers is kept
        proxy.silence_subscriptions()
        # Its PINGs go unanswered: it subscribes again on a new connection and has Redis
        # drop the silent one, so a publish waits for no process that cannot answer.
        wait_until(lambda: proxy.subscriptions() == 2, seconds=5)
        wait_until(lambda: subscribers(server, cache) == 1)
        assert cache.set_pushed(KEY, "second") == (1, 1)
        assert cache.get_pushed(KEY) == "second"
    finally:
        redis_cache.stop_watching()
        proxy.close()


def test_a_redis_that_stops_answering_fails_calls_instead_of_hanging(server, monkeypatch):
    """As the project's settings configure Redis: the caller then builds the page from the
    database (publishing.caching) instead of waiting forever."""
    monkeypatch.setenv("REDIS_URL", "redis://configured.example/0")
    monkeypatch.setenv("REDIS_TIMEOUT", "0.5")
    base = Path(__file__).resolve().parents[1] / "config" / "settings" / "base.py"
    configured = runpy.run_path(str(base))["CACHES"]["default"]
    proxy = SilencingProxy(server.port)
    cache = RedisCache(proxy.url, configured)
    try:
        cache.set(KEY, "first", None)
        proxy.silence_everything()
        outcome: list = []

        def read() -> None:
            try:
                outcome.append(cache.get(KEY))
            except Exception as error:
                outcome.append(error)

        reader = threading.Thread(target=read, daemon=True)  # a hang must not hang the suite
        reader.start()
        reader.join(timeout=3)
        assert not reader.is_alive(), "the call still waits on a Redis that does not answer"
        assert isinstance(outcome[0], redis.TimeoutError)
    finally:
        proxy.close()
