"""User accounts: creating them with a role, checked the same way for the CLI and the web."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from matchmaker.accounts.tokens import revoke_all
from matchmaker.errors import InputError, NotFound
from matchmaker.models import Organisation, OrganisationKind, Role, User
from matchmaker.permissions import require_admin, require_coordinator
from matchmaker.validation import email_error

MIN_PASSWORD_LENGTH = 10
MAX_NAME_LENGTH = 120
ROLES = ", ".join(role.value for role in Role)  # the values the API and the CLI take


def create_user(
    session: Session,
    email: str,
    role: Role | str,
    password: str,
    hub_slug: str | None = None,
    name: str = "",
) -> User:
    """A new account; a manager manages exactly one hub, coordinators and admins none.
    The caller commits."""
    email = email.strip().lower()
    if reason := email_error(email):
        raise InputError.of("email", reason)
    try:
        role = Role(role)
    except ValueError:
        raise InputError.of(
            "role", _("%(value)s is not one of %(known)s", value=repr(role), known=ROLES)
        ) from None
    if len(name.strip()) > MAX_NAME_LENGTH:
        raise InputError.of(
            "name",
            ngettext(
                "use at most %(num)d character", "use at most %(num)d characters", MAX_NAME_LENGTH
            ),
        )
    check_new_password(password)
    hub = None
    if role is Role.MANAGER:
        if not hub_slug:
            raise InputError.of("hub", _("a hub manager needs the slug of their hub"))
        hub = session.scalar(select(Organisation).where(Organisation.slug == hub_slug))
        if hub is None or hub.kind is not OrganisationKind.HUB:
            raise InputError.of("hub", _("no hub has the slug %(slug)s", slug=repr(hub_slug)))
    elif hub_slug:
        not_tied = {
            Role.COORDINATOR: _("a coordinator is not tied to one hub"),
            Role.ADMIN: _("an admin is not tied to one hub"),
        }
        raise InputError.of("hub", not_tied[role])
    if session.scalar(select(func.count()).where(User.email == email)):
        raise InputError.of("email", _("%(email)s already has an account", email=email))
    user = User(email=email, role=role, hub=hub, name=name.strip())
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def managers_of_hubs(session: Session, hub_ids: Iterable[int]) -> list[User]:
    """The managers of these hubs in one query, hub by hub in the order given (each hub's
    by account): who hears about an exchange, and whose contact details it shows.
    Switched-off accounts are among them; `notify` skips them."""
    order: dict[int | None, int] = {
        hub_id: number for number, hub_id in enumerate(dict.fromkeys(hub_ids))
    }
    if not order:
        return []
    managers = session.scalars(
        select(User)
        .where(User.hub_id.in_(list(order)), User.role == Role.MANAGER)
        .order_by(User.id)
    )
    return sorted(managers, key=lambda manager: order[manager.hub_id])


def list_users(session: Session, asker: User) -> list[User]:
    require_coordinator(asker)
    return list(session.scalars(select(User).order_by(User.role, User.email)))


def update_user(
    session: Session, admin: User, user_id: int, role: str, hub_slug: str, active: bool
) -> User:
    """An admin changes someone's role, hub or whether they may sign in. Admins cannot
    demote or switch off themselves, so a network always keeps one admin."""
    require_admin(admin)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("there is no user number %(num)d", num=user_id))
    try:
        new_role = Role(role)
    except ValueError:
        raise InputError.of(
            "role", _("%(value)s is not one of %(known)s", value=repr(role), known=ROLES)
        ) from None
    if user.id == admin.id and (new_role is not Role.ADMIN or not active):
        raise InputError.of("role", _("you cannot take away your own admin rights"))
    hub = None
    if new_role is Role.MANAGER:
        hub = session.scalar(select(Organisation).where(Organisation.slug == hub_slug.strip()))
        if hub is None or hub.kind is not OrganisationKind.HUB:
            raise InputError.of("hub", _("no hub has the slug %(slug)s", slug=repr(hub_slug)))
    if not active and user.is_active:
        user.auth_version += 1  # signs them out everywhere
        revoke_all(session, user)  # and their tokens stay dead when switched on again
    user.role, user.hub, user.is_active = new_role, hub, active
    session.commit()
    return user


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError.of(
            "password",
            ngettext(
                "use at least %(num)d character",
                "use at least %(num)d characters",
                MIN_PASSWORD_LENGTH,
            ),
        )
