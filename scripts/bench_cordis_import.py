"""Time `flask projects import` on the full CORDIS H2020 file, twice, on a fresh SQLite database.

Target (issue 2): the 144,726 rows import in at most 60 s, and the second import changes
nothing. Prints one JSON object as its last line.

    .venv/bin/python scripts/bench_cordis_import.py [--data ../shared/data/cordis-h2020]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def flask(env: dict[str, str], *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "matchmaker", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return elapsed, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared/data/cordis-h2020")
    arguments = parser.parse_args()
    participations = arguments.data / "h2020.csv.gz"
    parts = arguments.data / "programme_parts.csv.gz"
    with tempfile.TemporaryDirectory() as workdir:
        env = {
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite",
            "SECRET_KEY": "bench",
        }
        flask(env, "db", "upgrade")
        command = ("projects", "import", str(participations), "--programme-parts", str(parts))
        first, first_output = flask(env, *command)
        second, second_output = flask(env, *command)
    print(first_output.strip())
    print(second_output.strip())
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "rows": 144726,
                "first_import_seconds": round(first, 1),
                "second_import_seconds": round(second, 1),
                "second_import_changed_nothing": "Nothing changed" in second_output,
                "peak_rss_mb": round(peak_kb / 1024),
                "target_seconds": 60,
            }
        )
    )


if __name__ == "__main__":
    main()
