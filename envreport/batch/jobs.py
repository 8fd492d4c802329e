"""What one batch worker process does: inspect a workbook, build a report, build the group.

Every function here takes and returns small picklable values, so it runs the same in a
worker process and in-process (``--workers 1``). Workers write their own outputs; the main
process only sees summaries. A validated submission's typed tables travel between the two
phases as a pickle file in the batch's scratch folder (written by the worker that read the
workbook, read back by the worker that builds from it) — never through the main process.

No function here lets an exception escape for a bad file: a workbook that cannot be read, or
a build that fails, comes back as a summary that says so, and the batch goes on.
"""

from __future__ import annotations

import math
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pandas as pd

from envreport.batch import reasons
from envreport.factors import gas_key, override_target
from envreport.findings import Finding, Findings
from envreport.io import UnreadableWorkbookError, read_workbook
from envreport.results import Results
from envreport.schema import SHEETS_BY_NAME, Sheet, sheet_spec
from envreport.submission import Organization, Submission
from envreport.validate import match_headers, validate

TOP_FINDINGS = 5
# Sheets whose money columns are converted into the group's currency: (sheet, amount field).
MONEY = ((Sheet.INCIDENTS, "fine_amount"), (Sheet.MITIGATION, "investment"),
         (Sheet.GREEN_FINANCE, "amount"))
_LETTER_SHEETS = (Sheet.PROJECTS, Sheet.INCIDENTS, Sheet.MITIGATION, Sheet.GREEN_FINANCE,
                  Sheet.FACTORS)


# --- phase 1: read and validate ---------------------------------------------------------------
@dataclass
class Inspected:
    """A workbook after reading and validation: what the batch needs to plan, nothing more."""

    index: int
    path: Path
    file_name: str
    sha256: str | None
    unreadable: str | None = None  # the reason, when the file is not a workbook
    pickle: Path | None = None
    # the results computed from it (valid only; batch --ledger: each, else a workbook of a
    # target's base year), for the ledger and the build; or why computing them failed
    computed: ComputedPickles | None = None
    compute_failure: str | None = None
    organization: Organization | None = None
    rows: int = 0  # accepted rows, every sheet: what its report costs to build, roughly
    errors: int = 0
    warnings: int = 0
    top: list[Finding] = field(default_factory=list)
    roster: list[dict[str, Any]] = field(default_factory=list)  # accepted Subsidiaries rows
    projects: list[dict[str, Any]] = field(default_factory=list)
    letters: dict[str, dict[str, str]] = field(default_factory=dict)
    money: list[dict[str, Any]] = field(default_factory=list)
    overrides: list[dict[str, Any]] = field(default_factory=list)
    fx: list[dict[str, Any]] = field(default_factory=list)
    uses: dict[str, set[str]] = field(default_factory=dict)

    @property
    def entity_id(self) -> str | None:
        return self.organization.entity_id if self.organization else None

    @property
    def is_parent(self) -> bool:
        return bool(self.roster)


@dataclass(frozen=True)
class ComputedPickles:
    """A valid submission's results, computed once by the task that read it (batch
    --ledger, or a workbook of a target's base year): the main process records them in the
    ledger, the build task writes them.
    ``trail`` is the calculation trail encoded as results.json writes it, for both."""

    results: Path
    trail: Path

    def load(self) -> tuple[Results, bytes]:
        """The results model and its encoded trail (our own scratch files)."""
        with self.results.open("rb") as handle:
            # our own scratch file, written by inspect_workbook in this batch's folder
            results = cast(Results, pickle.load(handle))
        return results, self.trail.read_bytes()


