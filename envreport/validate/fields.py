"""Check each field of a sheet column by column, with the field's own pydantic validator.

A column holds few distinct values (units, fuels, project ids, dates, enumerations): each
distinct value is validated *once* by a one-field model built from the sheet model's own
field (same annotation, ``BeforeValidator``s, constraints, field name and row context, so the
same values pass and the same values fail) and the outcome is mapped back to every row.
Number cells of a plain number field (``parse_number`` and ``ge``/``gt``/``le``/``lt`` bounds
read from the field) are checked as one float array instead.

Nothing here writes a finding: a row with a field error is re-validated by the sheet model
itself (:mod:`envreport.validate.tables`), which words the findings.
"""

from __future__ import annotations

import operator
import types
import typing
from dataclasses import dataclass
from functools import lru_cache
from types import GenericAlias
from typing import TYPE_CHECKING, Any, TypeVar, cast

import annotated_types
import numpy as np
import pandas as pd
from pydantic import BaseModel, TypeAdapter, ValidationError, create_model
from pydantic.fields import FieldInfo
from pydantic.functional_validators import BeforeValidator

from envreport.schema import RowContext, SheetRow
from envreport.schema.kinds import field_kind
from envreport.schema.types import MAX_NUMBER_MAGNITUDE, parse_number
from envreport.validate.layout import Column

if TYPE_CHECKING:
    from typing_extensions import TypeForm

_Model = TypeVar("_Model", bound=BaseModel)


def list_adapter(model: type[_Model]) -> TypeAdapter[list[_Model]]:
    """A TypeAdapter of ``list[model]`` for a model chosen at run time.

    ``list[model]`` of a variable is a type built at run time, which no static annotation can
    spell: it is made with GenericAlias and declared for what it is.
    """
    rows = cast("TypeForm[list[_Model]]", GenericAlias(list, (model,)))
    return TypeAdapter(rows)

_BOUNDS = {annotated_types.Ge: ("ge", operator.ge), annotated_types.Gt: ("gt", operator.gt),
           annotated_types.Le: ("le", operator.le), annotated_types.Lt: ("lt", operator.lt)}


@dataclass
class CheckedField:
    """One field on every data row: its validated value, and whether the cell fails."""

    kind: str
    values: np.ndarray  # float64 for numbers (NaN when blank), else object; default if blank
    error: np.ndarray  # bool: the field's validation fails (a blank required cell too)
    blank: np.ndarray  # bool: the cell is blank

    def value(self, index: int) -> Any:
        """The validated Python value of data row ``index`` (``None`` when blank)."""
        value = self.values[index]
        if self.kind == "number":
            return None if np.isnan(value) else float(value)
        return value


@lru_cache(maxsize=256)
def _field_adapter(model: type[SheetRow], name: str) -> TypeAdapter[list[BaseModel]]:
    """A list of one-field models holding ``model``'s field ``name`` exactly as declared.

    A model, not a bare type: validators that read the field name (dates that may lie in
    the future) get it, and ``context`` reaches them as it does in the sheet model.
    """
    info = model.model_fields[name]
    # the one field's definition, passed by its run-time name: typed as any keyword argument
    # may be, since mypy checks a ``**`` mapping against every keyword of create_model
    definition: dict[str, Any] = {name: (info.annotation, info)}
    single = create_model(f"{model.__name__}_{name}", __config__=model.model_config,
                          **definition)
    return list_adapter(single)


def _metadata(info: FieldInfo) -> list[Any]:
    """Every metadata item of a field, including those inside ``Optional[Annotated[...]]``."""
    found: list[Any] = []
    pending = [info.annotation, *info.metadata]
    while pending:
        item = pending.pop(0)
        if isinstance(item, FieldInfo):
            pending.extend(item.metadata)
        elif typing.get_origin(item) is typing.Annotated:
            pending.extend(typing.get_args(item)[1:])
        elif typing.get_origin(item) in (typing.Union, types.UnionType):
            pending.extend(typing.get_args(item))
        elif isinstance(item, BeforeValidator | annotated_types.BaseMetadata):
            found.append(item)
    return found


