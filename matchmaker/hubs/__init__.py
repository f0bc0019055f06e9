"""Hubs: a hub as a plain record and its validation (`records`), a manager's edits of the
profile, services, needs and windows (`profiles`), the directory (`directory`) and its
search (`search`, `search_text`, `search_index`), the network pictures
(`network_picture`), the hubs CSV (`csv_file`, `csv_rows`), CORDIS project history
(`cordis`) and the taxonomies a network starts with (`taxonomy`)."""

# Whatever writes hubs imports this package: the search text is kept from the first write.
from matchmaker.hubs import search_index as search_index
