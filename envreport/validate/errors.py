"""Turn pydantic validation errors into findings at the cell.

The cell types raise errors whose *type* is already a finding code (see
:mod:`envreport.schema.types`); pydantic's own error types (missing, literal, bounds) are
mapped here. Cross-field rules arrive as one ``row-rules`` error carrying every violation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from pydantic_core import ErrorDetails

from envreport.codes import CODES, allowed_ids
from envreport.findings import Finding
from envreport.schema import Violation
from envreport.schema.vocabulary import fold_label, labelled_spellings
from envreport.suggest import did_you_mean

_BOUNDS = {
    "greater_than_equal": ("ge", "≥ {}"),
    "greater_than": ("gt", "> {}"),
    "less_than_equal": ("le", "≤ {}"),
    "less_than": ("lt", "< {}"),
}


def _number(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def findings_from_errors(
    errors: list[ErrorDetails],
    *,
    sheet: str,
    row: int,
    letter_of: Callable[[str], str | None],
    value_of: Callable[[str], Any],
) -> Iterator[Finding]:
    """Findings for the errors of one row; ``loc[-1]`` is the field for field errors."""
    for error in errors:
        loc = [part for part in error["loc"] if isinstance(part, str)]
        kind = error["type"]
        ctx: dict[str, Any] = dict(error.get("ctx") or {})
        if kind == "row-rules":
            yield from findings_from_violations(ctx["violations"], sheet=sheet, row=row,
                                                letter_of=letter_of, value_of=value_of)
            continue
        field = loc[0] if loc else None
        value = value_of(field) if field else None
        code, params = _map(kind, ctx, value)
        yield Finding(code, CODES[code].severity, sheet, row,
                      letter_of(field) if field else None, field, value, params)


def findings_from_violations(violations: list[Violation], *, sheet: str, row: int,
                             letter_of: Callable[[str], str | None],
                             value_of: Callable[[str], Any]) -> Iterator[Finding]:
    """Findings for the broken row rules of one row, at each rule's field."""
    for violation in violations:
        value = value_of(violation.field)
        yield Finding(violation.code, CODES[violation.code].severity, sheet, row,
                      letter_of(violation.field), violation.field, value,
                      {k: _number(v) for k, v in violation.params.items()})


def _closest_allowed(value: Any, allowed: str) -> str | None:
    """The allowed ids nearest to ``value``, for "did you mean": by the id (``'operaton'`` →
    ``operation``), else by the ids' labels, Chinese or English (``'运营'`` → ``operation``,
    labelled 运营期; ``'光伏电站'`` → ``solar_pv``, labelled 光伏)."""
    if not isinstance(value, str) or not value.strip():
        return None
    choices = allowed_ids(allowed)
    return (did_you_mean(value.strip().lower().replace(" ", "_"),
                         {choice.lower(): choice for choice in choices})
            or did_you_mean(fold_label(value), labelled_spellings(choices)))


def _map(kind: str, ctx: dict[str, Any], value: Any) -> tuple[str, dict[str, Any]]:
    if kind in CODES:
        return kind, {k: v for k, v in ctx.items() if k != "value"}
    if kind in ("missing", "string_too_short"):
        return "required-missing", {}
    if kind == "literal_error":
        allowed = str(ctx.get("expected", ""))
        params: dict[str, Any] = {"allowed": allowed}
        suggestion = _closest_allowed(value, allowed)
        if suggestion:
            params["suggestion"] = suggestion
        return "value-not-allowed", params
    if kind in _BOUNDS:
        key, template = _BOUNDS[kind]
        return "value-out-of-range", {"bound": template.format(_number(ctx.get(key)))}
    return "value-invalid", {"detail": kind}
