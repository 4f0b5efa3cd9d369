"""A runner host on a second Docker engine reached over TLS, as docs/deploy.md describes it.

The module starts its own dockerd on 127.0.0.1 (own data root, exec root, pid file and unix
socket; no bridge, no iptables) that requires TLS with client certificates the test generates
(one CA, a server certificate for 127.0.0.1, a client certificate), loads the Python runner
image into it from the main engine, and starts a real Celery worker whose ``DOCKER_HOST``,
``DOCKER_TLS_VERIFY`` and ``DOCKER_CERT_PATH`` point at it. The engine is stopped and its
folders removed afterwards.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import docker
import pytest
from django.test import override_settings

from execution.containers import LABEL_CREATED, LABEL_RUNNER, LABEL_SITE
from execution.engine import EngineError, docker_client, engine_connect
from execution.models import Run, RunStatus, Verdict
from sessions_app.services import session_create
from tests.factories import ChallengeFactory
from tests.live import celery_worker, free_port

IMAGE = "codepusher-runner-python:1"
SOLUTION = "a, b = map(int, input().split())\nprint(a + b)\n"
HANG_GUARD_SECONDS = 120  # only stops a broken test from hanging; not a speed check


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _sign(folder: Path, name: str, subject: str, extensions: str, ca: str = "ca") -> None:
    """A key and a certificate for ``name`` signed by the CA ``ca`` in ``folder``."""
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}-key.pem", "-out",
             f"{name}.csr", "-subj", subject, cwd=folder)  # fmt: skip
    (folder / f"{name}.ext").write_text(extensions)
    _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.pem", "-CAkey", f"{ca}-key.pem",
             "-CAcreateserial", "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext",
             cwd=folder)  # fmt: skip


def _make_ca(folder: Path, name: str) -> None:
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}-key.pem",
             "-out", f"{name}.pem", "-days", "2", "-subj", f"/CN={name}", cwd=folder)  # fmt: skip


def certificates(root: Path) -> dict[str, Path]:
    """The engine's files, a client folder as DOCKER_CERT_PATH expects it (ca.pem, cert.pem,
    key.pem), and a stranger's folder whose client certificate another CA signed."""
    pki = root / "pki"
    pki.mkdir()
    _make_ca(pki, "ca")
    _make_ca(pki, "other-ca")
    _sign(
        pki, "server", "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
    )
    _sign(pki, "client", "/CN=runner-host", "extendedKeyUsage=clientAuth\n")
    _sign(pki, "stranger", "/CN=stranger", "extendedKeyUsage=clientAuth\n", ca="other-ca")
    folders = {"pki": pki}
    for name, cert in (("client", "client"), ("stranger", "stranger")):
        folder = root / name
        folder.mkdir()
        shutil.copy(pki / "ca.pem", folder / "ca.pem")
        shutil.copy(pki / f"{cert}.pem", folder / "cert.pem")
        shutil.copy(pki / f"{cert}-key.pem", folder / "key.pem")
        folders[name] = folder
    return folders


def engine_env(port: int, cert_path: Path) -> dict[str, str]:
    return {
        "DOCKER_HOST": f"tcp://127.0.0.1:{port}",
        "DOCKER_TLS_VERIFY": "1",
        "DOCKER_CERT_PATH": str(cert_path),
    }


def _stop_engine(process: subprocess.Popen, root: Path) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    # A clean stop unmounts every layer; the shims and mounts a killed engine left go first.
    for proc in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            if str(root).encode() in proc.read_bytes():
                os.kill(int(proc.parent.name), signal.SIGKILL)
    mounts = Path("/proc/mounts").read_text().splitlines()
    for target in sorted((m.split()[1] for m in mounts if str(root) in m), reverse=True):
        subprocess.run(["umount", "-l", target], capture_output=True)
    shutil.rmtree(root, ignore_errors=True)


def test_tls_is_chosen_as_the_docker_cli_chooses_it(settings, tmp_path, monkeypatch):
    """No docker needed: which files each setting asks for, and where the values come from."""
    settings.DOCKER_HOST, settings.DOCKER_TLS_VERIFY, settings.DOCKER_CERT_PATH = "", "", ""
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:1")  # the environment fills a blank setting
    monkeypatch.delenv("DOCKER_TLS_VERIFY", raising=False)
    monkeypatch.delenv("DOCKER_CERT_PATH", raising=False)
    with pytest.raises(ConnectionRefusedError):  # plain TCP: no certificate asked for
        engine_connect(timeout=5)
    settings.DOCKER_CERT_PATH = str(tmp_path)  # alone: TLS without checking the engine
    with pytest.raises(EngineError, match="cert.pem is missing"):
        engine_connect(timeout=5)
    (tmp_path / "cert.pem").write_text("x")
    (tmp_path / "key.pem").write_text("x")
    settings.DOCKER_TLS_VERIFY = "1"  # verify: the CA is needed too
    with pytest.raises(EngineError, match="ca.pem is missing"):
        docker_client(timeout=5)
    settings.DOCKER_TLS_VERIFY, settings.DOCKER_CERT_PATH = "", ""
    settings.DOCKER_HOST = "ssh://somewhere"
    with pytest.raises(EngineError, match="unsupported DOCKER_HOST"):
        engine_connect(timeout=5)


