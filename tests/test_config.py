from pathlib import Path

import pytest

from matchmaker import create_app
from matchmaker.config import ConfigError, load_config


def test_defaults_are_safe_for_a_laptop(tmp_path: Path) -> None:
    config = load_config({}, tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'matchmaker.sqlite'}"
    assert len(config["SECRET_KEY"]) == 64
    assert config["SESSION_COOKIE_SECURE"] is False
    assert (config["SMTP_HOST"], config["SMTP_PORT"]) == ("localhost", 25)
    assert config["BASE_URL"] == "http://127.0.0.1:5000"


def test_development_key_is_kept_between_starts(tmp_path: Path) -> None:
    first = load_config({}, tmp_path)["SECRET_KEY"]
    assert load_config({}, tmp_path)["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_environment_overrides_defaults(tmp_path: Path) -> None:
    config = load_config(
        {
            "DATABASE_URL": "postgresql://app@db/matchmaker",
            "SECRET_KEY": "s3cret",
            "SMTP_HOST": "mail.example.org",
            "SMTP_PORT": "2525",
            "MAIL_FROM": "hubs@example.org",
            "BASE_URL": "https://hubs.example.org/",
        },
        tmp_path,
    )
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://app@db/matchmaker"
    assert config["SECRET_KEY"] == "s3cret"
    assert config["SMTP_PORT"] == 2525
    assert config["MAIL_FROM"] == "hubs@example.org"
    assert config["BASE_URL"] == "https://hubs.example.org"


def test_production_refuses_to_start_without_a_secret_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MATCHMAKER_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(instance_path=str(tmp_path))
    assert not (tmp_path / "secret_key").exists()


def test_production_with_a_key_uses_secure_cookies(tmp_path: Path) -> None:
    config = load_config({"MATCHMAKER_ENV": "production", "SECRET_KEY": "k" * 40}, tmp_path)
    assert config["SESSION_COOKIE_SECURE"] is True


def test_a_bad_port_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="SMTP_PORT must be a whole number"):
        load_config({"SMTP_PORT": "twenty-five"}, tmp_path)


def test_an_https_base_url_makes_cookies_secure(tmp_path: Path) -> None:
    config = load_config({"BASE_URL": "https://hubs.example.org"}, tmp_path)
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True


def test_behind_a_trusted_proxy_the_client_and_scheme_come_from_its_headers(
    tmp_path: Path,
) -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    seen: list[tuple[str | None, str]] = []
    for hops in (0, 1):
        app = create_app(
            {"SECRET_KEY": "k", "TRUSTED_PROXIES": hops, "TESTING": True}, str(tmp_path)
        )

        @app.get("/whoami")
        def whoami() -> str:
            from flask import request

            seen.append((request.remote_addr, request.scheme))
            return "ok"

        response = app.test_client().get("/whoami", headers=forwarded)
        assert ("Strict-Transport-Security" in response.headers) is (hops == 1)
    # Without a proxy the headers are not trusted: anyone could send them.
    assert seen == [("127.0.0.1", "http"), ("203.0.113.9", "https")]


def test_a_negative_proxy_count_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TRUSTED_PROXIES must be 0 or more"):
        create_app({"SECRET_KEY": "k", "TRUSTED_PROXIES": -1}, str(tmp_path))


def test_rate_limits_default_to_one_process_and_are_checked_at_start_up(tmp_path: Path) -> None:
    config = load_config({}, tmp_path)
    assert config["RATE_LIMIT_STORAGE_URI"] == "memory://"
    assert config["RATE_LIMIT_RESET"] == "5 per hour"
    shared = load_config(
        {"RATE_LIMIT_STORAGE_URI": "redis://cache:6379", "RATE_LIMIT_API": "100/minute"},
        tmp_path,
    )
    assert shared["RATE_LIMIT_STORAGE_URI"] == "redis://cache:6379"
    assert shared["RATE_LIMIT_API"] == "100/minute"
    with pytest.raises(ConfigError, match="RATE_LIMIT_SIGN_IN must be a rate"):
        load_config({"RATE_LIMIT_SIGN_IN": "ten a minute"}, tmp_path)


def test_the_queue_is_embedded_on_sqlite_and_a_worker_s_job_on_redis(tmp_path: Path) -> None:
    laptop = load_config({}, tmp_path)
    assert laptop["QUEUE_URL"] == f"sqlite:///{tmp_path / 'queue.sqlite3'}"
    assert laptop["QUEUE_EMBEDDED_WORKER"] is True
    shared = load_config({"QUEUE_URL": "redis://queue:6379/0"}, tmp_path)
    assert shared["QUEUE_EMBEDDED_WORKER"] is False
    forced = {"QUEUE_URL": "redis://queue:6379/0", "QUEUE_EMBEDDED_WORKER": "yes"}
    assert load_config(forced, tmp_path)["QUEUE_EMBEDDED_WORKER"] is True
    with pytest.raises(ConfigError, match="QUEUE_EMBEDDED_WORKER must be true or false"):
        load_config({"QUEUE_EMBEDDED_WORKER": "perhaps"}, tmp_path)
    with pytest.raises(ConfigError, match="QUEUE_URL must be"):
        load_config({"QUEUE_URL": "amqp://rabbit"}, tmp_path)
