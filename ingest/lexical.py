"""The lexical index: BM25 (bm25s) over the chunks, cached on disk per index generation.

Why a cache keyed by `Index.generation()`: BM25 must see exactly the chunks Chroma holds, yet
building it per query would cost seconds at 10k chunks. Ingest bumps the generation after every
sync that changed something; a reader loads `gen-<n>` once and rebuilds only when the generation
moved on or the files fail their checksums. Writes go to a temporary folder renamed into place,
so a reader never sees half a cache, and two processes building at once cannot corrupt it.

Why a light hand-written stemmer rather than Snowball (PyStemmer, which bm25s takes as
`stemmer=`): measured on the eval sets, Snowball answered no more questions and lost a refusal
the README promises ("Who represented Kenya at the London coffee quota talks?": it reads
"represented" as "repres", as common as "representative", so the question's missing word
weighs less); see benchmarks/LEXICAL.md.

Why near misses from the vocabulary (rapidfuzz): words (folded, stemmed) score the chunks, and
a query term is expanded with indexed spellings close to it ("Zelenski" -> "zelinski",
"zellinski"). Garbled names in machine-translated articles (seeds/001: "Zelinski", "Kiir
Starmer", "Fredchic Mirz") and typos in questions both need it. rapidfuzz scans the terms that
share the first letter in C, exactly, so no second index of character n-grams is kept.

Why one tokeniser for text and questions: a question matches an article only if both become the
same terms, so amounts ("$90bn", "US$90 billion", "90 bln dlrs" -> usd 90 billion), percentages
("5%", "5 per cent") and thousands ("1,500") are normalised on both sides, and a few news
synonyms ("died", "killed", "deaths") share one term, so BM25 and the sentence scorer see one word.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import math
import re
import shutil
import threading
import unicodedata
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel, Levenshtein

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from ingest.store import Index

log = logging.getLogger(__name__)
FORMAT = 6  # bump when the cache layout or tokenisation changes: old caches are rebuilt
STATE_FILE = "state.json"
CHUNKS_FILE = "chunks.jsonl"
FUZZY_MIN_RATIO = 0.7  # Indel ratio (as difflib's); "kiir"/"keir" and "mirz"/"merz" are 0.75
TYPO_RATIO = 0.85  # one letter dropped, doubled or changed in a word of four letters or more
FUZZY_MIN_LEN = 4
SOUNDALIKE_MIN_LEN = 5  # "witkev"/"witkoff" (0.62) passes as a sound-alike; "merz"/"merci" not
FUZZY_CANDIDATES = 40
CANDIDATE_MIN_RATIO = 0.55  # below the threshold, so sound-alikes reach `similarity`
FUZZY_MAX_VARIANTS = 4
ARTICLE_BAGS = 2000  # articles whose terms are kept in memory (about 10 MB)


def wordset(text: str) -> frozenset[str]:
    """A word list written as prose, for readability."""
    return frozenset(text.split())


# Function words, never scored. Kept short: BM25's idf already discounts common words.
STOPWORDS = wordset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his i if in into is it its
    itself just me more most my myself no nor not of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were
    what when where which while who whom why will with would you your yours yourself
    yourselves also may might must shall upon via per etc"""
)
# Words that ask rather than inform: dropped from questions only ("what did X say about Y").
QUESTION_NOISE = wordset(
    """say says said saying tell told telling mention mentioned mentions according article
    articles source sources news story stories report reports reported explain describe know
    anything something happen happened please give list summarize summarise how many much"""
)
# Irregular past forms the suffix rules cannot reach: "met" must find "meeting" and "meet".
_IRREGULAR = {
    past: base
    for base, forms in (
        line.split(":")
        for line in """meet:met hold:held take:took,taken give:gave,given
        agree:agreed,agreeing disagree:disagreed,disagreeing guarantee:guaranteed,guaranteeing
        free:freed,freeing decree:decreed oversee:oversaw,overseen,overseeing sue:sued,suing
        win:winning,winner run:running swim:swimming begin:beginning
        make:made come:came see:saw,seen speak:spoke,spoken win:won lose:lost fight:fought
        seek:sought bring:brought begin:began,begun write:wrote,written choose:chose,chosen
        strike:struck flee:fled fall:fell,fallen lead:led keep:kept send:sent spend:spent
        build:built pay:paid sell:sold buy:bought think:thought feel:felt stand:stood
        mean:meant draw:drew,drawn drive:drove,driven run:ran shoot:shot throw:threw,thrown
        understand:understood grow:grew,grown know:knew,known freeze:froze,frozen
        steal:stole,stolen hide:hid,hidden catch:caught teach:taught sink:sank,sunk
        break:broke,broken forget:forgot,forgotten swear:swore,sworn wear:wore,worn
        tear:tore,torn shake:shook,shaken withdraw:withdrew,withdrawn go:went,gone
        tell:told say:said get:got,gotten find:found""".split()
    )
    for past in forms.split(",")
}
# Words news writes for one another, each group read as its first word. Whole word forms, not
# stems: "lives" (lost their lives) is in, "live" and "living" are not. Kept to groups where a
# question in one word wants a sentence in the other; "talks"/"negotiations" is left out, since
# "negotiator" and "talk" as a verb would join it.
_SYNONYM_GROUPS = """
    kill kills killed killing killings die dies died dying dead death deaths fatality
    fatalities lives;
    injured injure injures injuring injury injuries wounded wound wounds wounding hurt hurts
    hurting;
    ceasefire ceasefires truce truces; usd dollar dollars dlr dlrs; eur euro euros;
    percent pct; billion bln bn; million mln mn; trillion trn tn
"""
_WORD = re.compile(r"[^\W_]+")
_VOWEL = re.compile(r"[aeiouy]")
_INITIALISM = re.compile(r"\b((?:[a-z]\.){2,})")  # u.s. -> us, u.k. -> uk


