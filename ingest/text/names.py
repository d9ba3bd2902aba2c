"""Near-miss names: when two spellings are one name ("Zelinski"/"Zelenskyy", "Witkev"/"Witkoff").

Garbled names in machine-translated articles and typos in questions both need it; the BM25
index uses `char_grams` to find candidates, everyone uses `similarity` to judge them.
"""

from __future__ import annotations

from difflib import SequenceMatcher

FUZZY_MIN_RATIO = 0.7  # difflib ratio; "kiir"/"keir" and "mirz"/"merz" are 0.75
FUZZY_MIN_LEN = 4
SOUNDALIKE_MIN_LEN = 5  # "witkev"/"witkoff" (0.62) passes as a sound-alike; "merz"/"merci" not


def similarity(a: str, b: str) -> float:
    """Spelling similarity of two terms, 0 when they cannot be variants of one another.

    People rarely get the first letter of a name wrong, and the gate keeps short common words
    from matching everything ("pope" never matches "hope"). Two shapes of high ratio are other
    words, not misspellings: a block of letters inside one word ("austria"/"australia") and a
    short word's last letter ("iran"/"iraq"). A name heard rather than read may score low yet
    sound the same ("witkev"/"witkoff", 0.62): it passes at the threshold when the first three
    letters agree, the lengths are close and the consonants sound alike.
    """
    if a == b:
        return 1.0
    if a[:1] != b[:1] or min(len(a), len(b)) < FUZZY_MIN_LEN or abs(len(a) - len(b)) > 3:
        return 0.0
    matcher = SequenceMatcher(None, a, b)
    if _other_word(a, b, [op for op in matcher.get_opcodes() if op[0] != "equal"]):
        return 0.0
    ratio = matcher.ratio()
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


def char_grams(term: str) -> list[str]:
    """Character 2- and 3-grams with boundary marks: the fuzzy index's tokens."""
    padded = f"#{term}#"
    return [padded[i : i + n] for n in (2, 3) for i in range(len(padded) - n + 1)]
