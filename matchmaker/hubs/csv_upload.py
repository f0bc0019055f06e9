"""The hubs CSV as a coordinator sends or fetches it: from the console in the browser or
from the command, with the same reading, the same report of bad rows and the same rule
(a file with one bad row changes nothing)."""

from __future__ import annotations

import csv
import io
from typing import BinaryIO, TextIO

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from matchmaker.errors import InputError
from matchmaker.hubs.csv_export import export_hubs_csv
from matchmaker.hubs.csv_file import ImportOutcome, import_hubs_csv
from matchmaker.models import User
from matchmaker.permissions import require_coordinator

FILE_FIELD = "file"


def import_hubs_file(session: Session, stream: BinaryIO) -> ImportOutcome:
    """Read the bytes of a hubs CSV (UTF-8, with or without a byte order mark) and import
    it whole or not at all. A file that is not UTF-8 text or not CSV at all is refused as
    `InputError` on `file`; bad rows come back in the outcome, row by row."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        return import_hubs_csv(session, text)
    except UnicodeDecodeError as error:
        session.rollback()
        raise InputError.of(
            FILE_FIELD, _("is not UTF-8 text (%(reason)s)", reason=error.reason)
        ) from None
    except csv.Error as error:
        session.rollback()
        raise InputError.of(FILE_FIELD, _("is not a CSV file (%(reason)s)", reason=error)) from None
    finally:
        text.detach()  # the caller closes its own stream


def import_hubs_upload(session: Session, user: User | None, stream: BinaryIO) -> ImportOutcome:
    """A coordinator's (or an admin's) upload from the console."""
    require_coordinator(user)
    return import_hubs_file(session, stream)


def export_hubs_download(
    session: Session, user: User | None, out: TextIO, all_kinds: bool = False
) -> int:
    """The file a coordinator downloads: the same as `hubs export`."""
    require_coordinator(user)
    return export_hubs_csv(session, out, all_kinds)
