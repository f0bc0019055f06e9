"""`flask --app matchmaker dev-server`: what `make run` serves with. The app on
loopback, with a mail catcher beside it so the emails it causes can be read at
`/dev/mail`, and links in emails that point at the port really served."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from matchmaker.config import PRODUCTION
from matchmaker.outbox.catcher import HOST, start_catcher


@click.command("dev-server")
@click.option("--port", default=5000, show_default=True, help="The port to serve on.")
@click.option(
    "--mail-port",
    default=8025,
    show_default=True,
    help="The mail catcher's port (another free one if taken).",
)
@click.option(
    "--mail-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where caught mail is kept (a Maildir; default: instance/mail).",
)
@with_appcontext
def dev_server_command(port: int, mail_port: int, mail_dir: Path | None) -> None:
    """Serve the app on 127.0.0.1 for development, with its mail catcher."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if app.config["MATCHMAKER_ENV"] == PRODUCTION:
        raise click.ClickException(
            "dev-server is for development; in production run gunicorn (see the README)."
        )
    mail_dir = mail_dir or Path(app.instance_path) / "mail"
    catcher = start_catcher(mail_dir, mail_port)
    app.config.update(
        SMTP_HOST=HOST, SMTP_PORT=catcher.port, SMTP_TLS="none", DEV_MAILBOX=str(mail_dir)
    )
    if "BASE_URL" not in os.environ:
        app.config["BASE_URL"] = f"http://{HOST}:{port}"
    base_url = app.config["BASE_URL"]
    click.echo(f"matchmaker on {base_url}")
    click.echo(f"emails it sends: {base_url}/dev/mail (caught on {HOST}:{catcher.port})")
    try:
        run_simple(HOST, port, app, threaded=True)
    finally:
        catcher.stop()
