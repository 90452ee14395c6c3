"""The production wheel carries the runtime only: no simulator, no demo.

Builds the wheel the way a deployment would (``pip wheel --no-deps .``) from a copy of the package
sources, so the check follows ``pyproject.toml``'s package discovery instead of trusting it. Build
isolation is off: the tested resolution already pins setuptools and wheel, and the suite runs offline.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_runtime_packages_and_no_simulator_or_demo(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for name in ("include", "plugins"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", "dist", "."],
        cwd=source,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = (source / "dist").glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}

    assert top_level == {"jetshop_hogia", "jetshop_hogia_provider", "jetshop_hogia_ui"}
    assert "jetshop_hogia/orchestration/factory.py" in names  # the wheel is not just empty
    modules = [name for name in names if name.endswith(".py")]
    assert not [name for name in modules if "simulator" in name or "/demo" in name or "demo/" in name]
