"""Real processes for the tests that need them: Redis, gunicorn, Celery worker and beat, SMTP.

Each runs with its own environment (DATABASE_URL pointing at the test database, REDIS_URL at the
broker under test), so what is tested is exactly what `make services` runs.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], *, timeout: float, what: str) -> object:
    """Poll `condition` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        threading.Event().wait(0.1)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}.")


def test_database_url() -> str:
    """The URL of the database this test runs on, for the processes it starts."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(settings['NAME']).resolve()}"
    user = urllib.parse.quote(settings["USER"] or "")
    password = f":{urllib.parse.quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


class Process:
    """A child process whose output is collected, stopped on exit."""

    def __init__(self, name: str, args: list[str], env: dict[str, str]):
        self.name = name
        self.lines: list[str] = []
        self.popen = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.popen.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def output(self) -> str:
        return "\n".join(self.lines)

    def count(self, pattern: str) -> int:
        return sum(1 for line in list(self.lines) if re.search(pattern, line))

    def wait_for_line(self, pattern: str, *, timeout: float = 30) -> None:
        def seen():
            if self.popen.poll() is not None:
                raise AssertionError(f"{self.name} exited:\n{self.output}")
            return self.count(pattern)

        wait_for(seen, timeout=timeout, what=f"{self.name} to print {pattern!r}:\n{self.output}")

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)


def redis_server_binary() -> str | None:
    return shutil.which("redis-server")


class RedisServer:
    """A private redis-server, like the deployment's: nothing kept on disk."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no"]
        self.process = Process("redis", args, {})
        self.process.wait_for_line("Ready to accept connections", timeout=15)

    def stop(self) -> None:
        if self.process:
            self.process.stop()
            self.process = None


class SmtpSink:
    """An SMTP server in this process that keeps what it receives.

    `refuse_first=N`: the first N messages get a temporary failure (451), as a busy server does.
    """

    def __init__(self, *, refuse_first: int = 0):
        self.messages: list[Message] = []
        self.refused = 0
        self.refuse_first = refuse_first
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        if self.refused < self.refuse_first:
            self.refused += 1
            return "451 Requested action aborted: try again later"
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._controller.start()

    def stop(self) -> None:
        self._controller.stop()


class HungServer:
    """Accepts TCP connections and never answers."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(100)
        self.port = self.sock.getsockname()[1]
        self.clients = []
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                client, _address = self.sock.accept()
            except OSError:
                return
            self.clients.append(client)

    def close(self):
        self._stop.set()
        for client in self.clients:
            client.close()
        self.sock.close()


def portal_env(*, redis_url: str, email_url: str = "", **extra: str) -> dict[str, str]:
    """The environment of a deployed portal, on the test database."""
    env = {
        "DEBUG": "False",
        "SECRET_KEY": "tests-only",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": redis_url,
        "CELERY_TASK_ALWAYS_EAGER": "False",
        "CELERY_TASK_EAGER_PROPAGATES": "False",
        "DIGITAL_KEYS_PROVIDER": "simulators",
        "DEMO_SIMULATED_KEYS": "1",
        "SECURE_SSL_REDIRECT": "False",  # plain HTTP on 127.0.0.1
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    # Nothing listens on port 9 (discard): a message that should not leave fails, and stays queued.
    env["EMAIL_URL"] = email_url or "smtp://127.0.0.1:9"
    return env


@contextlib.contextmanager
def web_server(env: dict[str, str]) -> Iterator[str]:
    """gunicorn serving the portal; yields its base URL."""
    port = free_port()
    args = [sys.executable, "-m", "gunicorn", "csam_portal.wsgi", "-b", f"127.0.0.1:{port}"]
    process = Process("gunicorn", args + ["-w", "1", "--timeout", "30"], env)
    base_url = f"http://127.0.0.1:{port}"
    try:
        process.wait_for_line("Booting worker", timeout=30)
        wait_for(lambda: _answers(base_url), timeout=30, what="gunicorn to answer")
        yield base_url
    except AssertionError as error:
        raise AssertionError(
            f"{error}\n--- gunicorn output ---\n{process.output[-6000:]}"
        ) from error
    finally:
        process.stop()


@contextlib.contextmanager
def celery_worker(env: dict[str, str]) -> Iterator[Process]:
    """A Celery worker of the portal's app."""
    args = [sys.executable, "-m", "celery", "-A", "csam_portal", "worker", "--pool", "solo"]
    args += ["--loglevel", "INFO", "--without-gossip", "--without-mingle"]
    process = Process("celery", args, env)
    try:
        process.wait_for_line(r"celery@\S+ ready", timeout=60)
        yield process
    except AssertionError as error:
        raise AssertionError(f"{error}\n--- worker output ---\n{process.output[-6000:]}") from error
    finally:
        process.stop()


@contextlib.contextmanager
def celery_beat(env: dict[str, str], *, tmp: Path) -> Iterator[Process]:
    """Celery beat, a process of its own as in `make services` (an embedded beat forks after
    opening its schedule, which Python 3.13's sqlite-backed shelve refuses)."""
    args = [sys.executable, "-m", "celery", "-A", "csam_portal", "beat", "--loglevel", "INFO"]
    process = Process("beat", args + ["--schedule", str(tmp / "celerybeat-schedule")], env)
    try:
        process.wait_for_line("beat: Starting", timeout=30)
        yield process
    finally:
        process.stop()


def _answers(base_url: str) -> bool:
    try:
        urllib.request.urlopen(base_url + "/", timeout=2)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


class Browser:
    """A cookie-keeping HTTP client that fills the portal's forms like a browser would."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base_url + path, timeout=10) as response:
            return response.status, response.read().decode()

    def submit(self, path: str, data: dict[str, str]) -> tuple[int, str, float]:
        """GET the form at `path`, POST `data` with its CSRF token; return status, page, seconds."""
        _status, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        started = time.monotonic()
        with self.opener.open(self.base_url + path, data=body, timeout=30) as response:
            elapsed = time.monotonic() - started
            return response.status, response.read().decode(), elapsed
