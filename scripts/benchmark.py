"""Time and memory of each pipeline stage on a synthetic workbook of N activity rows.

    python scripts/benchmark.py                    # N = 10 000, 100 000, 500 000
    python scripts/benchmark.py --rows 100000      # one size
    python scripts/benchmark.py --rows 10000 --tracemalloc

The workbook (openpyxl write-only mode; cached in --workdir by N) holds 50 projects in 10
countries and N activity rows split across Fuel (50 %), Electricity (25 %), Refrigerants,
Water and Waste. Stages: read (``envreport.io.read_workbook``), validate
(``envreport.validate.validate``), compute (``envreport.metrics.compute``) and the JSON dump.
Memory: the process's peak RSS after each stage (``resource.getrusage``; it only grows), and
with ``--tracemalloc`` the peak of Python allocations within each stage (slower).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

COUNTRIES = ["CHN", "KEN", "IDN", "PAK", "VNM", "EGY", "KAZ", "BRA", "SRB", "LAO"]
FUELS = [("diesel", "L", "stationary"), ("diesel", "L", "offroad"), ("gasoline", "L", "mobile"),
         ("natural_gas", "m3", "stationary"), ("bituminous_coal", "t", "stationary"),
         ("lpg", "kg", "stationary"), ("fuel_oil", "t", "stationary"),
         ("natural_gas", "GJ", "stationary")]
GASES = ["R-410A", "HFC-134a", "SF6", "R-404A", "HCFC-22"]
SHARES = {"Fuel": 0.50, "Electricity": 0.25, "Refrigerants": 0.05, "Water": 0.10,
          "Waste": 0.10}


def make_workbook(path: Path, n: int, seed: int = 7) -> None:
    """Write a valid synthetic submission with ``n`` activity rows to ``path``."""
    rnd = random.Random(seed)
    wb = Workbook(write_only=True)
    org = wb.create_sheet("Organization")
    for row in (("field", "value"), ("entity_id", "BENCH"),
                ("organization_name", "Benchmark Co"), ("reporting_period_start", "2024-01-01"),
                ("reporting_period_end", "2024-12-31"), ("reporting_currency", "CNY"),
                ("consolidation_approach", "equity_share"), ("revenue", 5e9),
                ("employees", 12000)):
        org.append(row)
    projects = wb.create_sheet("Projects")
    projects.append(["project_id", "project_name", "host_country", "sector", "project_type",
                     "status", "ownership_pct", "eia_status", "eia_approval_date",
                     "water_stressed"])
    ids = [f"P{i:03d}" for i in range(50)]
    for i, pid in enumerate(ids):
        projects.append([pid, f"Project {i}", COUNTRIES[i % len(COUNTRIES)],
                         ["energy", "manufacturing", "infrastructure", "other"][i % 4],
                         "manufacturing", "operation", 30 + (i * 7) % 71, "approved",
                         "2019-05-01", "yes" if i % 5 == 0 else "no"])
    counts = {s: int(n * share) for s, share in SHARES.items()}
    counts["Fuel"] += n - sum(counts.values())

    fuel = wb.create_sheet("Fuel")
    fuel.append(["project_id", "fuel", "quantity", "unit", "use", "data_quality"])
    for _ in range(counts["Fuel"]):
        fid, unit, use = rnd.choice(FUELS)
        fuel.append([rnd.choice(ids), fid, round(rnd.uniform(1, 5000), 2), unit, use,
                     "invoice"])
    el = wb.create_sheet("Electricity")
    el.append(["project_id", "quantity", "unit", "instrument", "instrument_quantity",
               "supplier_factor_kg_per_kwh"])
    for _ in range(counts["Electricity"]):
        q = round(rnd.uniform(100, 50000), 1)
        instrument = rnd.choice(["none", "none", "none", "rec", "i_rec"])
        covered = round(q * 0.5, 1) if instrument != "none" else None
        supplier = 0.45 if rnd.random() < 0.2 else None
        el.append([rnd.choice(ids), q, "kWh", instrument, covered, supplier])
    ref = wb.create_sheet("Refrigerants")
    ref.append(["project_id", "gas", "quantity_kg", "method"])
    for _ in range(counts["Refrigerants"]):
        ref.append([rnd.choice(ids), rnd.choice(GASES), round(rnd.uniform(0.1, 20), 2),
                    "screening"])
    water = wb.create_sheet("Water")
    water.append(["project_id", "flow", "source", "quantity", "unit"])
    for _ in range(counts["Water"]):
        flow = rnd.choice(["withdrawal", "withdrawal", "discharge"])
        water.append([rnd.choice(ids), flow, rnd.choice(["surface", "ground", "third_party"]),
                      round(rnd.uniform(10, 1000), 1), "m3"])
    waste = wb.create_sheet("Waste")
    waste.append(["project_id", "waste_type", "hazardous", "quantity", "unit", "disposal"])
    for _ in range(counts["Waste"]):
        waste.append([rnd.choice(ids), "general", rnd.choice(["yes", "no", "no"]),
                      round(rnd.uniform(0.1, 50), 2), "t",
                      rnd.choice(["recycling", "landfill", "incineration", "reuse"])])
    wb.save(path)


def _stage(name: str, fn: Callable[[], Any], trace: bool) -> tuple[Any, dict[str, Any]]:
    gc.collect()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - start
    peak = None
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return value, {"stage": name, "seconds": round(seconds, 2), "peak_rss_mib": round(rss),
                   "traced_peak_mib": None if peak is None else round(peak)}


def run(n: int, workdir: Path, trace: bool) -> list[dict[str, Any]]:
    """Run every stage on an N-row workbook; return one record per stage."""
    from envreport.io import read_workbook
    from envreport.metrics import compute
    from envreport.validate import validate

    path = workdir / f"bench_{n}.xlsx"
    stats = []
    if not path.exists():
        _, s = _stage("write workbook", lambda: make_workbook(path, n), False)
        stats.append(s)
    raw, s = _stage("read", lambda: read_workbook(path), trace)
    stats.append(s)
    sub, s = _stage("validate", lambda: validate(raw), trace)
    stats.append(s)
    errors = len(sub.findings.errors)
    results, s = _stage("compute", lambda: compute(sub), trace)
    s["trail_entries"] = len(results["calculations"])
    stats.append(s)
    _, s = _stage("json dump", lambda: json.dumps(results, ensure_ascii=False), trace)
    stats.append(s)
    for s in stats:
        s["rows"] = n
        s["validation_errors"] = errors
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, action="append",
                        help="activity rows (repeatable); default 10000, 100000, 500000")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also trace Python allocations per stage (slower)")
    parser.add_argument("--json", action="store_true", help="print records as JSON")
    args = parser.parse_args(argv)
    sizes = args.rows or [10_000, 100_000, 500_000]
    records = []
    for n in sizes:
        for s in run(n, args.workdir, args.tracemalloc):
            records.append(s)
            if not args.json:
                traced = "" if s["traced_peak_mib"] is None else \
                    f"  traced peak {s['traced_peak_mib']:>6} MiB"
                extra = f"  ({s['trail_entries']} trail entries)" if "trail_entries" in s \
                    else ""
                print(f"N={n:>7}  {s['stage']:<15} {s['seconds']:>8.2f} s  "
                      f"peak RSS {s['peak_rss_mib']:>6} MiB{traced}{extra}", flush=True)
    if args.json:
        print(json.dumps(records, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
