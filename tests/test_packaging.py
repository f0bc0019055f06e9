"""The app finds its templates from a checkout and from an installed wheel."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from flask import Flask

REPO = Path(__file__).resolve().parents[1]
IGNORED = shutil.ignore_patterns(
    ".venv",
    ".git",
    "instance",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "test-artifacts",
)
RENDER = """
import matchmaker, sys
from matchmaker import create_app
app = create_app()
html = app.test_client().get("/").get_data(as_text=True)
print(matchmaker.__file__)
print(app.template_folder)
print("network's hubs" in html and "Wheel Hub" in html)
"""


def test_a_checkout_uses_the_top_level_templates(app: Flask) -> None:
    assert Path(app.template_folder) == REPO / "templates"  # type: ignore[arg-type]


def test_the_wheel_carries_templates_and_migrations_and_renders_a_page(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=IGNORED)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path / "dist"),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("matchmaker-*.whl"))
    shipped = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        "matchmaker/" + path.relative_to(REPO / "matchmaker").as_posix()
        for path in (REPO / "matchmaker").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    } | {
        "matchmaker/templates/" + path.relative_to(REPO / "templates").as_posix()
        for pattern in ("*.html", "*.txt")
        for path in (REPO / "templates").rglob(pattern)
    }
    assert expected - shipped == set()

    # A fresh venv holding only the wheel; the dependencies come from this environment.
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'wheel.sqlite'}",
        "SECRET_KEY": "wheel-test",
        "PYTHONPATH": "",
    }
    env.pop("TEST_DATABASE_URL", None)

    def run(*args: str) -> str:
        result = subprocess.run(
            [str(python), *args], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    run("-m", "flask", "--app", "matchmaker", "db", "upgrade")
    hubs_csv = tmp_path / "hubs.csv"
    hubs_csv.write_text("name,country,city\nWheel Hub,PT,Porto\n")
    run("-m", "flask", "--app", "matchmaker", "hubs", "import", str(hubs_csv))
    module, templates, rendered = run("-c", RENDER).split()
    assert Path(module).is_relative_to(venv)
    assert Path(templates) == Path(module).parent / "templates"
    assert rendered == "True"
