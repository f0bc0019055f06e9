"""Make sure `redis-server` is there for the tests that need a real Redis: two workers
sharing one rate-limit budget (tests/web/test_rate_limits.py) and the job queue on its
production broker (tests/jobs/); each starts its own server on loopback
(tests/support/redis_server.py).

Under CI=true a missing binary is installed (Debian package `redis-server`), and the run
fails if it cannot be; elsewhere the script only says that the test will be skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys


def install_redis() -> None:
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("Installing Redis (Debian package redis-server) for the CI run...", flush=True)
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "redis-server"],
        check=True,
        env=env,
    )


def main() -> int:
    if shutil.which("redis-server"):
        return 0
    if os.environ.get("CI") != "true":
        print("redis-server not found: the Redis tests (shared rate limits, the queue on")
        print("Redis) will be skipped.")
        print("Install the Debian package `redis-server` to run it (CI=true installs it).")
        return 0
    try:
        install_redis()
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"Could not install redis-server: {error}", file=sys.stderr)
        return 1
    if shutil.which("redis-server") is None:
        print("redis-server was installed but is not on PATH.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
