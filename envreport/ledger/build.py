"""``build --ledger``: record the submission, then build its report with the periods before it.

Beside the pipeline: it calls :func:`envreport.pipeline.write_outputs` with results to which
:func:`with_periods` has added the ledger's ``comparison``, ``history`` and ``base_year``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from envreport.ledger.accounts import CLI_ACTOR
from envreport.ledger.api import Ledger, Source, SubmissionRecord
from envreport.ledger.groups import group_entity_id
from envreport.pipeline import BuildOutcome, InvalidSubmissionError, Progress, write_outputs

if TYPE_CHECKING:
    from envreport.findings import Finding
    from envreport.ledger.compare import Regroup
    from envreport.results import GroupResults
    from envreport.submission import Submission


def _noop(_stage: str) -> None:
    return None


def with_periods(results: Any, sections: dict[str, Any]) -> Any:
    """``results`` with the ledger's ``comparison``, ``history`` and ``base_year`` and the
    targets' trajectories: a dict stays a dict, the results model stays a model (the batch
    reads its attributes afterwards)."""
    updates = {key: sections.get(key) for key in ("comparison", "history", "base_year")}
    progress = sections.get("target_progress") or []
    if isinstance(results, dict):
        merged = {**results, **updates}
        if progress and results.get("targets"):
            merged["targets"] = [{**target, **extra} for target, extra
                                 in zip(results["targets"], progress, strict=True)]
        return merged
    from envreport.results import BaseYear, Comparison, HistoryEntry

    typed: dict[str, Any] = {
        "comparison": Comparison.model_validate(updates["comparison"])
        if updates["comparison"] else None,
        "history": [HistoryEntry.model_validate(h) for h in updates["history"]]
        if updates["history"] else None,
        "base_year": BaseYear.model_validate(updates["base_year"])
        if updates["base_year"] else None,
    }
    if progress and results.targets:
        typed["targets"] = [target.model_copy(update=extra) for target, extra
                            in zip(results.targets, progress, strict=True)]
    return results.model_copy(update=typed)


def build_with_ledger(path: Path | str, out_dir: Path | str, ledger: Ledger,
                      langs: Sequence[str] | None = None, *, pdf: bool = True,
                      by: str = CLI_ACTOR, source: Source = "cli",
                      progress: Progress = _noop) -> tuple[BuildOutcome, SubmissionRecord]:
    """Record ``path`` in ``ledger`` and, when valid, build its report with comparisons.

    Raises :class:`InvalidSubmissionError` (after recording) when the workbook has errors.
    """
    progress("record")
    record = ledger.record(path, by=by, source=source)
    submission = record.submission
    if record.unreadable is not None:
        raise record.unreadable
    if submission is None or not record.valid or record.results is None:
        assert submission is not None
        raise InvalidSubmissionError(submission)
    progress("compare")
    sections = ledger.comparison(record.results)
    # The results model record() computed, not the JSON form it stored: the renderer reads
    # the model, and validating a 100 000-row trail back into it cost more than recording.
    results = with_periods(record.computed if record.computed is not None else record.results,
                           sections)
    # every report is noted, the first period's too: a report built from a submission
    # published its figures, so a later correction of them is a restatement
    ledger.note_report(record.id, sections.get("used_submission_ids", []), by=by)
    assert submission.organization is not None
    chosen = list(langs or submission.organization.report_languages)
    # The trail the ledger encoded for its copy of results.json, when the report's results
    # carry that very trail (with_periods copies the model without touching it).
    same_trail = (record.computed is not None and not isinstance(results, dict)
                  and results.calculations is record.computed.calculations)
    files = write_outputs(submission, results, Path(out_dir), chosen, pdf=pdf,
                          progress=progress,
                          trail_text=record.trail_text if same_trail else None)
    return BuildOutcome(submission, results, files), record


def entity_with_periods(ledger_url: str, results: Any, by: str = CLI_ACTOR,
                        record_id: int | None = None) -> Any:
    """A batch worker's entity results with the ledger's periods (already recorded: as the
    submission ``record_id`` when given, else the one found by its file and period)."""
    with Ledger(ledger_url) as ledger:
        sections = ledger.comparison(results, record_id=record_id)
        record_id = sections.get("record_id")
        if record_id:
            ledger.note_report(record_id, sections.get("used_submission_ids", []), by=by)
        return with_periods(results, sections)


def group_with_periods(ledger_url: str, merged: Submission, results: GroupResults,
                       check: Callable[[Ledger, GroupResults],
                                       tuple[GroupResults, list[Finding]]],
                       by: str = CLI_ACTOR, members: Iterable[int] = (),
                       regroup: Regroup | None = None) -> tuple[GroupResults, list[Finding]]:
    """A batch's consolidated group with the ledger's earlier periods, then ``check``ed (its
    targets against its base year: :mod:`envreport.batch.base_year`), then recorded as
    ``<parent>:group``: the record is what the report shows, the check's fields and
    warnings included (``merged.findings``). Returns the results and the check's findings.

    ``members``: the members' submissions the group was consolidated from, noted on its
    build with the periods it compared with, so that a later correction of one restates
    this period in the next period's report, consolidated again by ``regroup``.
    """
    with Ledger(ledger_url) as ledger:
        assert merged.organization is not None
        entity = group_entity_id(merged.organization.entity_id)
        sections = ledger.comparison(results, entity=entity, recorded=False, regroup=regroup)
        results, found = check(ledger, with_periods(results, sections))
        record = ledger.record_group(merged, results, by=by)
        base = results.base_year
        if base is not None and base.year == merged.organization.reporting_year:
            # this period is the group's base year, in the ledger from now on
            results = results.model_copy(update={"base_year": base.model_copy(
                update={"in_ledger": True, "submission_id": record.id})})
        ledger.note_report(record.id, [*sections.get("used_submission_ids", []), *members],
                           by=by)
        return results, found