def engine_start(engine: dict) -> None:
    """Start the engine's dockerd with its command line (``engine["argv"]``) and wait until it
    answers over TLS; ``engine["process"]`` is the new process (also when it failed)."""
    log = engine["root"] / "dockerd.log"
    with log.open("a") as out:
        process = subprocess.Popen(engine["argv"], stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)  # fmt: skip
    engine["process"] = process
    deadline = time.monotonic() + 60
    with override_settings(**engine["env"]):
        while True:
            try:
                docker_client(timeout=5).close()
                return
            except docker.errors.DockerException:
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log.read_text()[-3000:]
                    raise RuntimeError(f"dockerd did not start:\n{tail}") from None
                time.sleep(0.3)


@pytest.fixture(scope="module")
def tls_engine(runner_ready):
    """A second dockerd on a TLS TCP port of 127.0.0.1 holding the Python runner image."""
    if os.geteuid() != 0 or not shutil.which("dockerd") or not shutil.which("openssl"):
        pytest.fail("a second Docker engine needs root, dockerd and openssl")
    root = Path(tempfile.mkdtemp(prefix="cp-tls-"))  # short: unix socket paths are limited
    folders = certificates(root)
    pki, port = folders["pki"], free_port()
    argv = ["dockerd", "--data-root", str(root / "data"), "--exec-root", str(root / "exec"),
            "--pidfile", str(root / "dockerd.pid"), "-H", f"unix://{root}/docker.sock",
            "-H", f"tcp://127.0.0.1:{port}", "--tlsverify", "--tlscacert", str(pki / "ca.pem"),
            "--tlscert", str(pki / "server.pem"), "--tlskey", str(pki / "server-key.pem"),
            "--bridge=none", "--iptables=false", "--ip-masq=false"]  # fmt: skip
    env = engine_env(port, folders["client"])
    engine = {"port": port, "env": env, "stranger": folders["stranger"], "root": root,
              "argv": argv}  # fmt: skip
    try:
        engine_start(engine)
        # The runner image, through the docker CLI with the same three variables.
        save = subprocess.Popen(["docker", "save", IMAGE], stdout=subprocess.PIPE,
                                env={**os.environ, "DOCKER_HOST": ""})  # fmt: skip
        load = subprocess.run(["docker", "load"], stdin=save.stdout, capture_output=True,
                              text=True, env={**os.environ, **env})  # fmt: skip
        save.stdout.close()
        assert save.wait() == 0 and load.returncode == 0, load.stderr
        yield engine
    finally:
        if "process" in engine:
            _stop_engine(engine["process"], root)
        else:
            shutil.rmtree(root, ignore_errors=True)


def wait_done(run_id: int) -> Run:
    deadline = time.monotonic() + HANG_GUARD_SECONDS
    while time.monotonic() < deadline:
        run = Run.objects.get(pk=run_id)
        if run.status == RunStatus.DONE:
            return run
        time.sleep(0.2)
    raise AssertionError(f"run {run_id} did not finish: {Run.objects.get(pk=run_id).status}")


@contextlib.contextmanager
def runner_host(tls_engine, settings, cert_path: Path | None = None, name: str = "host"):
    """A Celery worker on a runner host: the runs queue of this test and its host queue."""
    runs_queue = f"runs-tls-{uuid.uuid4().hex[:8]}"
    host_queue = f"{runs_queue}@{name}"
    settings.RUNNER_TASK_QUEUE = runs_queue
    env = engine_env(tls_engine["port"], cert_path or Path(tls_engine["env"]["DOCKER_CERT_PATH"]))
    logs = Path(tempfile.mkdtemp(prefix="cp-tls-worker-"))
    try:
        with celery_worker(logs, concurrency=1, queues=runs_queue, RUNNER_TASK_QUEUE=runs_queue,
                           RUNNER_HOST_QUEUE=host_queue, **env):  # fmt: skip
            yield host_queue
    finally:
        from codepusher.celery import app

        with contextlib.suppress(Exception), app.connection_for_write() as connection:
            for queue in (runs_queue, host_queue):
                connection.default_channel.queue_delete(queue)
        shutil.rmtree(logs, ignore_errors=True)


def tls_engine_client(tls_engine) -> docker.DockerClient:
    with override_settings(**tls_engine["env"]):
        return docker_client(timeout=30)


