"""Do the outlets disagree? Only when they say different things about the same thing.

"Sources differ" is a strong claim, so every rule here is a reason *not* to make it. Two
candidate sentences conflict only when all of these hold:

- different outlets, and not two copies of one story (a syndicated wire text, the same
  sentence, the same headline);
- the same time: no year, month or "last year" in one that the other lacks or contradicts, no
  different weekday, and articles published within a few days of each other;
- the same subject: the names each sentence adds to the question's overlap;
- for a quantity question, figures of the same measure, the one the question asks about
  ("8 deaths" vs "10 deaths", never "8 deaths" vs "10 drones" or "10 casualties"), whose ranges
  cannot both be true ("at least eight" and "ten" can);
- for a yes/no question, one denies what the other asserts: the clause around the denial and the
  assertion share its content words, a predicate among them, not merely the word "not".

On 80 questions over 2,200 real articles the looser check of earlier versions fired 11 times and
was never right: copies of one article, different awards, figures from different years.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from bot.core.compose import publisher, source_name
from bot.core.evidence import Evidence, Sentence
from bot.core.figures import NUMBER_WORDS, Figure, answers_measure, figures, measure_asked, when
from bot.core.outlets import site_label
from bot.core.records import Passage
from ingest.text.words import STOPWORDS, fold, stem, words, wordset

MIN_COVERAGE = 0.15  # both sides must speak to the question
MIN_SHARED_TERMS = 2  # both sides must be about the same thing
MIN_SHARED_WEIGHT = 0.15  # ... and for a yes/no, what they share is a fair part of it
NEAR = 4  # words between a negation and the term it denies
NEAR_COPY = 0.6  # term Jaccard of two sentences above which they are one sentence reworded
COPY_CONTEXT = 0.6  # share of the smaller neighbourhood's terms the other holds: one story
CONTEXT_CHARS = 400  # each side of a sentence: its neighbourhood in the article
MIN_CONTEXT_WORDS = 8  # fewer words around a sentence say nothing about copying
MAX_DAYS_APART = 3  # articles published further apart report different moments
MIN_NAME_OVERLAP = 0.5  # share of the fewer names the other side must also name

_QUANTITY = re.compile(
    r"\bhow (many|much)\b|\bnumbers? of\b|\btoll\b|\bfigures?\b|\bnumbers\b|\bcounts?\b|\btally\b",
    re.I,
)
_YES_NO = re.compile(
    r"^\s*(did|does|do|is|are|was|were|will|would|can|could|has|have|had|should)\b|\bwhether\b",
    re.I,
)
_NEGATIONS = wordset(
    """not no never nor none neither cannot didn doesn don wasn weren isn aren won
    wouldn couldn hasn haven hadn shouldn excluded exclude excludes rejected rejects reject
    denied denies deny refused refuses dismissed"""
)
_NEGATING_PHRASES = re.compile(r"\brul(e|ed|es|ing) out\b|\boff the table\b|\bnon-starter\b")
_PHRASE_WORDS = frozenset(stem(w) for w in "rule ruled out off table non starter".split())
# Where a negation's reach ends: "The mayor was not present | when the council approved it".
_CLAUSE = re.compile(
    r"[,;:()–—]|\b(?:though|although|but|while|whereas|however|yet|when|because|after|before|if"
    r"|since|which|who|whom|whose|where|until|unless)\b",
    re.I,
)
_CAPITALISED_RUN = re.compile(r"[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*)*")
# Capitalised for grammar or rank, not names: sentence starters, titles, days and months.
_NOT_NAMES = wordset(
    """officials official police authorities residents witnesses rescuers critics analysts
    experts officers troops soldiers sources reports however meanwhile earlier later separately
    according despite although though when while after before since president prime minister
    secretary general chancellor mr mrs ms dr sir king queen spokesman spokeswoman spokesperson
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december"""
)


@dataclass(frozen=True, slots=True)
class Conflict:
    kind: str  # "figures" | "polarity"
    first: Sentence
    second: Sentence


def find_conflict(evidence: Evidence, candidates: Sequence[Sentence]) -> Conflict | None:
    """The pair of candidate sentences from different outlets that disagree on the most of
    what the question asks (shared question terms, weighted), or None.

    The cheap rules run first; the neighbourhood comparison that spots a syndicated copy runs
    only for a pair that would otherwise be called a disagreement.
    """
    quantity = bool(_QUANTITY.search(evidence.question))
    yes_no = bool(_YES_NO.search(evidence.question))
    if not (quantity or yes_no):
        return None
    usable = [s for s in candidates if s.coverage >= MIN_COVERAGE]
    sources = {i: _who(evidence.passages[i]) for i in {s.passage for s in usable}}
    total = sum(evidence.weights.values()) or 1.0
    best: tuple[float, Conflict] | None = None
    for a, b in combinations(usable, 2):
        if not set(sources[a.passage]).isdisjoint(sources[b.passage]):
            continue  # one outlet (or one name for two articles a reader could not tell apart)
        pa, pb = evidence.passages[a.passage], evidence.passages[b.passage]
        if _jaccard(a.terms, b.terms) >= NEAR_COPY or _same_title(pa, pb):
            continue  # one sentence reworded, or one headline: one story
        if different_times(a.text, pa, b.text, pb):
            continue
        shared = _shared(evidence, a, b)
        if len(shared) < (1 if quantity else MIN_SHARED_TERMS):
            continue
        weight = sum(evidence.weights[t] for t in shared) / total
        if best is not None and weight <= best[0]:
            continue
        conflict = _conflict(evidence, a, b, quantity, yes_no)
        if conflict is None or (conflict.kind == "polarity" and weight < MIN_SHARED_WEIGHT):
            continue
        if not _same_story(a, pa, b, pb):
            best = (weight, conflict)
    return best[1] if best else None


# -- may these two sentences disagree at all? ---------------------------------------------------


def _who(p: Passage) -> tuple[str, str]:
    """The outlet key and the name a reader sees: sides must differ in both."""
    return outlet_key(p), source_name(p).casefold()


def outlet_key(p: Passage) -> str:
    """Who published it, so "Al Jazeera" and "aljazeera.com" are one outlet; an article of
    unknown outlet stands for itself."""
    name = publisher(p.outlet, p.url)
    if not name:
        return "article:" + p.article_id
    name = site_label(name) or name
    return "".join(ch for ch in fold(name) if ch.isalnum()).removeprefix("the")


def _same_title(pa: Passage, pb: Passage) -> bool:
    """The same headline in two outlets: a syndicated story."""
    return bool(pa.title.strip()) and _title_key(pa.title) == _title_key(pb.title)


@lru_cache(maxsize=1024)
def _title_key(title: str) -> tuple[str, ...]:
    return tuple(words(title))


def _same_story(a: Sentence, pa: Passage, b: Sentence, pb: Passage) -> bool:
    """The text around both sentences is mostly the same words: one story, copied (the
    sentences themselves may differ, an update rewording the figure line)."""
    ca, cb = _context(pa.text, a.start, a.end), _context(pb.text, b.start, b.end)
    smaller = min(len(ca), len(cb))
    return smaller >= MIN_CONTEXT_WORDS and len(ca & cb) / smaller >= COPY_CONTEXT


def different_times(text_a: str, pa: Passage, text_b: str, pb: Passage) -> bool:
    """Said of different moments: another year, month or "last year" in one sentence, another
    weekday, or articles published more than MAX_DAYS_APART days apart."""
    periods_a, days_a = when(text_a)
    periods_b, days_b = when(text_b)
    if periods_a != periods_b or (days_a and days_b and not days_a & days_b):
        return True
    da, db = _date(pa.published), _date(pb.published)
    return da is not None and db is not None and abs((da - db).days) > MAX_DAYS_APART


def different_subjects(text_a: str, text_b: str, evidence: Evidence) -> bool:
    """The names each side adds to the question (another city, award, company) overlap too
    little: "Apple cut 500 jobs" and "Google cut 700 jobs" are two facts, not a dispute."""
    asked = set(evidence.weights)
    na, nb = _names(text_a, asked), _names(text_b, asked)
    if not na or not nb:
        return False
    fewer, more = sorted((na, nb), key=len)
    matched = sum(any(_same_name(x, y) for y in more) for x in fewer)
    return matched / len(fewer) < MIN_NAME_OVERLAP


# -- do they disagree? ----------------------------------------------------------------------


def _conflict(
    evidence: Evidence, a: Sentence, b: Sentence, quantity: bool, yes_no: bool
) -> Conflict | None:
    if (
        quantity
        and _figures_differ(evidence, a.text, b.text)
        and not different_subjects(a.text, b.text, evidence)
    ):
        return Conflict("figures", a, b)
    if not yes_no:
        return None
    for denier, other in ((a, b), (b, a)):
        claim = None if negated(other.text) else denial(denier.text, evidence)
        if (
            claim
            and _asserts(claim, other, evidence)
            and not different_subjects(claim.clause, other.text, evidence)
        ):
            return Conflict("polarity", denier, other)
    return None


def _figures_differ(evidence: Evidence, a: str, b: str) -> bool:
    """A figure of the asked measure in each that cannot both be true, and no figure of that
    same measure on which the two agree."""
    groups, nouns = measure_asked(evidence.question)
    fa = [f for f in figures(a) if answers_measure(f, groups, nouns)]
    fb = [f for f in figures(b) if answers_measure(f, groups, nouns)]
    for x in fa:
        for y in fb:
            if x.same_measure(y) and not x.agrees(y) and not _agree_elsewhere(x, y, fa, fb):
                return True
    return False


def _agree_elsewhere(x: Figure, y: Figure, fa: list[Figure], fb: list[Figure]) -> bool:
    """'8 killed, later 10' against '10 killed': they share a figure of that measure."""
    same_a = [f for f in fa if f.same_measure(x)]
    same_b = [f for f in fb if f.same_measure(y)]
    return any(f.agrees(g) for f in same_a for g in same_b)


@dataclass(frozen=True, slots=True)
class Denial:
    """What a sentence denies: the clause holding the negation and its content words."""

    clause: str
    terms: frozenset[str]


@lru_cache(maxsize=4096)
def negated(text: str) -> bool:
    """Does the sentence deny or rule out anything at all?"""
    return bool(_NEGATIONS.intersection(words(text)) or _NEGATING_PHRASES.search(fold(text)))


def denial(text: str, evidence: Evidence) -> Denial | None:
    """The clause in which the sentence denies what the question asks about, if it does.

    The negation must stand within a few words of one of the question's terms other than its
    names: "concessions were not on the table" denies, "Putin was not at the White House"
    says nothing about whether territory was discussed.
    """
    for clause, tokens in _clauses(text):
        named = {stem(w) for m in re.finditer(r"\b[A-Z][\w'’-]*", clause) for w in words(m[0])}
        # a lowercase question ("did putin agree ...") has no capitalised names: the clause's
        # own capitalised words tell them
        asked = [t for t in evidence.weights if t not in evidence.names and t not in named]
        folded = " ".join(tokens)
        cues = [i for i, w in enumerate(tokens) if w in _NEGATIONS]
        cues += [folded[: m.start()].count(" ") for m in _NEGATING_PHRASES.finditer(folded)]
        for i in cues:
            window = frozenset(stem(w) for w in tokens[max(0, i - NEAR) : i + NEAR + 1])
            if any(evidence.match(t, window) >= 0.5 for t in asked):
                content = {
                    stem(w) for w in tokens if w not in STOPWORDS and w not in _NEGATIONS
                } - _PHRASE_WORDS
                return Denial(clause, frozenset(content))
    return None


@lru_cache(maxsize=4096)
def _clauses(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The sentence's clauses ("..., though he ruled out ...") with their folded words."""
    return tuple((c.strip(), tuple(words(c))) for c in _CLAUSE.split(text) if c.strip())


