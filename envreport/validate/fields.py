"""Check each field of a sheet column by column, with the field's own pydantic validator.

A column holds few distinct values (units, fuels, project ids, dates, enumerations): each
distinct value is validated *once* by the sheet model's own schema of that field alone (same
annotation, ``BeforeValidator``s, constraints, config, field name and row context, so the
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
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo
from pydantic.functional_validators import BeforeValidator
from pydantic_core import CoreSchema, SchemaValidator, core_schema

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
def _field_validator(model: type[SheetRow], name: str) -> SchemaValidator:
    """A validator of a list of ``{name: value}`` items: ``model``'s field ``name`` alone,
    each item validated as the model validates that field.

    The field's own core schema, taken from the model's (built when the model class was),
    inside a model's fields schema with the model's config: validators that read the field
    name (dates that may lie in the future) get it, and ``context`` reaches them as it does
    in the sheet model; the model's own validators across fields are left out. Each item
    comes out as pydantic's fields triple, ``(values, extra, fields set)``. Building it is
    about 0.01 ms; a one-field model made with ``create_model`` for the same took 0.3 ms of
    CPU a field, 0.04 s for the sheets' 140 fields, in every ``validate`` before its cells.
    """
    schema: CoreSchema = model.__pydantic_core_schema__
    while schema["type"] != "model":  # under the model's validators ("after" the fields)
        schema = cast("CoreSchema", schema["schema"])
    fields = schema["schema"]
    if fields["type"] != "model-fields":
        raise TypeError(f"{model.__name__}: a model's schema without its fields")
    one = core_schema.model_fields_schema({name: fields["fields"][name]},
                                          model_name=fields.get("model_name"))
    return SchemaValidator(core_schema.list_schema(one), schema.get("config"))


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
    validator = _field_validator(model, name)
    items = [{name: value} for value in values]
    try:
        validated = validator.validate_python(items, context=context)
        return [fields[name] for fields, _extra, _set in validated], failed
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            failed[int(error["loc"][0])] = True
    good = np.flatnonzero(~failed)
    validated = validator.validate_python([items[i] for i in good], context=context)
    checked: list[Any] = [None] * len(values)
    for i, (fields, _extra, _set) in zip(good, validated, strict=True):
        checked[i] = fields[name]
    return checked, failed


def prepare_field(model: type[SheetRow], name: str) -> None:
    """Build ahead what :func:`check_field` needs for field ``name`` of any column (the
    validator of a field whose cells go through it), so that the cells do not wait for it."""
    if _number_bounds(model, name) is None:
        _field_validator(model, name)


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
