"""Make sure Debian's chromium is there for the browser tests (tests/browser/test_pages.py).

Playwright drives /usr/bin/chromium rather than a browser of its own download. When it is
missing, CI=true installs the Debian package `chromium` (with `sudo -n` when not root);
anywhere else this only says that the browser tests will be skipped.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")


def install_chromium() -> None:
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("Installing chromium (Debian package chromium) for the browser tests...", flush=True)
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"],
        check=True,
        env=env,
    )


def main() -> int:
    if CHROMIUM.exists():
        print(f"Browser tests use {CHROMIUM}.")
        return 0
    if os.environ.get("CI") != "true":
        print(f"{CHROMIUM} not found: the browser tests will be skipped.")
        print("Install the Debian package `chromium` to run them (CI=true installs it).")
        return 0
    try:
        install_chromium()
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"Could not install chromium: {error}", file=sys.stderr)
        return 1
    if not CHROMIUM.exists():
        print(f"chromium was installed but {CHROMIUM} is missing.", file=sys.stderr)
        return 1
    print(f"Browser tests use {CHROMIUM}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
