"""The taxonomies a new network starts with. The initial migration stores them;
a network extends them by adding rows (see the README)."""

from __future__ import annotations

DEFAULT_DISCIPLINES: tuple[tuple[str, str], ...] = (
    ("architecture", "Architecture"),
    ("crafts", "Crafts"),
    ("design", "Design"),
    ("digital-media", "Digital media"),
    ("fashion", "Fashion"),
    ("film", "Film"),
    ("games", "Games"),
    ("heritage", "Heritage"),
    ("music", "Music"),
    ("performing-arts", "Performing arts"),
    ("photography", "Photography"),
    ("publishing", "Publishing"),
    ("visual-arts", "Visual arts"),
)

DEFAULT_SERVICE_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("coworking", "Co-working"),
    ("fablab", "FabLab / makerspace"),
    ("incubation", "Incubation"),
    ("mentoring", "Coaching / mentoring"),
    ("funding", "Funding access / vouchers"),
    ("event-space", "Exhibition / event space"),
    ("residency", "Residency hosting"),
    ("training", "Training"),
    ("business-support", "Business support"),
    ("audience", "Audience development"),
    ("impact", "Impact measurement"),
    ("internationalisation", "Internationalisation"),
)
