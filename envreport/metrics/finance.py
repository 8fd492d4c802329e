"""Money: exchange rates to the reporting currency, green finance raised, and the rates the
figures used (so that a reader can recompute the money from results.json and the report)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from envreport.factors.resolve import rows_of
from envreport.factors.supplied import PART_MAX
from envreport.metrics.numbers import column_or_blank, exact_sum, figure, sums_by
from envreport.results.models import (
    FINES_FIELD,
    GREEN_FINANCE_FIELD,
    Compliance,
    ExchangeRate,
    GreenFinance,
    MoneyConverted,
)
from envreport.safe_text import one_line
from envreport.schema import Sheet
from envreport.submission import Submission


@dataclass(frozen=True, slots=True)
class FxRow:
    """One FxRates row as the figures apply it."""

    rate: float
    row: int  # Excel row of the FxRates sheet
    source: object
    source_zh: object


def fx_rows(submission: Submission) -> dict[str, FxRow]:
    """The FxRates row of each currency with a rate (upper-case code → row); a currency given
    on two rows has its last row's rate, as :func:`exchange_rates` applies it."""
    rows: dict[str, FxRow] = {}
    fx = rows_of(submission, Sheet.FX_RATES)
    if fx is None:
        return rows
    for currency, rate, row, source, source_zh in zip(
            fx["currency"], pd.to_numeric(fx["rate_to_reporting_currency"], errors="coerce"),
            fx["row"], column_or_blank(fx, "source"), column_or_blank(fx, "source_zh"),
            strict=True):
        if isinstance(currency, str) and not math.isnan(rate):
            rows[currency.upper()] = FxRow(float(rate), int(row), source, source_zh)
    return rows


def exchange_rates(submission: Submission, given: dict[str, FxRow]) -> dict[str, float]:
    """Units of reporting currency per unit of each currency (reporting currency = 1), from
    the submission's :func:`fx_rows` (``given``)."""
    rates = {currency: row.rate for currency, row in given.items()}
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


def rates_used(submission: Submission, compliance: Compliance, given: dict[str, FxRow],
               rates: dict[str, float], reporting: str) -> list[ExchangeRate]:
    """Each FxRates row (of ``given``, the submission's :func:`fx_rows`) that converted money
    the figures count, by currency, with what it converted (``results.exchange_rates``).

    Fines are read from ``compliance.incident_list`` (the boundary's Incidents rows, each
    with its amount as reported and converted: the rows ``compliance.fines`` sums), green
    finance from every GreenFinance row, converted as :func:`green_finance` does. A rate that
    converted nothing is left out: the list is what the figures used."""
    converted: dict[str, list[MoneyConverted]] = {}
    incidents = compliance.incident_list or []
    if incidents:
        _add_converted(converted, FINES_FIELD, Sheet.INCIDENTS, pd.DataFrame({
            "currency": [i.currency for i in incidents],
            "amount": [i.fine_amount for i in incidents],
            "converted": [i.fine_reporting_currency for i in incidents]}, dtype=object),
            reporting, given)
    green = rows_of(submission, Sheet.GREEN_FINANCE)
    if green is not None:
        _add_converted(converted, GREEN_FINANCE_FIELD, Sheet.GREEN_FINANCE, pd.DataFrame({
            "currency": green["currency"].fillna(reporting),
            "amount": green["amount"],
            "converted": in_reporting_currency(green["amount"], green["currency"], rates,
                                               reporting)}), reporting, given)
    out = []
    for currency in sorted(converted):
        row = given[currency]
        source_zh = one_line(row.source_zh, PART_MAX)
        out.append(ExchangeRate(
            currency=currency, rate_to_reporting_currency=row.rate,
            reporting_currency=reporting, source=one_line(row.source, PART_MAX),
            sheet=Sheet.FX_RATES, row=row.row, converted=converted[currency],
            **({"source_zh": source_zh} if source_zh else {})))
    return out


def _add_converted(converted: dict[str, list[MoneyConverted]], field: str, sheet: str,
                   money: pd.DataFrame, reporting: str, given: dict[str, FxRow]) -> None:
    """Add to ``converted`` what ``money``'s rows (currency, amount as reported, amount
    converted) in each currency of ``given`` other than ``reporting`` add to ``field``: a row
    without an amount converts nothing, a currency without a rate (an error finding) is not
    converted."""
    amount = pd.to_numeric(money["amount"], errors="coerce")
    value = pd.to_numeric(money["converted"], errors="coerce")
    currency = money["currency"].astype(str).str.upper()
    counted = (amount.notna() & value.notna() & (currency != reporting.upper())
               & currency.isin(list(given)))
    for code in sorted(set(currency[counted])):
        mine = counted & (currency == code)
        converted.setdefault(code, []).append(MoneyConverted(
            field=field, sheet=sheet, rows=int(mine.sum()),
            amount=figure(exact_sum(amount[mine])),
            amount_reporting_currency=figure(exact_sum(value[mine]))))
