"""A seeded mutation fuzzer over the sample workbooks (used by test_fuzz.py and scripts/fuzz.py).

Each mutant is one sample workbook changed in one way, drawn by a ``random.Random`` seeded with
the mutant's number, so a failure is reproduced from its name alone (``cell-type/17``).
Mutation classes:

- byte level: ``zip-bytes`` (random bytes overwritten), ``deflate`` (bytes inside one member's
  compressed stream: ``Error -3``, CRC errors), ``truncate``;
- structure aware, on the XML parts: ``cell-type`` (``s`` with out-of-range indexes, ``b``
  with 7, ``e``, ``d`` with invalid dates, ``str``, ``n`` with text), ``cell-ref`` (huge or
  malformed ``r`` references), ``number`` (1e308, 1e400, 40-digit integers, NaN), ``date``
  (serials out of Excel's range), ``sheets`` (hundreds to thousands of ``<sheet>`` entries),
  ``shared-strings`` (inline strings moved to a shared-strings part, then indexes, counts and
  texts damaged), ``styles`` (huge ``numFmtId``, garbage formats, a missing styles part),
  ``text`` (hostile text in every text cell: HTML, formulas, terminal markup, pint
  expressions), ``package`` (a part removed or replaced by garbage, ``[Content_Types].xml``
  included).

Every mutant is run through the real command (``envreport.cli.main``) in a forked child of
the already-imported process (cheap: no interpreter start), in its own process group, killed
after ``timeout`` seconds. :func:`problems` says what is wrong with an outcome: an exit code
other than 0, 1 or 2, a traceback or "internal error", stdout that is not strict JSON (NaN
and Infinity refused), too much time or memory.
"""

from __future__ import annotations

import faulthandler
import io
import json
import os
import random
import re
import resource
import signal
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from envreport.forked import fork_with_frozen_heap

REPO = Path(__file__).resolve().parents[1]
SAMPLES = (
    REPO / "sample_inputs" / "group" / "parent.xlsx",
    REPO / "sample_inputs" / "group" / "sre.xlsx",
    REPO / "sample_inputs" / "group" / "sri.xlsx",
    REPO / "sample_inputs" / "faulty" / "faulty_submission.xlsx",
)
# Per command: CPU seconds (its own and its children's; a busy machine's contention does
# not count), and a wall-clock kill for hangs. The kill is generous: on a machine loaded ten
# times over its cores (seen while developing), 9 s of CPU took 121 s of wall time.
TIME_LIMIT_S = 20.0
WALL_LIMIT_S = 9 * TIME_LIMIT_S
MEMORY_LIMIT_MB = 1024.0

#: text that must stay text in everything envreport prints or writes
HOSTILE_TEXT = (
    "[/bold]",
    "[link=file:///etc/passwd]click[/link]",
    "[bold red]x",
    ":warning: :smile:",
    '=HYPERLINK("http://evil.example","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1)",
    '<script>alert(1)</script><img src="file:///etc/passwd">',
    "{{ 7*7 }}{% raw %}",
    "10**10**10",
    "(((",
    "\u202eevil\u202c",
    "\x1b[31mred\x1b[0m",
    "x" * 5000,
    "../../etc/passwd",
    "%s%n%x",
)
HUGE_NUMBERS = ("1e308", "-1e308", "1.7976931348623157e308", "1e400", "-1e400",
                "1" + "0" * 40, "100000000000000000000", "NaN", "inf", "-inf", "1e-400",
                "4.9e-324", "9" * 400)
BAD_REFS = ("XFD1048576", "AL1048576", "A1048577", "XFE1", "ZZZZ1", "A0", "A99999999999",
            "1A", "", "a1", "B2:C3", "A-1", "AAAAAAAAAAA1")


@dataclass
class Mutant:
    """One mutated workbook: its name (``class/number``), the sample it came from, its bytes."""

    name: str
    source: str
    data: bytes


# ------------------------------------------------------------------------------------
# Reading and writing the package


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _pack(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in members:
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), payload,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _sheet_names(members: list[tuple[str, bytes]]) -> list[int]:
    return [i for i, (name, _) in enumerate(members) if name.startswith("xl/worksheets/")]


