"""Near-miss names: when two spellings are one name ("Zelinski"/"Zelenskyy", "Witkev"/"Witkoff").

Garbled names in machine-translated articles and typos in questions both need it; the BM25
index finds candidates among its vocabulary with rapidfuzz, everyone uses `similarity` to judge
them.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Indel, Levenshtein

FUZZY_MIN_RATIO = 0.7  # Indel ratio (as difflib's); "kiir"/"keir" and "mirz"/"merz" are 0.75
TYPO_RATIO = 0.85  # one letter dropped, doubled or changed in a word of four letters or more
FUZZY_MIN_LEN = 4
SOUNDALIKE_MIN_LEN = 5  # "witkev"/"witkoff" (0.62) passes as a sound-alike; "merz"/"merci" not


def similarity(a: str, b: str) -> float:
    """Spelling similarity of two terms (rapidfuzz's Indel ratio, as difflib's), 0 when they
    cannot be variants of one another.

    People rarely get the first letter of a name wrong, and the gate keeps short common words
    from matching everything ("pope" never matches "hope"). Some shapes of high ratio are other
    words, not misspellings: a block of letters inside one word ("austria"/"australia"), a
    short word's last letter ("iran"/"iraq"), and, past a one-letter typo, a different number
    of syllables ("polaroid"/"pollard": a name heard and written again keeps its beats). A name
    heard rather than read may score low yet sound the same ("witkev"/"witkoff", 0.62): it
    passes at the threshold when the first three letters agree, the lengths are close and the
    consonants sound alike.
    """
    if a == b:
        return 1.0
    if a[:1] != b[:1] or min(len(a), len(b)) < FUZZY_MIN_LEN or abs(len(a) - len(b)) > 3:
        return 0.0
    edits = [
        (op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
        for op in Levenshtein.opcodes(a, b)
        if op.tag != "equal"
    ]
    ratio = float(Indel.normalized_similarity(a, b))
    if _other_word(a, b, edits) or _other_beats(a, b, edits, ratio):
        return 0.0
    if ratio < FUZZY_MIN_RATIO and _sounds_alike(a, b):
        return FUZZY_MIN_RATIO
    return ratio


def _other_word(a: str, b: str, edits: list[tuple[str, int, int, int, int]]) -> bool:
    """One edit that makes another word rather than a typo: a block of two or more letters
    added inside ("austria"/"australia"), or the last letter of a short word ("iran"/"iraq")."""
    if len(edits) != 1:
        return False
    tag, i1, i2, j1, j2 = edits[0]
    if tag in ("insert", "delete") and max(i2 - i1, j2 - j1) >= 2:
        return i2 < len(a) and j2 < len(b)  # inside both words, not a suffix
    return tag == "replace" and max(len(a), len(b)) <= 4 and i1 == len(a) - 1 == j1


def _other_beats(a: str, b: str, edits: list[tuple[str, int, int, int, int]], ratio: float) -> bool:
    """More than a one-letter typo inside the word, and a different number of syllables
    ("polaroid"/"pollard"). An ending added is not counted ("steve"/"steven", "stubbs")."""
    if ratio >= TYPO_RATIO or _beats(a) == _beats(b):
        return False
    suffix = len(edits) == 1 and edits[0][0] in ("insert", "delete")
    return not (suffix and edits[0][2] == len(a) and edits[0][4] == len(b))


_VOWELS = re.compile(r"[aeiouy]+")


def _beats(term: str) -> int:
    """Syllables, roughly: runs of vowels ("pollard" 2, "polaroid" 3, "volodymyr" 4)."""
    return len(_VOWELS.findall(term))


# Consonants grouped by how they sound (Soundex's classes); vowels, h, w and y carry no code.
_SOUND = str.maketrans("bfpvcgjkqsxzdtlmnr", "111122222222334556", "aeiouyhw")


def _sounds_alike(a: str, b: str) -> bool:
    """Same first three letters, lengths within two, and the same consonant sounds after."""
    if min(len(a), len(b)) < SOUNDALIKE_MIN_LEN or abs(len(a) - len(b)) > 2 or a[:3] != b[:3]:
        return False
    return _sound_key(a) == _sound_key(b)


def _sound_key(term: str) -> str:
    codes = term[1:].translate(_SOUND)
    return term[0] + "".join(c for i, c in enumerate(codes) if i == 0 or c != codes[i - 1])
