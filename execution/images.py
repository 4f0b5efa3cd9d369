"""Build the runner images, one per language of ``execution.languages``.

Two recipes:

* **debootstrap** (default, works with no image registry): a Debian bookworm ``minbase`` root
  filesystem is made once and cached as ``VAR_DIR/runner-images/base-bookworm.tar``; each
  language unpacks it, installs its packages with ``chroot … apt-get install
  --no-install-recommends``, gets the ``runner`` (uid 10000) and ``keeper`` (uid 10001) users and
  a ``/sandbox`` workdir, is stripped (apt lists and caches, docs, man pages, locales, setuid
  bits) and is loaded with ``docker import`` (USER/WORKDIR/CMD/LABEL set with ``--change``).
* **registry**: ``execution/runner_images/<lang>.Dockerfile`` built with ``docker build``, for
  machines that can pull ``debian:bookworm-slim``. Chosen with ``from_registry=True`` or the
  setting ``RUNNER_IMAGES_FROM_REGISTRY``.

Images carry a ``codepusher.recipe`` label (a digest of what went into them). Building is
idempotent: an image whose tag exists with the current digest is skipped unless ``force``.
Errors raise ``ImageBuildError`` with one line that says what failed and where the log is.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import docker
from django.conf import settings

from execution.engine import docker_client, engine_environment
from execution.languages import (
    IMAGE_VERSION,
    KEEPER_UID,
    KEEPER_USER,
    LANGUAGES,
    RUNNER_UID,
    RUNNER_USER,
    WORKDIR,
    Language,
    get_language,
)

RECIPE_LABEL = "codepusher.recipe"
SUITE = "bookworm"
RECIPES_DIR = Path(__file__).resolve().parent / "runner_images"
# Bump when the debootstrap recipe below changes in a way the digest can't see.
RECIPE_REVISION = "3"
STRIP_PATHS = (
    "var/lib/apt/lists",
    "var/cache/apt",
    "var/cache/debconf",
    "var/log",
    "usr/share/doc",
    "usr/share/man",
    "usr/share/info",
    "usr/share/locale",
    "usr/share/lintian",
    "usr/share/common-licenses",
)

# Images built at once: the work is mostly downloading and unpacking .debs, so more than the
# cores pays off.
BUILD_WORKERS = 5

Progress = Callable[[str], None]


class ImageBuildError(Exception):
    """A runner image could not be built; the message is one line meant for a human."""


def images_dir() -> Path:
    """Where the base rootfs cache, build logs and scratch root filesystems live (git-ignored)."""
    path = Path(settings.VAR_DIR) / "runner-images"
    path.mkdir(parents=True, exist_ok=True)
    return path


def mirror() -> str:
    return getattr(settings, "RUNNER_DEBIAN_MIRROR", "") or "http://deb.debian.org/debian"


def use_registry() -> bool:
    return bool(getattr(settings, "RUNNER_IMAGES_FROM_REGISTRY", False))


def dockerfile_for(lang: Language) -> Path:
    """The language's own Dockerfile if it has one, else the shared ``runner.Dockerfile``."""
    own = RECIPES_DIR / f"{lang.key}.Dockerfile"
    return own if own.exists() else RECIPES_DIR / "runner.Dockerfile"


def recipe_digest(lang: Language, from_registry: bool = False) -> str:
    """Digest of everything that goes into the image, stored as a label to detect stale images."""
    parts: dict[str, object] = {
        "version": IMAGE_VERSION,
        "revision": RECIPE_REVISION,
        "packages": sorted(lang.packages),
        "users": [RUNNER_USER, RUNNER_UID, KEEPER_USER, KEEPER_UID],
        "workdir": WORKDIR,
        "strip": STRIP_PATHS,
        "suite": SUITE,
        "registry": from_registry,
    }
    if lang.image_files:  # only when present: adding the key must not make old images stale
        parts["files"] = lang.image_files
    if from_registry:
        parts["dockerfile"] = dockerfile_for(lang).read_text()
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def image_is_current(client: docker.DockerClient, lang: Language) -> bool:
    """True when the tag exists and was built from either current recipe."""
    try:
        image = client.images.get(lang.image)
    except docker.errors.ImageNotFound:
        return False
    label = (image.labels or {}).get(RECIPE_LABEL)
    return label in {recipe_digest(lang, False), recipe_digest(lang, True)}


