"""The data model: one entity a file, re-exported here."""

from matchmaker.models.api_token import ApiToken
from matchmaker.models.availability_window import AvailabilityKind, AvailabilityWindow
from matchmaker.models.base import Base
from matchmaker.models.calendar_feed import CalendarFeed
from matchmaker.models.data_stamp import DataStamp, IndexChange
from matchmaker.models.digest_delivery import DeliveryState, DigestDelivery
from matchmaker.models.discipline import Discipline, organisation_disciplines
from matchmaker.models.exchange import (
    Exchange,
    ExchangeKind,
    ExchangeState,
    InvalidTransition,
    next_states,
)
from matchmaker.models.exchange_feedback import ExchangeFeedback
from matchmaker.models.exchange_message import ExchangeMessage
from matchmaker.models.exchange_participant import (
    ExchangeParticipant,
    ParticipantResponse,
    ParticipantRole,
)
from matchmaker.models.hub_search import HubSearch
from matchmaker.models.need import Need, NeedPriority
from matchmaker.models.notification import Notification
from matchmaker.models.organisation import MembershipKind, Organisation, OrganisationKind
from matchmaker.models.organisation_language import OrganisationLanguage
from matchmaker.models.outgoing_email import OutgoingEmail
from matchmaker.models.participation import Participation, ParticipationRole
from matchmaker.models.project import Project, ProjectProgrammePart, ProjectSource
from matchmaker.models.residency_round import ResidencyRound, RoundState
from matchmaker.models.round_application import RoundApplication
from matchmaker.models.service import Service
from matchmaker.models.service_category import ServiceCategory
from matchmaker.models.sign_in_failure import SignInFailure
from matchmaker.models.suggestion_impression import SuggestionImpression
from matchmaker.models.user import Role, User

__all__ = [
    "ApiToken",
    "AvailabilityKind",
    "AvailabilityWindow",
    "Base",
    "CalendarFeed",
    "DataStamp",
    "DeliveryState",
    "DigestDelivery",
    "Discipline",
    "Exchange",
    "ExchangeFeedback",
    "ExchangeKind",
    "ExchangeMessage",
    "ExchangeParticipant",
    "ExchangeState",
    "HubSearch",
    "IndexChange",
    "InvalidTransition",
    "MembershipKind",
    "Need",
    "NeedPriority",
    "Notification",
    "Organisation",
    "OrganisationKind",
    "OrganisationLanguage",
    "OutgoingEmail",
    "ParticipantResponse",
    "ParticipantRole",
    "Participation",
    "ParticipationRole",
    "Project",
    "ProjectProgrammePart",
    "ProjectSource",
    "ResidencyRound",
    "Role",
    "RoundApplication",
    "RoundState",
    "Service",
    "ServiceCategory",
    "SignInFailure",
    "SuggestionImpression",
    "User",
    "next_states",
    "organisation_disciplines",
]
