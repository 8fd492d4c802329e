"""The report's compiled templates, kept between runs as Python keeps compiled modules in
``__pycache__``.

Jinja compiles each template to Python code before it renders it: about 0.2 s of CPU for the
report's two dozen templates, paid by every run. Jinja's bytecode-cache hook
(:class:`jinja2.BytecodeCache`) keeps that code instead: :class:`TemplateCode` holds it in
memory for the process (the code a build's forked child compiled is handed over that way)
and in a folder of the user's cache directory, one file per template. Jinja uses a kept code
only if it was compiled from the same source (its checksum, in the file) by the same major
Python version; the file's name carries the rest of what the code depends on
(:func:`compile_tag`: the exact Python and Jinja, and the environment's settings and filter
kinds), so that an upgrade or a changed setting compiles afresh. envreport's own filters
are never evaluated while compiling (``environment.make_environment``), so the code does not
depend on envreport's Python code or translations, and one code serves every language.

Where: ``$ENVREPORT_CACHE_DIR/templates`` if that variable is set, else the ``templates``
folder of the user's cache directory for envreport (``$XDG_CACHE_HOME/envreport``, else
``~/.cache/envreport``, as platformdirs' ``user_cache_dir("envreport")`` on Linux;
platformdirs' answer on other systems when it is installed). ``ENVREPORT_NO_CACHE`` set to
anything but the empty string turns the cache off: templates are then compiled in every
run, as before. Deleting the folder clears it.

The folder holds code that this process will execute, so it is used only if it is a real
folder (not a link) owned by this user with no access for anyone else (created so, mode
0700), inside a folder owned by this user or by root that no one else may write to (on
a system without user ids to check, Windows, nothing is kept). Otherwise, and whenever
reading or writing a file fails, templates are compiled in memory as without the cache,
silently: the cache only ever saves time.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

import jinja2
from jinja2.bccache import Bucket, BytecodeCache

from envreport.cache_folder import (
    CACHE_DIR_VARIABLE,
    NO_CACHE_VARIABLE,
    private_cache_folder,
    write_whole,
)

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = ["CACHE_DIR_VARIABLE", "NO_CACHE_VARIABLE", "TemplateCode", "compile_tag",
           "template_cache_folder"]


def template_cache_folder() -> Path | None:
    """The folder of kept template code, made if missing; None when turned off or unsafe
    (see the module's docstring)."""
    return private_cache_folder("templates")


#: each environment's compile_tag, worked out once (a build asks for it three times: to see
#: whether every template was kept, to read the first kept file, and in the compiling
#: child). Keyed by the environment itself, so another environment, of other settings or
#: filters, has its own; weakly, so that an environment made for one call (a test's, the
#: compiling child's) is not kept alive by it, as functools.cache would keep it.
_TAGS: WeakKeyDictionary[Environment, str] = WeakKeyDictionary()


def compile_tag(env: Environment) -> str:
    """What the compiled code of a template depends on besides its source: the exact Python
    and Jinja, the environment's syntax and settings, its extensions and how each filter and
    test is called (Jinja writes a filter's context argument into the code). Part of each
    kept file's name, so that code compiled under anything else is never used. Worked out
    once per environment: its settings and filters are made with it (``make_environment``)
    and not changed once a template is loaded."""
    tag = _TAGS.get(env)
    if tag is None:
        tag = _TAGS[env] = _worked_out_tag(env)
    return tag


def _worked_out_tag(env: Environment) -> str:
    def kind(function: object) -> str:
        return str(getattr(function, "jinja_pass_arg", ""))

    def plain(value: object) -> str:
        return repr(value) if isinstance(value, str | int | float | bool | None) \
            else type(value).__qualname__

    parts = [
        sys.version, sys.implementation.cache_tag, jinja2.__version__,
        *(plain(getattr(env, name, None)) for name in (
            "block_start_string", "block_end_string", "variable_start_string",
            "variable_end_string", "comment_start_string", "comment_end_string",
            "line_statement_prefix", "line_comment_prefix", "trim_blocks", "lstrip_blocks",
            "newline_sequence", "keep_trailing_newline", "optimized", "autoescape",
            "finalize", "is_async", "newstyle_gettext")),
        *sorted(env.extensions),
        *sorted(f"{key}={plain(value)}" for key, value in env.policies.items()),
        *sorted(f"filter {name} {kind(function)}" for name, function in env.filters.items()),
        *sorted(f"test {name} {kind(function)}" for name, function in env.tests.items()),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


class TemplateCode(BytecodeCache):
    """Jinja's bytecode cache: the compiled code of templates, by Jinja's key (the template's
    name and file), in memory (:attr:`codes`: code compiled here, read from the folder, or
    handed over by a build's forked child) and, when ``keep`` and the folder is usable
    (:func:`template_cache_folder`), in the folder, one file per template and
    :func:`compile_tag`. Jinja checks each code's source checksum and Python version and
    compiles the template itself when they differ (the new code then replaces the file).
    """

    def __init__(self, keep: bool = False) -> None:
        self.codes: dict[str, bytes] = {}
        self.keep = keep
        self._folder: Path | None = None
        self._looked = not keep  # whether the folder was looked for (once, on first use)

    def folder(self) -> Path | None:
        """The folder of kept code, looked for on first use (so that a test's or the user's
        ``ENVREPORT_CACHE_DIR`` set after the environment was made still counts)."""
        if not self._looked:
            self._looked = True
            self._folder = template_cache_folder()
        return self._folder

    def _file(self, bucket: Bucket) -> Path | None:
        folder = self.folder()
        if folder is None:
            return None
        return folder / f"{bucket.key}-{compile_tag(bucket.environment)}.code"

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is None:
            code = self._read(bucket)
            if code is None:
                return
        try:
            bucket.bytecode_from_string(code)  # (Jinja resets it when the checksum differs)
        except Exception:  # a damaged file: compiled as without it
            bucket.reset()
        if bucket.code is not None:
            self.codes[bucket.key] = code

    def _read(self, bucket: Bucket) -> bytes | None:
        try:
            path = self._file(bucket)
            return None if path is None else path.read_bytes()
        except (OSError, ValueError):
            return None

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        self.codes[bucket.key] = code
        try:
            path = self._file(bucket)
            if path is not None:
                write_whole(path, code)
        except (OSError, ValueError):  # not kept: compiled again next time, nothing else
            pass

    def clear(self) -> None:
        """Forget the code held in memory (the kept files stay: delete the folder)."""
        self.codes.clear()
