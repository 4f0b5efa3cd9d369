"""The one way to reach the Docker engine: a docker-py client and raw API connections.

The engine is chosen exactly as the docker CLI and SDK choose it: ``DOCKER_HOST`` (``unix://``
by default, or ``tcp://host:port``), and TLS when ``DOCKER_TLS_VERIFY`` is set to anything but
the empty string (verify the engine against ``ca.pem`` and present ``cert.pem``/``key.pem``)
or when ``DOCKER_CERT_PATH`` is set (TLS without verifying the engine); certificates are read
from ``DOCKER_CERT_PATH``, else ``~/.docker``. Each value comes from the Django setting of the
same name when it is set, else from the environment. The launcher, the pre-started pool, the
reaper, the image builder and /healthz all use this module, so a runner host pointed at a
remote engine over TLS needs nothing else (docs/deploy.md, "Runner hosts").

Our own hijacked exec connections (`engine_connect`) speak TLS through ``ssl.MemoryBIO``: the
program's stdin ends with a TLS close_notify (what ``docker exec -i`` sends) while we go on
reading its output, which ``ssl.SSLSocket.shutdown`` cannot do (it drops the TLS layer).
"""

from __future__ import annotations

import os
import socket
import ssl
from urllib.parse import urlparse

import docker
from django.conf import settings

ENGINE_VARIABLES = ("DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH")
DEFAULT_SOCKET = "/var/run/docker.sock"
TLS_RECORD = 16384


class EngineError(Exception):
    """The engine's address or certificates are unusable; the message is one line."""


def engine_environment() -> dict[str, str]:
    """DOCKER_HOST / DOCKER_TLS_VERIFY / DOCKER_CERT_PATH as the CLI should see them."""
    env: dict[str, str] = {}
    for name in ENGINE_VARIABLES:
        value = getattr(settings, name, None)
        if value is None or value == "":
            value = os.environ.get(name)
        if value is not None:
            env[name] = value
    return env


def _tls_files(env: dict[str, str]) -> tuple[str, bool] | None:
    """(certificate folder, verify the engine) when TLS is on, as the SDK decides it; every
    file that setting needs must be there (the SDK's own error names none)."""
    cert_path = env.get("DOCKER_CERT_PATH") or ""
    verify = env.get("DOCKER_TLS_VERIFY") not in (None, "")
    if not (cert_path or verify):
        return None
    cert_path = cert_path or os.path.join(os.path.expanduser("~"), ".docker")
    for name in ("ca.pem", "cert.pem", "key.pem") if verify else ("cert.pem", "key.pem"):
        if not os.path.isfile(os.path.join(cert_path, name)):
            raise EngineError(f"docker TLS: {os.path.join(cert_path, name)} is missing")
    return cert_path, verify


def docker_client(timeout: int = 120) -> docker.DockerClient:
    """A docker-py client for the configured engine, API version negotiated.

    ``version="auto"`` matters: docker-py 7.2 defaults to API 1.45, which older engines reject.
    """
    env = engine_environment()
    _tls_files(env)
    try:
        kwargs = docker.utils.kwargs_from_env(environment=env or {"DOCKER_HOST": ""})
    except docker.errors.TLSParameterError as exc:
        raise EngineError(f"docker TLS: {exc}") from None
    return _EngineClient(version="auto", timeout=timeout, **kwargs)


class _EngineAPIClient(docker.APIClient):
    """Certificates come from DOCKER_CERT_PATH only: requests would otherwise let the
    environment's REQUESTS_CA_BUNDLE (set on many hosts) replace our ca.pem, and proxy
    variables reroute the engine's traffic."""

    @property
    def trust_env(self) -> bool:
        return False

    @trust_env.setter
    def trust_env(self, _value: bool) -> None:
        pass


class _EngineClient(docker.DockerClient):
    def __init__(self, **kwargs) -> None:
        self.api = _EngineAPIClient(**kwargs)


def _tls_context(cert_path: str, verify: bool) -> ssl.SSLContext:
    if verify:
        context = ssl.create_default_context(cafile=os.path.join(cert_path, "ca.pem"))
    else:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    files = (os.path.join(cert_path, "cert.pem"), os.path.join(cert_path, "key.pem"))
    context.load_cert_chain(*files)
    return context