def fold(text: str) -> str:
    """Lowercase, strip accents, join initialisms: 'Zelenskyy', 'Zélensky' and 'U.S.' match."""
    stripped = text.lower()
    if not stripped.isascii():  # most text is: decomposing it would cost half of `terms`
        decomposed = unicodedata.normalize("NFKD", stripped)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _INITIALISM.sub(lambda m: m.group(1).replace(".", "") + " ", stripped)


def words(text: str) -> list[str]:
    """Folded word tokens; single letters go (possessive 's, stray initials)."""
    return [w for w in _WORD.findall(fold(text)) if len(w) > 1 or w.isdigit()]


class Token(NamedTuple):
    """A word or an amount of folded text, with the terms it stands for."""

    terms: tuple[str, ...]  # folded, not yet stemmed: ("usd", "90", "billion") for "$90bn"
    start: int
    end: int
    bare: bool  # a number with no currency, unit, percent sign or ordinal attached


_TOKEN = re.compile(
    r"""
    (?:(?P<cur>(?:us\ ?)?\$|€|£)\ ?)?
    (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)
    (?: (?P<ord>st|nd|rd|th)
      | \ ?(?P<unit>billion|bln|bn|million|mln|mn|trillion|trn|tn|thousand
                  |percent|per\ cent|pct|%)
      | (?P<short>[bmk])
    )?
    (?![^\W_])
    | (?P<phrase>per\ cent|cease[-\ ]fire)\b
    | (?P<word>[^\W_]+)
    """,
    re.VERBOSE,
)
_CURRENCY = {"$": "usd", "€": "eur", "£": "gbp"}
_UNIT = {
    **dict.fromkeys(("billion", "bln", "bn", "b"), "billion"),
    **dict.fromkeys(("million", "mln", "mn", "m"), "million"),
    **dict.fromkeys(("trillion", "trn", "tn"), "trillion"),
    **dict.fromkeys(("thousand", "k"), "thousand"),
    **dict.fromkeys(("percent", "per cent", "pct", "%"), "percent"),
}
_PHRASE = {"per cent": "percent", "cease fire": "ceasefire", "cease-fire": "ceasefire"}


def tokens(folded: str) -> list[Token]:
    """Words and amounts of already folded text, located: "$90bn", "US$90 billion" and "90 bln
    dlrs" all read as usd 90 billion, "1,500" as 1500, "5%" and "5 per cent" as 5 percent."""
    out = []
    for m in _TOKEN.finditer(folded):
        found, bare = _read(m.groups())
        if found:
            out.append(Token(found, m.start(), m.end(), bare))
    return out


def _read(groups: tuple[str, ...]) -> tuple[tuple[str, ...], bool]:
    """The terms one match of `_TOKEN` stands for, and whether it is a bare number."""
    cur, num, ordinal, unit, short, phrase, word = groups
    if word:
        return ((word,) if len(word) > 1 or word.isdigit() else ()), False
    if phrase:
        return (_PHRASE[phrase],), False
    unit = unit or short
    found = (
        *([_CURRENCY[cur[-1]]] if cur else []),
        _number(num),
        *([_UNIT[unit]] if unit else []),
    )
    return found, not (cur or unit or ordinal)


