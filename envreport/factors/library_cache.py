"""The factor library as loaded, kept between runs in envreport's cache folder, as the
report's compiled templates are (``render/template_cache.py``).

Loading the library (seven CSVs read and checked with pandas) is about 22 ms of CPU in every
``validate`` and ``build``; reading what an earlier run loaded, about 1 ms. A kept library
is used only if it was loaded from the same data files by the same code: its file's name is
the SHA-256 of what loading depends on (:func:`envreport.factors.library.loaded_from`:
every data file's name and bytes, ``library.py``'s source, the workbook contract's GWP sets)
and of the exact Python, pandas and numpy and pandas' text storage (which make the
frames), so that any change loads the library afresh. A file that cannot be read as a
library is ignored (the library is loaded and kept again); only a library that loaded
without error is kept.

Where: the ``factors`` folder of envreport's cache folder (:mod:`envreport.cache_folder`:
``$ENVREPORT_CACHE_DIR``, else ``~/.cache/envreport``; ``ENVREPORT_NO_CACHE`` turns it off).
The file is a pickle, which runs code as it is read: like the templates' code, it is kept
only in a private folder of this user's (see :mod:`envreport.cache_folder`).
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import numpy
import pandas

from envreport.cache_folder import private_cache_folder, write_whole

__all__ = ["kept_name", "kept_or_loaded"]

T = TypeVar("T")


def kept_or_loaded(load: Callable[[], T], kind: type[T],
                   loaded_from: Callable[[], Iterable[bytes]]) -> T:
    """The ``kind`` an earlier run kept from the same ``loaded_from()`` parts, else
    ``load()``'s, then kept for the next runs (when the cache folder can be used)."""
    folder = private_cache_folder("factors")
    if folder is None:
        return load()
    try:
        path = folder / kept_name(loaded_from())
    except OSError:  # a part that cannot be read: nothing kept, nothing used
        return load()
    kept = _read(path)
    if isinstance(kept, kind):
        return kept
    loaded = load()
    try:
        write_whole(path, pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
    except (OSError, ValueError, pickle.PicklingError):  # not kept: loaded again next time
        pass
    return loaded


def kept_name(parts: Iterable[bytes]) -> str:
    """The kept file's name: the SHA-256 of ``parts`` and of the exact Python, pandas and
    numpy, and of where pandas keeps text (pyarrow's columns or its own: a process that
    imported pandas without pyarrow, ``pipeline.pandas_without_arrow``, makes other frames
    than one with it), each part with its length first (no two lists of parts hash alike)."""
    digest = hashlib.sha256()
    text_storage = getattr(pandas.Series(["a"]).dtype, "storage", "")
    versions = (sys.version, pandas.__version__, numpy.__version__, str(text_storage))
    for part in (*parts, *(version.encode() for version in versions)):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return f"library-{digest.hexdigest()}.pickle"


def _read(path: Path) -> object:
    """The object kept in ``path``; None when there is none or it cannot be read."""
    try:
        data = path.read_bytes()
    except (OSError, ValueError):
        return None
    try:
        return pickle.loads(data)
    except Exception:  # a damaged or foreign file: loaded afresh and written again
        return None
