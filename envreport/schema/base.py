"""Building blocks of the sheet models: column metadata, enumerations, row rules.

A sheet model is a pydantic model whose fields are the sheet's columns. Each field carries
what the template needs to explain it (``label_zh``, ``help_zh``, ``unit``) in
``json_schema_extra``, so the validator, the template and the JSON Schemas share one source.

Cross-field rules that make a row unusable (period ends before it starts, an approved EIA
without a date ...) are methods named ``rule_*`` returning violations; the model validator
collects *all* of them and raises one error, so a row with two problems gets two findings.
Warnings never reject a row, so they are not raised here: they live in
:mod:`envreport.validate.plausibility`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, model_validator
from pydantic_core import PydanticCustomError


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
#: "光伏（solar_pv）"; the id decides
_LABELLED_CHOICE = re.compile(r"[（(]\s*([^()（）]+?)\s*[)）]\s*$")


def enum(*values: str) -> Any:
    """A ``Literal`` of canonical ids, matched ignoring case and surrounding spaces; a label
    followed by the id in brackets (the Chinese template's drop-downs) reads as the id."""
    canonical = {v.lower(): v for v in values}

    def parse(value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            found = canonical.get(text.lower())
            if found is None and (match := _LABELLED_CHOICE.search(text)):
                found = canonical.get(match[1].lower())
            return found if found is not None else text
        return value

    return Annotated[Literal[values], BeforeValidator(parse)]  # type: ignore[valid-type]


class SheetRow(BaseModel):
    """Base of every sheet model."""

    model_config = ConfigDict(extra="ignore", frozen=True, validate_default=False)

    # The row rules of each model class, found once per class (not per row: ``dir`` is slow).
    _rule_names: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._rule_names = tuple(sorted(n for n in dir(cls) if n.startswith("rule_")))

    def violations(self, context: RowContext) -> Iterator[Violation]:
        """Every broken cross-field rule of this row (subclasses add ``rule_*`` methods)."""
        for name in self._rule_names:
            yield from getattr(self, name)(context)

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
