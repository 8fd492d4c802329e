"""Rows numbered by the combination of their values in some columns, the way pandas groups
them, without pandas' grouping machinery (which also checks every text for a missing value,
once per column: most of the time of a duplicate or factor check on 50 000 rows)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def combination_ids(columns: Sequence[pd.Series | np.ndarray]) -> np.ndarray:
    """Per row, the number of its combination of values in ``columns`` (at least one, all
    of one length):
    0 for the first row's, then 1, 2, ... in the order combinations first appear. Rows are
    combined as ``DataFrame.duplicated`` and ``groupby(..., dropna=False, sort=False)``
    compare them: values as ``pd.factorize`` tells them apart, every missing value (None,
    NaN, NaT) equal to every other."""
    ids = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(column)  # a missing value is -1, lifted to 0 below
        ids = ids * (len(uniques) + 1) + (codes + 1)
        ids = pd.factorize(ids)[0].astype(np.int64)  # renumbered: the next product stays small
    return ids