@lru_cache(maxsize=256)
def _number_bounds(model: type[SheetRow], name: str) -> tuple[tuple[Any, float], ...] | None:
    """The bounds of a plain number field (``parse_number``, then only ge/gt/le/lt), or
    ``None`` when the field is anything else (its cells then go through its validator)."""
    info = model.model_fields[name]
    if field_kind(info.annotation) != "number":
        return None
    bounds: list[tuple[Any, float]] = []
    parsers = 0
    for item in _metadata(info):
        if isinstance(item, BeforeValidator) and item.func is parse_number:
            parsers += 1
        elif type(item) in _BOUNDS:
            key, compare = _BOUNDS[type(item)]
            bounds.append((compare, float(getattr(item, key))))
        else:
            return None
    return tuple(bounds) if parsers == 1 else None


def _validate_distinct(model: type[SheetRow], name: str, values: list[Any],
                       context: RowContext) -> tuple[list[Any], np.ndarray]:
    """Each value through the field's validator once: (validated values, failed)."""
    failed = np.zeros(len(values), dtype=bool)
    if not values:  # a blank or absent column: no validator to build
        return [], failed
    adapter = _field_adapter(model, name)
    items = [{name: value} for value in values]
    try:
        models = adapter.validate_python(items, context=context)
        return [getattr(m, name) for m in models], failed
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            failed[int(error["loc"][0])] = True
    good = np.flatnonzero(~failed)
    models = adapter.validate_python([items[i] for i in good], context=context)
    checked: list[Any] = [None] * len(values)
    for i, m in zip(good, models, strict=True):
        checked[i] = getattr(m, name)
    return checked, failed


def prepare_field(model: type[SheetRow], name: str) -> None:
    """Build ahead what :func:`check_field` needs for field ``name`` of any column (the
    validator of a field whose cells go through it), so that the cells do not wait for it."""
    if _number_bounds(model, name) is None:
        _field_adapter(model, name)


def check_field(model: type[SheetRow], name: str, column: Column | None, count: int,
                context: RowContext) -> CheckedField:
    """Validate field ``name`` of ``model`` on the ``count`` data rows of ``column``."""
    info = model.model_fields[name]
    kind = field_kind(info.annotation)
    default = None if info.is_required() else info.default
    if column is None:  # no such column: every cell is blank
        column = Column(np.zeros(count, dtype=bool), np.full(count, np.nan),
                        np.zeros(count, dtype=np.intp), [None])
    blank = column.blank()
    bounds = _number_bounds(model, name)
    numbers = column.numbers
    if bounds is not None:
        # Number cells checked as one array, as parse_number and the bounds would.
        fine = column.is_number & np.isfinite(numbers) & (np.abs(numbers) <= MAX_NUMBER_MAGNITUDE)
        with np.errstate(invalid="ignore"):
            for compare, bound in bounds:
                fine &= compare(numbers, bound)
        error = column.is_number & ~fine
        distinct, codes = list(column.values), column.codes
    else:
        # Number cells join the distinct values (a numeric project id, a date serial).
        error = np.zeros(count, dtype=bool)
        float_codes, floats = pd.factorize(numbers[column.is_number], use_na_sentinel=False)
        distinct = [*column.values, *floats.tolist()]
        codes = column.codes.copy()
        codes[column.is_number] = float_codes + len(column.values)
    to_check = [i for i, v in enumerate(distinct) if v is not None]
    checked, failed = _validate_distinct(model, name, [distinct[i] for i in to_check], context)
    results = np.empty(len(distinct) + 1, dtype=object)
    results[:] = [default] * (len(distinct) + 1)
    bad = np.zeros(len(distinct) + 1, dtype=bool)
    for i, value, fails in zip(to_check, checked, failed, strict=True):
        results[i], bad[i] = value, fails
    is_other = codes >= 0 if bounds is not None else np.ones(count, dtype=bool)
    error |= is_other & bad[codes]
    if info.is_required():
        error |= blank
    if kind == "number":
        values = np.full(count, np.nan)
        if bounds is not None:
            values[column.is_number] = numbers[column.is_number]
        taken = results[codes[is_other]]
        values[is_other] = [np.nan if v is None else v for v in taken]
    else:
        values = results[codes]
    return CheckedField(kind, values, error, blank)
