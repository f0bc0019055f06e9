"""Run a command against a throwaway PostgreSQL cluster: `with_postgres.py -- CMD ...`.

The cluster is made with initdb in a temporary folder, listens on a free loopback port,
runs as the `postgres` user when we are root, and is removed afterwards. The command
gets TEST_DATABASE_URL. Without the PostgreSQL binaries the leg is skipped with a
message, except under CI=true, where they are installed (Debian package `postgresql`).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

DATABASE = "matchmaker_test"


def find_bin_dir() -> Path | None:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    for directory in reversed(candidates):
        if (Path(directory) / "initdb").exists():
            return Path(directory)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def install_postgres() -> None:
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("Installing PostgreSQL (Debian package postgresql) for the CI run...", flush=True)
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"],
        check=True,
        env=env,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(command: list[str]) -> int:
    bin_dir = find_bin_dir()
    if bin_dir is None and os.environ.get("CI") == "true":
        install_postgres()
        bin_dir = find_bin_dir()
        if bin_dir is None:
            print("PostgreSQL was installed but initdb was not found.", file=sys.stderr)
            return 1
    if bin_dir is None:
        print("PostgreSQL binaries (initdb, pg_ctl) not found: PostgreSQL leg skipped.")
        print("Install the Debian package `postgresql` to run it (CI=true installs it).")
        return 0

    as_root = os.geteuid() == 0
    run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
    workdir = Path(tempfile.mkdtemp(prefix="matchmaker-pg-"))
    data, log = workdir / "data", workdir / "server.log"
    if as_root:
        shutil.chown(workdir, "postgres")
    port = free_port()
    started = False
    try:
        subprocess.run(
            [
                *run_as,
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = f"-h 127.0.0.1 -p {port} -k {workdir} -F -c full_page_writes=off"
        subprocess.run(
            [
                *run_as,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-o",
                options,
                "-w",
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        started = True
        subprocess.run(
            [
                *run_as,
                str(bin_dir / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "postgres",
                DATABASE,
            ],
            check=True,
        )
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/{DATABASE}"
        print(f"PostgreSQL {bin_dir.parent.name} running on 127.0.0.1:{port}", flush=True)
        return subprocess.run(command, env={**os.environ, "TEST_DATABASE_URL": url}).returncode
    except subprocess.CalledProcessError as error:
        print(f"Could not start PostgreSQL: {error}", file=sys.stderr)
        if log.exists():
            print(log.read_text(), file=sys.stderr)
        return 1
    finally:
        if started:
            subprocess.run(
                [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                stdout=subprocess.DEVNULL,
            )
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    if arguments[:1] == ["--"]:
        arguments = arguments[1:]
    if not arguments:
        sys.exit("usage: with_postgres.py -- COMMAND [ARGS...]")
    sys.exit(main(arguments))
