"""A call run in a forked child beside the caller (envreport.forked), and the build that
writes results.json that way while it renders the report: same bytes, same errors."""

from __future__ import annotations

import errno
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from envreport.forked import ForkedCall, ForkedCallError, fork_available
from envreport.metrics import compute
from envreport.pipeline import load_submission, results_json, write_outputs
from tests.conftest import sample_results_model

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_inputs" / "group" / "sre.xlsx"

needs_fork = pytest.mark.skipif(not fork_available(), reason="Linux with two cores only")


@needs_fork
def test_the_child_does_the_work_and_the_caller_waits(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    call = ForkedCall("writing out.txt", lambda: target.write_text(str(os.getpid())))
    child = call.pid
    assert child is not None
    assert child != os.getpid()
    call.join()
    assert target.read_text() == str(child)  # written by the child
    assert call.pid is None
    call.join()  # joined once: a second join does nothing


@needs_fork
def test_the_childs_exception_is_raised_in_the_caller(tmp_path: Path) -> None:
    def fail() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.json"))

    call = ForkedCall("writing x.json", fail)
    with pytest.raises(OSError, match="No space left on device") as raised:
        call.join()
    assert raised.value.errno == errno.ENOSPC
    assert raised.value.filename == str(tmp_path / "x.json")


class _UnpicklableError(Exception):
    def __init__(self, first: str, second: str) -> None:  # pickle rebuilds it with one arg
        super().__init__(f"{first}/{second}")


@needs_fork
def test_an_exception_that_cannot_be_rebuilt_arrives_as_its_text() -> None:
    def fail() -> None:
        raise _UnpicklableError("a", "b")

    with pytest.raises(ForkedCallError, match=r"^writing y failed: _UnpicklableError: a/b$"):
        ForkedCall("writing y", fail).join()


@needs_fork
def test_a_child_killed_before_answering_is_an_error() -> None:
    def die() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(ForkedCallError,
                       match=r"^writing z stopped: the process was killed \(SIGKILL\)$"):
        ForkedCall("writing z", die).join()


@needs_fork
def test_cancel_stops_the_child(tmp_path: Path) -> None:
    target = tmp_path / "late.txt"

    def slow() -> None:
        import time

        time.sleep(30)
        target.write_text("too late")

    call = ForkedCall("sleeping", slow)
    call.cancel()
    assert call.pid is None
    call.join()  # nothing left to wait for
    assert not target.exists()


@needs_fork
def test_results_json_written_beside_the_report_has_the_same_bytes(tmp_path: Path) -> None:
    submission = load_submission(SAMPLE)
    results = compute(submission)
    one, two = tmp_path / "sequential", tmp_path / "parallel"
    write_outputs(submission, results, one, ["en", "zh"], pdf=False)
    files = write_outputs(submission, results, two, ["en", "zh"], pdf=False, parallel=True)
    assert [f.name for f in files] == ["results.json", "report.en.html", "report.zh.html"]
    for name in ("results.json", "report.en.html", "report.zh.html"):
        assert (one / name).read_bytes() == (two / name).read_bytes()
    assert (two / "results.json").read_bytes() == results_json(results)


def test_build_into_an_unwritable_place_is_one_line_and_exit_2(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from envreport.cli import app

    (tmp_path / "results.json").mkdir()  # results.json cannot be written: a folder is there
    # the command in this process (typer's CliRunner): what is tested is its exit code and
    # its line; a fresh interpreter would add only its start (seconds of CPU)
    done = CliRunner().invoke(app, ["build", str(SAMPLE), "--no-pdf", "--lang", "en", "-o",
                                    str(tmp_path), "-q"])
    assert done.exit_code == 2, done.output
    assert done.stderr.strip() == (f"error: cannot write {tmp_path / 'results.json'}: "
                                   "Is a directory; the report is incomplete")
    assert (tmp_path / "report.html").exists()  # rendered meanwhile, beside the failed write


def test_build_failures_a_missing_font_is_exit_2_other_runtime_errors_pass(
        capsys: pytest.CaptureFixture[str]) -> None:
    import typer

    from envreport.cli import _build_failures_exit
    from envreport.render import MissingFontError

    out = Path("out")
    with pytest.raises(typer.Exit) as stopped, \
            _build_failures_exit(SAMPLE, out, "nothing was built"):
        raise MissingFontError("the font 'Noto Sans CJK SC' is not installed")
    assert stopped.value.exit_code == 2
    assert "the font 'Noto Sans CJK SC' is not installed" in capsys.readouterr().err
    # a write that fails without naming its file (a full disk): the output is named; in
    # English, set here (the messages' language is the one the last command run in this
    # process chose: test_cli's zh runs share the process under -p no:xdist)
    from envreport.cli import _MESSAGES_IN

    english = _MESSAGES_IN.set("en")
    try:
        with pytest.raises(typer.Exit) as stopped, \
                _build_failures_exit(SAMPLE, out, "nothing was built"):
            raise OSError(errno.ENOSPC, "No space left on device")
    finally:
        _MESSAGES_IN.reset(english)
    assert stopped.value.exit_code == 2
    assert capsys.readouterr().err == (
        "error: cannot write out: No space left on device; the report is incomplete\n")
    with pytest.raises(ForkedCallError, match="killed"), \
            _build_failures_exit(SAMPLE, out, "nothing was built"):
        raise ForkedCallError("writing results.json stopped: the process was killed (SIGKILL)")


def test_results_json_begun_from_the_trail_has_the_same_bytes(tmp_path: Path) -> None:
    from envreport.results.jsonfile import (
        results_json_parts,
        trail_json,
        write_results_json_from_trail,
    )

    results = sample_results_model()  # SAMPLE's, computed once per test process
    expected = results_json(results)
    head, tail = results_json_parts(results)
    assert head + trail_json(results) + tail == expected
    assert head.endswith(b'"calculations": ')
    # the parts arrive after two pieces of the trail's text (held in memory; with a hold of
    # one byte: in the temporary file); never until the whole trail's text is encoded (held
    # in memory; in the temporary file)
    def late() -> Callable[[], tuple[bytes, bytes] | None]:
        asked: list[int] = []

        def parts() -> tuple[bytes, bytes] | None:
            asked.append(1)
            return (head, tail) if len(asked) > 2 else None
        return parts

    for case, (hold, parts) in enumerate(((1 << 20, late()), (1, late()),
                                          (1, lambda: None), (1 << 20, lambda: None))):
        path = tmp_path / f"results-{case}.json"
        write_results_json_from_trail(results.trail, path, parts, lambda: (head, tail),
                                      hold=hold)
        assert path.read_bytes() == expected
    # the temporary file has no name: nothing but the results is left beside them
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"results-{case}.json"
                                                           for case in range(4)]


def test_an_earlier_results_json_is_emptied_as_the_writer_starts(tmp_path: Path) -> None:
    # (emptying it at the end, when the kernel may still be writing out its pages, kept a
    # build waiting 0.05 s at 100 000 rows)
    from envreport.results.jsonfile import results_json_parts, write_results_json_from_trail

    results = sample_results_model()
    head, tail = results_json_parts(results)
    path = tmp_path / "results.json"
    path.write_bytes(b"an earlier build's results " * 1000)
    sizes: list[int] = []

    def parts() -> tuple[bytes, bytes] | None:  # asked first once a piece is encoded
        sizes.append(path.stat().st_size)
        return head, tail

    write_results_json_from_trail(results.trail, path, parts, lambda: (head, tail))
    assert sizes[0] == 0
    assert path.read_bytes() == results_json(results)


def test_a_writer_that_stops_at_a_chunk_leaves_the_rest_to_append(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from envreport.results import jsonfile

    results = sample_results_model()  # 329 trail entries: 7 chunks of 50
    monkeypatch.setattr(jsonfile, "CHUNK_ROWS", 50)
    head, tail = jsonfile.results_json_parts(results)
    count = jsonfile.trail_chunk_count(results.trail)
    assert count == 7
    asked: list[int] = []

    def share(number: int, chunks: int) -> int:
        asked.append(number)
        return 3  # this writer stops before chunk 3

    path = tmp_path / "results.json"
    jsonfile.write_results_json_from_trail(results.trail, path, lambda: (head, tail),
                                           lambda: (head, tail), share=share)
    assert asked == [0, 1, 2, 3]
    rest = b"".join([*jsonfile.trail_chunks(results.trail, 3, count),
                     jsonfile.TRAIL_LIST_END, tail])
    assert path.read_bytes() + rest == results_json(results)


@needs_fork
def test_the_build_encodes_the_last_chunks_while_it_waits_for_results_json(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the build's process, done with its report, takes up to SHARED_CHUNKS of the second
    # half of the chunks the child has left, and appends them to the child's file
    import time

    from envreport.pipeline import TrailBeingWritten
    from envreport.results import jsonfile

    results = sample_results_model()
    monkeypatch.setattr(jsonfile, "CHUNK_ROWS", 40)  # 9 chunks
    encoded_here: list[int] = []
    here, encode = os.getpid(), jsonfile._entry_lines

    def slowly(*args: Any) -> str:  # (in both processes: the child inherits it)
        if os.getpid() == here:
            encoded_here.append(1)
        else:
            time.sleep(0.05)
        return encode(*args)

    monkeypatch.setattr(jsonfile, "_entry_lines", slowly)
    writing = TrailBeingWritten(results.trail, tmp_path)
    writing.send(results)
    writing.join()
    assert 1 <= len(encoded_here) <= 4  # (the child was at its first chunks when asked)
    assert (tmp_path / "results.json").read_bytes() == results_json(results)
    assert not (tmp_path / ".results.json.parts").exists()


@needs_fork
@pytest.mark.parametrize("behind", [False, True])
def test_results_json_s_child_runs_below_the_build_when_behind(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, behind: bool) -> None:
    # a build that is its process's one job wants results.json last: its child takes what
    # the charts' child and the build leave of the cores (a library call's is left as it is)
    from envreport.pipeline import WRITER_NICENESS, TrailBeingWritten
    from envreport.results import jsonfile

    results = sample_results_model()
    write, niceness = jsonfile.write_results_json_from_trail, tmp_path / "niceness"

    def noting(*args: Any, **kwargs: Any) -> None:  # in the child, which inherits it
        niceness.write_text(str(os.nice(0)))
        write(*args, **kwargs)

    monkeypatch.setattr(jsonfile, "write_results_json_from_trail", noting)
    here = os.nice(0)
    writing = TrailBeingWritten(results.trail, tmp_path / "out", behind=behind)
    writing.send(results)
    writing.join()
    assert int(niceness.read_text()) == (min(here + 5, 19) if behind else here)
    assert WRITER_NICENESS == 5
    assert os.nice(0) == here  # this process is left as it was
    assert (tmp_path / "out" / "results.json").read_bytes() == results_json(results)


@needs_fork
def test_build_begins_results_json_while_it_computes(tmp_path: Path) -> None:
    from envreport.pipeline import build_report

    outcome = build_report(SAMPLE, tmp_path, ["en"], pdf=False)
    assert (tmp_path / "results.json").read_bytes() == results_json(outcome.results)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "results.json"]


@needs_fork
def test_a_cancelled_trail_writer_leaves_no_file(tmp_path: Path) -> None:
    from envreport.pipeline import TrailBeingWritten

    results = sample_results_model()  # SAMPLE's, computed once per test process
    writing = TrailBeingWritten(results.trail, tmp_path)  # waits for the parts: never sent
    writing.cancel()
    assert list(tmp_path.iterdir()) == []


@needs_fork
def test_what_the_call_returns_comes_back_from_the_child() -> None:
    call = ForkedCall("counting", lambda: {"pid": os.getpid(), "rows": [1, 2.5, "x"]})
    child = call.pid
    assert call.join() == {"pid": child, "rows": [1, 2.5, "x"]}
    assert call.join() == {"pid": child, "rows": [1, 2.5, "x"]}  # kept once joined


def test_without_fork_the_call_runs_here_and_join_returns_its_result(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("envreport.forked.fork_available", lambda: False)
    call = ForkedCall("counting", lambda: os.getpid())
    assert call.pid is None
    assert call.join() == os.getpid()


def test_spilled_trail_text_is_copied_where_the_kernel_cannot(tmp_path: Path,
                                                              monkeypatch) -> None:
    # copy_file_range refused (another filesystem, an old kernel): the text is copied by
    # reading it back, and results.json has the same bytes
    from envreport.results import jsonfile

    def refused(*_args: object) -> int:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(jsonfile.os, "copy_file_range", refused, raising=False)
    results = sample_results_model()  # SAMPLE's, computed once per test process
    head, tail = jsonfile.results_json_parts(results)
    path = tmp_path / "results.json"
    jsonfile.write_results_json_from_trail(results.trail, path, lambda: None,
                                           lambda: (head, tail), hold=1)
    assert path.read_bytes() == results_json(results)


@pytest.mark.parametrize("refused_at_call", [1, 2, 3])
def test_a_copy_the_kernel_refuses_partway_goes_on_from_where_it_stopped(
        tmp_path: Path, monkeypatch, refused_at_call: int) -> None:
    # the kernel copies some of the spilled text, then refuses (the target's filesystem
    # changed its mind): the rest is read back from there, nothing is written twice
    from envreport.results import jsonfile

    kernel_copy = os.copy_file_range
    calls = []

    def seven_bytes_then_refused(source: int, target: int, _count: int) -> int:
        calls.append(source)
        if len(calls) >= refused_at_call:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return kernel_copy(source, target, 7)

    monkeypatch.setattr(jsonfile.os, "copy_file_range", seven_bytes_then_refused)
    text = bytes(range(256)) * 3
    with (tmp_path / "spilled").open("w+b") as spilled, \
            (tmp_path / "target").open("w+b") as target:
        spilled.write(text)
        target.write(b"HEAD")
        target.flush()  # as results.json's head is when the spilled text follows it
        jsonfile._copy_file(spilled, target)
        target.write(b"END")
    assert len(calls) == refused_at_call
    assert (tmp_path / "target").read_bytes() == b"HEAD" + text + b"END"
