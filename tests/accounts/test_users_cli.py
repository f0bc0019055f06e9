import pytest
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from matchmaker.models import Role, User
from tests.support.builders import make_hub


def test_create_a_manager_of_a_hub(runner: FlaskCliRunner, session: Session) -> None:
    make_hub(session, "yeast-house")
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Ana@Example.org",
            "--role",
            "manager",
            "--hub",
            "yeast-house",
        ],
        input="correct horse battery\ncorrect horse battery\n",
    )
    assert result.exit_code == 0, result.output
    user = session.scalars(select(User)).one()
    assert (user.email, user.role, user.hub.slug) == (
        "ana@example.org",
        Role.MANAGER,
        "yeast-house",
    )
    assert user.check_password("correct horse battery")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--email", "not-an-email", "--role", "coordinator"], "is not an email address"),
        (["--email", "m@example.org", "--role", "manager"], "a hub manager needs the slug"),
        (
            ["--email", "m@example.org", "--role", "manager", "--hub", "nowhere"],
            "no hub has the slug 'nowhere'",
        ),
        (
            ["--email", "c@example.org", "--role", "coordinator", "--hub", "yeast-house"],
            "is not tied to one hub",
        ),
        (["--email", "c@example.org", "--role", "boss"], "'boss' is not one of"),
    ],
)
def test_bad_input_is_explained_and_creates_nobody(
    runner: FlaskCliRunner, session: Session, args: list[str], message: str
) -> None:
    make_hub(session, "yeast-house")
    result = runner.invoke(args=["users", "create", *args, "--password", "long enough password"])
    assert result.exit_code == 2
    assert message in result.output
    assert session.scalars(select(User)).all() == []


def test_a_short_password_and_a_taken_email_are_refused(
    runner: FlaskCliRunner, session: Session
) -> None:
    base = ["users", "create", "--email", "c@example.org", "--role", "coordinator"]
    assert "at least 10 characters" in runner.invoke(args=[*base, "--password", "short"]).output
    assert runner.invoke(args=[*base, "--password", "long enough password"]).exit_code == 0
    again = runner.invoke(args=[*base, "--password", "another long password"])
    assert "already has an account" in again.output
    assert len(session.scalars(select(User)).all()) == 1
