"""Raw material for the deterministic demo generator.

Everything here is plain data: real European cities with their coordinates and languages,
the building blocks for hub names and descriptions, what hubs offer and what they want to
learn in each service category, and titles of past EU-funded cooperation projects. The
generator in this package draws from these tuples with a seeded random source, so the same
seed always produces the same demo.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    """A real European city that demo hubs can be placed in."""

    name: str
    country: str  # ISO 3166-1 alpha-2, upper case ("GR" for Greece, "GB" for the UK)
    latitude: float
    longitude: float
    languages: tuple[str, ...]  # ISO 639-1 codes, local language(s) first


CITIES: tuple[City, ...] = (
    # Portugal
    City("Lisbon", "PT", 38.7223, -9.1393, ("pt",)),
    City("Porto", "PT", 41.1496, -8.6110, ("pt",)),
    City("Guimarães", "PT", 41.4425, -8.2918, ("pt",)),
    City("Coimbra", "PT", 40.2033, -8.4103, ("pt",)),
    # Spain
    City("Madrid", "ES", 40.4168, -3.7038, ("es",)),
    City("Barcelona", "ES", 41.3874, 2.1686, ("ca", "es")),
    City("Bilbao", "ES", 43.2630, -2.9350, ("eu", "es")),
    City("Valencia", "ES", 39.4699, -0.3763, ("es", "ca")),
    City("Seville", "ES", 37.3891, -5.9845, ("es",)),
    City("Santiago de Compostela", "ES", 42.8782, -8.5448, ("gl", "es")),
    # France
    City("Paris", "FR", 48.8566, 2.3522, ("fr",)),
    City("Marseille", "FR", 43.2965, 5.3698, ("fr",)),
    City("Lyon", "FR", 45.7640, 4.8357, ("fr",)),
    City("Nantes", "FR", 47.2184, -1.5536, ("fr",)),
    City("Lille", "FR", 50.6292, 3.0573, ("fr",)),
    City("Strasbourg", "FR", 48.5734, 7.7521, ("fr",)),
    # Italy
    City("Rome", "IT", 41.9028, 12.4964, ("it",)),
    City("Milan", "IT", 45.4642, 9.1900, ("it",)),
    City("Turin", "IT", 45.0703, 7.6869, ("it",)),
    City("Naples", "IT", 40.8518, 14.2681, ("it",)),
    City("Matera", "IT", 40.6664, 16.6043, ("it",)),
    City("Bologna", "IT", 44.4949, 11.3426, ("it",)),
    # Germany
    City("Berlin", "DE", 52.5200, 13.4050, ("de",)),
    City("Leipzig", "DE", 51.3397, 12.3731, ("de",)),
    City("Hamburg", "DE", 53.5511, 9.9937, ("de",)),
    City("Cologne", "DE", 50.9375, 6.9603, ("de",)),
    City("Munich", "DE", 48.1351, 11.5820, ("de",)),
    # Netherlands
    City("Amsterdam", "NL", 52.3731, 4.8926, ("nl",)),
    City("Rotterdam", "NL", 51.9244, 4.4777, ("nl",)),
    City("Eindhoven", "NL", 51.4416, 5.4697, ("nl",)),
    City("Utrecht", "NL", 52.0907, 5.1214, ("nl",)),
    City("Leeuwarden", "NL", 53.2012, 5.7999, ("nl", "fy")),
    # Belgium
    City("Brussels", "BE", 50.8503, 4.3517, ("fr", "nl")),
    City("Antwerp", "BE", 51.2194, 4.4025, ("nl",)),
    City("Ghent", "BE", 51.0543, 3.7174, ("nl",)),
    City("Liège", "BE", 50.6450, 5.5730, ("fr",)),
    # Luxembourg
    City("Luxembourg", "LU", 49.6116, 6.1319, ("lb", "fr", "de")),
    City("Esch-sur-Alzette", "LU", 49.4958, 5.9806, ("lb", "fr", "de")),
    # Austria
    City("Vienna", "AT", 48.2082, 16.3738, ("de",)),
    City("Graz", "AT", 47.0707, 15.4395, ("de",)),
    City("Linz", "AT", 48.3069, 14.2858, ("de",)),
    # Switzerland
    City("Zurich", "CH", 47.3769, 8.5417, ("de",)),
    City("Geneva", "CH", 46.2044, 6.1432, ("fr",)),
    City("Basel", "CH", 47.5596, 7.5886, ("de",)),
    City("Lugano", "CH", 46.0037, 8.9511, ("it",)),
    City("Biel/Bienne", "CH", 47.1368, 7.2468, ("de", "fr")),
    # Ireland
    City("Dublin", "IE", 53.3498, -6.2603, ("en", "ga")),
    City("Galway", "IE", 53.2707, -9.0568, ("en", "ga")),
    City("Cork", "IE", 51.8985, -8.4756, ("en", "ga")),
    # United Kingdom
    City("London", "GB", 51.5074, -0.1278, ("en",)),
    City("Glasgow", "GB", 55.8642, -4.2518, ("en",)),
    City("Manchester", "GB", 53.4808, -2.2426, ("en",)),
    City("Cardiff", "GB", 51.4816, -3.1791, ("cy", "en")),
    City("Belfast", "GB", 54.5973, -5.9301, ("en",)),
    City("Bristol", "GB", 51.4545, -2.5879, ("en",)),
    # Denmark
    City("Copenhagen", "DK", 55.6761, 12.5683, ("da",)),
    City("Aarhus", "DK", 56.1629, 10.2039, ("da",)),
    City("Odense", "DK", 55.3959, 10.3883, ("da",)),
    # Sweden
    City("Stockholm", "SE", 59.3293, 18.0686, ("sv",)),
    City("Gothenburg", "SE", 57.7089, 11.9746, ("sv",)),
    City("Malmö", "SE", 55.6050, 13.0038, ("sv",)),
    City("Umeå", "SE", 63.8258, 20.2630, ("sv",)),
    # Norway
    City("Oslo", "NO", 59.9139, 10.7522, ("no",)),
    City("Bergen", "NO", 60.3913, 5.3221, ("no",)),
    City("Trondheim", "NO", 63.4305, 10.3951, ("no",)),
    City("Stavanger", "NO", 58.9700, 5.7331, ("no",)),
    City("Tromsø", "NO", 69.6492, 18.9553, ("no", "se")),
    # Finland
    City("Helsinki", "FI", 60.1699, 24.9384, ("fi", "sv")),
    City("Tampere", "FI", 61.4978, 23.7610, ("fi",)),
    City("Turku", "FI", 60.4518, 22.2666, ("fi", "sv")),
    City("Oulu", "FI", 65.0121, 25.4651, ("fi",)),
    # Iceland
    City("Reykjavík", "IS", 64.1466, -21.9426, ("is",)),
    City("Akureyri", "IS", 65.6835, -18.0878, ("is",)),
    # Estonia
    City("Tallinn", "EE", 59.4370, 24.7536, ("et",)),
    City("Tartu", "EE", 58.3780, 26.7290, ("et",)),
    # Latvia
    City("Riga", "LV", 56.9496, 24.1052, ("lv",)),
    City("Liepāja", "LV", 56.5047, 21.0109, ("lv",)),
    City("Cēsis", "LV", 57.3119, 25.2706, ("lv",)),
    # Lithuania
    City("Vilnius", "LT", 54.6872, 25.2797, ("lt",)),
    City("Kaunas", "LT", 54.8985, 23.9036, ("lt",)),
    City("Klaipėda", "LT", 55.7033, 21.1443, ("lt",)),
    # Poland
    City("Warsaw", "PL", 52.2297, 21.0122, ("pl",)),
    City("Kraków", "PL", 50.0617, 19.9373, ("pl",)),
    City("Wrocław", "PL", 51.1100, 17.0320, ("pl",)),
    City("Gdańsk", "PL", 54.3520, 18.6466, ("pl",)),
    City("Łódź", "PL", 51.7592, 19.4560, ("pl",)),
    City("Lublin", "PL", 51.2465, 22.5684, ("pl",)),
    # Czechia
    City("Prague", "CZ", 50.0850, 14.4230, ("cs",)),
    City("Brno", "CZ", 49.1951, 16.6068, ("cs",)),
    City("Ostrava", "CZ", 49.8353, 18.2900, ("cs",)),
    City("Plzeň", "CZ", 49.7384, 13.3736, ("cs",)),
    # Slovakia
    City("Bratislava", "SK", 48.1486, 17.1077, ("sk",)),
    City("Košice", "SK", 48.7164, 21.2611, ("sk",)),
    City("Trenčín", "SK", 48.8945, 18.0444, ("sk",)),
    City("Banská Bystrica", "SK", 48.7363, 19.1462, ("sk",)),
    # Hungary
    City("Budapest", "HU", 47.4979, 19.0402, ("hu",)),
    City("Pécs", "HU", 46.0727, 18.2323, ("hu",)),
    City("Debrecen", "HU", 47.5316, 21.6273, ("hu",)),
    City("Szeged", "HU", 46.2530, 20.1414, ("hu",)),
    # Slovenia
    City("Ljubljana", "SI", 46.0569, 14.5058, ("sl",)),
    City("Maribor", "SI", 46.5547, 15.6459, ("sl",)),
    City("Nova Gorica", "SI", 45.9558, 13.6483, ("sl",)),
    # Croatia
    City("Zagreb", "HR", 45.8150, 15.9819, ("hr",)),
    City("Rijeka", "HR", 45.3271, 14.4422, ("hr",)),
    City("Split", "HR", 43.5081, 16.4402, ("hr",)),
    City("Osijek", "HR", 45.5550, 18.6955, ("hr",)),
    # Romania
    City("Bucharest", "RO", 44.4268, 26.1025, ("ro",)),
    City("Cluj-Napoca", "RO", 46.7694, 23.5900, ("ro", "hu")),
    City("Timișoara", "RO", 45.7537, 21.2257, ("ro",)),
    City("Iași", "RO", 47.1585, 27.6014, ("ro",)),
    City("Sibiu", "RO", 45.7972, 24.1519, ("ro",)),
    # Bulgaria
    City("Sofia", "BG", 42.6977, 23.3219, ("bg",)),
    City("Plovdiv", "BG", 42.1475, 24.7490, ("bg",)),
    City("Varna", "BG", 43.2141, 27.9147, ("bg",)),
    City("Veliko Tarnovo", "BG", 43.0757, 25.6172, ("bg",)),
    # Greece
    City("Athens", "GR", 37.9838, 23.7275, ("el",)),
    City("Thessaloniki", "GR", 40.6401, 22.9444, ("el",)),
    City("Patras", "GR", 38.2466, 21.7346, ("el",)),
    City("Heraklion", "GR", 35.3392, 25.1330, ("el",)),
    City("Elefsina", "GR", 38.0414, 23.5425, ("el",)),
    # Cyprus
    City("Nicosia", "CY", 35.1725, 33.3600, ("el", "tr")),
    City("Limassol", "CY", 34.6765, 33.0420, ("el",)),
    # Malta
    City("Valletta", "MT", 35.8989, 14.5146, ("mt", "en")),
    City("Sliema", "MT", 35.9122, 14.5019, ("mt", "en")),
    # Serbia
    City("Belgrade", "RS", 44.8125, 20.4612, ("sr",)),
    City("Novi Sad", "RS", 45.2551, 19.8451, ("sr", "hu")),
    City("Niš", "RS", 43.3209, 21.8958, ("sr",)),
    # Ukraine
    City("Kyiv", "UA", 50.4501, 30.5234, ("uk",)),
    City("Lviv", "UA", 49.8397, 24.0297, ("uk",)),
    City("Odesa", "UA", 46.4850, 30.7380, ("uk",)),
    City("Kharkiv", "UA", 49.9935, 36.2304, ("uk",)),
    # Georgia
    City("Tbilisi", "GE", 41.6938, 44.8015, ("ka",)),
    City("Kutaisi", "GE", 42.2679, 42.6946, ("ka",)),
    City("Batumi", "GE", 41.6408, 41.6306, ("ka",)),
    # Armenia
    City("Yerevan", "AM", 40.1777, 44.5126, ("hy",)),
    City("Gyumri", "AM", 40.7894, 43.8475, ("hy",)),
    # Türkiye
    City("Istanbul", "TR", 41.0082, 28.9784, ("tr",)),
    City("Izmir", "TR", 38.4237, 27.1428, ("tr",)),
    City("Eskişehir", "TR", 39.7767, 30.5206, ("tr",)),
    # Bosnia and Herzegovina
    City("Sarajevo", "BA", 43.8590, 18.4230, ("bs", "hr", "sr")),
    City("Mostar", "BA", 43.3438, 17.8078, ("hr", "bs", "sr")),
    City("Banja Luka", "BA", 44.7722, 17.1910, ("sr",)),
    # North Macedonia
    City("Skopje", "MK", 41.9981, 21.4254, ("mk", "sq")),
    City("Bitola", "MK", 41.0297, 21.3292, ("mk",)),
    # Albania
    City("Tirana", "AL", 41.3275, 19.8187, ("sq",)),
    City("Shkodër", "AL", 42.0683, 19.5126, ("sq",)),
    City("Korçë", "AL", 40.6186, 20.7808, ("sq",)),
    # Montenegro
    City("Podgorica", "ME", 42.4410, 19.2627, ("sr",)),
    City("Kotor", "ME", 42.4247, 18.7712, ("sr",)),
    City("Cetinje", "ME", 42.3931, 18.9116, ("sr",)),
    # Moldova
    City("Chișinău", "MD", 47.0105, 28.8638, ("ro", "ru")),
    City("Bălți", "MD", 47.7617, 27.9289, ("ro", "ru")),
)

# str.format patterns; {word} comes from NAME_WORDS, {city} from City.name.
HUB_NAME_PATTERNS: tuple[str, ...] = (
    "{word} Lab {city}",
    "Kulturwerk {city}",
    "{city} Makers Collective",
    "The {word} Yard",
    "Atelier {word}",
    "{word} House",
    "{city} Creative Quarter",
    "{word} Works",
    "Casa {word}",
    "{word} Studios {city}",
    "Hub {word}",
    "{city} Design Depot",
    "The {word} Collective",
    "{word} Commons",
    "Fabbrica {word}",
    "{city} Culture Lab",
    "Maison {word}",
    "{word} Hall",
    "Centrum {word}",
    "{word} Exchange {city}",
    "Open {word} {city}",
    "{city} Maker Space",
    "The {word} Rooms",
    "Werkstatt {word}",
    "{word} Platform",
    "{city} Arts Incubator",
    "Studio {word} {city}",
    "{word} Cooperative",
    "Kreativhaus {city}",
    "The {word} Factory",
    "{word} Garage",
    "Laboratorio {word}",
    "{city} Crafts Guild",
    "New {word} Institute",
    "Pracownia {word}",
    "{city} Social Innovation Hub",
    "Pier {word}",
    "Hangar {word}",
    "{word} Annex",
    "{word} & Co.",
    "{city} Media Workshop",
    "Old {word} Depot",
)

NAME_WORDS: tuple[str, ...] = (
    "Foundry",
    "Loom",
    "Kiln",
    "Signal",
    "Harbour",
    "Tinderbox",
    "Anvil",
    "Lantern",
    "Spindle",
    "Bellows",
    "Quarry",
    "Orchard",
    "Compass",
    "Beacon",
    "Hive",
    "Forge",
    "Ember",
    "Meridian",
    "Pylon",
    "Rivet",
    "Sawtooth",
    "Shuttle",
    "Lathe",
    "Wharf",
    "Granary",
    "Cinder",
    "Prism",
    "Mosaic",
    "Trellis",
    "Keel",
    "Tandem",
    "Relay",
    "Junction",
    "Arcade",
    "Courtyard",
    "Atlas",
    "Bobbin",
    "Crucible",
    "Dynamo",
    "Ferment",
    "Glasshouse",
    "Inkwell",
    "Kettle",
    "Ledger",
    "Needle",
    "Oxbow",
    "Pollen",
    "Quill",
    "Rookery",
    "Sluice",
    "Thimble",
    "Undercroft",
    "Weathervane",
    "Yeast",
    "Cobalt",
    "Copper",
    "Letterpress",
    "Nettle",
    "Canopy",
    "Driftwood",
    "Flint",
    "Gantry",
    "Hatchway",
    "Jetty",
    "Kestrel",
    "Lighthouse",
    "Nimbus",
    "Outpost",
    "Parallel",
    "Ripple",
    "Tessera",
    "Vessel",
    "Wildflower",
    "Saltpan",
    "Boiler",
    "Chimney",
    "Turbine",
    "Skylight",
    "Workbench",
    "Scaffold",
    "Tidewater",
    "Ironwork",
    "Birch",
    "Magpie",
    "Heron",
    "Lindenwood",
)

# str.format templates using {name}, {city}, {building} and {focus}.
HUB_DESCRIPTIONS: tuple[str, ...] = (
    "{name} fills a former {building} in {city} with studios, a café and a workshop that stays "
    "open late. Its community works mostly in {focus}.",
    "Set up by a handful of artists who needed somewhere to work, {name} now runs the old "
    "{building} on the edge of {city}'s centre. Members share desks, tools and long lunches there, "
    "and most of them work in {focus}.",
    "{name} is a cooperative hub in a converted {building} in {city}. Members decide the programme "
    "together at a monthly assembly, and most of the activity is in {focus}.",
    "In {city}, {name} turned a derelict {building} into a home for people working in {focus}. The "
    "ground floor is open to the public, with a shop, a gallery and a canteen.",
    "{name} is where {city}'s {focus} scene meets: a former {building} with studios upstairs, "
    "workshops downstairs and events in the courtyard all year round.",
    "The former {building} now houses {name}, a hub for {focus} in {city}. It combines affordable "
    "workspace with a busy public programme of talks, screenings and markets.",
    "{name} started as a temporary use of an empty {building} in {city} and never left. Today it "
    "is a stable base for freelancers and small studios in {focus}, run by a small team and a lot "
    "of volunteers.",
    "{name} occupies three floors of a former {building} near the centre of {city}. It supports "
    "early-career practitioners in {focus} with space, advice and a network that reaches across "
    "Europe.",
    "A municipal initiative run by an independent association, {name} brings new life to a listed "
    "{building} in {city}. Its programme centres on {focus} and on opening culture up to the "
    "neighbourhood.",
    "{name} is a small, hands-on hub in {city}, based in a former {building}. Most members work in "
    "{focus}, and many of them also teach in the hub's evening workshops.",
    "Behind the walls of an old {building}, {name} hosts makers, designers and small companies "
    "working in {focus}. It is one of the few places in {city} where you can rent a workshop by "
    "the month.",
    "{name} was founded by a group of {city} graduates who could not find affordable studios. They "
    "took over a disused {building}, and the hub now supports a growing community in {focus}.",
    "Part workspace, part cultural centre, {name} runs a former {building} in {city}. Its members "
    "work in {focus}, and the hub is known for its open evenings and its generous approach to "
    "sharing tools.",
    "{name} is a non-profit hub for {focus}, housed in a restored {building} in {city}. It offers "
    "workspace, training and a programme of exhibitions and events open to everyone.",
    "In a working-class district of {city}, {name} occupies a former {building} that the "
    "municipality leases to it for a symbolic rent. The hub focuses on {focus} and on keeping "
    "young creatives in the region.",
    "{name} brings together people working in {focus} under the roof of a former {building} in "
    "{city}. Members share a workshop, a library and a large kitchen where most collaborations "
    "begin.",
    "Run by a foundation with close ties to the local university, {name} turned a former "
    "{building} in {city} into a lab for {focus}. It links students, companies and independent "
    "practitioners.",
    "{name} is a grassroots hub in {city}, renovated by its own members over several summers. The "
    "old {building} now holds studios, a small stage and a community working mainly in {focus}.",
    "Few people in {city} remember that the building {name} occupies was once a busy {building}. "
    "Today it is full of people working in {focus}, from students to established studios.",
    "{name} describes itself as a workshop for the future of {focus}. From its base in a former "
    "{building} in {city}, it runs studios, residencies and a lively programme of public events.",
    "Housed in a former {building} on the outskirts of {city}, {name} offers generous, cheap space "
    "that would be impossible to find in the centre. Its members work in {focus} and often need "
    "room to build big things.",
    "{name} is a meeting point for {focus} in {city}. The hub shares a former {building} with a "
    "bakery, a bicycle workshop and a community radio station, and likes to keep its doors open.",
    "Started by two designers and an architect, {name} runs a renovated {building} in {city} as a "
    "shared home for {focus}. Collaboration comes first: every member is expected to share a "
    "skill.",
    "{name} is one of {city}'s busiest creative hubs, a former {building} where a large community "
    "works in {focus}. It runs a café, a shop and a packed calendar of events.",
    "Saving the old {building} in {city} from demolition was a long campaign, led by the people "
    "who now run {name}. It has since become a lively hub for {focus}, with a special commitment "
    "to young people.",
    "{name} combines coworking, making and culture in a former {building} in {city}. Its community "
    "works mostly in {focus} and is proud of its international connections.",
    "Tucked into a courtyard in {city}, {name} occupies a former {building} and runs it as an open "
    "workshop. Practitioners in {focus} come for the tools and stay for the people.",
    "{name} is an artist-run space in {city}, set in a former {building} with high ceilings and "
    "big windows. Its programme revolves around {focus} and a residency for visiting artists.",
    "Backed by the regional development agency, {name} operates from a refurbished {building} in "
    "{city}. It helps companies and freelancers in {focus} grow and reach new markets.",
    "{name} is a young hub: its members moved into the empty {building} in {city} only recently "
    "and are still renovating. Even so, it has already become a magnet for people working in "
    "{focus}.",
    "The {building} that houses {name} is a local landmark in {city}. Inside, studios, workshops "
    "and a public hall serve a community that works mainly in {focus}.",
    "{name} grew out of a festival that needed a permanent home. It found one in a former "
    "{building} in {city}, where it now supports practitioners in {focus} all year round.",
    "With its doors open seven days a week, {name} is part library, part workshop and part living "
    "room for {city}. The former {building} is shared by a mixed community working in {focus}.",
    "{name} sits in a former {building} next to one of {city}'s busiest markets. Its members work "
    "in {focus} and the hub acts as their shared front door to clients, funders and the public.",
)

# Fits after "a former" / "the old" in HUB_DESCRIPTIONS.
BUILDINGS: tuple[str, ...] = (
    "tobacco factory",
    "tram depot",
    "textile mill",
    "Soviet-era printing house",
    "harbour warehouse",
    "brewery",
    "slaughterhouse",
    "sugar refinery",
    "power station",
    "railway workshop",
    "military barracks",
    "bus garage",
    "post office",
    "silk mill",
    "shipyard hall",
    "paper mill",
    "bakery",
    "customs house",
    "telephone exchange",
    "market hall",
    "cinema",
    "department store",
    "fish cannery",
    "glassworks",
    "gasworks",
    "porcelain factory",
    "convent",
    "primary school",
    "tannery",
    "shoe factory",
    "distillery",
    "salt warehouse",
    "radio factory",
    "workers' cultural centre",
    "chocolate factory",
    "dairy",
    "printing works",
    "ice factory",
    "wine cellar",
    "cable factory",
    "grain silo",
    "fire station",
)

# What a hub offers, per service category: (title, description).
SERVICE_TEXTS: dict[str, tuple[tuple[str, str], ...]] = {
    "coworking": (
        (
            "Hot desks and lockable studios",
            "Forty hot desks in the main hall and twelve lockable studios from 12 to 30 m². "
            "Members get 24/7 key-card access, fibre broadband and a shared kitchen; a day pass "
            "costs 15 euros.",
        ),
        (
            "Flexible membership for freelancers",
            "Three membership tiers – five days a month, part-time and full-time – with one "
            "month's notice and no long contracts. Freelancers can pause their membership for up "
            "to two months a year without losing their desk.",
        ),
        (
            "Quiet rooms and phone booths",
            "Next to the open coworking floor there are two silent rooms and four soundproofed "
            "phone booths, so translators, writers and anyone on calls can work without "
            "headphones.",
        ),
        (
            "Free desks for visiting hub members",
            "Members of partner hubs can use a hot desk free of charge for up to two weeks. Each "
            "visitor is paired with a resident member who introduces them to the community and the "
            "neighbourhood.",
        ),
        (
            "Family-friendly coworking with childcare corner",
            "A supervised children's corner runs on weekday mornings, and member breakfasts and "
            "lunches are scheduled around school hours. Parents now make up a third of our "
            "coworking members.",
        ),
        (
            "Community management and member events",
            "Our full-time community manager welcomes every new member, hosts a Friday lunch and "
            "monthly skill-sharing evenings, and keeps track of who does what so that "
            "collaborations actually happen.",
        ),
        (
            "Monthly studios for makers",
            "Eight ground-floor studios with sinks, three-phase power and a goods lift, rented by "
            "the month to ceramicists, upholsterers and set builders.",
        ),
        (
            "Meeting rooms included in membership",
            "Two meeting rooms for up to 12 people with screens and whiteboards. Members book them "
            "free of charge through our online booking system; outside clients pay by the hour.",
        ),
        (
            "Income-linked desk prices",
            "Students, recent graduates and artists earning less than the minimum wage pay half "
            "price for a desk. Four further desks are funded by the city for refugees starting out "
            "in the creative sector.",
        ),
    ),
    "fablab": (
        (
            "Laser cutting and CNC workshop",
            "A 120x90 cm CO2 laser cutter, a ShopBot CNC router and six Prusa printers, with an "
            "induction every Tuesday; members book machine time online and pay per hour.",
        ),
        (
            "Textile lab with digital embroidery",
            "Two industrial sewing machines, an overlocker, a digital embroidery machine and a "
            "knitting machine hacked to print patterns. Fashion students fill our monthly open lab "
            "nights.",
        ),
        (
            "Ceramics studio and kiln firing",
            "Four wheels, a slab roller and two electric kilns that fire up to 1,300 °C. Members "
            "glaze in a ventilated room and can send their own pieces for firing at a fixed price "
            "per shelf.",
        ),
        (
            "Electronics and prototyping bench",
            "Soldering stations, oscilloscopes and a stock of Arduino and Raspberry Pi boards. Our "
            "engineer is on hand two afternoons a week to help designers turn a sketch into a "
            "working prototype.",
        ),
        (
            "Supervised wood and metal workshop",
            "A full joinery with table saw, planer and bandsaw, plus a small metal corner with MIG "
            "welding. A technician supervises every session and runs safety inductions in two "
            "languages.",
        ),
        (
            "Machine inductions and digital fabrication course",
            "Short inductions unlock our 3D printers, laser cutter and vinyl cutter. For people "
            "who want to go deeper, we host a node of a distributed six-month digital fabrication "
            "course.",
        ),
        (
            "Prototyping service for small companies",
            "Local firms commission prototypes, jigs and short production runs from our fab lab. "
            "Technicians quote within two days, and members can pick up paid work on these jobs.",
        ),
        (
            "Risograph and letterpress print room",
            "A two-drum risograph, a proof press and cases of wood type. Illustrators and zine "
            "makers book the print room by the half-day, and we sell paper and ink at cost.",
        ),
        (
            "Fab lab mornings for school classes",
            "Every Wednesday morning the makerspace belongs to school classes: pupils design a "
            "keyring or a lamp on screen and watch it come off the laser cutter or 3D printer.",
        ),
    ),
    "incubation": (
        (
            "Six-month creative business incubator",
            "Twelve teams a year join a six-month programme of weekly workshops on business "
            "models, pricing and legal basics. They get a free studio and finish with a demo day "
            "in front of investors and buyers.",
        ),
        (
            "Pre-incubation evenings for graduates",
            "Over ten evenings, recent art and design graduates test an idea: who will pay, how "
            "much, and what to build first. About half continue into our full incubator.",
        ),
        (
            "Incubation for cultural associations",
            "Not every project is a start-up. We incubate young associations and collectives with "
            "help on statutes, governance, grant writing and bookkeeping.",
        ),
        (
            "Studio and start-up support package",
            "Incubated teams get a half-price studio for a year, a named coach, fab lab access and "
            "two introductions a month to clients or partners from our network.",
        ),
        (
            "Game studio incubator",
            "A dedicated track for small game studios, with playtesting nights, a shared library "
            "of dev kits and a publisher day twice a year.",
        ),
        (
            "Acceleration for fashion labels",
            "Each year eight emerging fashion labels work on production, costing and wholesale "
            "with mentors from the industry. The cohort ends with a showroom during the city's "
            "fashion week.",
        ),
        (
            "Outreach incubator for small towns",
            "Our incubator travels: we meet founders in three small towns of the region once a "
            "month and online every week, so nobody has to move to the city to start a creative "
            "business.",
        ),
        (
            "Alumni tracking after incubation",
            "We follow every incubated team for three years after they leave and publish survival "
            "rates, jobs created and turnover. The figures help us win city funding for the next "
            "cohort.",
        ),
        (
            "Spin-off incubation with the art academy",
            "Together with the academy of fine arts we incubate student and alumni ventures. "
            "Participants earn credits recognised by the academy, and our coaches hold office "
            "hours on campus.",
        ),
    ),
    "mentoring": (
        (
            "One-to-one mentoring for founders",
            "Each founder is matched with an experienced mentor from our pool of forty volunteers "
            "and meets them monthly for a year. Mentors are trained in listening and goal setting "
            "before their first session.",
        ),
        (
            "Weekly expert office hours",
            "Every Thursday, lawyers, accountants and marketing specialists hold 30-minute office "
            "hours in our café. Members book a slot the day before and bring one concrete "
            "question.",
        ),
        (
            "Peer mentoring circles",
            "Groups of six founders meet every three weeks with a facilitator and take turns "
            "bringing a problem to the table. Circles run for nine months, and many carry on "
            "meeting afterwards.",
        ),
        (
            "Mentoring for women in creative tech",
            "Women working in games, digital design and creative tech are paired with senior women "
            "from the industry. The programme adds evening meet-ups and a closed online group.",
        ),
        (
            "Career mentoring for early-career artists",
            "Established artists mentor younger colleagues on portfolios, open call applications, "
            "pricing their work and negotiating with galleries.",
        ),
        (
            "Mentor training and recognition",
            "Twice a year we run a two-day training for new mentors. We keep them involved with an "
            "annual dinner and a public thank-you page, and collect mentee feedback after every "
            "session.",
        ),
        (
            "Reverse mentoring with local companies",
            "Young creatives mentor managers from local companies on digital culture and social "
            "media; in return, the managers share their business know-how.",
        ),
        (
            "Cross-border mentoring online",
            "Through our partner network, founders who plan to sell abroad meet a mentor in the "
            "target country for monthly video calls.",
        ),
        (
            "Mentoring for new hub managers",
            "Our director mentors people who are starting creative hubs in smaller cities, "
            "covering finances, building leases, programming and how to avoid burnout.",
        ),
    ),
    "funding": (
        (
            "Creative voucher scheme with local industry",
            "We broker innovation vouchers of up to 5,000 euros that let manufacturers in the "
            "region hire designers and artists from our community; we run two calls a year with "
            "the chamber of commerce.",
        ),
        (
            "Micro-grants for new ideas",
            "Twice a year ten members receive a micro-grant of 1,500 euros to test a new idea. The "
            "application is one page long, and the jury includes two grantees from the previous "
            "round.",
        ),
        (
            "EU grant writing support",
            "Our project officer helps members and partner organisations prepare Creative Europe "
            "and Erasmus+ applications, from partner search to budget, and reviews every draft "
            "before submission.",
        ),
        (
            "Six-week crowdfunding bootcamp",
            "Six weeks of coaching before each campaign: video, rewards, pricing and press. "
            "Campaigns we have coached raised 12,000 euros on average.",
        ),
        (
            "Investor evenings with business angels",
            "Three times a year, business angels and the regional investment fund hear pitches "
            "from creative companies that are ready to raise money.",
        ),
        (
            "Regranting the city's small culture fund",
            "The municipality entrusts us with its small-scale culture fund for grassroots "
            "initiatives. Applications take an hour to write and decisions come within a month.",
        ),
        (
            "Monthly funding clinic",
            "Members sit down with our funding adviser to go through open calls, national grants "
            "and loans for the cultural sector, and leave with a shortlist and deadlines.",
        ),
        (
            "Interest-free equipment loans",
            "A revolving loan fund seeded by a local foundation lends makers up to 8,000 euros at "
            "zero interest to buy equipment. Repayments go straight to the next borrower.",
        ),
        (
            "Match-funding for crowdfunding campaigns",
            "Thanks to a partnership with a regional bank, we top up successful crowdfunding "
            "campaigns by up to 30 per cent, so members test demand before they apply for grants.",
        ),
    ),
    "event-space": (
        (
            "Concert hall for 400 standing",
            "Our former boiler hall holds 400 standing or 220 seated, with a professional PA, a "
            "lighting rig and a bar. It is available for concerts, festivals and conferences, and "
            "members get 40 per cent off the hire fee.",
        ),
        (
            "Black box for rehearsals and performances",
            "A 12 x 14 m black box with sprung floor, full blackout and a lighting grid. Theatre "
            "and dance companies rent it by the week for rehearsals and by the night for shows.",
        ),
        (
            "Open-air season in the courtyard",
            "From June to September the courtyard hosts an open-air cinema, markets and concerts "
            "for up to 600 people. We take care of permits, security and relations with the "
            "neighbours.",
        ),
        (
            "Workshop and meetup rooms",
            "Three rooms for 15 to 60 people with projectors and flexible furniture. Non-profit "
            "meetups use them free on weekday evenings; companies pay a day rate.",
        ),
        (
            "Exhibition gallery with open calls",
            "A 200 m² white-walled gallery with track lighting and a hanging system. Six "
            "exhibition slots a year are open to members and partner hubs, and we help with the "
            "opening and press.",
        ),
        (
            "In-house event production team",
            "Our technicians and producers can run an event from booking to get-out: sound, light, "
            "streaming, catering contacts and access arrangements.",
        ),
        (
            "Streaming studio for hybrid events",
            "Three cameras, a vision mixer and proper sound for livestreamed talks, podcasts and "
            "hybrid conferences. We train members to run the studio themselves.",
        ),
        (
            "Accessible venue hire",
            "Step-free access, an induction loop, accessible toilets and a quiet room in every "
            "event space. An access guide is published for each event.",
        ),
        (
            "Monthly makers' market",
            "On the first weekend of each month the main hall turns into a market for 60 local "
            "makers and designers, with low stall fees for members.",
        ),
    ),
    "residency": (
        (
            "Artist residency with studio flat",
            "Two furnished studio flats on the top floor host artists and designers for one to "
            "three months. Residents receive a production budget of 1,000 euros and close their "
            "stay with an open studio evening.",
        ),
        (
            "Hub manager residency",
            "Managers from other hubs stay with us for two to four weeks. They shadow our team, "
            "sit in on staff meetings and go home with a plan for their own hub.",
        ),
        (
            "Artists in residence at local companies",
            "Artists spend six weeks inside a local company – a porcelain factory, a shipyard, a "
            "bakery – creating new work with the staff. We handle the contracts and the "
            "intellectual property.",
        ),
        (
            "Residency for writers and translators",
            "A quiet room, a desk in the library and introductions to local publishers and book "
            "festivals, for writers and literary translators staying four to eight weeks.",
        ),
        (
            "Rural residency in the hills",
            "Our residency house in a village 40 km from the city hosts artists working with local "
            "people on oral history, crafts and landscape. Two sessions run each summer.",
        ),
        (
            "Reciprocal residency exchange",
            "Every year we swap residents with partner hubs abroad: each hub sends one artist and "
            "hosts one, and covers travel, accommodation and a fee.",
        ),
        (
            "Art and technology residency",
            "Artists working with AI, sound or data spend two months with our engineers and the "
            "fab lab, then present the results at our annual festival.",
        ),
        (
            "Short research stays for curators",
            "One- or two-week stays for curators and producers preparing a project in the region. "
            "We set up meetings, studio visits and site visits in advance.",
        ),
        (
            "Safe-haven residency for displaced artists",
            "Two places a year are reserved for artists who have been forced to leave their "
            "country, with a six-month stay, a monthly stipend and help with visas and paperwork.",
        ),
    ),
    "training": (
        (
            "Digital skills bootcamp",
            "A twelve-week evening course in UX design, web basics and digital marketing for "
            "people moving into the creative industries, taught by working professionals.",
        ),
        (
            "Business basics for artists",
            "Five Saturday workshops on invoicing, tax, contracts, pricing and copyright. "
            "Participants leave with templates they can use the following Monday.",
        ),
        (
            "Train-the-trainer course for hub staff",
            "Three days on facilitation, workshop design and running sessions for mixed groups, "
            "open to staff of other hubs and cultural organisations.",
        ),
        (
            "Summer school in creative entrepreneurship",
            "Ten days, 30 participants from across Europe, lectures, site visits and a team "
            "project with a local company. Most participants come with Erasmus+ support.",
        ),
        (
            "Craft apprenticeships with master makers",
            "Young people spend six months learning bookbinding, weaving or woodturning from "
            "master craftspeople, with a small allowance and a certificate recognised by the "
            "chamber of crafts.",
        ),
        (
            "Host for Erasmus+ learning mobility",
            "We host Erasmus+ trainees, youth workers and staff on job shadowing, each with a "
            "tutor and a weekly learning plan.",
        ),
        (
            "Making and design thinking for teachers",
            "Teachers learn design thinking, making and creative coding in our workshops so they "
            "can bring them into the classroom. The hours count towards their accredited "
            "professional development.",
        ),
        (
            "Creative coding classes",
            "Weekly classes in Processing, p5.js and TouchDesigner for artists and designers, "
            "ending with a public show of student work.",
        ),
        (
            "Upskilling with the employment office",
            "A four-month programme, run with the public employment service, trains long-term "
            "unemployed people in digital production skills and places them in internships with "
            "member companies.",
        ),
    ),
    "business-support": (
        (
            "Legal and IP clinic",
            "A lawyer specialising in copyright and design rights sees members every other Monday. "
            "Typical questions cover licences, client contracts and protecting a brand name.",
        ),
        (
            "Discounted accounting for freelancers",
            "We negotiated a package with a local accountancy firm: freelancers and "
            "micro-companies in the hub get monthly bookkeeping and their annual tax return for a "
            "fixed, reduced fee.",
        ),
        (
            "Pricing and sales workshops",
            "Hands-on sessions where makers and designers calculate their real costs, set prices "
            "and rehearse sales conversations with shop owners and buyers.",
        ),
        (
            "Brokering work with local industry",
            "We match members with manufacturers, tourism businesses and public bodies that need "
            "creative skills, and help both sides write the brief and the contract.",
        ),
        (
            "Shared back office",
            "Invoicing, contracts and payroll on a pay-per-use basis, so small studios do not need "
            "to hire their own administrator.",
        ),
        (
            "Business model reviews",
            "Twice a year an external panel reviews the business models of member companies and "
            "gives written feedback on revenue, costs and growth plans.",
        ),
        (
            "Members' shop and webshop",
            "Our ground-floor shop and webshop sell products designed by members on commission. "
            "Makers receive monthly sales data so they know what sells.",
        ),
        (
            "Help setting up cooperatives",
            "Freelancers who want to work together get step-by-step support to set up a "
            "cooperative, from statutes and governance to opening a bank account.",
        ),
        (
            "Public tender coaching",
            "A tender alert service and hands-on help with the first bids teach small studios to "
            "find and win public contracts from the city and region.",
        ),
    ),
    "audience": (
        (
            "Free Sunday programme for neighbours",
            "Once a month the building opens to the neighbourhood with children's workshops, a "
            "repair café and guided tours of the studios, all free of charge.",
        ),
        (
            "Audience data and newsletter",
            "One contact database, a newsletter with 9,000 subscribers and regular visitor "
            "surveys. Members can test event ideas on our audience panel before they commit.",
        ),
        (
            "Content team for members",
            "Two part-time content producers film members at work, run our social media channels "
            "and help members promote launches, shows and open calls.",
        ),
        (
            "Youth council and programme",
            "A youth council of fifteen teenagers programmes its own events, from game jams to "
            "open mic nights, with its own budget and a staff member to support it.",
        ),
        (
            "Open studios weekend",
            "Once a year all sixty studios open their doors for a weekend of demonstrations, sales "
            "and talks, drawing around 5,000 visitors.",
        ),
        (
            "Audience development coaching",
            "Our audience development officer helps members work out who their audience is, plan a "
            "small campaign and measure the results with simple tools.",
        ),
        (
            "Afternoons for older residents",
            "Weekly afternoons for older people, from a digital help desk to ceramics and dance, "
            "often run together with younger members of the hub.",
        ),
        (
            "Festival co-produced with the city",
            "Each autumn we co-produce a three-day festival with the city and give every member "
            "the chance to show new work to more than 20,000 visitors.",
        ),
        (
            "Friends of the hub scheme",
            "Around 800 friends pay 30 euros a year for discounts, early booking and an annual "
            "party. They are our most loyal audience and a small but steady income.",
        ),
    ),
    "impact": (
        (
            "Impact measurement framework",
            "We track a set of impact indicators – jobs, turnover, new collaborations and "
            "wellbeing – and publish an annual impact report. Our survey templates are free for "
            "other hubs to use.",
        ),
        (
            "Programme for creative social enterprises",
            "Coaching on impact models and introductions to social investors for creative "
            "enterprises working on housing, inclusion or the environment.",
        ),
        (
            "Circular materials library",
            "Offcuts and surplus materials collected from local factories are sorted, stored and "
            "sold cheaply to members. We report the tonnes of waste diverted every year.",
        ),
        (
            "Green hub audit",
            "We audit our own energy use, waste and travel every year. Other hubs can use our "
            "carbon calculator and join a half-day workshop on greening their operations.",
        ),
        (
            "Arts and health programme",
            "Artists run weekly sessions on hospital wards and in care homes, co-designed with "
            "medical staff and evaluated together with the medical university.",
        ),
        (
            "Participatory design with residents",
            "We run participatory design projects on squares, bus stops and playgrounds with "
            "residents and the city's planning department.",
        ),
        (
            "Inclusion of migrant and refugee creatives",
            "Free desks, workshops and mentoring for creative newcomers, with language support and "
            "introductions to the local scene.",
        ),
        (
            "Theory of change workshops",
            "We facilitate theory of change sessions for members and partner organisations, "
            "turning a mission statement into outcomes and indicators they can report on.",
        ),
        (
            "Policy briefs from hub data",
            "Our data on members, jobs and visitors becomes short policy briefs for the city and "
            "region, showing the economic and social value of the creative sector.",
        ),
    ),
    "internationalisation": (
        (
            "Joint stands at international fairs",
            "Twice a year we take members to international trade fairs on a shared stand – design "
            "in Milan, games in Cologne – covering the stand costs and coaching pitches.",
        ),
        (
            "Partner search for EU projects",
            "Active in several European networks, we help members and other hubs find partners for "
            "EU cooperation projects through our partner database and matchmaking calls.",
        ),
        (
            "Export readiness programme",
            "Four months of market research, export pricing and contract basics for studios "
            "preparing to sell abroad, ending with a trip to a target market.",
        ),
        (
            "Study visits for international delegations",
            "We design study visits for delegations of hubs, cities and ministries, with tours, "
            "meetings with members and a programme tailored to their questions.",
        ),
        (
            "Mobility fund for members",
            "A small mobility fund covers travel and accommodation for members attending "
            "festivals, fairs and residencies abroad. The application takes ten minutes.",
        ),
        (
            "Soft landing for foreign creatives",
            "Creative companies from abroad get a desk for three months, introductions to clients, "
            "help with registration and a local mentor.",
        ),
        (
            "Cross-border co-productions with partner hubs",
            "We co-produce exhibitions and events with hubs in neighbouring countries, sharing the "
            "costs and touring the work on both sides of the border.",
        ),
        (
            "Online showcase of members' work",
            "An English-language online catalogue of members' portfolios, promoted to buyers and "
            "festival programmers in other countries.",
        ),
        (
            "Language and intercultural training",
            "English courses designed for creative professionals, plus intercultural workshops "
            "before members travel abroad for work.",
        ),
    ),
}

# What a hub wants to learn or get, and why, per service category: (title, description).
NEED_TEXTS: dict[str, tuple[tuple[str, str], ...]] = {
    "coworking": (
        (
            "Turning desk renters into a community",
            "Our coworking space is full, yet members work side by side without talking. We want "
            "to learn how other hubs use community managers, member events and onboarding to get "
            "people collaborating.",
        ),
        (
            "Pricing membership fairly",
            "We have never revised our membership prices and cannot tell whether hot desks "
            "subsidise the studios or the other way round. We would like to compare membership "
            "tiers, day passes and occupancy with a hub of similar size.",
        ),
        (
            "Filling desks on quiet days",
            "Our hot desks are packed on Tuesdays and Wednesdays and empty on Mondays and Fridays. "
            "We are looking for part-time membership and day pass models that even out occupancy.",
        ),
        (
            "Desk swap for remote-working members",
            "Several members work remotely and would like to spend a few weeks at a hot desk in "
            "another country. We are looking for a partner coworking space for a reciprocal desk "
            "swap, and would host their members in return.",
        ),
        (
            "Quiet space in a noisy building",
            "Our open-plan coworking floor is so loud that writers and translators are leaving. We "
            "need advice on phone booths, quiet rooms and acoustic fixes that don't cost a "
            "fortune.",
        ),
        (
            "Choosing a booking system",
            "Desks and meeting rooms are still booked through a shared spreadsheet. We want to "
            "find out which booking and membership software hubs like ours use, and what it costs.",
        ),
        (
            "Coworking that works for parents",
            "Many freelancers around us have young children. We would like to see how a hub runs "
            "family-friendly coworking with a children's corner and still keeps the space calm for "
            "everyone else.",
        ),
        (
            "Turning desks into maker studios",
            "We only offer desks but keep getting requests from ceramicists and furniture makers. "
            "We want to understand what it takes to convert space into studios for makers, from "
            "power supply to rental terms.",
        ),
        (
            "Affordable desks for artists and students",
            "We want to offer cheaper desks to students and low-income artists, but our budget is "
            "tight. How do other hubs fund sliding-scale membership without running at a loss?",
        ),
    ),
    "fablab": (
        (
            "Running a laser cutter safely",
            "We have funding for our first laser cutter and CNC router, but nobody on the team has "
            "run a workshop. We want to learn about fume extraction, machine inductions and "
            "insurance from a working fab lab.",
        ),
        (
            "Making the fab lab pay its way",
            "Our 3D printers and laser cutter sit idle most of the week. We want to see how other "
            "fab labs price machine time, sell prototyping to companies and keep a technician on "
            "the payroll.",
        ),
        (
            "Advice before buying textile machines",
            "Our fashion community is asking for a textile lab. Before we invest in a digital "
            "embroidery or knitting machine, we would like to spend time in a hub that already "
            "runs one.",
        ),
        (
            "Ceramics studio and kiln know-how",
            "We are building a ceramics studio and need practical advice on choosing a kiln, "
            "ventilation, glaze storage and sharing firing costs among members.",
        ),
        (
            "Training our fab lab technicians",
            "Our volunteer technicians keep leaving. We are looking for a hub that could host one "
            "of our staff for a few weeks to learn machine maintenance, safety inductions and "
            "workshop management.",
        ),
        (
            "School workshops in the makerspace",
            "Teachers keep asking to bring classes to our makerspace, but we have no programme for "
            "pupils. We want to adapt a tested format for school workshops with 3D printers and "
            "laser cutting.",
        ),
        (
            "Setting up a print room",
            "We want to add a risograph and a small letterpress for our illustrators. We need "
            "advice on finding machines, ink and paper, and on pricing print sessions.",
        ),
        (
            "Electronics help for product designers",
            "Product designers in our community get stuck as soon as a prototype needs "
            "electronics. We want to learn how a fab lab runs an electronics bench with Arduino "
            "and soldering support.",
        ),
        (
            "Supervising a wood workshop",
            "We have inherited a joinery full of saws and planers but have no supervision model. "
            "How do other hubs organise technicians, safety rules and bookings for a wood and "
            "metal workshop?",
        ),
    ),
    "incubation": (
        (
            "Designing our first incubation programme",
            "We have space and a motivated community but no structured incubator. We want to learn "
            "how to select a cohort, build a curriculum for creative start-ups and organise a demo "
            "day.",
        ),
        (
            "Incubating associations, not just companies",
            "Most of our founders run collectives and associations rather than companies. We are "
            "looking for a hub that has adapted incubation to cultural NGOs, their governance and "
            "their funding.",
        ),
        (
            "Supporting teams after the incubator",
            "Our teams struggle once they leave the programme. We would like to see how others "
            "support alumni and measure survival rates and jobs after incubation.",
        ),
        (
            "Choosing which start-ups to incubate",
            "Our incubator gets plenty of applications, but we pick teams by gut feeling. We want "
            "to learn the selection criteria and interview formats used by experienced creative "
            "incubators.",
        ),
        (
            "Incubation for game developers",
            "More and more small game studios are asking us for support. We need to understand "
            "what a game studio incubator offers, from playtesting to publisher contacts.",
        ),
        (
            "Reaching founders in small towns",
            "Creative entrepreneurs in rural towns cannot travel to our incubator every week. We "
            "want to learn how an outreach or remote incubation model works in practice.",
        ),
        (
            "Keeping art graduates in the region",
            "Graduates of our art academy leave because nobody helps them start a business. We "
            "want to build a pre-incubation programme with the academy and are looking for a model "
            "to follow.",
        ),
        (
            "Start-up support for fashion labels",
            "Young fashion designers around us need help with production, costing and wholesale. "
            "We would like to study an acceleration programme built for fashion labels.",
        ),
        (
            "Funding the incubator long term",
            "Our incubator depends on a single EU grant that ends next year. We want to learn how "
            "other hubs finance incubation through the city, sponsors or a share of revenue.",
        ),
    ),
    "mentoring": (
        (
            "A mentoring programme that lasts",
            "Our volunteer mentors drift away after a few months. We want to see how an "
            "established hub recruits, trains and thanks mentors so founders get support for a "
            "whole year.",
        ),
        (
            "Better matching of mentors and mentees",
            "We pair founders with mentors by instinct, and half of the pairs fizzle out. We want "
            "to learn a method for matching mentor and mentee and agreeing goals from the start.",
        ),
        (
            "Starting peer mentoring circles",
            "We cannot afford paid mentors, so we want to try peer mentoring circles. We would "
            "like to see how a hub facilitates them and keeps them going for months.",
        ),
        (
            "Mentors for women founders",
            "Women are under-represented in our games and digital design community. We want to "
            "build a mentoring programme for women in creative tech and learn from one that works.",
        ),
        (
            "Expert advice without consultant fees",
            "Members keep asking legal, tax and accounting questions we cannot answer. How do "
            "other hubs organise expert office hours without paying consultants?",
        ),
        (
            "Mentoring for our hub manager",
            "Our hub is two years old and our manager is learning everything alone. We are looking "
            "for an experienced hub director willing to mentor us on finances, programming and "
            "leases.",
        ),
        (
            "Career guidance for young artists",
            "Early-career artists in our city lack guidance on portfolios, open calls and pricing "
            "their work. We want to set up artist-to-artist career mentoring.",
        ),
        (
            "Mentors who know foreign markets",
            "Our founders want to sell abroad, but our volunteer mentors only know the local "
            "market. We would like to pair founders with mentors in other countries for regular "
            "one-to-one mentoring calls.",
        ),
        (
            "Getting business people involved",
            "Local companies are willing to help creatives but don't know how. We want to learn "
            "formats such as reverse mentoring that bring managers and creatives together.",
        ),
    ),
    "funding": (
        (
            "Creative vouchers for local industry",
            "We would like to start a voucher scheme that lets manufacturers hire designers and "
            "artists. We want to learn how others set up innovation vouchers with a chamber of "
            "commerce or regional agency.",
        ),
        (
            "Writing our first EU application",
            "We have never led a Creative Europe or Erasmus+ application. We are looking for a hub "
            "with grant writing experience to guide us on building the partnership and the budget.",
        ),
        (
            "Less dependence on one grant",
            "Over 70 per cent of our budget comes from a single municipal grant. We want to learn "
            "how other hubs raise funding from vouchers, loans, investors and smaller grants so "
            "that one decision at the city hall cannot close them.",
        ),
        (
            "Running micro-grants for members",
            "We have a small budget for micro-grants but no process. We want to learn how to run a "
            "simple call, choose a jury and follow up on the funded projects.",
        ),
        (
            "Crowdfunding that reaches its target",
            "Several members ran crowdfunding campaigns that failed. We want to learn how a hub "
            "coaches campaigns, and whether match-funding from a bank or foundation is realistic "
            "for us.",
        ),
        (
            "Bringing investors to the hub",
            "Our creative companies never meet investors. We would like to understand how hubs "
            "organise investor evenings and prepare founders to pitch to business angels.",
        ),
        (
            "Regranting public money fairly",
            "Our city wants us to manage a small culture fund for grassroots groups. We need to "
            "learn how to regrant public money fairly, quickly and with proper reporting.",
        ),
        (
            "Loans for makers' equipment",
            "Makers in our community cannot get bank loans for machines. We want to see how a "
            "revolving loan fund for equipment works, and who guarantees it.",
        ),
        (
            "Keeping track of open calls",
            "Members miss deadlines and don't know which grants fit them. We would like to set up "
            "a funding clinic and need to know how others track open calls and national grants.",
        ),
    ),
    "event-space": (
        (
            "Renting out our hall professionally",
            "We have a large hall that stays empty most nights. We want to learn how other hubs "
            "price event space hire, write rental contracts and manage technicians and security.",
        ),
        (
            "Concerts without angry neighbours",
            "Our concerts keep drawing complaints. We want to see how a venue in a residential "
            "area manages sound limits, permits and relations with neighbours.",
        ),
        (
            "Converting a warehouse into a black box",
            "We want to turn a warehouse into a black box for rehearsals and performances. We need "
            "advice on floors, lighting grids and what dance and theatre companies really need.",
        ),
        (
            "Hybrid events on a small budget",
            "Many people who follow our talks cannot come in person. We want to build a modest "
            "streaming setup for hybrid events and train staff to run it.",
        ),
        (
            "Making our venue accessible",
            "Our event space is hard to use for wheelchair users and people with hearing "
            "impairments. We want to learn from a venue where accessibility is part of every "
            "event.",
        ),
        (
            "Starting an open-air summer programme",
            "We would like to use our courtyard for summer cinema and concerts but know little "
            "about permits, capacity and safety. We want to visit a hub that runs an open-air "
            "season.",
        ),
        (
            "A gallery people actually visit",
            "Our exhibition space is underused. We want to learn how a hub curates a gallery "
            "programme with open calls, openings and press coverage.",
        ),
        (
            "Launching a makers' market",
            "Members want to sell their work, so we would like to start a monthly market. How do "
            "others set stall fees, select makers and promote a market?",
        ),
        (
            "Building an event production team",
            "We rely on volunteers for sound and light, and events often go wrong. We want to "
            "learn how to build a small, reliable event production team.",
        ),
    ),
    "residency": (
        (
            "Opening our first artist residency",
            "We have two empty rooms and want to open an artist residency. We would like to learn "
            "about open calls, contracts, residents' budgets and what makes a residency genuinely "
            "useful to artists.",
        ),
        (
            "A residency for our manager",
            "Our manager needs to see another hub from the inside. We are looking for a manager "
            "residency or shadowing visit of two to four weeks.",
        ),
        (
            "Bringing artists into factories",
            "Local manufacturers are curious about working with artists. We want to learn how a "
            "residency inside a company is organised, including contracts and intellectual "
            "property.",
        ),
        (
            "Sending our artists abroad",
            "Our artists rarely travel. We want a reciprocal residency exchange with a hub in "
            "another country, sharing travel and accommodation costs.",
        ),
        (
            "Residencies in surrounding villages",
            "We want to host artists in the villages around our city to work with local people. We "
            "would like to visit a rural residency programme and see how it involves residents.",
        ),
        (
            "Hosting artists at risk",
            "We would like to offer residencies to artists at risk or displaced by war, and need "
            "advice on stipends, visas, paperwork and care.",
        ),
        (
            "Residency for art and technology",
            "Our engineers and fab lab could host artists who work with technology. We want to "
            "learn how art and tech residencies are structured and how the results are presented.",
        ),
        (
            "Connecting residents with the city",
            "Our artists in residence come and go without the city noticing. We want ideas for "
            "open studio evenings, talks and collaborations that give each residency a local "
            "audience.",
        ),
        (
            "Welcoming writers and translators",
            "Our city has a strong book scene, and we would like to host a writers' and "
            "translators' residency. What do residents need, and how are they selected?",
        ),
    ),
    "training": (
        (
            "Building a training curriculum",
            "We run workshops on request but have no real curriculum. We want to learn how a hub "
            "designs a course in business or digital skills and gets it certified.",
        ),
        (
            "Training for our trainers",
            "Our staff facilitate workshops without any training in facilitation. We are looking "
            "for a train-the-trainer course or a visit to learn methods that work with mixed "
            "groups.",
        ),
        (
            "Hosting Erasmus+ trainees",
            "We want to host Erasmus+ trainees and job shadowing participants but don't know the "
            "paperwork or how to plan their learning. We would like to learn from an experienced "
            "host.",
        ),
        (
            "Passing on traditional crafts",
            "Master craftspeople in our region are retiring without apprentices. We want to set up "
            "an apprenticeship scheme like those running in other hubs.",
        ),
        (
            "Accredited training for teachers",
            "We want to train teachers in making and design thinking so that our methods reach "
            "classrooms. How do other hubs get teacher training accredited?",
        ),
        (
            "Organising an international summer school",
            "We plan a summer school on creative entrepreneurship. We would like to see how others "
            "recruit participants, build the programme and cover the costs.",
        ),
        (
            "Skills courses for job seekers",
            "The employment office wants to partner with us on upskilling unemployed people. We "
            "need a model for digital skills training that leads to internships.",
        ),
        (
            "Business training for artists",
            "Artists in our community don't know how to invoice, price their work or read a "
            "contract. We want to set up practical business skills workshops.",
        ),
        (
            "Teaching creative coding to non-programmers",
            "Designers want to learn creative coding and tools like TouchDesigner. We would like "
            "to learn how a hub structures coding classes for people with no programming "
            "background.",
        ),
    ),
    "business-support": (
        (
            "Legal help on copyright and contracts",
            "Our members keep signing bad contracts and losing the rights to their work. We want "
            "to set up a legal clinic on copyright, licences and IP, and learn how others pay for "
            "it.",
        ),
        (
            "Taking bookkeeping off freelancers' hands",
            "Freelancers in our hub spend far too much time on bookkeeping and tax. We would like "
            "to know how other hubs negotiate accounting packages or run a shared back office.",
        ),
        (
            "Helping makers price their work",
            "Our makers undercharge and burn out. We want a pricing and sales workshop format that "
            "helps them calculate real costs and sell to shops.",
        ),
        (
            "Links with regional industry",
            "We want our members to win paid work from manufacturers, tourism businesses and "
            "public bodies in the region. How do hubs broker these commissions and help both sides "
            "agree a brief and a contract?",
        ),
        (
            "Selling members' products",
            "We are thinking of opening a shop and webshop for products made by members. We would "
            "like to learn about commission rates, stock and what actually sells.",
        ),
        (
            "Winning public tenders",
            "Public procurement is a big market, but our studios never bid. We want to learn how a "
            "hub coaches members to find and win public tenders.",
        ),
        (
            "Support for a new cooperative",
            "Several freelancers want to form a cooperative. We need advice on statutes and "
            "governance, and on how other hubs support cooperatives once they are running.",
        ),
        (
            "Helping small studios grow",
            "Many member companies stay tiny for years. We want to learn how hubs review business "
            "models and help studios grow their revenue.",
        ),
        (
            "Shared admin for small studios",
            "Small studios cannot afford an administrator. We want to offer shared invoicing, "
            "contracts and payroll services and are looking for a back-office model that works.",
        ),
    ),
    "audience": (
        (
            "Reaching beyond our usual crowd",
            "Our audience is young, urban and already into culture. We want to learn how other "
            "hubs reach neighbours, families and older people.",
        ),
        (
            "Getting to know our audience",
            "We collect no visitor data and cannot tell who comes to our events. We would like to "
            "learn about simple audience surveys, a contact database and using newsletter data.",
        ),
        (
            "Social media with a tiny team",
            "Nobody runs our social media and our events are half empty. We want to learn how hubs "
            "produce content and promote their members' work.",
        ),
        (
            "Giving young people a voice",
            "Teenagers in our city have few places to go. We would like to learn how a youth "
            "council or youth programme works inside a creative hub.",
        ),
        (
            "Organising an open studios weekend",
            "We want an open studios weekend to bring the public into the building. How do hubs "
            "coordinate members, sales and thousands of visitors?",
        ),
        (
            "Audience coaching for members",
            "Members ask us to help them find an audience for their shows and products. We want to "
            "learn how to offer audience development coaching.",
        ),
        (
            "Starting a friends scheme",
            "We would like to build a loyal audience through a friends or supporters scheme and "
            "need to know which benefits and fees work.",
        ),
        (
            "Winning over the neighbourhood",
            "Neighbours see our hub as a place for insiders. We want to build a neighbourhood "
            "programme with repair cafés, children's workshops and open days.",
        ),
        (
            "Growing our festival audience",
            "Our festival is stuck at a few hundred visitors. We want to learn how a hub "
            "co-produces a festival with the city and grows its audience year on year.",
        ),
    ),
    "impact": (
        (
            "Measuring our impact",
            "Funders ask for impact indicators, and all we count is visitors. We want to learn how "
            "other hubs measure jobs, collaborations and social impact and write an impact report.",
        ),
        (
            "Greening the hub",
            "Our building is cold in winter and our events create a lot of waste. We want to learn "
            "how hubs audit their carbon footprint and make their operations greener.",
        ),
        (
            "A store for reclaimed materials",
            "Local factories throw away good materials. We want to set up a materials library for "
            "reuse and need to know about storage, pricing and logistics.",
        ),
        (
            "Working with hospitals and care homes",
            "We want to start an arts and health programme but don't know how to approach "
            "hospitals or evaluate the results.",
        ),
        (
            "Welcoming newcomers to the creative scene",
            "Many migrants and refugees in our city have creative skills but no network. We want "
            "to learn how hubs include them in their community and programmes.",
        ),
        (
            "A theory of change for our hub",
            "Our team cannot agree on what success looks like. We would like to go through a "
            "theory of change process with an experienced facilitator.",
        ),
        (
            "Convincing the city with evidence",
            "Our city does not see the value of the creative sector. We want to learn how hubs "
            "turn their data into evidence and policy briefs.",
        ),
        (
            "Supporting social enterprises",
            "Members want to tackle social and environmental challenges. We want to learn how to "
            "support creative social enterprises and connect them with social investors.",
        ),
        (
            "Involving residents in public space",
            "The city has asked us to involve residents in redesigning public spaces. We want to "
            "learn participatory design methods from a hub with experience.",
        ),
    ),
    "internationalisation": (
        (
            "Partners for our first EU project",
            "We want to join a European cooperation project but have no international partners "
            "yet. We are looking for hubs to help with partner search and a first joint "
            "application.",
        ),
        (
            "Helping members sell abroad",
            "Our designers want to export but don't know foreign markets. We want to learn how a "
            "hub runs an export readiness programme and joint stands at trade fairs.",
        ),
        (
            "Funding travel for our community",
            "Members rarely travel because of the cost. We would like to set up a mobility fund "
            "and learn how others pay for trips to festivals and residencies abroad.",
        ),
        (
            "Attracting creative companies from abroad",
            "Our city wants to attract foreign creative companies. We want to see how a soft "
            "landing programme with desks, introductions and mentoring works.",
        ),
        (
            "Co-producing across the border",
            "We want to tour exhibitions and co-produce events with hubs in neighbouring "
            "countries, and need advice on sharing costs and logistics.",
        ),
        (
            "Hosting study visits",
            "We receive more and more requests for study visits but have no time to organise them. "
            "We want to learn how hubs host international delegations and charge for them.",
        ),
        (
            "Showing members' work internationally",
            "Our members' portfolios exist only in the local language. We want to build an online "
            "showcase in English that reaches buyers and programmers abroad.",
        ),
        (
            "Choosing European networks",
            "We don't know which European networks of creative hubs are worth joining. We would "
            "value advice from a hub that is active in several networks.",
        ),
        (
            "Language skills for working abroad",
            "Our staff and members lack the English to work internationally. We want to learn "
            "about language and intercultural training designed for creative professionals.",
        ),
    ),
}

PROJECT_TITLES: tuple[str, ...] = (
    "Makers of the Danube: Shared FabLab Curricula",
    "Creative Voucher Exchange for Rural Regions",
    "Hubs in Transition: Greening Creative Workspaces",
    "Baltic Creative Bridges",
    "Adriatic Makers Network",
    "Shadowing the Future: Peer Learning for Hub Managers",
    "Crafting Tomorrow: Heritage Skills for Young Makers",
    "Open Doors: Creative Hubs as Neighbourhood Anchors",
    "Residencies Without Borders",
    "Black Sea Creative Routes",
    "Measuring What Matters: Impact Tools for Creative Hubs",
    "From Mill to Lab: Regenerating Industrial Heritage",
    "Code, Clay and Cloth: Women in Creative Tech",
    "Rural Creative Incubators Alliance",
    "Pixels and Patterns: Digital Textiles Across Europe",
    "Creative Ports: Harbour Cities in Transition",
    "Ceramics Revival Network",
    "The Circular Studio: Materials Reuse in Creative Hubs",
    "Young Audiences Lab",
    "Freelance Futures: Business Skills for Creatives",
    "Balkan Design Exchange",
    "Nordic-Baltic Hub Manager Residencies",
    "Creative Borderlands: Cross-border Co-productions",
    "Art Meets Industry: Residencies in Manufacturing",
    "Hub Academy: Training for Creative Space Managers",
    "Games Beyond Capitals",
    "Mediterranean Makers Routes",
    "Carpathian Crafts Lab",
    "Creative Spaces for Inclusion",
    "Culture for Health: Arts in Care Settings",
    "Repair, Reuse, Reimagine",
    "Danube Sound Residencies",
    "Atlantic Creative Coast",
    "Mountain Hubs: Creativity in Remote Areas",
    "Open Heritage: 3D Scanning Local Collections",
    "Scaling Creative Social Enterprises",
    "Eastern Partnership Creative Hubs Forum",
    "Kiln to Market: Ceramic Makers Going Abroad",
    "Second Cities: Creative Hubs Beyond the Capital",
    "Mentors Across Borders",
)

PROJECT_PROGRAMMES: tuple[str, ...] = (
    "Creative Europe – Cooperation projects",
    "Creative Europe – Networks",
    "Creative Europe – Platforms",
    "Interreg Central Europe",
    "Interreg MED",
    "Interreg Danube Transnational Programme",
    "Interreg Baltic Sea Region",
    "Interreg North Sea Region",
    "Interreg Alpine Space",
    "Interreg Europe",
    "Erasmus+ KA1 – Learning mobility",
    "Erasmus+ KA2",
    "Erasmus for Young Entrepreneurs",
    "Horizon 2020",
    "Horizon Europe",
    "COSME",
    "Europe for Citizens",
    "EEA and Norway Grants",
)
