"""The Dockerfile's install steps, run word for word in a clean virtualenv (no Docker engine here).

What this proves: with Python 3.11 (the image's) and the same pip, the image's two install commands —
build the project's wheel; install the runtime part of requirements.txt under constraints.txt, then the
wheel without dependencies — succeed on their own, from an empty environment; every distribution they
install is pinned in constraints.txt at exactly that version (nothing unpinned slips in); ``pip check``
finds no conflict; the result imports the package and its provider entry point, runs ``airflow``, and
does not contain the simulators.

What it cannot prove: that these pins sit well with the *other* packages preinstalled in
apache/airflow:3.3.2-python3.11 (providers this project does not use), or anything about the image's
system libraries. Only a real ``docker build`` shows that (docs/deployment.md).

Only paths change: ``/tmp/src``, ``/tmp/dist``, ``/opt/jetshop-hogia`` and the runtime requirements file
become folders of the test. Packages come from the machine's pip configuration (PyPI), so this test
takes minutes and is marked ``slow``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from compose_model import REPO
from dockerfile_steps import copy_sources, install_step

pytestmark = [
    pytest.mark.slow,
    pytest.mark.airflow,
    pytest.mark.xdist_group("image_install"),
    pytest.mark.timeout(1200),
]

TOOLS = {"pip", "setuptools", "wheel"}
PROJECT = "airflow-jetshop-hogia"


def _run(command: str, *, cwd: Path, venv: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=1100,
        check=False,
    )
    assert done.returncode == 0, (
        f"{command}\nexited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )
    return done.stdout


def _copy_context(stage: str, workdir: Path) -> None:
    """Do what the stage's COPY lines do, from the repository into ``workdir``."""
    for sources, destination in copy_sources(stage):
        target = workdir / destination
        for source in sources:
            path = REPO / source
            if path.is_dir():
                shutil.copytree(
                    path, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
                )
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy(path, target / path.name)


def _pins() -> dict[str, str]:
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


def test_the_dockerfile_install_steps_build_an_importable_deployment_from_pinned_versions(
    tmp_path: Path,
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", str(venv)], check=True)
    src, dist, opt = tmp_path / "src", tmp_path / "dist", tmp_path / "opt"
    src.mkdir()
    _copy_context("wheel", src)

    # the image's paths (not temporary files of this test) are swapped for the test's folders
    _run(install_step("wheel").replace("/tmp/dist", str(dist)), cwd=src, venv=venv)  # noqa: S108
    (wheel,) = dist.glob("*.whl")
    opt.mkdir()
    for name in ("requirements.txt", "constraints.txt"):
        shutil.copy(REPO / name, opt / name)
    shutil.copytree(dist, opt / "dist")
    runtime = install_step("runtime")
    assert "-c /opt/jetshop-hogia/constraints.txt" in runtime
    assert "--no-deps" in runtime
    runtime = runtime.replace("/tmp/requirements-runtime.txt", str(tmp_path / "requirements.rt"))  # noqa: S108
    _run(runtime.replace("/opt/jetshop-hogia", str(opt)), cwd=tmp_path, venv=venv)

    installed = {
        item["name"].lower().replace("_", "-"): item["version"]
        for item in json.loads(_run("python -m pip list --format json", cwd=tmp_path, venv=venv))
    }
    pins = _pins()
    unpinned = {
        name: v for name, v in installed.items() if name not in TOOLS | {PROJECT} and pins.get(name) != v
    }
    assert unpinned == {}, "installed but not pinned at this version in constraints.txt"
    assert installed[PROJECT] == wheel.name.split("-")[1]
    assert not {"pytest", "mypy", "ruff"} & set(installed)  # test tools stay out of the image
    _run("python -m pip check", cwd=tmp_path, venv=venv)
    smoke = (
        "import importlib.metadata as m, importlib.util as u, jetshop_hogia.orchestration.factory, "
        "jetshop_hogia_provider; "
        "assert 'provider_info' in [e.name for e in m.entry_points(group='apache_airflow_provider')]; "
        "assert u.find_spec('jetshop_hogia_simulators') is None; "
        "assert any(str(f).endswith('.mako') for f in m.files('airflow-jetshop-hogia'))"  # migrations
    )
    _run(f'python -c "{smoke}"', cwd=tmp_path, venv=venv)
    assert _run("airflow version", cwd=tmp_path, venv=venv).strip().endswith("3.3.2")
