"""Time `flask seed-demo --hubs N` on a fresh SQLite database (issue 2: 10,000 hubs in < 60 s).

    .venv/bin/python scripts/bench_seed_demo.py [--hubs 10000]

Prints one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hubs", type=int, default=10_000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        env = {
            "PATH": "/usr/bin:/bin",
            "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite",
            "SECRET_KEY": "bench",
        }
        base = [sys.executable, "-m", "flask", "--app", "matchmaker"]
        subprocess.run([*base, "db", "upgrade"], env=env, check=True, capture_output=True)
        started = time.perf_counter()
        result = subprocess.run(
            [*base, "seed-demo", "--hubs", str(arguments.hubs)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(result.stderr)
    print(result.stdout.strip())
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "hubs": arguments.hubs,
                "seconds": round(elapsed, 1),
                "peak_rss_mb": round(peak_kb / 1024),
                "target_seconds": 60,
            }
        )
    )


if __name__ == "__main__":
    main()