def _number(digits: str) -> str:
    """One spelling per number: thousands separators go, "1.50" is "1.5"."""
    digits = digits.replace(",", "")
    return digits.rstrip("0").rstrip(".") if "." in digits else digits


# British spellings read as American ones, so "defence" finds "defense": word beginnings
# (inflections follow: "neighbouring", "centres") and the -ise/-yse verbs ("organised").
_BRITISH = dict(
    pair.split(":")[::-1]
    for pair in """defense:defence offense:offence license:licence pretense:pretence
    labor:labour favor:favour honor:honour neighbor:neighbour color:colour behavior:behaviour
    rumor:rumour harbor:harbour armor:armour vigor:vigour endeavor:endeavour humor:humour
    center:centre theater:theatre fiber:fibre program:programme skeptic:sceptic
    maneuver:manoeuvre aluminum:aluminium gray:grey""".split()
)
_BRITISH_START = re.compile("^(" + "|".join(sorted(_BRITISH, key=len, reverse=True)) + ")")
_BRITISH_ISE = re.compile(r"^(\w{3,}[iy])s(e|es|ed|er|ers|ing|ation|ations)$")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English suffix stripper: plural, -ed, -ing, -ly, -al, final y/e; common
    irregular past forms first ("met" -> "meet", "fled" -> "flee"), British spellings as
    American ones ("defence" -> "defens"), and the words of a synonym group to their group's
    term ("died" -> "kill").

    Deliberately crude (no dependency, microseconds per word); near misses it leaves, such as
    "injured"/"injuri", are caught by the fuzzy expansion.
    """
    return _SYNONYMS.get(word) or _strip_suffixes(word)


def _strip_suffixes(word: str) -> str:
    """`stem` without the synonym table, which is built from it."""
    w = _IRREGULAR.get(word, word)
    if len(w) <= 3 or not w.isalpha():
        return w
    w = _BRITISH_START.sub(lambda m: _BRITISH[m.group(1)], w)
    w = _BRITISH_ISE.sub(r"\1z\2", w)
    for suffix, repl in (("sses", "ss"), ("ies", "y"), ("ied", "y")):
        if w.endswith(suffix):
            w = w[: -len(suffix)] + repl
            break
    else:
        if w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
    for suffix in ("ing", "ed", "ly", "al"):
        stripped = w[: -len(suffix)]
        if w.endswith(suffix) and len(stripped) >= 3 and _VOWEL.search(stripped):
            w = stripped
            if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeiouls":
                w = w[:-1]  # stopped -> stop
            break
    if w.endswith(("sion", "tion")) and len(w) >= 8:
        w = w[:-3]  # discussion -> discuss, negotiation -> negotiat (as negotiate)
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]  # rule, ruled, ruling -> rul
    if len(w) > 3 and w.endswith("y"):
        w = w[:-1] + "i"
    return w


# Every word of a synonym group -> the stem of the group's first word ("died" -> "kill").
_SYNONYMS = {
    member: _strip_suffixes(group.split()[0])
    for group in _SYNONYM_GROUPS.split(";")
    for member in group.split()
}


def terms(text: str) -> list[str]:
    """The stemmed content words of a text, in order (what BM25 indexes). `findall` rather
    than `tokens`: positions are only needed for questions, and this runs over every chunk."""
    found = (t for groups in _TOKEN.findall(fold(text)) for t in _read(groups)[0])
    return [stem(t) for t in found if t not in STOPWORDS]


def question_terms(text: str) -> list[str]:
    """Content words of a question: also drops asking words ("say", "tell", "article") and
    stray numbers (see `_stray`)."""
    folded = fold(text)
    found = tokens(folded)
    return [
        stem(t)
        for i, tok in enumerate(found)
        if not _stray(found, i, folded)
        for t in tok.terms
        if t not in STOPWORDS and t not in QUESTION_NOISE
    ]


def _stray(found: list[Token], i: int, folded: str) -> bool:
    """A bare number that is not part of what is asked: one after the question mark ("What
    did Trump say? 1"), or a one- or two-digit one with no content word beside it. "August
    18", "24 hours", "$90bn" and "1,500 homes" stay."""
    tok = found[i]
    if not tok.bare:
        return False
    asked_until = folded.rfind("?")
    if 0 <= asked_until < tok.start:
        return True
    return len(tok.terms[0]) <= 2 and not any(_beside(found, i, j, folded) for j in (i - 1, i + 1))


def _beside(found: list[Token], i: int, j: int, folded: str) -> bool:
    """Is token j a content word right next to token i (only spaces or a hyphen between), or
    a number joined to it as in a date or time ("2025-08-18", "10:30")?"""
    if not 0 <= j < len(found):
        return False
    gap = folded[min(found[i].end, found[j].end) : max(found[i].start, found[j].start)]
    word = found[j].terms[0]
    if word[:1].isdigit():
        return gap in ("-", "/", ":", ".")
    return not gap.strip(" -") and word not in STOPWORDS and word not in QUESTION_NOISE


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


@dataclass(frozen=True, slots=True)
class LexChunk:
    """A chunk as the lexical index keeps it: enough to make a Passage without Chroma."""

    chunk_id: str
    text: str
    meta: dict[str, Any]


class CacheCorrupt(RuntimeError):
    """A cache folder that is incomplete, altered or from another index: rebuild it."""


def _bm25s() -> Any:
    """Import bm25s, which sets its own logger to DEBUG on import: quieten it to WARNING."""
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def _bm25(corpus: list[list[str]]) -> Any:
    bm25s = _bm25s()
    retriever = bm25s.BM25()
    retriever.index(corpus, show_progress=False)
    return retriever


class LexicalIndex:
    """BM25 over one generation of an `Index`'s chunks, and its vocabulary for near misses."""

    def __init__(
        self,
        generation: int,
        chunks: list[LexChunk],
        words_bm25: Any,
        vocab: list[str],
        index_name: str = "",
    ) -> None:
        self.generation = generation
        self.index_name = index_name
        self.chunks = chunks
        self.positions = {c.chunk_id: i for i, c in enumerate(chunks)}
        self._words = words_bm25
        self._vocab = vocab
        self._by_letter: dict[str, list[str]] = {}
        for term in vocab:  # near misses share the first letter (see `similarity`)
            if len(term) >= FUZZY_MIN_LEN and term.isalpha():
                self._by_letter.setdefault(term[0], []).append(term)
        self._ids: dict[str, int] = dict(words_bm25.vocab_dict) if words_bm25 else {}
        indptr = words_bm25.scores["indptr"] if words_bm25 else np.zeros(1)
        self._df = np.diff(np.asarray(indptr))
        self._lock = threading.Lock()
        self._expansions: dict[str, dict[str, float]] = {}
        self._by_article: dict[str, list[int]] | None = None
        self._bags: OrderedDict[str, frozenset[str]] = OrderedDict()

    # -- building --------------------------------------------------------------------------

    @classmethod
    def build(cls, index: Index) -> LexicalIndex:
        """Read every chunk of the index (paged) and index it; the generation is read first,
        so a sync finishing meanwhile only makes the cache look older than it is."""
        generation = index.generation()
        chunks = [LexChunk(c.chunk_id, c.text, c.metadata) for c in index.all_chunks()]
        return cls.from_chunks(chunks, generation, index.name)

    @classmethod
    def from_chunks(
        cls, chunks: list[LexChunk], generation: int = 0, index_name: str = ""
    ) -> LexicalIndex:
        chunks = sorted(chunks, key=lambda c: c.chunk_id)
        if not chunks:
            return cls(generation, [], None, [], index_name)
        corpus = [terms(_indexed_text(c)) or [""] for c in chunks]
        words_bm25 = _bm25(corpus)
        vocab = sorted(t for t in words_bm25.vocab_dict if t)
        return cls(generation, chunks, words_bm25, vocab, index_name)

    # -- persistence -----------------------------------------------------------------------

    def save(self, folder: Path) -> None:
        """Write the cache into `folder` (which must not exist yet), state file last."""
        folder.mkdir(parents=True)
        with (folder / CHUNKS_FILE).open("w", encoding="utf-8") as out:
            for c in self.chunks:
                out.write(json.dumps({"id": c.chunk_id, "text": c.text, "meta": c.meta}) + "\n")
        (folder / "vocab.json").write_text(json.dumps(self._vocab), encoding="utf-8")
        if self._words is not None:
            self._words.save(str(folder / "words"), show_progress=False)
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        state = {
            "format": FORMAT,
            "generation": self.generation,
            "index": self.index_name,
            "chunks": len(self.chunks),
            "sha256": {p.relative_to(folder).as_posix(): _sha256(p) for p in files},
        }
        (folder / STATE_FILE).write_text(json.dumps(state, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        """Load a cache folder, verifying every file's checksum; CacheCorrupt if anything is off."""
        try:
            state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
            if state.get("format") != FORMAT:
                raise CacheCorrupt(f"cache format {state.get('format')} is not {FORMAT}")
            listed: dict[str, str] = state["sha256"]
            present = {
                p.relative_to(folder).as_posix()
                for p in folder.rglob("*")
                if p.is_file() and p.name != STATE_FILE
            }
            if present != set(listed):
                raise CacheCorrupt("cache files missing or unexpected")
            for rel, digest in listed.items():
                if _sha256(folder / rel) != digest:
                    raise CacheCorrupt(f"checksum mismatch in {rel}")
            chunks = [_lex_chunk(line) for line in _lines(folder / CHUNKS_FILE)]
            vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
            words_bm25 = _load_bm25(folder / "words") if chunks else None
            if len(chunks) != state["chunks"]:
                raise CacheCorrupt("chunk count does not match the state file")
            return cls(int(state["generation"]), chunks, words_bm25, vocab, state["index"])
        except CacheCorrupt:
            raise
        except Exception as exc:  # unreadable JSON, truncated arrays, missing keys
            raise CacheCorrupt(f"unreadable cache: {type(exc).__name__}: {exc}") from exc

    @classmethod
    def load_or_build(cls, index: Index, cache_dir: Path) -> LexicalIndex:
        """The current generation's cache if it is sound and holds exactly the index's chunk
        ids (an ids-only read, ~0.1 s at 10k chunks), else a fresh build, saved. Comparing ids
        rather than counts also catches a sync killed between its writes and its generation
        bump, and a cache left from another store at the same generation number."""
        generation = index.generation()
        folder = generation_dir(cache_dir, index, generation)
        if folder.exists():
            try:
                loaded = cls.load(folder)
                stored = {cid for ids in index.chunk_ids().values() for cid in ids}
                if loaded.generation == generation and loaded.positions.keys() == stored:
                    return loaded
                problem = (
                    f"it holds generation {loaded.generation}, the index is at {generation}"
                    if loaded.generation != generation
                    else f"its {len(loaded)} chunks are not the index's {len(stored)}"
                )
            except CacheCorrupt as exc:
                problem = str(exc)
            log.warning(
                "rebuilding the lexical cache %s: %s", folder, " ".join(problem.split())[:200]
            )
        return refresh(index, cache_dir)

    # -- querying --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.chunks)

    def df(self, term: str) -> int:
        """How many chunks contain `term` (a stemmed word)."""
        tid = self._ids.get(term)
        return int(self._df[tid]) if tid is not None else 0

    def idf(self, term: str) -> float:
        """BM25's idf; a term no chunk has gets the highest value (it is the most telling)."""
        n = len(self.chunks)
        df = self.df(term)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def expand(self, term: str) -> dict[str, float]:
        """The term and its indexed spelling variants, each with a weight in (0, 1]."""
        with self._lock:
            cached = self._expansions.get(term)
        if cached is not None:
            return cached
        variants: dict[str, float] = {term: 1.0} if term in self._ids else {}
        found = [
            (ratio, other)
            for other in self._near(term)
            if (ratio := similarity(term, other)) >= FUZZY_MIN_RATIO
        ]
        for ratio, other in sorted(found, reverse=True)[:FUZZY_MAX_VARIANTS]:
            variants[other] = ratio * ratio
        with self._lock:
            self._expansions[term] = variants
        return variants

    def _near(self, term: str) -> list[str]:
        """Indexed terms of the same first letter spelt close to `term`, best first."""
        if len(term) < FUZZY_MIN_LEN or not term.isalpha():
            return []
        found = process.extract(
            term,
            self._by_letter.get(term[0], []),
            scorer=Indel.normalized_similarity,
            score_cutoff=CANDIDATE_MIN_RATIO,
            limit=FUZZY_CANDIDATES,
        )
        return [other for other, _, _ in found if other != term]

    def article_terms(self, article_id: str) -> frozenset[str]:
        """Every term of one article (all its chunks, title included), however few of its
        chunks were retrieved: "does this story mention Kenya at all?" asks the whole story.
        Neighbouring terms are in it too, joined by a space ("home state"), so a name of several
        words can be told from its words scattered ("Federal Home Loan Bank ... state")."""
        with self._lock:
            cached = self._bags.get(article_id)
            if cached is not None:
                self._bags.move_to_end(article_id)
                return cached
            if self._by_article is None:
                self._by_article = {}
                for i, c in enumerate(self.chunks):
                    key = str(c.meta.get("article_id", c.chunk_id.split("#", 1)[0]))
                    self._by_article.setdefault(key, []).append(i)
            positions = self._by_article.get(article_id, [])
        bag: set[str] = set()
        for i in positions:
            found = terms(_indexed_text(self.chunks[i]))
            bag.update(found)
            bag.update(f"{a} {b}" for a, b in itertools.pairwise(found))
        with self._lock:
            self._bags[article_id] = frozenset(bag)
            while len(self._bags) > ARTICLE_BAGS:
                self._bags.popitem(last=False)
            return self._bags[article_id]

    def expand_query(self, query_terms: Iterable[str]) -> dict[str, float]:
        """Weighted indexed terms for a query: each term's variants, weights summed on repeats."""
        weights: dict[str, float] = {}
        for term in query_terms:
            for variant, weight in self.expand(term).items():
                weights[variant] = max(weights.get(variant, 0.0), weight)
        return weights

    def scores(self, weighted: Mapping[str, float]) -> NDArray[np.float32]:
        """BM25 score of every chunk for weighted query terms (0 for an empty index)."""
        total = np.zeros(len(self.chunks), dtype=np.float32)
        if self._words is None:
            return total
        for term, weight in weighted.items():
            tid = self._ids.get(term)
            if tid is not None:
                total += weight * self._words.get_scores_from_ids([tid])
        return total

    def search(
        self, query: str, k: int, mask: NDArray[np.bool_] | None = None
    ) -> list[tuple[LexChunk, float]]:
        """Top-k chunks for a question, with near-miss spellings expanded; `mask` filters."""
        scores = self.scores(self.expand_query(question_terms(query)))
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        if k <= 0 or not len(scores):
            return []
        top = np.argsort(-scores, kind="stable")[:k]
        return [(self.chunks[i], float(scores[i])) for i in top if scores[i] > 0]


def _indexed_text(chunk: LexChunk) -> str:
    """What BM25 sees: the chunk and its title, so a headline word finds its article."""
    title = str(chunk.meta.get("title", ""))
    return f"{title}\n{chunk.text}" if title else chunk.text


def generation_dir(cache_dir: Path, index: Index, generation: int) -> Path:
    return cache_dir / index.name / f"gen-{generation}"


def refresh(index: Index, cache_dir: Path) -> LexicalIndex:
    """Rebuild the lexical cache for the index's current generation and drop older ones.

    Ingest calls this after a sync that changed something; readers would otherwise rebuild on
    their next query. Safe to run from two processes at once.
    """
    built = LexicalIndex.build(index)
    final = generation_dir(cache_dir, index, built.generation)
    tmp = final.parent / f".tmp-{uuid.uuid4().hex}"
    try:
        built.save(tmp)
    except OSError as exc:  # a full or read-only disk: one line, no half-written cache left
        shutil.rmtree(tmp, ignore_errors=True)
        from ingest.store import StoreWriteFailed, explain_failure

        raise StoreWriteFailed(explain_failure(exc, cache_dir)) from exc
    if final.exists():
        shutil.rmtree(final, ignore_errors=True)  # corrupt or stale: ours replaces it
    try:
        tmp.replace(final)
    except OSError:  # another process renamed its own build first: same content
        shutil.rmtree(tmp, ignore_errors=True)
    _drop_other_generations(final)
    return built


def _drop_other_generations(keep: Path) -> None:
    for other in keep.parent.glob("gen-*"):
        if other != keep:
            shutil.rmtree(other, ignore_errors=True)
    for tmp in keep.parent.glob(".tmp-*"):
        with contextlib.suppress(OSError):
            if tmp.stat().st_mtime < keep.stat().st_mtime - 3600:  # abandoned builds
                shutil.rmtree(tmp, ignore_errors=True)


def _load_bm25(folder: Path) -> Any:
    bm25s = _bm25s()
    return bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)


def _lex_chunk(line: str) -> LexChunk:
    row = json.loads(line)
    return LexChunk(str(row["id"]), str(row["text"]), dict(row["meta"]))


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
