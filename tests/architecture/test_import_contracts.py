"""The layering rules of the developers' guide, enforced by import-linter on every test run.

``pyproject.toml`` ([tool.importlinter]) declares the contracts; this test runs the same ``lint-imports``
that ``make lint`` runs, against *this* checkout (PYTHONPATH pointed at its include/ and plugins/), so a
fresh clone fails ``make test`` the moment a module imports against the layers.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = (
    "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
)


def _lint_imports(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(cwd / "include"), str(cwd / "plugins")])}
    return subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_import_contract_is_kept() -> None:
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_contracts_cover_layers_simulators_and_provider() -> None:
    """Guard against a contract being dropped or weakened in pyproject.toml without anyone noticing."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    contracts = {contract["id"]: contract for contract in config["contracts"]}
    layers = contracts["layers"]
    assert layers["exhaustive"] is True
    assert [layer.split()[0] for layer in layers["layers"][:5]] == [
        "__main__",
        "orchestration",
        "operations",
        "streams",
        "kernel",
    ]
    simulators = contracts["no-simulators-in-runtime"]
    assert set(simulators["source_modules"]) == {"jetshop_hogia", "jetshop_hogia_provider"}
    assert simulators["forbidden_modules"] == ["jetshop_hogia_simulators"]
    assert "jetshop_hogia_provider" in contracts["domain-without-provider"]["forbidden_modules"]


def test_a_runtime_import_of_the_simulators_breaks_the_contract(tmp_path: Path) -> None:
    """The contract bites: a copy of the tree with one forbidden import fails lint-imports."""
    for name in ("include", "plugins"):
        _copy_python_tree(ROOT / name, tmp_path / name)
    (tmp_path / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    offender = tmp_path / "include" / "jetshop_hogia" / "mapping" / "context.py"
    offender.write_text(
        offender.read_text(encoding="utf-8") + "\nimport jetshop_hogia_simulators.hogia  # noqa\n",
        encoding="utf-8",
    )
    result = _lint_imports(tmp_path)
    assert result.returncode != 0
    assert "jetshop_hogia.mapping.context -> jetshop_hogia_simulators.hogia" in result.stdout
    assert "BROKEN" in result.stdout


def _copy_python_tree(source: Path, target: Path) -> None:
    for path in source.rglob("*.py"):
        if "__pycache__" in path.parts:
            continue
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(path.read_bytes())