@contextlib.contextmanager
def _build_lock() -> Iterator[None]:
    """One builder at a time per machine (a test session and a shell may both try)."""
    with open(images_dir() / "build.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(cmd: list[str], log: Path, what: str, **kwargs: object) -> None:
    """Run a build command, appending its output to ``log``; one-line ImageBuildError on failure."""
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(cmd)}\n".encode())
        out.flush()
        try:
            proc = subprocess.run(
                cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **kwargs
            )
        except FileNotFoundError:
            raise ImageBuildError(f"{what}: {cmd[0]} is not installed") from None
    if proc.returncode != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-1:] or [""]
        raise ImageBuildError(
            f"{what} failed (exit {proc.returncode}): {tail[0][:200]} (log: {log})"
        )


def _docker_env() -> dict[str, str]:
    return {**os.environ, **engine_environment()}


def ensure_base_rootfs(progress: Progress) -> Path:
    """The cached minbase rootfs tarball (with apt lists, so languages install without update)."""
    base_tar = images_dir() / f"base-{SUITE}.tar"
    if base_tar.exists():
        progress(f"base rootfs: cached ({base_tar.stat().st_size >> 20} MiB)")
        return base_tar
    if os.geteuid() != 0:
        raise ImageBuildError("building the base rootfs needs root (debootstrap and chroot)")
    if not shutil.which("debootstrap"):
        raise ImageBuildError("debootstrap is not installed; run scripts/ensure_docker.sh as root")
    log = images_dir() / "build-base.log"
    log.write_text("")
    work = images_dir() / "rootfs-base"
    shutil.rmtree(work, ignore_errors=True)
    started = time.monotonic()
    progress(f"base rootfs: debootstrap --variant=minbase {SUITE} from {mirror()} (a few minutes)")
    _run(["debootstrap", "--variant=minbase", SUITE, str(work), mirror()], log, "debootstrap")
    (work / "etc/apt/sources.list").write_text(f"deb {mirror()} {SUITE} main\n")
    shutil.copyfile("/etc/resolv.conf", work / "etc/resolv.conf")
    _run(["chroot", str(work), "apt-get", "update", "-qq"], log, "apt-get update in base rootfs")
    (work / "etc/resolv.conf").unlink()
    shutil.rmtree(work / "var/cache/apt/archives", ignore_errors=True)
    (work / "var/cache/apt/archives/partial").mkdir(parents=True, exist_ok=True)
    partial = base_tar.with_suffix(".tar.partial")
    _run(["tar", "-C", str(work), "--numeric-owner", "-cf", str(partial), "."], log, "tar base")
    partial.rename(base_tar)
    shutil.rmtree(work, ignore_errors=True)
    progress(
        f"base rootfs: done in {time.monotonic() - started:.0f}s "
        f"({base_tar.stat().st_size >> 20} MiB)"
    )
    return base_tar


