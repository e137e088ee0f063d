"""Atomic outputs: a file appears complete or not at all.

Data are written to a temporary file in the target's folder and renamed over the target
(``os.replace`` is atomic on one file system), so an interrupted command never leaves a
half-written file and an existing file is only replaced by a complete one.
"""

from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it is renamed to ``path``, on any error
    it is removed and ``path`` is left as it was."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
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
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent))
    try:
        yield tmp
        path.mkdir(exist_ok=True)
        for item in sorted(tmp.iterdir()):
            os.replace(item, path / item.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
