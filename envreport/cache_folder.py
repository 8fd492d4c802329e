"""envreport's cache folder: what a run keeps for the next ones (the report's compiled
templates, ``render/template_cache.py``; the loaded factor library,
``factors/library_cache.py``), each kind in a folder of its own.

Where: ``$ENVREPORT_CACHE_DIR`` if that variable is set, else the user's cache directory for
envreport (``$XDG_CACHE_HOME/envreport``, else ``~/.cache/envreport``, as platformdirs'
``user_cache_dir("envreport")`` on Linux; platformdirs' answer on other systems when it is
installed). ``ENVREPORT_NO_CACHE`` set to anything but the empty string turns it off.

What is kept is run by this process (compiled code, a pickle), so a folder is used only if
it is a real folder (not a link) owned by this user with no access for anyone else (created
so, mode 0700), inside a folder owned by this user or by root that no one else may write to
(on a system without user ids to check, Windows, nothing is kept).
"""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

__all__ = ["CACHE_DIR_VARIABLE", "NO_CACHE_VARIABLE", "private_cache_folder", "user_cache_dir",
           "write_whole"]

#: the environment variable that moves envreport's cache directory
CACHE_DIR_VARIABLE = "ENVREPORT_CACHE_DIR"
#: the environment variable that turns the cache off (any value but the empty string)
NO_CACHE_VARIABLE = "ENVREPORT_NO_CACHE"


def user_cache_dir() -> Path | None:
    """envreport's cache directory: ``$ENVREPORT_CACHE_DIR``, else the user's (on Linux
    ``$XDG_CACHE_HOME/envreport`` or ``~/.cache/envreport``, which is what platformdirs'
    ``user_cache_dir("envreport")`` answers there, without its import: 16-80 ms, a tenth of
    what the cache saves; elsewhere platformdirs' answer when it is installed). None when
    turned off (``ENVREPORT_NO_CACHE``) or when there is no home to keep it in."""
    if os.environ.get(NO_CACHE_VARIABLE):
        return None
    chosen = os.environ.get(CACHE_DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    if not sys.platform.startswith("linux"):
        try:
            import platformdirs
        except ImportError:
            pass
        else:
            return Path(platformdirs.user_cache_dir("envreport"))
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    if xdg and os.path.isabs(xdg):  # (the XDG rule: a relative path is ignored)
        return Path(xdg) / "envreport"
    home = Path(os.path.expanduser("~"))
    return home / ".cache" / "envreport" if home.is_absolute() else None


def private_cache_folder(name: str) -> Path | None:
    """The folder ``name`` of envreport's cache folder, made if missing; None when the cache
    is turned off or the folder is unsafe (see the module's docstring)."""
    base = user_cache_dir()
    if base is None or not hasattr(os, "getuid"):  # (no owner to check: Windows)
        return None
    folder = base / name
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        if not _private(folder) or not _not_writable_by_others(base):
            return None
    except (OSError, ValueError):
        return None
    return folder


def _private(folder: Path) -> bool:
    """A real folder of this user's that no one else may use (its mode made 0700 if wider)."""
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return False
    if stat.S_IMODE(info.st_mode) != stat.S_IRWXU:
        os.chmod(folder, stat.S_IRWXU)
        info = os.lstat(folder)
    return stat.S_IMODE(info.st_mode) == stat.S_IRWXU


def _not_writable_by_others(folder: Path) -> bool:
    """A real folder of this user's or root's that no one else may write to (so that no one
    else can put another folder in the cache's place)."""
    info = os.lstat(folder)
    return (stat.S_ISDIR(info.st_mode) and info.st_uid in (os.getuid(), 0)
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def write_whole(path: Path, data: bytes) -> None:
    """``data`` as the file ``path``, written beside it and renamed into place, so that
    another run never reads it half-written."""
    descriptor, pending = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(pending, path)
    except BaseException:
        Path(pending).unlink(missing_ok=True)
        raise
