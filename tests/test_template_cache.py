"""The report's compiled templates kept between runs (``render.template_cache``), as Python
keeps compiled modules in ``__pycache__``: read instead of compiled when the source is the
same, compiled again when it changed, never kept in a folder someone else could write, and
never at the cost of a build (any failure: compiled in memory, as without the cache).

Each test points ``ENVREPORT_CACHE_DIR`` at a folder of its own (the suite's is a session
folder: tests/conftest.py) and compiles a one-line template of a user template folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from jinja2 import Environment

from envreport.cache_folder import user_cache_dir
from envreport.render import template_cache
from envreport.render.environment import (
    NOT_THE_REPORTS,
    compiled_template_code,
    kept_template_code,
    make_environment,
    shared_environment,
)
from envreport.render.template_cache import TemplateCode, compile_tag

# a filter of envreport's on a constant: English and Chinese print different text
PAGE = '{{ "tCO2e"|unit }} {{ x }}'


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ENVREPORT_CACHE_DIR", str(folder))
    monkeypatch.delenv("ENVREPORT_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    """A user template folder (``--templates``) with ``page.html``."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    return folder


def _compiling_refused(env: Environment) -> Environment:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("compiled, not read from the cache")

    setattr(env, "compile", refuse)  # noqa: B010 - an instance attribute over the method
    return env


def _kept(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "templates").glob("*.code"))


def test_a_kept_template_is_read_in_the_next_run_in_any_language(
        cache_dir: Path, mine: Path) -> None:
    assert make_environment("en", mine).get_template("page.html").render(x=1) == "tCO2e 1"
    kept = _kept(cache_dir)
    assert len(kept) == 1
    assert stat.S_IMODE(os.stat(cache_dir / "templates").st_mode) == 0o700
    # a new process's environment (nothing in memory), in the other language: the code is
    # read, and envreport's filter runs when rendering, in that language
    chinese = _compiling_refused(make_environment("zh", mine))
    assert chinese.get_template("page.html").render(x=2) == "吨二氧化碳当量 2"
    assert compile_tag(chinese) == compile_tag(make_environment("en", mine))


def test_the_compile_tag_is_worked_out_once_per_environment(
        cache_dir: Path, mine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build asked for its environment's tag three times (r14): it is worked out once per
    environment, and an environment of other settings still has its own."""
    import hashlib
    from types import SimpleNamespace

    hashed: list[bytes] = []

    def sha256(data: bytes) -> object:  # compile_tag's only hash
        hashed.append(data)
        return hashlib.sha256(data)

    monkeypatch.setattr(template_cache, "hashlib", SimpleNamespace(sha256=sha256))
    env = make_environment("en", mine)
    env.get_template("page.html")  # compiled, and kept under the tag
    tag = compile_tag(env)
    assert [path.name.endswith(f"-{tag}.code") for path in _kept(cache_dir)] == [True]
    assert compile_tag(env) == tag
    assert len(hashed) == 1
    assert compile_tag(env.overlay(trim_blocks=False)) != tag  # another environment's own
    assert len(hashed) == 2


def test_a_changed_template_is_compiled_again_and_its_new_code_kept(
        cache_dir: Path, mine: Path) -> None:
    make_environment("en", mine).get_template("page.html")
    (mine / "page.html").write_text("after {{ x }}", encoding="utf-8")
    assert make_environment("en", mine).get_template("page.html").render(x=3) == "after 3"
    assert len(_kept(cache_dir)) == 1  # the same template's file, replaced
    again = _compiling_refused(make_environment("en", mine))
    assert again.get_template("page.html").render(x=4) == "after 4"


def test_a_damaged_file_is_compiled_as_without_it(cache_dir: Path, mine: Path) -> None:
    make_environment("en", mine).get_template("page.html")
    (kept,) = _kept(cache_dir)
    kept.write_bytes(b"j2\x80\x04 not code")
    assert make_environment("en", mine).get_template("page.html").render(x=5) == "tCO2e 5"
    _compiling_refused(make_environment("en", mine)).get_template("page.html")  # rewritten


def test_a_folder_of_someone_elses_is_not_used(
        cache_dir: Path, mine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (cache_dir / "templates").mkdir(parents=True, mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: os.geteuid() + 1)
    assert template_cache.template_cache_folder() is None
    assert make_environment("en", mine).get_template("page.html").render(x=6) == "tCO2e 6"
    assert _kept(cache_dir) == []  # compiled in memory only
    monkeypatch.delattr(os, "getuid")  # no owner to check (Windows)
    assert template_cache.template_cache_folder() is None


def test_a_folder_others_may_enter_is_made_private_and_a_link_is_refused(
        cache_dir: Path, tmp_path: Path) -> None:
    (cache_dir / "templates").mkdir(parents=True)
    os.chmod(cache_dir / "templates", 0o755)
    assert template_cache.template_cache_folder() == cache_dir / "templates"
    assert stat.S_IMODE(os.stat(cache_dir / "templates").st_mode) == 0o700
    # a link in the folder's place (to a folder this user owns) is not followed
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    (cache_dir / "templates").rmdir()
    (cache_dir / "templates").symlink_to(elsewhere)
    assert template_cache.template_cache_folder() is None
    # nor a cache folder that others may write to (they could put another in its place)
    (cache_dir / "templates").unlink()
    os.chmod(cache_dir, 0o777)
    assert template_cache.template_cache_folder() is None


def test_a_folder_that_cannot_be_made_costs_only_the_compiling(
        tmp_path: Path, mine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    monkeypatch.setenv("ENVREPORT_CACHE_DIR", str(tmp_path / "a-file" / "cache"))
    assert template_cache.template_cache_folder() is None
    assert make_environment("en", mine).get_template("page.html").render(x=7) == "tCO2e 7"


def test_the_cache_turned_off_keeps_nothing(
        cache_dir: Path, mine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVREPORT_NO_CACHE", "1")
    assert make_environment("en", mine).get_template("page.html").render(x=8) == "tCO2e 8"
    assert not cache_dir.exists()
    monkeypatch.setenv("ENVREPORT_NO_CACHE", "")  # empty: not turned off
    make_environment("en", mine).get_template("page.html")
    assert len(_kept(cache_dir)) == 1


def test_the_cache_is_in_the_users_cache_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ENVREPORT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_cache_dir() == tmp_path / "xdg" / "envreport"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert user_cache_dir() == tmp_path / "home" / ".cache" / "envreport"
    monkeypatch.setenv("ENVREPORT_CACHE_DIR", str(tmp_path / "moved"))
    assert user_cache_dir() == tmp_path / "moved"


def test_a_build_with_every_report_template_kept_forks_no_compiling_child(
        cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from envreport.rendering_ahead import prepare_rendering

    report = (*NOT_THE_REPORTS, "sections/comparison.html", "sections/group.html")
    # nothing kept yet (and nothing in memory): the build would compile in its child
    for lang in ("en", "zh"):
        monkeypatch.setattr(shared_environment(lang), "bytecode_cache", TemplateCode(keep=True))
    assert not kept_template_code(["en", "zh"], report)
    compiled_template_code(["en"], report)  # a build's child, or the run before
    assert kept_template_code(["en", "zh"], report)
    children = prepare_rendering(["zh"], elsewhere=True)
    assert children is not None
    children.close()
    assert children.templates is None  # read here, not compiled in a child