def _asserts(claim: Denial, other: Sentence, evidence: Evidence) -> bool:
    """Does `other` state what `claim` denies: most of the denied clause's content words, at
    least two of them, one not a name (the predicate: "deploying", not just "US")?"""
    held = [t for t in claim.terms if evidence.match(t, other.terms) >= 0.5]
    needed = max(2, (len(claim.terms) + 1) // 2)
    return len(held) >= needed and any(t not in evidence.names for t in held)


# -- helpers ---------------------------------------------------------------------------------


def _shared(evidence: Evidence, a: Sentence, b: Sentence) -> list[str]:
    """The question's terms both sentences contain."""
    return [
        t
        for t in evidence.weights
        if evidence.match(t, a.terms) >= 0.5 and evidence.match(t, b.terms) >= 0.5
    ]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 1.0


@lru_cache(maxsize=1024)
def _context(text: str, start: int, end: int) -> frozenset[str]:
    """The content words around a sentence (unstemmed: a copy has the very same words)."""
    around = f"{text[max(0, start - CONTEXT_CHARS) : start]} {text[end : end + CONTEXT_CHARS]}"
    return frozenset(w for w in words(around) if w not in STOPWORDS)


def _date(published: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _names_in(text: str) -> tuple[frozenset[str], ...]:
    """Runs of capitalised words ("Golden Globe", "Kharkiv"), as stems, ranks and days left out."""
    runs = []
    for m in _CAPITALISED_RUN.finditer(text):
        run = frozenset(stem(w) for w in words(m.group()) if _could_name(w))
        if run:
            runs.append(run)
    return tuple(runs)


def _could_name(word: str) -> bool:
    return not (word in STOPWORDS or word in _NOT_NAMES or word in NUMBER_WORDS or word.isdigit())


def _names(text: str, asked: set[str]) -> list[frozenset[str]]:
    """The names a sentence adds to the question's own terms."""
    out = []
    for run in _names_in(text):
        rest = frozenset(w for w in run if w not in asked)
        if rest:
            out.append(rest)
    return out


def _same_name(a: frozenset[str], b: frozenset[str]) -> bool:
    """'Trump' is 'Donald Trump'; 'Booker Prize' is not 'Pulitzer Prize'."""
    return a <= b or b <= a
