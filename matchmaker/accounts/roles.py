"""The roles as people read them, in their language (the stored values stay English)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from matchmaker.models import Role

ROLE_NAMES = {
    Role.MANAGER: _l("manager"),
    Role.COORDINATOR: _l("coordinator"),
    Role.ADMIN: _l("admin"),
}


def role_name(role: Role | str) -> str:
    """ "manager", "responsable de hub", "менеджер хабу"."""
    return str(ROLE_NAMES[Role(role)])