def _build_debootstrap(
    client: docker.DockerClient, lang: Language, base_tar: Path, progress: Progress
) -> None:
    log = images_dir() / f"build-{lang.key}.log"
    log.write_text("")
    root = images_dir() / f"rootfs-{lang.key}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    try:
        _run(["tar", "-C", str(root), "--numeric-owner", "-xf", str(base_tar)], log, "untar base")
        shutil.copyfile("/etc/resolv.conf", root / "etc/resolv.conf")
        progress(f"{lang.key}: apt-get install {' '.join(lang.packages)}")
        env = {
            "DEBIAN_FRONTEND": "noninteractive",
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
            "LANG": "C",
        }
        # Some maintainer scripts need /proc (the JDK's runs java); mounted only while installing.
        _run(["mount", "-t", "proc", "proc", str(root / "proc")], log, f"{lang.key}: mount /proc")
        try:
            _run(
                ["chroot", str(root), "apt-get", "install", "-y", "-qq", "--no-install-recommends"]
                + list(lang.packages),
                log,
                f"{lang.key}: apt-get install",
                env=env,
            )
        finally:
            _run(["umount", "-l", str(root / "proc")], log, f"{lang.key}: umount /proc")
        for user, uid in ((RUNNER_USER, RUNNER_UID), (KEEPER_USER, KEEPER_UID)):
            _run(
                ["chroot", str(root), "useradd", "--uid", str(uid), "--user-group"]
                + ["--no-create-home", "--home-dir", WORKDIR, "--shell", "/usr/sbin/nologin", user],
                log,
                f"{lang.key}: useradd {user}",
                env=env,
            )
        _run(["chroot", str(root), "apt-get", "clean"], log, f"{lang.key}: apt-get clean", env=env)
        for path, text in lang.image_files.items():
            target = root / path.lstrip("/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
            target.chmod(0o644)
        progress(f"{lang.key}: stripping and importing")
        for rel in STRIP_PATHS:
            target = root / rel
            if target.is_dir():
                shutil.rmtree(target)
                target.mkdir(parents=True)
        (root / "etc/resolv.conf").unlink(missing_ok=True)
        (root / "var/cache/apt/archives/partial").mkdir(parents=True, exist_ok=True)
        sandbox = root / WORKDIR.lstrip("/")
        sandbox.mkdir(exist_ok=True)
        os.chown(sandbox, RUNNER_UID, RUNNER_UID)
        _run(
            ["find", str(root), "-xdev", "-type", "f", "-perm", "/6000", "-exec", "chmod", "a-s"]
            + ["{}", "+"],
            log,
            f"{lang.key}: strip setuid bits",
        )
        changes = [
            f"USER {RUNNER_USER}",
            f"WORKDIR {WORKDIR}",
            'CMD ["sleep", "infinity"]',
            "ENV PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8",
            f"LABEL {RECIPE_LABEL}={recipe_digest(lang, False)} codepusher.language={lang.key}",
        ]
        cmd = ["docker", "import"]
        for change in changes:
            cmd += ["--change", change]
        cmd += ["-", lang.image]
        with open(log, "ab") as out:
            tar = subprocess.Popen(
                ["tar", "-C", str(root), "--numeric-owner", "-c", "."],
                stdout=subprocess.PIPE,
                stderr=out,
            )
            imp = subprocess.run(
                cmd, stdin=tar.stdout, stdout=out, stderr=subprocess.STDOUT, env=_docker_env()
            )
            tar.stdout.close()
            tar.wait()
        if tar.returncode != 0 or imp.returncode != 0:
            raise ImageBuildError(f"{lang.key}: docker import failed (log: {log})")
    finally:
        if not os.path.ismount(root / "proc"):  # never delete through a live /proc
            shutil.rmtree(root, ignore_errors=True)


def _build_registry(client: docker.DockerClient, lang: Language, progress: Progress) -> None:
    dockerfile = dockerfile_for(lang)
    if not dockerfile.exists():
        raise ImageBuildError(f"{lang.key}: no recipe {dockerfile.name} in execution/runner_images")
    progress(f"{lang.key}: docker build -f {dockerfile.name}")
    try:
        client.images.build(
            path=str(RECIPES_DIR),
            dockerfile=dockerfile.name,
            tag=lang.image,
            rm=True,
            forcerm=True,
            buildargs={
                "PACKAGES": " ".join(lang.packages),
                "RUNNER_UID": str(RUNNER_UID),
                "KEEPER_UID": str(KEEPER_UID),
            },
            labels={RECIPE_LABEL: recipe_digest(lang, True), "codepusher.language": lang.key},
        )
    except (docker.errors.BuildError, docker.errors.APIError) as exc:
        raise ImageBuildError(f"{lang.key}: docker build failed: {str(exc)[:300]}") from None


def build_images(
    keys: Iterable[str] | None = None,
    *,
    force: bool = False,
    from_registry: bool | None = None,
    progress: Progress | None = None,
) -> list[str]:
    """Build the runner images of ``keys`` (default: all languages); return the tags built.

    Skips an image whose tag exists with the current recipe digest unless ``force``.
    """
    say = progress or (lambda line: None)
    registry = use_registry() if from_registry is None else from_registry
    try:
        langs = [get_language(key) for key in (keys or LANGUAGES)]
    except KeyError as exc:
        raise ImageBuildError(str(exc.args[0])) from None
    try:
        client = docker_client()
        client.ping()
    except docker.errors.DockerException as exc:
        raise ImageBuildError(
            f"docker engine not reachable ({str(exc)[:120]}); run scripts/ensure_docker.sh"
        ) from None
    started = time.monotonic()
    with _build_lock():
        todo = [lang for lang in langs if force or not image_is_current(client, lang)]
        for lang in langs:
            if lang not in todo:
                say(f"{lang.key}: {lang.image} is up to date")
        if not todo:
            return []
        lock = threading.Lock()

        def locked_say(line: str) -> None:
            with lock:
                say(line)

        def build_one(lang: Language, base_tar: Path | None) -> str:
            t0 = time.monotonic()
            if registry:
                _build_registry(client, lang, locked_say)
            else:
                assert base_tar is not None
                _build_debootstrap(client, lang, base_tar, locked_say)
            size = client.images.get(lang.image).attrs.get("Size", 0) >> 20
            locked_say(
                f"{lang.key}: built {lang.image} in {time.monotonic() - t0:.0f}s ({size} MiB)"
            )
            return lang.image

        base_tar = None if registry else ensure_base_rootfs(locked_say)
        # Languages build in parallel: the work is mostly downloading and unpacking .debs.
        with ThreadPoolExecutor(max_workers=min(BUILD_WORKERS, len(todo))) as pool:
            futures = [pool.submit(build_one, lang, base_tar) for lang in todo]
            built = [future.result() for future in futures]
    say(f"all done in {time.monotonic() - started:.0f}s")
    return built
