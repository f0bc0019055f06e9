"""The two renderings of a log line: JSON (one object a line, whatever it holds) and text."""

from __future__ import annotations

import json
import logging
import sys
from datetime import date

from matchmaker.logs import JsonFormatter, TextFormatter, bind, bound_fields
from matchmaker.logs.setup import DevServerAccessLines


def record(message: str = "hello %s", *args: object, **extra: object) -> logging.LogRecord:
    made = logging.getLogger("matchmaker.test").makeRecord(
        "matchmaker.test", logging.INFO, __file__, 1, message, args or ("world",), None
    )
    made.__dict__.update(extra)
    return made


def test_a_json_line_holds_the_standard_fields_the_bound_ones_and_the_extra() -> None:
    with bound_fields(request_id="abc12345", method="GET"):
        bind(user_id=7)
        line = JsonFormatter().format(record(hub="yeast-house", on=date(2027, 3, 1)))
    fields = json.loads(line)
    assert "\n" not in line
    assert fields["message"] == "hello world" and fields["level"] == "INFO"
    assert fields["logger"] == "matchmaker.test" and fields["time"].endswith("+00:00")
    assert (fields["request_id"], fields["method"], fields["user_id"]) == ("abc12345", "GET", 7)
    assert (fields["hub"], fields["on"]) == ("yeast-house", "2027-03-01")  # text when not JSON


def test_fields_are_bound_only_inside_their_block() -> None:
    bind(user_id=1)  # outside any block: nothing
    with bound_fields(request_id="outer-123"):
        with bound_fields(task="digest"):
            inner = json.loads(JsonFormatter().format(record()))
        after = json.loads(JsonFormatter().format(record()))
    outside = json.loads(JsonFormatter().format(record()))
    assert (inner["request_id"], inner["task"]) == ("outer-123", "digest")
    assert "task" not in after and "request_id" not in outside and "user_id" not in outside


def test_a_traceback_and_a_multi_line_message_stay_on_one_json_line() -> None:
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        failed = record("first\nsecond %s")
        failed.exc_info = sys.exc_info()
    line = JsonFormatter().format(failed)
    assert line.count("\n") == 0
    fields = json.loads(line)
    assert fields["message"] == "first\nsecond world"
    assert "ValueError: bad\nvalue" in fields["exception"]


def test_text_lines_name_the_request_and_the_other_fields() -> None:
    with bound_fields(request_id="req-00001", method="POST"):
        line = TextFormatter().format(record(status=201, user_id=3))
    assert line.endswith(" INFO matchmaker.test [req-00001] hello world user_id=3")


def test_the_dev_server_s_own_request_lines_are_dropped_and_its_others_kept() -> None:
    keep = DevServerAccessLines().filter
    werkzeug = logging.getLogger("werkzeug")
    access = werkzeug.makeRecord(
        "werkzeug",
        logging.INFO,
        "",
        0,
        '1.2.3.4 - - [x] "%s" %s %s',
        ("GET / HTTP/1.1", "200", "-"),
        None,
    )
    banner = werkzeug.makeRecord(
        "werkzeug", logging.INFO, "", 0, "Running on %s", ("http://127.0.0.1:5000",), None
    )
    assert not keep(access) and keep(banner)