def inspect_workbook(index: int, path: Path, scratch: Path,
                     compute_results: bool = False) -> Inspected:
    """Read and validate ``path``; pickle its submission into ``scratch``.

    ``compute_results`` (batch --ledger, where every valid workbook is both recorded and
    built): also compute a valid submission's results here, once, for the ledger's record
    and the build (:class:`ComputedPickles`)."""
    from envreport.io import safe_sha256

    try:
        raw = read_workbook(path)
        submission = validate(raw)
    except UnreadableWorkbookError as error:
        return Inspected(index, path, path.name, safe_sha256(path), unreadable=error.reason)
    except MemoryError:  # the task's memory limit: its runner reports it
        raise
    except Exception as error:  # a bug must not stop the other files; say what happened
        return Inspected(index, path, path.name, safe_sha256(path),
                         unreadable=reasons.INTERNAL_READING_ERROR.format(
                             detail=f"{type(error).__name__}: {error}"))
    from envreport.pipeline import states_base_year_target

    pickle_path = scratch / f"{index}.pickle"
    # A base year's workbook: its targets' base values against its computed figures, before
    # the findings are counted, pickled and annotated. That compute is kept for the build
    # (with compute_results, every valid workbook's is): the board counts the findings of
    # the one compute the report is written from, or the build reports its failure — never
    # a report with a warning the board did not count.
    computed, compute_failure = (
        _compute_once(submission, pickle_path)
        if compute_results or states_base_year_target(submission) else (None, None))
    letters: dict[str, dict[str, str]] = {}
    # by contract name: a Chinese template's tabs (燃料燃烧) count as their sheet (Fuel)
    by_name = {spec.name: sheet for sheet in raw.sheets
               if (spec := sheet_spec(sheet.name)) is not None}
    for name in _LETTER_SHEETS:
        sheet = by_name.get(name)
        if sheet is not None:
            letters[name] = match_headers(SHEETS_BY_NAME[name], sheet)[0].letters
    with pickle_path.open("wb") as handle:
        pickle.dump(submission, handle, protocol=pickle.HIGHEST_PROTOCOL)
    # The cells as read, for the annotated copy (written from them, never by re-opening the
    # file with openpyxl). Kept only when the workbook has findings of its own: a clean one
    # gets a copy only for a group finding (rare), and is then read again by the same reader.
    if len(submission.findings):
        with raw_pickle(pickle_path).open("wb") as handle:
            pickle.dump(raw, handle, protocol=pickle.HIGHEST_PROTOCOL)
    del raw
    findings = submission.findings
    return Inspected(
        index, path, submission.source.name, submission.source.sha256,
        pickle=pickle_path,
        computed=computed, compute_failure=compute_failure,
        organization=submission.organization,
        rows=sum(len(table) for table in submission.tables.values()),
        errors=len(findings.errors), warnings=len(findings.warnings),
        top=findings.items[:TOP_FINDINGS], roster=_records(submission, Sheet.SUBSIDIARIES),
        projects=_records(submission, Sheet.PROJECTS, ("project_id", "row", "ownership_pct",
                                                   "operational_control",
                                                   "financial_control")),
        letters=letters, money=_money_rows(submission),
        overrides=_records(submission, Sheet.FACTORS),
        fx=_records(submission, Sheet.FX_RATES, ("currency", "rate_to_reporting_currency")),
        uses=_factor_uses(submission),
    )


def _compute_once(submission: Submission, submission_pickle: Path
                  ) -> tuple[ComputedPickles | None, str | None]:
    """A valid submission's results and encoded trail, pickled beside ``submission_pickle``
    (computed before the submission itself is pickled: compute adds the findings only the
    figures make, which that pickle and the counts carry), and ``None``; or ``None`` and the
    reason computing failed here, which the build reports as its own failure (computed
    again, it could add a finding the counts made here lack). ``(None, None)`` when it is
    not valid: nothing to compute."""
    from envreport.metrics import compute
    from envreport.pipeline import trail_json

    if not submission.valid or submission.organization is None:
        return None, None
    try:
        results = compute(submission)
        trail = trail_json(results)
    except Exception as error:  # (a MemoryError too) see the docstring
        return None, f"{type(error).__name__}: {error}"
    pickles = ComputedPickles(submission_pickle.with_suffix(".results.pickle"),
                              submission_pickle.with_suffix(".trail.json"))
    with pickles.results.open("wb") as handle:
        pickle.dump(results, handle, protocol=pickle.HIGHEST_PROTOCOL)
    pickles.trail.write_bytes(trail)
    return pickles, None


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _records(sub: Submission, sheet: str, columns: tuple[str, ...] | None = None
             ) -> list[dict[str, Any]]:
    table = sub.table(sheet)
    if table is None or table.empty:
        return []
    cols = [c for c in (columns or table.columns) if c in table.columns]
    return [{str(k): _plain(v) for k, v in rec.items()}
            for rec in table[cols].to_dict("records")]


