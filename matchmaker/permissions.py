"""Who may do what. Every use case that changes or reveals something asks here first.

The rules, in one place:
- anyone may read the directory, hub pages and the network pictures;
- a hub's manager edits that hub, and asks for matches for it;
- coordinators and admins may look at any hub's matches (without counting them as shown);
- coordinators invite people; admins manage users and roles.
- An admin may edit any hub's profile, to help a manager who is stuck.
"""

from __future__ import annotations

from flask_babel import gettext as _

from matchmaker.errors import Forbidden, SignInRequired
from matchmaker.models import Role, User


def signed_in(user: User | None) -> User:
    if user is None or not getattr(user, "is_authenticated", False):
        raise SignInRequired(_("sign in first"))
    return user


def can_edit_hub(user: User | None, hub_id: int) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_admin or (user.role is Role.MANAGER and user.hub_id == hub_id)


def require_hub_editor(user: User | None, hub_id: int) -> User:
    user = signed_in(user)
    if not can_edit_hub(user, hub_id):
        raise Forbidden(_("only this hub's manager can change it"))
    return user


def can_ask_matches(user: User | None, hub_id: int) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_coordinator or user.hub_id == hub_id


def require_matches(user: User | None, hub_id: int) -> User:
    user = signed_in(user)
    if not can_ask_matches(user, hub_id):
        raise Forbidden(_("only this hub's manager (or a coordinator) can ask for its matches"))
    return user


def require_coordinator(user: User | None) -> User:
    user = signed_in(user)
    if not user.is_coordinator:
        raise Forbidden(_("only a programme coordinator can do this"))
    return user


def require_admin(user: User | None) -> User:
    user = signed_in(user)
    if not user.is_admin:
        raise Forbidden(_("only an admin can do this"))
    return user
