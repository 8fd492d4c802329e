"""What kind of value each sheet field holds, and the typed pandas column of each kind.

One definition of the dtypes documented in :mod:`envreport.submission`: the validated
tables are built with :func:`typed_frame`, and the row rules of the sheet models
(:class:`~envreport.schema.base.RowRule`) are evaluated on such a frame, whether it holds
one row (a single model) or a whole sheet.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel


def _unwrap(annotation: Any) -> Any:
    """Strip ``Optional`` and ``Annotated`` to the underlying type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def field_kind(annotation: Any) -> str:
    """``date``, ``bool``, ``number``, ``integer``, ``list``, ``enum`` or ``text``."""
    inner = _unwrap(annotation)
    if typing.get_origin(inner) is Literal:
        return "enum"
    if typing.get_origin(inner) is list:
        return "list"
    return {date: "date", bool: "bool", float: "number", int: "integer"}.get(inner, "text")


def enum_values(annotation: Any) -> tuple[str, ...]:
    """The ids of a ``Literal`` field (its drop-down list), else ``()``."""
    inner = _unwrap(annotation)
    return tuple(typing.get_args(inner)) if typing.get_origin(inner) is Literal else ()


def model_kinds(model: type[BaseModel]) -> dict[str, str]:
    """Field → kind of every field of ``model``, in field order."""
    return {name: field_kind(info.annotation) for name, info in model.model_fields.items()}


def typed_column(values: Sequence[Any] | Any, kind: str) -> pd.Series:
    """The column of one field as :mod:`envreport.submission` documents its dtype.

    ``values`` holds the validated values (``None`` where blank): a list, an object array,
    or for numbers a float array.
    """
    if kind in ("text", "enum"):
        # The object column with each missing value as None, made as one array (what
        # ``Series.where(notna, None)`` gives, without its three intermediate Series: a
        # quarter of a millisecond per column, most of a small sheet's typed frame).
        cells = np.empty(len(values), dtype=object)
        cells[:] = values
        missing = pd.isna(cells)
        if missing.any():
            cells[missing] = None
        return pd.Series(cells, dtype=object, copy=False)
    if kind == "number" and isinstance(values, np.ndarray) and values.dtype == np.float64:
        return pd.Series(values, dtype="float64")  # (to_numeric would give it back as it is)
    column = pd.Series(values, dtype=None if kind == "number" else object)
    if kind == "date":
        return pd.to_datetime(column, errors="coerce")
    if kind == "bool":
        return column.astype("boolean")
    if kind == "number":
        return pd.to_numeric(column, errors="coerce").astype("float64")
    if kind == "integer":
        return column.infer_objects().astype("Int64")
    return column.where(column.notna(), None)


def typed_frame(model: type[BaseModel], columns: Mapping[str, Sequence[Any] | Any]
                ) -> pd.DataFrame:
    """A DataFrame of ``model``'s fields from ``columns`` (field → validated values)."""
    return pd.DataFrame({name: typed_column(columns[name], kind)
                         for name, kind in model_kinds(model).items()})