def _money_rows(sub: Submission) -> list[dict[str, Any]]:
    rows = []
    for sheet, amount in MONEY:
        table = sub.table(sheet)
        if table is None or table.empty or amount not in table.columns:
            continue
        currency = table["currency"] if "currency" in table.columns else None
        for i in table.index[table[amount].notna()]:
            cur = _plain(currency[i]) if currency is not None else None
            rows.append({"sheet": sheet, "row": int(_plain(table.at[i, "row"])),
                         "field": "currency",
                         "currency": cur.upper() if isinstance(cur, str) else None})
    return rows


def _factor_uses(sub: Submission) -> dict[str, set[str]]:
    """The fuels, grid countries (or heat types) and gases the rows use: what overrides touch."""
    uses: dict[str, set[str]] = {"fuel": set(), "grid": set(), "refrigerant": set()}
    fuel = sub.table(Sheet.FUEL)
    if fuel is not None and not fuel.empty:
        uses["fuel"] = {str(f).lower() for f in fuel["fuel"].dropna()}
    el = sub.table(Sheet.ELECTRICITY)
    projects = sub.table(Sheet.PROJECTS)
    if el is not None and not el.empty:
        host = (projects.drop_duplicates("project_id").set_index("project_id")["host_country"]
                if projects is not None and not projects.empty else pd.Series(dtype=object))
        kind = (el["energy_type"].fillna("electricity") if "energy_type" in el.columns
                else pd.Series("electricity", index=el.index))
        grid = (el["grid_country"] if "grid_country" in el.columns
                else pd.Series(None, index=el.index, dtype=object))
        grid = grid.fillna(el["project_id"].map(host))
        uses["grid"] = {str(c) for c in grid[kind == "electricity"].dropna()}
        uses["grid"] |= {str(k) for k in kind[kind != "electricity"]}
    ref = sub.table(Sheet.REFRIGERANTS)
    if ref is not None and not ref.empty:
        uses["refrigerant"] = {gas_key(g) for g in ref["gas"].dropna()}
    return uses


def override_inputs(index: int, submission: Submission) -> Inspected:
    """What the group's rule for Factors overrides (:func:`overrides.override_conflicts`) reads
    of ``submission`` — its Factors rows and the fuels, grids and gases its rows use — as
    :func:`inspect_workbook` gives it: for a group's period consolidated again from the
    ledger's submissions, not from workbooks (:func:`consolidate.regrouped`)."""
    return Inspected(index, Path(submission.source.name), submission.source.name,
                     submission.source.sha256, overrides=_records(submission, Sheet.FACTORS),
                     uses=_factor_uses(submission))


def override_slot(rec: dict[str, Any]) -> tuple[str, str] | None:
    """(kind of rows it touches, normalised key) of a Factors row, as the engine keys it."""
    return override_target(rec.get("factor_type"), rec.get("key"))


def raw_pickle(submission_pickle: Path) -> Path:
    """Where :func:`inspect_workbook` keeps the cells it read, beside the submission."""
    return submission_pickle.with_suffix(".raw.pickle")


def load_submission_pickle(path: Path) -> Submission:
    """A submission written by :func:`inspect_workbook` (our own scratch file)."""
    with path.open("rb") as handle:
        # our own scratch file, written by inspect_workbook in this batch's folder
        return cast(Submission, pickle.load(handle))


@dataclass(frozen=True)
class Recording:
    """batch --ledger: the ledger the batch records in and compares with, and who records
    there (the command line's ``cli:<login>``): the members, the group and the reports built
    from them alike."""

    url: str
    by: str


