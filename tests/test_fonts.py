"""The CJK font check: fontconfig's answer (what WeasyPrint draws with), found once per
process and looked up again when its file goes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from envreport.render import MissingFontError, fonts


def fc_match_file(family: str) -> str:
    """fontconfig's own command-line answer for ``family``: the file and the families of the
    font it matches."""
    return subprocess.run(["fc-match", "-f", "%{file}\n%{family}", family], check=True,
                          capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig's fc-match")
def test_the_cjk_font_is_the_file_fontconfig_matches(monkeypatch: pytest.MonkeyPatch) -> None:
    file, families = fc_match_file(fonts.CJK_FAMILY).split("\n")
    assert fonts.CJK_FAMILY in families.split(",")
    monkeypatch.setattr(fonts, "_found", [])
    assert fonts.cjk_font_path() == file
    assert Path(file).name == "NotoSansCJK-Regular.ttc"


def test_a_family_fontconfig_lacks_is_not_its_fallback() -> None:
    # fontconfig always matches some font (DejaVu Sans here): that one is not the family asked
    assert fonts.font_file("Envreport No Such Family") is None
    found = fonts.font_file("Noto Sans CJK SC")
    assert found is not None
    assert Path(found).name == "NotoSansCJK-Regular.ttc"


def test_without_fontconfig_matplotlib_finds_the_same_file(
        monkeypatch: pytest.MonkeyPatch) -> None:
    with_fontconfig = fonts.font_file(fonts.CJK_FAMILY)
    monkeypatch.setattr(fonts, "_fontconfig", lambda: None)
    assert with_fontconfig is not None
    assert fonts.font_file(fonts.CJK_FAMILY) == with_fontconfig
    assert fonts.font_file("Envreport No Such Family") is None


def test_the_found_font_is_kept_while_its_file_is_there(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    installed = tmp_path / "NotoSansCJK-Regular.ttc"
    installed.write_bytes(b"ttcf")
    answers: list[str | None] = [str(installed)]
    asked: list[str] = []

    def font_file(family: str) -> str | None:
        asked.append(family)
        return answers[-1]

    monkeypatch.setattr(fonts, "_found", [])
    monkeypatch.setattr(fonts, "font_file", font_file)
    assert fonts.cjk_font_path() == str(installed)
    assert fonts.cjk_font_path() == str(installed)
    assert asked == ["Noto Sans CJK SC"]  # found once
    # the font removed (the package uninstalled while a portal runs): looked up again
    installed.unlink()
    answers.append(None)
    with pytest.raises(MissingFontError, match="fonts-noto-cjk"):
        fonts.cjk_font_path()
    assert asked == ["Noto Sans CJK SC"] * 2
    # installed again under another name: found at the next use, not cached as missing
    moved = tmp_path / "NotoSansCJK.ttc"
    moved.write_bytes(b"ttcf")
    answers.append(str(moved))
    assert fonts.cjk_font_path() == str(moved)
    assert asked == ["Noto Sans CJK SC"] * 3
