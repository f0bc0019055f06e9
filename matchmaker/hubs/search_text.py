"""Text as the directory's search compares it: folded (case and accents gone, punctuation
as spaces) so that "Kobenhavn" finds "København" and "CAFE" finds "café", whichever side
carries the accent.

Stored text is " word word ... " (a space before every word), so a query word matches the
start of any stored word with one substring test: `" laser"` finds "lasers" and "laser
cutting" but not "blaser". Query words lose a plural ending ("ceramics" → "ceramic",
"studies" → "stud", "study" → "stud"), which the prefix test then finds in singular and
plural alike.
Plain functions, shared by the index writer, the query and the tests.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Letters that Unicode does not decompose into a base letter and an accent.
LETTERS = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ł": "l",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŋ": "n",
    }
)
NOT_WORD = re.compile(r"[\W_]+")
# Words a query may carry that say nothing about a hub ("hubs with a laser cutter").
STOP_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "any",
        "at",
        "by",
        "for",
        "from",
        "hub",
        "hubs",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "who",
        "that",
    }
)
MAX_WORDS = 8  # a pasted paragraph is not a search


def fold(text: str) -> str:
    """Lower case, no accents, words separated by one space, with a space before each."""
    lowered = unicodedata.normalize("NFKD", text.casefold()).translate(LETTERS)
    bare = "".join(c for c in lowered if not unicodedata.combining(c))
    words = NOT_WORD.sub(" ", bare).split()
    return " " + " ".join(words) + " " if words else ""


def fold_all(texts: Iterable[str | None]) -> str:
    """Texts folded into one, each distinct word once: a search tests words, not
    phrases, and a shorter text is a faster scan."""
    words = dict.fromkeys(fold(" ".join(text for text in texts if text)).split())
    return " " + " ".join(words) + " " if words else ""


def stem(word: str) -> str:
    """A plural ending off, conservatively: the prefix test finds the other forms."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3]
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if len(word) > 4 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1]  # "gallery" finds "galleries"
    return word


def query_words(query: str) -> list[str]:
    """The distinct words a search must find, folded and stemmed, in the query's order;
    stop words only when the query has nothing else."""
    words = fold(query).split()
    meaningful = [word for word in words if word not in STOP_WORDS] or words
    unique = dict.fromkeys(stem(word) for word in meaningful)
    return list(unique)[:MAX_WORDS]