# --- phase 2: one entity's outputs ------------------------------------------------------------
@dataclass
class EntityTask:
    """Write one submission's outputs into ``folder``."""

    index: int
    source: Path
    pickle: Path
    folder: Path
    build: bool  # valid: write the report
    extra: list[Finding] = field(default_factory=list)  # group findings about this workbook
    langs: list[str] | None = None
    pdf: bool = True
    lang: str = "en"
    ledger: Recording | None = None  # batch --ledger: compare with the ledger's earlier periods
    computed: ComputedPickles | None = None  # the results, when computed when it was read
    compute_failure: str | None = None  # why computing them failed then: the build's failure
    # the ledger's submission this workbook already is (the portal's upload): compared as it
    submission_id: int | None = None


@dataclass
class EntityBuilt:
    """What one entity task wrote, and its headline figures."""

    index: int
    files: list[Path] = field(default_factory=list)
    headline: dict[str, float | None] | None = None
    failure: str | None = None
    annotate_failure: str | None = None  # the annotated copy only: the report is not affected
    languages: list[str] = field(default_factory=list)  # of the report written


def headline(results: Results) -> dict[str, float | None]:
    """The four figures the status board shows."""
    return {"scope1_tco2e": results.ghg.scope1_tco2e,
            "scope2_location_tco2e": results.ghg.scope2_location_tco2e,
            "scope2_market_tco2e": results.ghg.scope2_market_tco2e,
            "energy_gj": results.energy.total_consumption_gj}


def build_entity(task: EntityTask) -> EntityBuilt:
    """The annotated copy (when there are findings) and, for a valid submission, the report."""
    from envreport.metrics import compute
    from envreport.pipeline import write_outputs

    out = EntityBuilt(task.index)
    try:
        submission = load_submission_pickle(task.pickle)
        findings = Findings(list(submission.findings) + list(task.extra))
        findings.truncated = submission.findings.truncated
        task.folder.mkdir(parents=True, exist_ok=True)
        if len(findings):
            out.annotate_failure = _annotate(task, findings, out)
        if task.build and submission.organization is not None:
            if task.compute_failure is not None:  # not computed again: see _compute_once
                out.failure = task.compute_failure
                return out
            trail: bytes | None = None
            if task.computed is not None:  # computed when it was read: not again
                computed, trail = task.computed.load()
            else:
                computed = compute(submission)
            results = computed
            if task.ledger is not None:
                from envreport.ledger import entity_with_periods

                results = entity_with_periods(task.ledger.url, results, by=task.ledger.by,
                                              record_id=task.submission_id)
            # the trail as encoded when it was computed, while the results carry that trail
            # (the ledger's periods are added to a copy without touching it)
            same_trail = trail is not None and results.calculations is computed.calculations
            langs = list(task.langs or submission.organization.report_languages)
            out.files += write_outputs(submission, results, task.folder, langs, pdf=task.pdf,
                                       trail_text=trail if same_trail else None)
            out.languages = langs
            out.headline = headline(results)
    except MemoryError:  # the task's memory limit: its runner reports it
        raise
    except Exception as error:  # one failed build never stops the batch; it is reported
        out.failure = f"{type(error).__name__}: {error}"
    return out


def _annotate(task: EntityTask, findings: Findings, out: EntityBuilt) -> str | None:
    """The annotated copy, a side product: its failure is returned as a reason, never raised,
    so that it never costs the entity's report."""
    from envreport.workbook import AnnotationRefusedError, write_annotated

    try:
        kept = raw_pickle(task.pickle)
        if kept.exists():
            with kept.open("rb") as handle:
                raw = pickle.load(handle)
        else:
            raw = read_workbook(task.source)
        out.files.append(write_annotated(raw, findings, task.folder / "annotated.xlsx",
                                         task.lang))
    except AnnotationRefusedError as error:
        return error.reason
    except Exception as error:  # see above: reported on the board, the report goes on
        return f"{type(error).__name__}: {error}"
    return None