_CELL = re.compile(rb"<c\b[^>]*?(?:/>|>.*?</c>)", re.S)
_VALUE_CELL = re.compile(rb'<c r="([A-Z]+\d+)"([^>]*)><v>([^<]*)</v></c>')
_TEXT_CELL = re.compile(rb'(<c r="[A-Z]+\d+"[^>]*t="inlineStr"[^>]*><is><t[^>]*>)([^<]*)(</t>)')


def _replace_cell(sheet: bytes, rng: random.Random, make: Callable[[bytes], bytes]) -> bytes:
    cells = list(_CELL.finditer(sheet))
    if not cells:
        return sheet
    match = rng.choice(cells[1:] or cells)  # rarely the header row's first cell
    return sheet[:match.start()] + make(match.group(0)) + sheet[match.end():]


def _ref_of(cell: bytes) -> bytes:
    found = re.search(rb'r="([^"]*)"', cell)
    return found.group(1) if found else b"A1"


def _xml_escape(text: str) -> bytes:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").encode("utf-8", "surrogatepass"))


# ------------------------------------------------------------------------------------
# Mutation classes: each takes (rng, sample bytes) and returns the mutant's bytes


def zip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def deflate(rng: random.Random, data: bytes) -> bytes:
    """Damage the compressed stream of one member (local header and CRC left as they were)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = [i for i in archive.infolist() if i.compress_size > 16]
    info = rng.choice(infos)
    name_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        position = start + rng.randrange(info.compress_size)
        out[position] = rng.choice((0x00, 0xFF, out[position] ^ 0xFF, rng.randrange(256)))
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[:rng.randrange(1, len(data))]


def cell_type(rng: random.Random, data: bytes) -> bytes:
    members = _members(data)
    for _ in range(rng.randint(1, 6)):
        index = rng.choice(_sheet_names(members))
        name, sheet = members[index]

        def make(cell: bytes) -> bytes:
            ref = _ref_of(cell)
            kind, value = rng.choice((
                (b"s", str(rng.choice((0, 5, 10**6, 2**31, 2**64, -1))).encode()),
                (b"b", rng.choice((b"7", b"2", b"-1", b"yes", b""))),
                (b"e", rng.choice((b"#DIV/0!", b"#N/A", b"#GARBAGE", b""))),
                (b"d", rng.choice((b"2024-02-30", b"2024-13-01", b"99999-01-01", b"x",
                                   b"2024-01-01T25:61:00", b"-0001-01-01"))),
                (b"str", rng.choice((b"", b"text", b"1e308"))),
                (b"n", rng.choice((b"abc", b"1,5", b"", b"0x10", b"--1"))),
                (b"zz", b"1"),
            ))
            return b'<c r="' + ref + b'" t="' + kind + b'"><v>' + value + b"</v></c>"

        members[index] = (name, _replace_cell(sheet, rng, make))
    return _pack(members)


def cell_ref(rng: random.Random, data: bytes) -> bytes:
    members = _members(data)
    index = rng.choice(_sheet_names(members))
    name, sheet = members[index]

    def make(cell: bytes) -> bytes:
        bad = b'r="' + rng.choice(BAD_REFS).encode() + b'"'
        return re.sub(rb'r="[^"]*"', bad, cell, count=1)

    for _ in range(rng.randint(1, 3)):
        sheet = _replace_cell(sheet, rng, make)
    if rng.random() < 0.3:  # a row number out of range too
        sheet = re.sub(rb'<row r="\d+"', b'<row r="' + rng.choice(
            (b"1048577", b"0", b"99999999999", b"-5")) + b'"', sheet, count=1)
    members[index] = (name, sheet)
    return _pack(members)


def number(rng: random.Random, data: bytes) -> bytes:
    members = _members(data)
    for _ in range(rng.randint(1, 4)):
        index = rng.choice(_sheet_names(members))
        name, sheet = members[index]
        cells = list(_VALUE_CELL.finditer(sheet))
        if cells:
            match = rng.choice(cells)
            huge = rng.choice(HUGE_NUMBERS).encode()
            sheet = sheet[:match.start(3)] + huge + sheet[match.end(3):]
        else:
            sheet = _replace_cell(sheet, rng, lambda c: b'<c r="' + _ref_of(c) + b'"><v>' +
                                  rng.choice(HUGE_NUMBERS).encode() + b"</v></c>")
        members[index] = (name, sheet)
    return _pack(members)


def date(rng: random.Random, data: bytes) -> bytes:
    """Numbers where dates are (period and approval columns hold serials): out of range."""
    members = _members(data)
    for _ in range(rng.randint(1, 4)):
        index = rng.choice(_sheet_names(members))
        name, sheet = members[index]
        cells = [m for m in _VALUE_CELL.finditer(sheet) if b"." not in m.group(3)]
        if cells:
            match = rng.choice(cells)
            value = rng.choice((b"-1", b"0", b"2958466", b"1e10", b"60", b"2958465.99999999",
                                b"-693594"))
            sheet = sheet[:match.start(3)] + value + sheet[match.end(3):]
        members[index] = (name, sheet)
    return _pack(members)


def sheets(rng: random.Random, data: bytes) -> bytes:
    """Hundreds or thousands of sheets: aliases of one part, or many small new parts."""
    members = _members(data)
    count = rng.choice((300, 1000, 2500, 5001))
    books = [i for i, (name, _) in enumerate(members) if name == "xl/workbook.xml"]
    rels = [i for i, (name, _) in enumerate(members) if name == "xl/_rels/workbook.xml.rels"]
    if not books or not rels:
        return data
    workbook, relations = members[books[0]][1], members[rels[0]][1]
    aliased = rng.random() < 0.5
    extra_sheets, extra_rels, parts = [], [], []
    for n in range(count):
        rel = f"rIdF{n}".encode()
        target = b"worksheets/sheet1.xml" if aliased else f"worksheets/f{n}.xml".encode()
        extra_sheets.append(b'<sheet name="F' + str(n).encode() + b'" sheetId="' +
                            str(1000 + n).encode() + b'" r:id="' + rel + b'"/>')
        extra_rels.append(b'<Relationship Id="' + rel + b'" Type="http://schemas.openxml'
                          b'formats.org/officeDocument/2006/relationships/worksheet" Target="' +
                          target + b'"/>')
        if not aliased:
            parts.append((f"xl/worksheets/f{n}.xml",
                          b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                          b'2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
                          b"</sheetData></worksheet>"))
    members[books[0]] = ("xl/workbook.xml",
                         workbook.replace(b"</sheets>", b"".join(extra_sheets) + b"</sheets>"))
    members[rels[0]] = ("xl/_rels/workbook.xml.rels",
                        relations.replace(b"</Relationships>",
                                          b"".join(extra_rels) + b"</Relationships>"))
    return _pack(members + parts)


def _to_shared_strings(members: list[tuple[str, bytes]]) -> tuple[list[tuple[str, bytes]], int]:
    """Move every inline string into xl/sharedStrings.xml (a valid rewrite); string count."""
    strings: dict[bytes, int] = {}
    pattern = re.compile(rb'(<c r="[A-Z]+\d+"[^>]*?)t="inlineStr"([^>]*)><is><t[^>]*>([^<]*)'
                         rb"</t></is></c>")

    def swap(match: re.Match[bytes]) -> bytes:
        index = strings.setdefault(match.group(3), len(strings))
        return match.group(1) + b't="s"' + match.group(2) + b"><v>" + str(index).encode() + \
            b"</v></c>"

    out = [(name, pattern.sub(swap, payload) if name.startswith("xl/worksheets/") else payload)
           for name, payload in members]
    table = b"".join(b"<si><t>" + text + b"</t></si>" for text in strings)
    out.append(("xl/sharedStrings.xml",
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                b'count="' + str(len(strings)).encode() + b'" uniqueCount="' +
                str(len(strings)).encode() + b'">' + table + b"</sst>"))
    for i, (name, payload) in enumerate(out):
        if name == "xl/_rels/workbook.xml.rels":
            out[i] = (name, payload.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                b"</Relationships>"))
        elif name == "[Content_Types].xml":
            out[i] = (name, payload.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
                b'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    return out, len(strings)


def shared_strings(rng: random.Random, data: bytes) -> bytes:
    members, count = _to_shared_strings(_members(data))
    index = next(i for i, (name, _) in enumerate(members) if name == "xl/sharedStrings.xml")
    sst = members[index][1]
    choice = rng.randrange(6)
    if choice == 0:  # an index past the end
        sheet_index = rng.choice(_sheet_names(members))
        name, sheet = members[sheet_index]
        refs = list(re.finditer(rb't="s"><v>(\d+)</v>', sheet))
        if refs:
            match = rng.choice(refs)
            bad = str(rng.choice((count, count + 1, 10**9, 2**32 + 1))).encode()
            sheet = sheet[:match.start(1)] + bad + sheet[match.end(1):]
        members[sheet_index] = (name, sheet)
    elif choice == 1:  # entries removed
        entries = re.findall(rb"<si>.*?</si>", sst, re.S)
        keep = entries[:rng.randrange(len(entries) + 1)]
        members[index] = ("xl/sharedStrings.xml", re.sub(rb"<si>.*</si>", b"".join(keep), sst,
                                                         flags=re.S))
    elif choice == 2:  # lying counts
        members[index] = ("xl/sharedStrings.xml", re.sub(
            rb'count="\d+"', b'count="99999999999"', sst, count=1))
    elif choice == 3:  # hostile texts
        entries = re.findall(rb"<si><t>(.*?)</t></si>", sst, re.S)
        texts = [_xml_escape(rng.choice(HOSTILE_TEXT)) if rng.random() < 0.3 else t
                 for t in entries]
        members[index] = ("xl/sharedStrings.xml", re.sub(
            rb"<si>.*</si>", b"".join(b"<si><t>" + t + b"</t></si>" for t in texts), sst,
            flags=re.S))
    elif choice == 4:  # rich text runs and phonetic parts
        members[index] = ("xl/sharedStrings.xml", sst.replace(
            b"<si><t>", b"<si><r><rPr><b/></rPr><t>", 3).replace(b"</t></si>", b"</t></r></si>", 3))
    else:  # not XML
        members[index] = ("xl/sharedStrings.xml", sst[:rng.randrange(len(sst))])
    return _pack(members)


def styles(rng: random.Random, data: bytes) -> bytes:
    members = _members(data)
    index = next((i for i, (name, _) in enumerate(members) if name == "xl/styles.xml"), None)
    if index is None:
        return data
    style = members[index][1]
    choice = rng.randrange(5)
    if choice == 0:
        style = re.sub(rb'numFmtId="\d+"', b'numFmtId="' + rng.choice(
            (b"4294967296", b"99999999999999999999", b"-1", b"x")) + b'"', style)
    elif choice == 1:
        style = re.sub(rb'formatCode="[^"]*"', b'formatCode="' + rng.choice(
            (b"yyyy-mm-dd[[[", b"", b"\\\\\\", b"0" * 300, b"[$-F800]dddd")) + b'"', style)
    elif choice == 2:
        del members[index]
        return _pack(members)
    elif choice == 3:
        style = re.sub(rb"<cellXfs.*?</cellXfs>", b"", style, flags=re.S)
    else:  # cells pointing at styles that do not exist, or at a date format
        for sheet_index in _sheet_names(members):
            name, sheet = members[sheet_index]
            members[sheet_index] = (name, re.sub(rb'(<c r="[A-Z]+\d+") s="\d+"',
                                                 rb'\1 s="' + rng.choice((b"9999", b"1")) + b'"',
                                                 sheet))
    members[index] = ("xl/styles.xml", style)
    return _pack(members)


def text(rng: random.Random, data: bytes) -> bytes:
    """Hostile text in many text cells (headers left alone so that rows are still read)."""
    members = _members(data)
    share = rng.choice((0.1, 0.5, 1.0))
    for index in _sheet_names(members):
        name, sheet = members[index]

        def swap(match: re.Match[bytes]) -> bytes:
            if b'r="A1"' in match.group(1) or re.search(rb'r="[A-Z]+1"', match.group(1)):
                return match.group(0)
            if rng.random() > share:
                return match.group(0)
            payload = _xml_escape(rng.choice(HOSTILE_TEXT))
            return match.group(1) + payload + match.group(3)

        members[index] = (name, _TEXT_CELL.sub(swap, sheet))
    return _pack(members)


def package(rng: random.Random, data: bytes) -> bytes:
    members = _members(data)
    choice = rng.randrange(4)
    index = rng.randrange(len(members))
    if choice == 0:
        del members[index]
    elif choice == 1:
        members[index] = (members[index][0], bytes(rng.randrange(256)
                                                                   for _ in range(64)))
    elif choice == 2:
        ct = next(i for i, (name, _) in enumerate(members) if name == "[Content_Types].xml")
        members[ct] = ("[Content_Types].xml", rng.choice((b"", b"<Types/>", b"garbage<<")))
    else:
        name, payload = members[index]
        members[index] = (name, payload[:rng.randrange(len(payload) + 1)])
    return _pack(members)


MUTATORS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "zip-bytes": zip_bytes, "deflate": deflate, "truncate": truncate, "cell-type": cell_type,
    "cell-ref": cell_ref, "number": number, "date": date, "sheets": sheets,
    "shared-strings": shared_strings, "styles": styles, "text": text, "package": package,
}


def make_mutant(cls: str, number: int, seed: int = 0) -> Mutant:
    """The mutant ``cls/number`` (the same bytes every time for the same seed)."""
    rng = random.Random(f"{seed}:{cls}:{number}")
    sample = SAMPLES[number % len(SAMPLES)]
    return Mutant(f"{cls}/{number}", sample.name, MUTATORS[cls](rng, sample.read_bytes()))


def mutants(per_class: int, seed: int = 0, classes: tuple[str, ...] | None = None,
            start: int = 0) -> Iterator[Mutant]:
    """``per_class`` mutants of each class, classes interleaved."""
    for number in range(start, start + per_class):
        for cls in classes or tuple(MUTATORS):
            yield make_mutant(cls, number, seed)


# ------------------------------------------------------------------------------------
# Running the command on a mutant


@dataclass
class Outcome:
    """What one command did on one mutant."""

    mutant: str
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str
    seconds: float  # wall time
    peak_mb: float
    cpu: float = 0.0  # user + system seconds, children included
    timed_out: bool = False
    output_dir: Path | None = None
    problems: list[str] = field(default_factory=list)
    annotated: bool = False  # an annotated copy was written (and checked)


def _strict_constant(name: str) -> float:
    raise ValueError(f"{name} in JSON output")


def start_command(args: list[str], workdir: Path) -> tuple[int, Path, Path]:
    """Fork a child running ``envreport ARGS`` in-process; return (pid, stdout, stderr files)."""
    out_path, err_path = workdir / "stdout", workdir / "stderr"
    pid = fork_with_frozen_heap()  # a sixth less CPU per command
    if pid == 0:  # the child: its own process group, so that a timeout kills all of it
        code = 70
        try:
            os.setpgrp()
            # pytest's faulthandler would print the reader child's (expected, caught) abort
            # on a memory-capped bomb to the test run's terminal.
            faulthandler.disable()
            with open(out_path, "wb") as out, open(err_path, "wb") as err:
                os.dup2(out.fileno(), 1)
                os.dup2(err.fileno(), 2)
            # New streams on the new descriptors: under pytest, sys.stdout is its capture.
            sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
            sys.stderr = open(2, "w", encoding="utf-8", closefd=False)
            sys.argv = ["envreport", *args]
            os.environ.pop("ENVREPORT_DEBUG", None)
            from envreport.cli import main

            try:
                main()
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
        except BaseException as exc:  # a crash the CLI itself did not catch
            os.write(2, f"Traceback (fuzz child): {type(exc).__name__}: {exc}\n".encode())
        finally:
            try:
                sys.stdout.flush()
                sys.stderr.flush()
            finally:
                os._exit(code)
    return pid, out_path, err_path


def problems(outcome: Outcome, *, json_output: bool) -> list[str]:
    """What is wrong with an outcome (empty when the command behaved)."""
    found = []
    if outcome.timed_out:
        found.append(f"still running after {outcome.seconds:.0f} s")
    elif outcome.code not in (0, 1, 2):
        found.append(f"exit code {outcome.code}")
    both = outcome.stdout + outcome.stderr
    if "Traceback" in both or "internal error" in both:
        found.append("traceback or internal error: " + outcome.stderr.strip()[-300:])
    if outcome.cpu > TIME_LIMIT_S:
        found.append(f"took {outcome.cpu:.1f} s of CPU")
    if outcome.peak_mb > MEMORY_LIMIT_MB:
        found.append(f"peaked at {outcome.peak_mb:.0f} MB")
    if json_output and not outcome.timed_out:
        try:
            json.loads(outcome.stdout, parse_constant=_strict_constant)
        except ValueError as exc:
            found.append(f"stdout is not strict JSON ({exc})")
    if "--annotate" in outcome.args:
        annotated = Path(outcome.args[outcome.args.index("--annotate") + 1])
        if annotated.exists() and _has_formula(annotated):
            found.append("a formula in the annotated copy")
    if outcome.output_dir is not None and outcome.code == 0:
        results = outcome.output_dir / "results.json"
        try:
            json.loads(results.read_text(encoding="utf-8"), parse_constant=_strict_constant)
        except (OSError, ValueError) as exc:
            found.append(f"results.json is not strict JSON ({exc})")
    return found


def _has_formula(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return any(re.search(rb"<(\w+:)?f[ >]", archive.read(name))
                       for name in archive.namelist() if name.startswith("xl/worksheets/"))
    except (zipfile.BadZipFile, OSError):
        return True  # a broken copy is as bad


def commands_for(mutant: Mutant, path: Path, out_dir: Path) -> list[list[str]]:
    """The commands each mutant goes through: JSON validation with an annotated copy always;
    text output for the classes that carry text; a build (no PDF) for the classes that change
    figures."""
    cls = mutant.name.split("/")[0]
    annotated = out_dir.parent / "annotated.xlsx"
    commands = [["validate", "--format", "json", "--quiet", "--annotate", str(annotated),
                 str(path)]]
    if cls in ("text", "shared-strings", "cell-type"):
        commands.append(["validate", "--quiet", str(path)])
    if cls in ("number", "text", "date", "cell-type"):
        commands.append(["build", "--no-pdf", "--quiet", "--lang", "en", "-o", str(out_dir),
                         str(path)])
    return commands


def run_campaign(items: list[Mutant], *, jobs: int = 2, timeout: float = WALL_LIMIT_S,
                 keep: bool = False, on_outcome: Callable[[Outcome], None] | None = None,
                 ) -> list[Outcome]:
    """Run every command of every mutant, ``jobs`` at a time; the outcomes in the order they
    finished. The mutants and outputs live in a temporary folder, removed unless ``keep``;
    ``on_outcome`` sees each outcome as it comes (progress, saving failures)."""
    import envreport.cli
    import envreport.pipeline
    import envreport.render
    import envreport.validate.report  # noqa: F401

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an aborting child leaves no core file
    queue: list[tuple[Mutant, list[str], Path]] = []
    root = Path(tempfile.mkdtemp(prefix="envreport-fuzz-"))
    for number, mutant in enumerate(items):
        folder = root / str(number)
        folder.mkdir()
        path = folder / f"{mutant.name.replace('/', '-')}.xlsx"
        path.write_bytes(mutant.data)
        for index, args in enumerate(commands_for(mutant, path, folder / "out")):
            (folder / str(index)).mkdir()
            queue.append((mutant, args, folder / str(index)))
    outcomes: list[Outcome] = []
    running: dict[int, tuple[Mutant, list[str], Path, Path, Path, float]] = {}
    try:
        while queue or running:
            while queue and len(running) < jobs:
                mutant, args, folder = queue.pop(0)
                pid, out_path, err_path = start_command(args, folder)
                running[pid] = (mutant, args, folder, out_path, err_path, time.monotonic())
            finished = [pid for pid in running
                        if _reap(pid, running, timeout, outcomes, on_outcome)]
            for pid in finished:
                del running[pid]
            if not finished:
                time.sleep(0.005)
    finally:  # interrupted: no child left running, no folder left behind
        for pid in running:
            try:
                os.killpg(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        if not keep:
            _remove_tree(root)
    return outcomes


def _reap(pid: int, running: dict, timeout: float, outcomes: list[Outcome],
          on_outcome: Callable[[Outcome], None] | None) -> bool:
    mutant, args, _folder, out_path, err_path, started = running[pid]
    done, status, usage = os.wait4(pid, os.WNOHANG)
    timed_out = False
    if not done:
        if time.monotonic() - started < timeout:
            return False
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status, usage = os.wait4(pid, 0)
        timed_out = True
    code = -9 if timed_out else os.waitstatus_to_exitcode(status)
    try:  # a timed-out child's group is gone; a reader grandchild of a finished one, too
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    out_dir = Path(args[args.index("-o") + 1]) if "-o" in args else None
    outcome = Outcome(mutant.name, tuple(args), code,
                      out_path.read_text("utf-8", "replace"),
                      err_path.read_text("utf-8", "replace"), time.monotonic() - started,
                      usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, timed_out,
                      out_dir)
    outcome.problems = problems(outcome, json_output="json" in args)
    if "--annotate" in args:
        outcome.annotated = Path(args[args.index("--annotate") + 1]).exists()
    outcomes.append(outcome)
    if on_outcome is not None:
        on_outcome(outcome)
    return True


def _remove_tree(root: Path) -> None:
    import shutil

    shutil.rmtree(root, ignore_errors=True)
