"""Regression: a short citation in the trail never names another country or gas.

The report's review found "Ember 2024 JPN" cited for Pakistan and "IPCC GWP100 HCFC-22" for
HFC-134a: one source text covers many countries or gases, and the short form had named
whichever came last.
"""

from __future__ import annotations

import re

from envreport.factors import load_library
from tests.conftest import sample_results


def test_short_citations_are_unique_and_name_only_their_own_country_or_gas() -> None:
    cites = load_library().citations
    assert len(set(cites.values())) == len(cites)
    results = sample_results()  # group/sre.xlsx, computed once per test process
    hosts = {p["project_id"]: p["host_country"] for p in results["by_project"]}
    for entry in results["calculations"]:
        source = entry["factor_source"]
        assert source in results["factor_sources"]
        named = re.findall(r"\b([A-Z]{3})\b", source.split("(")[0])
        if entry["scope"] == "2" and entry["method_note"] is None and named:
            assert named == [hosts[entry["project_id"]]], (entry, source)
        last = source.split()[-1]
        if source.startswith("IPCC GWP100 ") and not last.startswith("["):
            assert last == entry["gas"], (entry["gas"], source)
    pakistan = [e for e in results["calculations"]
                if e["project_id"] == "SRE-PK-SOL" and e["scope"] == "2"]
    assert pakistan
    assert all("JPN" not in e["factor_source"] for e in pakistan)
