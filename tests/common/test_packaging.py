"""Packaging: ``pip install .`` (not only -e) builds without setuptools warnings, ships the
templates and the schemas, and the installed package finds them."""
import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from support import HANG, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    src = tmp / "src"
    for f in files:  # a clean copy: the build writes build/ and *.egg-info beside the sources
        (src / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, src / f)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PIP_ROOT_USER_ACTION"] = "ignore"  # pip's warning to root outside a venv is not the build's
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(tmp / "dist"), str(src)],
                          capture_output=True, text=True, timeout=HANG, env=env)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return next((tmp / "dist").glob("*.whl")), proc.stdout + proc.stderr, tmp


@pytest.mark.slow
def test_the_build_prints_no_setuptools_warnings(wheel):
    _, log, _ = wheel
    bad = [ln for ln in log.splitlines()
           if "Warning" in ln or "warning:" in ln.lower() or "deprecated" in ln.lower() or "would be ignored" in ln]
    assert not bad, bad


@pytest.mark.slow
def test_the_wheel_ships_the_templates_and_the_schemas(wheel):
    path, _, _ = wheel
    names = set(zipfile.ZipFile(path).namelist())
    templates = {f"report/templates/{p.name}" for p in (ROOT / "report" / "templates").glob("*.tex")}
    schemas = {f"numeric/{p.parent.name}/schema.json" for p in (ROOT / "numeric").glob("*/schema.json")}
    assert templates and templates <= names
    assert len(schemas) == 3 and schemas <= names


@pytest.mark.slow
def test_the_installed_package_finds_them(wheel):
    path, _, tmp = wheel
    target = tmp / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(path)],
                   check=True, capture_output=True, timeout=HANG)
    code = ("import report, numeric; from report.pipeline import environment; "
            "from numeric.experiment import EXPERIMENTS; "
            "environment().get_template('hw6.tex'); [e.schema() for e in EXPERIMENTS.values()]; "
            "print(report.__file__)")
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp, capture_output=True, text=True, timeout=HANG,
                       env=dict(os.environ, PYTHONPATH=str(target)))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(target / "report" / "__init__.py")


def test_the_package_data_globs_name_every_template_and_schema():
    """Fast sibling of the wheel tests above: the setuptools configuration that ships the
    templates and the schemas names every one of them (the wheel tests build it, slowly)."""
    import fnmatch
    import tomllib
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    data = cfg["package-data"]
    files = {"report": [p.relative_to(ROOT / "report").as_posix() for p in (ROOT / "report" / "templates").glob("*.tex")],
             "numeric": [p.relative_to(ROOT / "numeric").as_posix() for p in (ROOT / "numeric").glob("*/schema.json")]}
    assert files["report"] and len(files["numeric"]) == 3
    for package, names in files.items():
        assert all(any(fnmatch.fnmatch(n, g) for g in data[package]) for n in names), (package, names)
    assert all(any(fnmatch.fnmatch(top, g) for g in cfg["packages"]["find"]["include"])
               for top in ("common", "derive", "numeric", "report", "bench"))
