"""Hubs: a hub as a plain record and its validation (`records`), a manager's edits of the
profile, services, needs and windows (`profiles`), the directory (`directory`), the network
pictures (`network_picture`), the hubs CSV (`csv_file`, `csv_rows`), CORDIS project history
(`cordis`) and the taxonomies a network starts with (`taxonomy`)."""
