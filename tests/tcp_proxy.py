"""A TCP proxy in front of a real service, which a test can take down and bring back on the same port, or
turn silent. Down, the service's clients see it vanish (connections reset, new ones refused) and return,
as in a restart. Silent, they see nothing at all: connections are accepted and held, and whatever is sent
either way is dropped, as in a network partition or a hung server."""

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from urllib.parse import urlsplit, urlunsplit

from tests.smtp_sink import free_port


class TcpProxy:
    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()
        self._silent = threading.Event()

    def url(self, service_url: str) -> str:
        """`service_url` (its credentials, database and options kept) pointed at this proxy."""
        parts = urlsplit(service_url)
        credentials, at, _ = parts.netloc.rpartition("@")
        return urlunsplit(parts._replace(netloc=f"{credentials}{at}127.0.0.1:{self.port}"))

    def up(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        """Refuse new connections and cut the open ones."""
        listener, self._listener = self._listener, None
        if listener is not None:
            with suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        self._cut()

    def blackhole(self) -> None:
        """Forward nothing from now on, either way, and answer no new connection, but close none: no
        reset, no refusal, only silence."""
        self._silent.set()

    def restore(self) -> None:
        """End the silence. The connections it spoiled are closed, as the service will have dropped them
        by then; new ones are forwarded again."""
        self._cut()
        self._silent.clear()

    def heal(self) -> None:
        """Forward again, whether the proxy was down or silent."""
        if self._silent.is_set():
            self.restore()
        if self._listener is None:
            self.up()

    def _cut(self) -> None:
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            with suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self._silent.is_set():
                with self._lock:
                    self._connections.append(client)  # held, never read: the client waits for an answer
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._connections += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                if not self._silent.is_set():
                    target.sendall(data)
        for end in (source, target):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)


@contextmanager
def tcp_proxy(host: str, port: int) -> Iterator[TcpProxy]:
    proxy = TcpProxy((host, port))
    proxy.up()
    try:
        yield proxy
    finally:
        proxy.down()
