"""Money: exchange rates to the reporting currency, and green finance raised."""

from __future__ import annotations

import math

import pandas as pd

from envreport.factors.resolve import rows_of
from envreport.metrics.numbers import exact_sum, figure, sums_by
from envreport.results.models import GreenFinance
from envreport.schema import Sheet
from envreport.submission import Submission


def exchange_rates(submission: Submission) -> dict[str, float]:
    """Units of reporting currency per unit of each currency (reporting currency = 1)."""
    rates: dict[str, float] = {}
    fx = rows_of(submission, Sheet.FX_RATES)
    if fx is not None:
        for currency, rate in zip(fx["currency"],
                                  pd.to_numeric(fx["rate_to_reporting_currency"],
                                                errors="coerce"), strict=True):
            if isinstance(currency, str) and not math.isnan(rate):
                rates[currency.upper()] = float(rate)
    if submission.organization is not None:
        rates[submission.organization.reporting_currency.upper()] = 1.0
    return rates


def in_reporting_currency(amount: pd.Series, currency: pd.Series | None,
                          rates: dict[str, float], reporting: str) -> pd.Series:
    """``amount`` converted with ``rates``; a blank currency is the reporting currency."""
    currencies = (currency.fillna(reporting) if currency is not None
                  else pd.Series(reporting, index=amount.index))
    return pd.to_numeric(amount, errors="coerce") * currencies.astype(str).str.upper().map(rates)


def green_finance(submission: Submission, rates: dict[str, float],
                  reporting: str) -> GreenFinance:
    """Green finance raised, total and by instrument, in the reporting currency."""
    rows = rows_of(submission, Sheet.GREEN_FINANCE)
    if rows is None:
        return GreenFinance(total=None, by_instrument=None)
    # Green finance is raised by the entity, not by one project: no consolidation share.
    value = in_reporting_currency(rows["amount"], rows["currency"], rates, reporting).fillna(0.0)
    frame = pd.DataFrame({"instrument": rows["instrument"], "v": value})
    return GreenFinance(total=figure(exact_sum(value)),
                        by_instrument=sums_by(frame, "instrument", "v"))
