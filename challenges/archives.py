"""Unpack an uploaded or given archive without trusting it.

A problem package is someone else's zip: it may hold absolute paths or ``..`` that write outside
the target, symlinks that make the import read server files, or a zip bomb whose few kilobytes
expand to gigabytes. Every member is checked before anything is written, and sizes are counted
while extracting (a member's declared size can lie). Folders given on the command line are
checked for symlinks the same way.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

MAX_TOTAL_BYTES = 256 << 20
MAX_MEMBERS = 20_000
CHUNK = 1 << 16


class ArchiveError(Exception):
    """The archive is unsafe or unreadable; the message says which member and why."""


def _member_problem(info: zipfile.ZipInfo) -> str:
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    mode = info.external_attr >> 16
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return "has an absolute path"
    if ".." in parts:
        return "climbs out of the archive with '..'"
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):  # 0: no Unix type recorded
        return "is not a regular file or folder"
    if info.flag_bits & 0x1:
        return "is encrypted"
    return ""


def zip_extract(archive: Path | str, target: Path, *, max_bytes: int = MAX_TOTAL_BYTES) -> None:
    """Extract a zip into ``target`` (an empty folder) or raise ArchiveError; nothing unsafe
    is written: every member is checked first, then the real bytes are counted as they come."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            if len(members) > MAX_MEMBERS:
                raise ArchiveError(f"has {len(members)} entries; at most {MAX_MEMBERS} are allowed")
            declared = 0
            for info in members:
                problem = _member_problem(info)
                if problem:
                    raise ArchiveError(f"{info.filename}: {problem}; refusing the archive")
                declared += info.file_size
            if declared > max_bytes:
                raise ArchiveError(
                    f"expands to {declared} bytes, over the {max_bytes}-byte limit (zip bomb?)"
                )
            written = 0
            for info in members:
                destination = target.joinpath(*PurePosixPath(info.filename).parts)
                if info.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as source, destination.open("wb") as sink:
                    while chunk := source.read(CHUNK):
                        written += len(chunk)
                        if written > max_bytes:
                            raise ArchiveError(
                                f"expands to more than {max_bytes} bytes, over the limit "
                                "(zip bomb?)"
                            )
                        sink.write(chunk)
    except zipfile.BadZipFile as exc:
        raise ArchiveError(f"is not a readable zip file ({exc})") from None
    except (zipfile.LargeZipFile, NotImplementedError, EOFError, OSError) as exc:
        raise ArchiveError(f"cannot be extracted ({exc})") from None


def folder_check(root: Path, *, max_bytes: int = MAX_TOTAL_BYTES) -> None:
    """Refuse a folder holding symlinks or special files, or more data than an archive may."""
    total = 0
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            raise ArchiveError(f"{path.relative_to(root)}: is a symbolic link; refusing the folder")
        if not (path.is_file() or path.is_dir()):
            raise ArchiveError(f"{path.relative_to(root)}: is not a regular file or folder")
        if path.is_file():
            total += path.stat().st_size
            if total > max_bytes:
                raise ArchiveError(f"holds more than {max_bytes} bytes")