def runner_starts_since(client: docker.DockerClient, since: float) -> list[dict]:
    return list(
        client.events(
            since=f"{since:.3f}", until=f"{time.time():.3f}", decode=True,
            filters={"type": "container", "event": "start", "label": f"{LABEL_RUNNER}=1"},
        )
    )  # fmt: skip


@pytest.mark.docker
@pytest.mark.django_db(transaction=True)
def test_a_worker_on_a_tls_runner_host_judges_a_push(tls_engine, settings, user, api_client):
    session = session_create(challenge=ChallengeFactory(), owner=user, language="python")
    client = tls_engine_client(tls_engine)
    started = time.time()
    with runner_host(tls_engine, settings):
        api_client.force_authenticate(user)
        response = api_client.post(
            f"/api/sessions/{session.id}/runs/", {"mode": "push", "code": SOLUTION}, format="json"
        )
        assert response.status_code == 201
        run = wait_done(response.json()["id"])
    assert run.verdict == Verdict.ACCEPTED, run.detail
    assert runner_starts_since(client, started), "no runner container started on the TLS engine"
    client.close()


@pytest.mark.docker
@pytest.mark.django_db(transaction=True)
def test_a_worker_whose_certificate_the_engine_does_not_trust_runs_nothing(
    tls_engine, settings, user, api_client
):
    session = session_create(challenge=ChallengeFactory(), owner=user, language="python")
    client = tls_engine_client(tls_engine)
    started = time.time()
    with runner_host(tls_engine, settings, cert_path=tls_engine["stranger"], name="stranger"):
        api_client.force_authenticate(user)
        response = api_client.post(
            f"/api/sessions/{session.id}/runs/", {"mode": "push", "code": SOLUTION}, format="json"
        )
        run = wait_done(response.json()["id"])
    assert run.verdict == Verdict.INTERNAL_ERROR
    assert not runner_starts_since(client, started)
    client.close()


@pytest.mark.docker
@pytest.mark.django_db(transaction=True)
def test_the_reaper_of_a_runner_host_cleans_its_own_engine(tls_engine, settings):
    client = tls_engine_client(tls_engine)
    orphan = client.containers.create(
        IMAGE, ["sleep", "600"], network_disabled=True,
        labels={LABEL_RUNNER: "1", LABEL_CREATED: "1", LABEL_SITE: "another-site"},
    )  # fmt: skip
    from execution.tasks import runners_reap_task

    with runner_host(tls_engine, settings, name="reaper") as host_queue:
        runners_reap_task.apply_async(queue=host_queue)
        deadline = time.monotonic() + HANG_GUARD_SECONDS
        while time.monotonic() < deadline:
            if not client.containers.list(all=True, filters={"id": orphan.id}):
                break
            time.sleep(0.3)
        else:
            raise AssertionError("the runner host's reaper did not remove the orphan")
    client.close()


@pytest.mark.docker
def test_a_client_without_the_client_certificate_is_refused(tls_engine, settings):
    port = tls_engine["port"]
    # TLS that trusts the engine but shows no certificate: the engine ends the handshake.
    context = ssl.create_default_context(
        cafile=str(Path(tls_engine["env"]["DOCKER_CERT_PATH"]) / "ca.pem")
    )
    with (
        pytest.raises((ssl.SSLError, ConnectionError)),
        socket.create_connection(("127.0.0.1", port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        tls.sendall(b"GET /version HTTP/1.1\r\nHost: docker\r\n\r\n")
        if not tls.recv(1024):
            raise ConnectionError("closed without an answer")
    # Plain HTTP gets no answer from the API either.
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        raw.sendall(b"GET /version HTTP/1.1\r\nHost: docker\r\n\r\n")
        assert b"HTTP request to an HTTPS server" in raw.recv(4096)
    # Our client with a certificate another CA signed, or with none at all.
    settings.DOCKER_HOST = f"tcp://127.0.0.1:{port}"
    settings.DOCKER_TLS_VERIFY = "1"
    settings.DOCKER_CERT_PATH = str(tls_engine["stranger"])
    with pytest.raises(docker.errors.DockerException):
        docker_client(timeout=10)
    with pytest.raises((ssl.SSLError, ConnectionError, EngineError)):
        sock = engine_connect(timeout=10)
        sock.sendall(b"GET /version HTTP/1.1\r\nHost: docker\r\n\r\n")
        if not sock.recv(1024):
            raise ConnectionError("closed without an answer")
    settings.DOCKER_CERT_PATH = str(tls_engine["root"] / "nowhere")
    with pytest.raises(EngineError, match="nowhere/ca.pem is missing"):
        docker_client(timeout=10)
    with pytest.raises(EngineError, match="nowhere/ca.pem is missing"):
        engine_connect(timeout=10)