def engine_connect(timeout: float = 30) -> socket.socket | TlsConnection:
    """A fresh connected stream to the engine's API, for requests docker-py can't make."""
    env = engine_environment()
    url = env.get("DOCKER_HOST") or f"unix://{DEFAULT_SOCKET}"
    parsed = urlparse(url)
    if parsed.scheme in ("unix", "http+unix"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(parsed.path)
        return sock
    if parsed.scheme not in ("tcp", "http"):
        raise EngineError(f"unsupported DOCKER_HOST: {url}")
    tls = _tls_files(env)
    host, port = parsed.hostname or "localhost", parsed.port or (2376 if tls else 2375)
    sock = socket.create_connection((host, port), timeout=timeout)
    if tls is None:
        return sock
    try:
        return TlsConnection(sock, _tls_context(*tls), host)
    except BaseException:
        sock.close()
        raise


class TlsConnection:
    """A TLS client stream over a TCP socket that can end its sending side and keep reading.

    Offers what the exec pump uses of a socket: ``fileno`` (for select), ``recv`` (every
    plaintext byte available, so select on the TCP socket never misses buffered data),
    ``send``/``sendall``, ``shutdown(SHUT_WR)`` (sends close_notify), timeouts and ``close``.
    """

    def __init__(self, raw: socket.socket, context: ssl.SSLContext, host: str) -> None:
        self.raw = raw
        self.incoming = ssl.MemoryBIO()
        self.outgoing = ssl.MemoryBIO()
        self.tls = context.wrap_bio(self.incoming, self.outgoing, server_hostname=host)
        self.unsent = bytearray()
        self.peer_closed = False
        while True:
            try:
                self.tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                self._flush(block=True)
                if not self._fill():
                    raise EngineError("docker TLS: the engine closed the connection") from None
        self._flush(block=True)

    def fileno(self) -> int:
        return self.raw.fileno()

    def settimeout(self, value: float | None) -> None:
        self.raw.settimeout(value)

    def setblocking(self, flag: bool) -> None:
        self.raw.setblocking(flag)

    def _flush(self, block: bool = False) -> None:
        self.unsent.extend(self.outgoing.read())
        if not self.unsent:
            return
        if block or self.raw.gettimeout() != 0:
            self.raw.sendall(self.unsent)
            self.unsent.clear()
            return
        try:
            sent = self.raw.send(self.unsent)
        except (BlockingIOError, InterruptedError):
            return
        del self.unsent[:sent]

    def _fill(self) -> bool:
        """Move what the TCP socket has into the TLS layer; False at EOF."""
        chunk = self.raw.recv(65536)
        if not chunk:
            return False
        self.incoming.write(chunk)
        return True

    def _drain(self) -> tuple[bytes, bool]:
        """(plaintext of every complete record received, whether the engine sent close_notify)."""
        data = bytearray()
        while True:
            try:
                piece = self.tls.read(65536)
            except ssl.SSLWantReadError:
                return bytes(data), False
            except ssl.SSLZeroReturnError:
                return bytes(data), True
            if not piece:
                return bytes(data), True
            data.extend(piece)

    def recv(self, _size: int = 65536) -> bytes:
        """Every decrypted byte available (b"" at the end); BlockingIOError if none yet.

        Returning all of it matters: bytes left inside the TLS layer would not wake select.
        """
        self._flush()
        while True:
            data, closed = self._drain()
            self.peer_closed = self.peer_closed or closed
            if data or closed:
                return data
            if not self._fill():
                return b""

    def pending(self) -> int:
        """Non-zero when a read would return without waiting though select may not say so:
        the engine's close_notify came with the last output (it may keep the TCP open)."""
        return 1 if self.peer_closed else self.tls.pending()

    def send(self, data: bytes) -> int:
        """Encrypt at most one record; the ciphertext leaves as the socket accepts it."""
        self._flush()
        if self.unsent:
            raise BlockingIOError("the previous record is still on its way")
        part = bytes(data[:TLS_RECORD])
        written = self.tls.write(part)
        self._flush()
        return written

    def sendall(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            view = view[self.tls.write(bytes(view[:TLS_RECORD])) :]
            self._flush(block=True)

    def shutdown(self, how: int) -> None:
        """SHUT_WR: send close_notify; the engine then ends the program's stdin."""
        if how not in (socket.SHUT_WR, socket.SHUT_RDWR):
            return
        try:
            self.tls.unwrap()
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
            pass  # close_notify is out; the engine's own arrives with its last output
        except ssl.SSLError as exc:
            raise OSError(str(exc)) from None
        self._flush()

    def close(self) -> None:
        self.raw.close()
