"""matchmaker: peer exchanges between creative hubs, with explained matches."""

from matchmaker.app import create_app

__all__ = ["create_app"]
