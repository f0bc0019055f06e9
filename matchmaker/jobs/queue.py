"""The app's job queue: one Huey instance, built from `QUEUE_URL`.

`sqlite:///PATH` gives a `SqliteHuey` (the embedded default: a file next to the database,
no server to run); `redis://host:port/N` gives a `RedisHuey`, which every web and queue
worker of a deployment shares. Results are not kept: tasks record what they did in the
database.
"""

from __future__ import annotations

from huey import Huey, RedisHuey, SqliteHuey
from redis import ConnectionPool

NAME = "matchmaker"
# How long a queue operation may wait for the broker: long enough for a busy SQLite file,
# short enough that `/healthz` and a request's enqueue do not hang on a dead Redis.
TIMEOUT_SECONDS = 5


def build_queue(url: str, name: str = NAME) -> Huey:
    """The Huey instance for `url` (see the module's docstring)."""
    if url.startswith("sqlite:///"):
        return SqliteHuey(
            name, filename=url.removeprefix("sqlite:///"), results=False, timeout=TIMEOUT_SECONDS
        )
    # Workers wait for tasks in BRPOP for read_timeout, below the socket's timeout.
    pool = ConnectionPool.from_url(
        url, socket_timeout=TIMEOUT_SECONDS, socket_connect_timeout=TIMEOUT_SECONDS
    )
    return RedisHuey(name, connection_pool=pool, results=False, read_timeout=1)


def ping(huey: Huey) -> None:
    """Raise if the queue's storage cannot be reached."""
    connection = getattr(huey.storage, "conn", None)
    if connection is not None and hasattr(connection, "ping"):
        connection.ping()  # Redis
    else:
        huey.storage.queue_size()  # SQLite: a query on the queue's table
