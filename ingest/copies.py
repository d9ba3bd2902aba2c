"""Syndicated copies: one wire story under several names, found by MinHash over its words.

Why MinHash: a copy is rarely byte-identical (another headline, a dateline, "Reporting by ..."
added, a word changed), so the file hash misses it; comparing every pair of texts does not scale.
Each article's cleaned text becomes the set of its 3-word shingles; 128 seeded hash functions
keep the smallest value each (the signature, stored with the article's manifest entry), and the
share of equal positions in two signatures estimates the Jaccard similarity of the two sets.
Locality-sensitive banding (32 bands of 4) finds candidate pairs without comparing all pairs; a
candidate is a copy when the estimate reaches `THRESHOLD`. Figures weigh more than words (see
`shingles`), so templated notices with other numbers stay apart.

A copy is indexed as a manifest entry pointing at its original (`copy_of`), with no chunks of
its own: it is not embedded, retrieval finds the original once, and the answer lists the copies'
outlets beside it ("also in: ...").
"""

from __future__ import annotations

import base64
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

SHINGLE = 3  # words per shingle
PERMUTATIONS = 128
BANDS = 32  # of PERMUTATIONS // BANDS rows each: pairs above ~0.45 similar become candidates
THRESHOLD = 0.7  # estimated Jaccard of the shingle sets at which a text is a copy
FIGURE_WEIGHT = 3  # each figure counts as this many shingles
_PRIME = (1 << 32) + 15  # a prime above every 32-bit shingle hash: exact modular hashing
_rng = np.random.default_rng(20250819)  # fixed: signatures must agree across runs and machines
_A = _rng.integers(1, 1 << 32, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 1 << 32, PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+")
_ROWS = PERMUTATIONS // BANDS


def shingles(text: str) -> set[int]:
    """The 32-bit hashes of the text's 3-word shingles (case and punctuation ignored), and of
    each figure in it, thrice: two notices written from one template ("Qtly div 25 cts ...
    Pay April 30") share most words but not their figures, and must not pass for copies."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        found = {zlib.crc32(" ".join(words).encode())} if words else set()
    else:
        found = {
            zlib.crc32(" ".join(words[i : i + SHINGLE]).encode())
            for i in range(len(words) - SHINGLE + 1)
        }
    for word in words:
        if any(ch.isdigit() for ch in word):
            found.update(zlib.crc32(f"#{salt}#{word}".encode()) for salt in range(FIGURE_WEIGHT))
    return found


def signature(text: str) -> np.ndarray:
    """The MinHash signature of `text`: PERMUTATIONS minimums of (a*x + b) mod p."""
    hashed = np.fromiter(shingles(text), dtype=np.uint64)
    if hashed.size == 0:
        return np.full(PERMUTATIONS, _PRIME, dtype=np.uint64)
    out = np.full(PERMUTATIONS, _PRIME, dtype=np.uint64)
    for start in range(0, hashed.size, 4096):  # bounded memory for a 5 MB article
        part = hashed[start : start + 4096]
        values = (np.outer(part, _A) + _B) % _PRIME  # a, b, x < 2**32: no uint64 overflow
        out = np.minimum(out, values.min(axis=0))
    return out


def encode(sig: np.ndarray) -> str:
    """A signature as text for the manifest (~700 characters)."""
    return base64.b64encode(sig.astype("<u8").tobytes()).decode("ascii")


def decode(text: str) -> np.ndarray | None:
    """A stored signature, or None when it is missing or garbled."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return None
    if len(raw) != PERMUTATIONS * 8:
        return None
    return np.frombuffer(raw, dtype="<u8").astype(np.uint64)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets."""
    return float(np.mean(a == b))


class CopyFinder:
    """Originals seen so far, banded for lookup; `find` names the one a text copies."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._signatures: list[tuple[str, np.ndarray]] = []  # (original's id, signature)
        self._buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)

    def add(self, article_id: str, sig: np.ndarray) -> None:
        """An original, or a copy's text under its original's id: a third outlet's run of the
        story is then found through whichever run it is closest to."""
        self._signatures.append((article_id, sig))
        for band, key in _bands(sig):
            self._buckets[(band, key)].append(len(self._signatures) - 1)

    def add_encoded(self, items: Iterable[tuple[str, str]]) -> None:
        """Originals from the manifest: (article id, encoded signature); garbled ones left out."""
        for article_id, text in items:
            sig = decode(text)
            if sig is not None:
                self.add(article_id, sig)

    def find(self, sig: np.ndarray) -> str | None:
        """The most similar original at or above the threshold (ties: the smallest id)."""
        candidates = {n for band, key in _bands(sig) for n in self._buckets.get((band, key), ())}
        if not candidates:
            return None
        scored = sorted(
            (-similarity(sig, self._signatures[n][1]), self._signatures[n][0]) for n in candidates
        )
        best_score, best = scored[0]
        return best if -best_score >= self.threshold else None


def _bands(sig: np.ndarray) -> Iterable[tuple[int, bytes]]:
    for band in range(BANDS):
        yield band, sig[band * _ROWS : (band + 1) * _ROWS].tobytes()
