"""Phrases about one kind of exchange, whole, in the reader's language: a kind's name
changes the words around it (its gender in French, its case in German and Ukrainian), so
each kind has its own sentence rather than a name put into a shared one."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from matchmaker.matching.kinds import ExchangeKind

K = ExchangeKind

SUGGESTIONS_HEADING = {
    K.SHADOWING: _l("Shadowing visit suggestions"),
    K.HOT_DESKING: _l("Hot-desking swap suggestions"),
    K.RESIDENCY: _l("Manager residency suggestions"),
    K.PROJECT_PARTNERS: _l("Project partnership suggestions"),
}
PROPOSE = {
    K.SHADOWING: _l("Propose a shadowing visit"),
    K.HOT_DESKING: _l("Propose a hot-desking swap"),
    K.RESIDENCY: _l("Propose a manager residency"),
    K.PROJECT_PARTNERS: _l("Propose a project partnership"),
}
MORE_MATCHES = {
    K.SHADOWING: _l("More shadowing visit matches"),
    K.HOT_DESKING: _l("More hot-desking swap matches"),
    K.RESIDENCY: _l("More manager residency matches"),
    K.PROJECT_PARTNERS: _l("More project partnership matches"),
}
PROPOSED_BY = {
    K.SHADOWING: _l("Shadowing visit proposed by %(others)s: answer it"),
    K.HOT_DESKING: _l("Hot-desking swap proposed by %(others)s: answer it"),
    K.RESIDENCY: _l("Manager residency proposed by %(others)s: answer it"),
    K.PROJECT_PARTNERS: _l("Project partnership proposed by %(others)s: answer it"),
}
FEEDBACK_ON = {
    K.SHADOWING: _l("Give your feedback on the shadowing visit with %(others)s"),
    K.HOT_DESKING: _l("Give your feedback on the hot-desking swap with %(others)s"),
    K.RESIDENCY: _l("Give your feedback on the manager residency with %(others)s"),
    K.PROJECT_PARTNERS: _l("Give your feedback on the project partnership with %(others)s"),
}
WORDING = {
    "suggestions_heading": SUGGESTIONS_HEADING,
    "propose": PROPOSE,
    "more_matches": MORE_MATCHES,
    "proposed_by": PROPOSED_BY,
    "feedback_on": FEEDBACK_ON,
}


def kind_phrase(kind: ExchangeKind | str, phrase: str, **values: str) -> str:
    """`{{ kind|kind_phrase("propose") }}`: the phrase for this kind, its values filled."""
    text = str(WORDING[phrase][ExchangeKind(kind)])
    return text % values if values else text
