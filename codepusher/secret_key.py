"""The signing key of the embedded default: made once, kept in the data folder, never committed."""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path


def secret_key_load_or_create(path: Path) -> str:
    """Read the key at `path`, or write a fresh random one there first (readable by us only).

    Several processes may start at once (daphne, Celery, beat): the file is created with
    O_EXCL, so exactly one of them writes it and the others read what it wrote.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # the writer may be between creating and writing
            key = path.read_text().strip()
            if key:
                return key
            time.sleep(0.02)
        raise RuntimeError(f"{path} is empty: delete it to make a new key") from None
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key
