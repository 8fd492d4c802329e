"""The factor library kept between runs (envreport/factors/library_cache.py): used only when
loaded from the same data by the same code, the same library as a fresh load, and never
more than time saved (a damaged file, a foreign one, a cache turned off or unsafe)."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pandas as pd
import pytest

from envreport.factors.library import FactorLibrary, loaded_from
from envreport.factors.library_cache import kept_name, kept_or_loaded

FRAMES = ("publications", "fuels", "nonco2", "gwp", "ods", "grid")
MAPPINGS = ("constants", "citations", "chinese", "publication_ids", "applies_to", "_gas_index",
            "_ods_index", "_grid_rows")


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ENVREPORT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("ENVREPORT_NO_CACHE", raising=False)
    return tmp_path / "cache"


class Loads:
    """FactorLibrary, counting the loads."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> FactorLibrary:
        self.count += 1
        return FactorLibrary()


def _kept(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "factors").glob("*.pickle"))


def _same_library(kept: FactorLibrary, loaded: FactorLibrary) -> None:
    assert kept is not loaded
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(kept, name), getattr(loaded, name),
                                      check_exact=True)
    for name in MAPPINGS:
        assert getattr(kept, name) == getattr(loaded, name)
    assert kept.version == loaded.version


def test_a_kept_library_is_a_fresh_load(cache_dir: Path) -> None:
    loads = Loads()
    first = kept_or_loaded(loads, FactorLibrary, loaded_from)
    assert loads.count == 1
    (kept_file,) = _kept(cache_dir)
    assert kept_file.name == kept_name(loaded_from())
    assert os.stat(cache_dir / "factors").st_mode & 0o777 == 0o700
    again = kept_or_loaded(loads, FactorLibrary, loaded_from)
    assert loads.count == 1  # read, not loaded
    _same_library(again, FactorLibrary())
    _same_library(again, first)
    # what validation and compute ask of it: the same answers
    assert again.grid_factor("CHN", 2024) == FactorLibrary().grid_factor("CHN", 2024)
    assert again.ncv("diesel") == FactorLibrary().ncv("diesel")
    assert again.resolve_gas("r134a") == "HFC-134a"


def test_the_name_changes_with_any_byte_of_the_data_or_the_code() -> None:
    parts = loaded_from()
    data_files = [p for p in (Path(__file__).parents[1] / "envreport" / "factors" / "data")
                  .iterdir() if p.is_file()]
    assert len(parts) == 2 * len(data_files) + 2  # each file's name and bytes, code, GWP sets
    source = (Path(__file__).parents[1] / "envreport" / "factors" / "library.py").read_bytes()
    assert source in parts
    name = kept_name(parts)
    for index in range(len(parts)):
        changed = [*parts]
        changed[index] = changed[index] + b" "
        assert kept_name(changed) != name
    # each part with its length: bytes moved from one part to the next change the name
    assert kept_name([b"ab", b"c"]) != kept_name([b"a", b"bc"])


def test_a_damaged_or_foreign_file_is_loaded_afresh_and_replaced(cache_dir: Path) -> None:
    loads = Loads()
    kept_or_loaded(loads, FactorLibrary, loaded_from)
    (kept_file,) = _kept(cache_dir)
    for content in (b"\x80\x05 not a pickle", pickle.dumps({"fuels": "not a library"})):
        kept_file.write_bytes(content)
        before = loads.count
        library = kept_or_loaded(loads, FactorLibrary, loaded_from)
        assert loads.count == before + 1
        _same_library(library, FactorLibrary())
        assert isinstance(pickle.loads(kept_file.read_bytes()), FactorLibrary)  # replaced


def test_nothing_is_kept_when_the_cache_is_off_or_not_this_users(
        cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loads = Loads()
    monkeypatch.setenv("ENVREPORT_NO_CACHE", "1")
    kept_or_loaded(loads, FactorLibrary, loaded_from)
    kept_or_loaded(loads, FactorLibrary, loaded_from)
    assert loads.count == 2
    assert not cache_dir.exists()
    monkeypatch.delenv("ENVREPORT_NO_CACHE")
    (cache_dir / "factors").mkdir(parents=True, mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: os.geteuid() + 1)  # the folder is another's
    kept_or_loaded(loads, FactorLibrary, loaded_from)
    assert loads.count == 3
    assert _kept(cache_dir) == []


def test_a_library_that_fails_to_load_is_not_kept(cache_dir: Path) -> None:
    def broken() -> FactorLibrary:
        raise RuntimeError("fuels.csv: malformed")

    with pytest.raises(RuntimeError, match="malformed"):
        kept_or_loaded(broken, FactorLibrary, loaded_from)
    assert _kept(cache_dir) == []
