"""Building blocks of the sheet models: column metadata, enumerations, row rules.

A sheet model is a pydantic model whose fields are the sheet's columns. Each field carries
what the template needs to explain it (``label_zh``, ``help_zh``, ``unit``) in
``json_schema_extra``, so the validator, the template and the JSON Schemas share one source.

Cross-field rules that make a row unusable (period ends before it starts, an approved EIA
without a date ...) are declared once on the model, as ``rule_*`` class attributes holding a
:class:`RowRule`: a pandas mask over a typed frame of rows. The same rule checks one model
(its model validator evaluates it on a one-row frame and raises one error carrying *all*
violations, so a row with two problems gets two findings) and a whole sheet at once
(:mod:`envreport.validate.tables` evaluates it on the sheet's typed columns).
Warnings never reject a row, so they are not raised here: they live in
:mod:`envreport.validate.plausibility`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar, TypeVar, get_args

import numpy as np
import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from envreport.schema.kinds import typed_frame
from envreport.schema.vocabulary import fold_label, ids_by_label


@dataclass(frozen=True, slots=True)
class RowContext:
    """What a row rule may need to know about the submission as a whole."""

    period_start: date | None = None
    period_end: date | None = None
    consolidation_approach: str | None = None


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken cross-field rule: the finding code and the field whose cell is at fault."""

    code: str
    field: str
    params: dict[str, Any]


def _no_params(row: Mapping[str, Any], context: RowContext) -> dict[str, Any]:
    return {}


@dataclass(frozen=True, slots=True)
class RowRule:
    """A cross-field rule of a sheet model, declared once and checked on any number of rows.

    ``broken(frame, context)`` is a boolean mask over a frame of the model's fields typed as
    :func:`~envreport.schema.kinds.typed_frame` types them (dates ``datetime64``, blanks
    ``NaT``/``NaN``/``None``; activity periods *not* yet filled from the reporting period).
    ``params(row, context)`` gives the finding's parameters for one broken row, from the
    row's validated Python values (``date``, ``float`` ...).
    """

    code: str
    field: str
    broken: Callable[[pd.DataFrame, RowContext], Any]
    params: Callable[[Mapping[str, Any], RowContext], dict[str, Any]] = _no_params

    def mask(self, frame: pd.DataFrame, context: RowContext) -> np.ndarray:
        """The rows of ``frame`` that break the rule, as a plain boolean array."""
        broken = self.broken(frame, context)
        if isinstance(broken, bool | np.bool_):  # a rule that cannot apply in this context
            return np.full(len(frame), bool(broken))
        return pd.Series(broken).fillna(False).to_numpy(dtype=bool)

    def violation(self, row: Mapping[str, Any], context: RowContext) -> Violation:
        return Violation(self.code, self.field, self.params(row, context))


def column(
    description: str,
    label_zh: str,
    help_zh: str,
    *,
    default: Any = ...,
    unit: str | None = None,
    **constraints: Any,
) -> Any:
    """A sheet column: English description, Chinese label and help, optional unit label."""
    extra: dict[str, Any] = {"label_zh": label_zh, "help_zh": help_zh}
    if unit:
        extra["unit"] = unit
    return Field(default, description=description, json_schema_extra=extra, **constraints)


#: a drop-down choice of the Chinese template: its label with the id in brackets, e.g.
#: "光伏（solar_pv）"; the id decides (the Fuel sheet's fuel too: factors.resolve.fuel_id)
LABELLED_CHOICE = re.compile(r"[（(]\s*([^()（）]+?)\s*[)）]\s*$")


class _ChoiceParser:
    """Pydantic metadata of :data:`Choice`: reads a cell as one of its ``Literal``'s ids."""

    def __get_pydantic_core_schema__(self, source: Any,
                                     handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        # ``source`` is the Literal the alias was given: its ids are the choices
        canonical = {v.lower(): v for v in get_args(source)}

        ids = tuple(get_args(source))

        def parse(value: Any) -> Any:
            if isinstance(value, str):
                text = value.strip()
                found = canonical.get(text.lower())
                if found is None and (match := LABELLED_CHOICE.search(text)):
                    found = canonical.get(match[1].lower())
                if found is None:
                    found = _by_label(text, ids)
                return found if found is not None else text
            return value

        return core_schema.no_info_before_validator_function(parse, handler(source))


def _by_label(text: str, ids: tuple[str, ...]) -> str | None:
    """The id whose label (Chinese or English, as the drop-down shows it) ``text`` is
    exactly: a Chinese user types ``光伏`` for ``光伏（solar_pv）``. A label two ids share
    is refused, naming both; anything else is left to the ``Literal`` to reject."""
    named = ids_by_label(ids).get(fold_label(text))
    if not named:
        return None
    if len(named) > 1:
        raise PydanticCustomError(
            "value-label-ambiguous",
            "{value!r} is the label of {first} and of {second}",
            {"first": named[0], "second": named[1]},
        )
    return named[0]


_Ids = TypeVar("_Ids")

#: ``Choice[SomeLiteral]``: one of the ``Literal``'s canonical ids, matched ignoring case and
#: surrounding spaces; a label followed by the id in brackets (the Chinese template's
#: drop-downs) reads as the id, and so does the label alone, Chinese or English (``光伏``,
#: ``Solar PV``: :mod:`envreport.schema.vocabulary`), unless two ids share it. The field's
#: type stays the ``Literal`` (for mypy, for the JSON Schema's ``enum`` and for the
#: template's drop-down list).
Choice = Annotated[_Ids, _ChoiceParser()]


class SheetRow(BaseModel):
    """Base of every sheet model."""

    model_config = ConfigDict(extra="ignore", frozen=True, validate_default=False)

    # The row rules of each model class (its ``rule_*`` attributes, inherited ones too, in
    # name order), found once per class.
    row_rules: ClassVar[tuple[RowRule, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.row_rules = tuple(getattr(cls, n) for n in sorted(dir(cls))
                              if n.startswith("rule_") and isinstance(getattr(cls, n), RowRule))

    def violations(self, context: RowContext) -> Iterator[Violation]:
        """Every broken cross-field rule of this row: the model's rules on a one-row frame."""
        if not self.row_rules:
            return
        values = self.__dict__
        frame = typed_frame(type(self), {name: [values[name]] for name in type(self).model_fields})
        for rule in self.row_rules:
            if rule.mask(frame, context)[0]:
                yield rule.violation(values, context)

    @model_validator(mode="after")
    def _check_rules(self, info: ValidationInfo) -> SheetRow:
        context = info.context if isinstance(info.context, RowContext) else RowContext()
        found = list(self.violations(context))
        if found:
            raise PydanticCustomError(
                "row-rules",
                "{count} cross-field rule(s) broken",
                {"count": len(found), "violations": found},
            )
        return self
