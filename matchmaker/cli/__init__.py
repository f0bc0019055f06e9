"""The `flask --app matchmaker ...` commands, one module per command group: parse the
arguments, call a use case, report. `common` holds what they share (acting `--as` a
person, turning a use case's error into the command's message)."""

from __future__ import annotations

from flask import Flask


def register_commands(app: Flask) -> None:
    from matchmaker.cli.demo import seed_demo_command
    from matchmaker.cli.dev import dev_server_command
    from matchmaker.cli.digest import digest_cli
    from matchmaker.cli.exchanges import exchanges_cli, notifications_cli
    from matchmaker.cli.hubs import hubs_cli, projects_cli
    from matchmaker.cli.index import index_cli
    from matchmaker.cli.jobs import jobs_cli
    from matchmaker.cli.match import match_cli
    from matchmaker.cli.plan import plan_cli
    from matchmaker.cli.rounds import rounds_cli
    from matchmaker.cli.users import users_cli

    for command in (
        seed_demo_command,
        users_cli,
        hubs_cli,
        projects_cli,
        match_cli,
        exchanges_cli,
        notifications_cli,
        digest_cli,
        plan_cli,
        rounds_cli,
        index_cli,
        jobs_cli,
        dev_server_command,
    ):
        app.cli.add_command(command)
