"""A real S3 server for the tests: moto's server mode in its own process on 127.0.0.1,
and a TCP relay in front of it that can play a server going away mid-upload.

The port is chosen by the server itself (port 0) and read back from its first line of
output, so parallel test processes never collide; the process is stopped by its id.
"""

from __future__ import annotations

import select
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linea_core.context import LineaContext

_LAUNCHER = """
import sys
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print(server.get_host_and_port()[1], flush=True)
sys.stdin.read()  # until the test process closes our stdin (or stops us by pid)
server.stop()
"""


class MotoServer:
    """moto's S3 server in a child process; ``endpoint`` is its http://127.0.0.1:PORT."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().strip()
        if not line.isdigit():
            self.stop()
            raise RuntimeError(f"moto's S3 server did not start (printed {line!r})")
        self.port = int(line)
        self.endpoint = f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self._process.pid

    def reset(self) -> None:
        """Forget every bucket and object (moto's own reset endpoint)."""
        request = urllib.request.Request(f"{self.endpoint}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()

    def stop(self) -> None:
        process = self._process
        if process.poll() is None:
            if process.stdin is not None:
                process.stdin.close()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()  # this very process, by its id
                process.wait(timeout=10)
        if process.stdout is not None:
            # Left open, it is a ResourceWarning at garbage collection, which
            # filterwarnings=error turns into an error in whatever test runs then.
            process.stdout.close()


class Relay:
    """A TCP relay 127.0.0.1:PORT -> the server; :meth:`outage` plays the server vanishing.

    During an outage every open connection is cut and new ones are closed as soon as
    they are accepted, which is what a client sees when a server dies or the network
    drops; the server behind keeps its state, so what was stored before can be checked.
    """

    def __init__(self, target_port: int) -> None:
        self._target = ("127.0.0.1", target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._down = threading.Event()
        self._closed = threading.Event()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def cut(self) -> None:
        """Start an outage: cut every connection, refuse new ones."""
        self._down.set()
        with self._lock:
            for sock in list(self._sockets):
                _close(sock)
            self._sockets.clear()

    def restore(self) -> None:
        self._down.clear()

    @contextmanager
    def outage(self) -> Iterator[None]:
        self.cut()
        try:
            yield
        finally:
            self.restore()

    def close(self) -> None:
        self._closed.set()
        self.cut()
        _close(self._listener)
        self._thread.join(timeout=5)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._down.is_set():
                _close(client)
                continue
            try:
                upstream = socket.create_connection(self._target, timeout=10)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._sockets.update((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        pair = {client: upstream, upstream: client}
        try:
            while not self._down.is_set():
                readable, _, _ = select.select(list(pair), [], [], 0.2)
                for sock in readable:
                    data = sock.recv(1 << 16)
                    if not data:
                        return
                    pair[sock].sendall(data)
        except OSError:
            return
        finally:
            for sock in pair:
                _close(sock)
            with self._lock:
                self._sockets.difference_update(pair)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def s3_client(endpoint: str):  # type: ignore[no-untyped-def]
    """A boto3 client for checking the server's contents directly (not through linea)."""
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="inspector",
        aws_secret_access_key="inspector",
        region_name="us-east-1",
    )


def objects(endpoint: str, bucket: str) -> dict[str, int]:
    """Every object in ``bucket``: key -> size."""
    client = s3_client(endpoint)
    found: dict[str, int] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            found[item["Key"]] = item["Size"]
    return found


def multipart_uploads(endpoint: str, bucket: str) -> list[str]:
    """Keys of the multipart uploads in ``bucket`` that were neither completed nor aborted."""
    uploads = s3_client(endpoint).list_multipart_uploads(Bucket=bucket).get("Uploads", [])
    return [item["Key"] for item in uploads]


@dataclass
class S3:
    """The server of one test: an empty bucket, and the credentials the test uses."""

    server: MotoServer
    bucket: str
    key: str
    secret: str

    @property
    def endpoint(self) -> str:
        return self.server.endpoint

    def options(self, endpoint: str | None = None, **extra: Any) -> dict[str, Any]:
        """storage_options giving credentials and the endpoint explicitly."""
        return {
            "key": self.key,
            "secret": self.secret,
            "endpoint_url": endpoint or self.endpoint,
            **extra,
        }


def s3_linea(home: Path, storage_dir: str, storage_options: dict[str, Any] | None) -> LineaContext:
    """A linea context of its own (home, SQLite store) whose values go to ``storage_dir``."""
    from linea_core.config.options import resolve_options

    options = resolve_options(
        {"home_dir": str(home), "artifact_storage_dir": storage_dir}, environ={}
    )
    context = LineaContext(options)
    if storage_options is not None:
        context.set_option("storage_options", storage_options)
    return context
