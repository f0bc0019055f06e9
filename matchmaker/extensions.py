"""The Flask extensions, created once here and bound to an app in `create_app`."""

from __future__ import annotations

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from matchmaker.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
