"""Atomic outputs: a file appears complete or not at all.

Data are written to a temporary file in the target's folder and renamed over the target
(``os.replace`` is atomic on one file system), so an interrupted command never leaves a
half-written file and an existing file is only replaced by a complete one.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path


class OutputPathError(ValueError):
    """An output path that cannot be written (names the option and the problem)."""


def check_output(path: Path, option: str, inputs: Iterable[Path] = (), folder: bool = False) -> Path:
    """Refuse, before any work is done, an output that cannot be written: a directory where a file
    is wanted (or a file where a folder is), a missing parent folder, or one of the inputs."""
    path = Path(path)
    if folder:
        if path.exists() and not path.is_dir():
            raise OutputPathError(f"{option} {path}: is a file, not a folder")
    elif path.is_dir():
        raise OutputPathError(f"{option} {path}: is a folder; give a file name")
    parent = path.parent if not folder else path.parent
    if not parent.exists():
        raise OutputPathError(f"{option} {path}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise OutputPathError(f"{option} {path}: folder {parent} is not writable")
    for src in inputs:
        with contextlib.suppress(OSError):
            if Path(src).exists() and path.exists() and path.samefile(src) or Path(src).resolve() == path.resolve():
                raise OutputPathError(f"{option} {path}: is also an input; write the output elsewhere")
    return path


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but another user's
        return True
    return True


def remove_stale_parts(path: Path) -> list[Path]:
    """Remove the temporary files a killed command left beside ``path`` (named with its process id,
    ``.NAME.PID.*.part``): a process that no longer runs will never finish them."""
    removed = []
    for part in Path(path).parent.glob(f".{glob.escape(Path(path).name)}.*.part"):
        pid = part.name[len(Path(path).name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            if part.is_dir():
                shutil.rmtree(part, ignore_errors=True)
            else:
                part.unlink(missing_ok=True)
            removed.append(part)
    return removed


def _prefix(path: Path) -> str:
    return f".{path.name}.{os.getpid()}."


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it is renamed to ``path``, on any error
    it is removed and ``path`` is left as it was. A kill -9 leaves only a hidden ``.part`` file,
    removed by the next write to the same path."""
    path = Path(path)
    remove_stale_parts(path)
    fd, tmp = tempfile.mkstemp(prefix=_prefix(path), suffix=".part", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:  # the bytes are on disk before the rename makes them visible
            os.fsync(fh.fileno())
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def atomic_dir(path: Path) -> Iterator[Path]:
    """Yield a temporary folder beside ``path``; on success each file in it is moved into ``path``
    (created if missing) by an atomic rename, so every output file is complete or absent."""
    path = Path(path)
    remove_stale_parts(path)
    tmp = Path(tempfile.mkdtemp(prefix=_prefix(path), suffix=".part", dir=path.parent))
    try:
        yield tmp
        path.mkdir(exist_ok=True)
        for item in sorted(tmp.iterdir()):
            os.replace(item, path / item.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
