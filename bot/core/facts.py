"""Facts a generated claim states that the sentence it cites must state too.

Term overlap (`Evidence.support`) tells whether a claim is about what its source is about; it
cannot see a changed figure ("eight" for "seven" shares every other word), a flipped negation
("did not agree" for "agreed"), words put in another person's mouth, or a day or a place the
model made up. These rules catch those four with regexes and set look-ups (microseconds a
claim, no model). Each rule leaves alone what it cannot read (a negated preposition phrase, a
speaker behind a pronoun it cannot resolve, a common word opening a sentence), so that a correct
paraphrase is not dropped on a guess.

`source` is the quoted sentence(s); `around` adds the sentence either side and the title, where
a name or a day is often given once for a paragraph ("on Monday ... He said ...").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.figures import GLUED_SCALES, NUMBER_WORDS, SCALES
from ingest.text.names import FUZZY_MIN_RATIO, similarity
from ingest.text.words import STOPWORDS, fold, stem, terms, wordset

NEAR = 4  # words between a negation and the word it negates

# -- figures -------------------------------------------------------------------------------------
# The number words and scales are bot.core.figures' (one table for every reader of figures).
_WORD_SCALES = {w: v for w, v in SCALES.items() if w != "hundred"}
# Written after digits: '$90bn', '5m', '1.2 million', '20 bn'. Single letters only when joined.
_SUFFIX_SCALES = GLUED_SCALES | {"mln": 1e6}
_SPACED_SCALES = SCALES | {"mn": 1e6, "mln": 1e6, "bn": 1e9, "tn": 1e12}
_NUMBER_TOKEN = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([a-z]*)|[a-z]+")

# -- negation ------------------------------------------------------------------------------------
_NOT_A_DENIAL = re.compile(
    r"\b(?:not only|not just|no longer|no one|no doubt|yes or no|or not|if not)\b", re.I
)
_NT = re.compile(r"\b(?:ca|wo|sha)n[’']t\b|n[’']t\b", re.I)  # can't, won't, didn't ...
_AS_NOT = re.compile(
    r"\b(?:rul(?:e|ed|es|ing) out|refus(?:e|ed|es|ing) to|declin(?:e|ed|es|ing) to|"
    r"fail(?:ed|s|ing)? to|cannot)\b",
    re.I,
)
_NEGATORS = wordset("not no never neither nor")
# Any way of saying no, for "a claim that says no needs a source that says no somewhere".
_NEGATIVE = _NEGATORS | wordset(
    """without non none nothing nobody nowhere absent unable rejected rejects reject denied
    denies deny excluded excludes refused refuses dismissed failed lacks lacked"""
)
_PASS_OVER = wordset(
    """be been being is are was were am do does did have has had will would shall should can
    could may might must yet even also ever still really always immediately just"""
)
_TOKEN = re.compile(r"[^\W_]+|[,;:()\[\]—–]")

# -- speakers ------------------------------------------------------------------------------------
_SPEECH = (
    r"said|says|say|told|tells|stated|states|added|adds|warned|warns|noted|notes|argued|argues|"
    r"stressed|stresses|claimed|claims|insisted|insists|announced|announces|confirmed|confirms|"
    r"explained|acknowledged|admitted|cautioned|emphasi[sz]ed|urged|wrote|posted|declared|"
    r"reiterated|asserted|commented|remarked|replied|responded|suggested|predicted|vowed"
)
_NAME_RUN = r"((?:[A-Z][\w'’.-]*\s+){0,4}[A-Z][\w'’.-]*)"
_SPEAKER_BEFORE = re.compile(_NAME_RUN + r"\s+(?:[a-z]+ly\s+)?(?:" + _SPEECH + r")\b")
# '"...," said Merz.': inverted only after a quote or comma, so 'Trump said European countries'
# does not make "European" a speaker.
_SPEAKER_AFTER = re.compile(
    r"[,”\"’']\s*(?:" + _SPEECH + r")\s+" + _NAME_RUN + r"(?=\s*(?:[.,;!?]|$))"
)
_ACCORDING = re.compile(r"\b(?i:according to)\s+(?:the\s+)?" + _NAME_RUN)
_PRONOUN_SPEAKER = re.compile(
    r"\b(?:he|she|they)\s+(?:" + _SPEECH + r")\b|\b(?:" + _SPEECH + r")\s+(?:he|she|they)\b",
    re.I,
)

# -- names and dates -----------------------------------------------------------------------------
# Capitalised words that name no one in particular: groups, honorifics and titles.
_NOT_NAMES = wordset(
    """officials official experts expert analysts analyst leaders leader sources source critics
    observers diplomats witnesses residents people media authorities both many some others mr
    mrs ms dr prof sir dame lord lady president presidents prime minister chancellor secretary
    general spokesman spokeswoman spokesperson envoy senator governor mayor chief deputy vice
    foreign state"""
)
_RELATIVE_DAYS = wordset("today tomorrow yesterday tonight")
_OPENING = re.compile(r"(?:^|[.!?:;\"“‘(]\s*)$")
_CAPITALISED = re.compile(r"[^\W\d_][^\W_]*")
_CLAUSE_BREAK = re.compile(r";|\s[-–—]\s|,?\s+(?:while|whereas|but|although|though)\s+", re.I)
# One place or people, as news prose names it several ways: "Kiev"/"Kyiv", "US"/"Washington".
_ALIASES = [
    wordset("us usa america american americans united states washington"),
    wordset("uk britain british united kingdom england london"),
    wordset("kyiv kiev ukraine ukrainian ukrainians"),
    wordset("russia russian russians moscow kremlin"),
    wordset("france french paris"),
    wordset("germany german berlin"),
    wordset("china chinese beijing"),
    wordset("finland finnish helsinki"),
    wordset("europe european eu brussels union"),
    wordset("un united nations"),
]


@dataclass(frozen=True, slots=True)
class Mismatch:
    """Why a claim does not say what its source says (for logs and tests)."""

    rule: str  # "figure" | "negation" | "speaker" | "name"
    detail: str


class FactCheck:
    """The four rules, with what they must know of the passages learnt once per answer."""

    def __init__(self, passage_texts: Iterable[str], source_names: frozenset[str]) -> None:
        lowercase: set[str] = set()
        names: set[str] = set()
        for text in passage_texts:
            for m in _CAPITALISED.finditer(text):
                word = fold(m.group())
                if not m.group()[0].isupper():
                    lowercase.add(word)
                elif not _OPENING.search(text[max(0, m.start() - 3) : m.start()]):
                    names.add(word)
        # A word the passages also write in lower case is a common word ("Security"), and one
        # they never capitalise mid-sentence ("Despite") may open a claim without being a name.
        self._lowercase = frozenset(lowercase)
        self._names = frozenset(names - lowercase)
        self._source_names = source_names  # outlets, files: "CGTN reports ..." is attribution

    def mismatch(self, claim: str, source: str, around: str) -> Mismatch | None:
        """The first rule the claim breaks against `source` (and `around` it), else None."""
        return (
            _figures(claim, source)
            or _negation(claim, source)
            or self._speaker(claim, source, around)
            or self._places(claim, around)
        )

    def _is_name(self, word: str) -> bool:
        return (
            word not in STOPWORDS
            and word not in _NOT_NAMES
            and word not in self._source_names
            and stem(word) not in self._source_names
        )

    def _speaker(self, claim: str, source: str, around: str) -> Mismatch | None:
        """'X said ...' needs a source that has X say it, or that names X with no one else
        speaking ("Macron labeled Putin ..." backs "Macron said Putin ...")."""
        heads = [h for h in _speaker_heads(claim) if self._is_name(h)]
        if not heads:
            return None
        source = _clause_of(claim, source)
        named = frozenset(w for run in _speaker_runs(source) for w in _name_words(run))
        named -= _NOT_NAMES
        for head in heads:
            if _found(head, named, named):
                continue
            if named:
                who = ", ".join(sorted(named))
                return Mismatch("speaker", f"{head!r} said it; the source has {who} say it")
            if _found(head, *_bags(source)):
                continue
            if _PRONOUN_SPEAKER.search(source) and _found(head, *_bags(around)):
                continue  # '"...," he added.' after a sentence naming him
            return Mismatch("speaker", f"{head!r} said it; the source attributes it to no one")
        return None

    def _places(self, claim: str, around: str) -> Mismatch | None:
        """Every name, place, weekday or month the claim gives is in its source or beside it."""
        known, names = _bags(around)
        for word in self._claim_names(claim):
            if not _found(word, known, names):
                return Mismatch("name", f"{word!r} is not in the cited sentence or beside it")
        for word in sorted(_RELATIVE_DAYS & _folded_words(claim)):
            if word not in known:
                return Mismatch("name", f"{word!r} is not in the cited sentence or beside it")
        return None

    def _claim_names(self, claim: str) -> list[str]:
        letters = [c for c in claim if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
            return []  # all capitals: case tells nothing
        out = []
        for m in _CAPITALISED.finditer(claim):
            word = fold(m.group())
            if not m.group()[0].isupper() or len(word) < 2 or not self._is_name(word):
                continue
            if word in self._lowercase:
                continue
            opening = _OPENING.search(claim[max(0, m.start() - 3) : m.start()])
            if opening and word not in self._names:
                continue  # 'Despite ...', 'Meanwhile ...': capitalised by position only
            out.append(word)
        return out


# -- figures ---------------------------------------------------------------------------------------


def quantities(text: str) -> set[float]:
    """The quantities a text states, digits or words: '$90bn' and '$90 billion' are both 9e10,
    'seven' is 7, '1,500' is 1500, '5%' is 5. 'one' alone is a pronoun too often to count."""
    out: set[float] = set()
    tokens = [m for m in _NUMBER_TOKEN.finditer(fold(text))]
    i = 0
    while i < len(tokens):
        m = tokens[i]
        if m.group(1):  # digits, maybe with a suffix: 90bn, 1160th, 5m
            value = float(m.group(1).replace(",", "") + (m.group(2) or ""))
            after = tokens[i + 1].group() if i + 1 < len(tokens) else ""
            if m.group(3) in _SUFFIX_SCALES:
                value *= _SUFFIX_SCALES[m.group(3)]
            elif not m.group(3) and after in _SPACED_SCALES:
                value *= _SPACED_SCALES[after]
                i += 1
            out.add(_round(value))
            i += 1
            continue
        value, used = _number_words([t.group() for t in tokens[i:]])
        if used:
            out.add(_round(value))
        i += max(used, 1)
    return out


def _number_words(words: list[str]) -> tuple[float, int]:
    """The value of the number words heading `words` ('twenty five million'), and their count."""
    total = current = 0.0
    used = 0
    for i, w in enumerate(words):
        after = words[i + 1] if i + 1 < len(words) else ""
        if w in NUMBER_WORDS and w != "dozen":
            if w == "one" and not (current or after in _WORD_SCALES or after == "hundred"):
                break  # 'one' alone is a pronoun too often to count
            current += NUMBER_WORDS[w]
        elif w == "dozen":
            current = max(current, 1.0) * 12
        elif w == "hundred":
            current = max(current, 1.0) * 100
        elif w in _WORD_SCALES:
            total += max(current, 1.0) * _WORD_SCALES[w]
            current = 0.0
        else:
            break
        used += 1
    return total + current, used


def _round(value: float) -> float:
    return float(f"{value:.6g}")


def _figures(claim: str, source: str) -> Mismatch | None:
    missing = quantities(claim) - quantities(source)
    if missing:
        shown = ", ".join(f"{v:g}" for v in sorted(missing))
        return Mismatch("figure", f"{shown} not in the cited sentence")
    return None


# -- negation --------------------------------------------------------------------------------------


def _negation(claim: str, source: str) -> Mismatch | None:
    """One side denies what the other affirms: "did not agree" against "agreed".

    What a negation denies is read as the first content word after it ("did not immediately
    confirm" -> confirm). A negation followed by a preposition or a name ("was not at the White
    House") is not read: guessing its scope would drop correct paraphrases.
    """
    c, s = _polar_tokens(claim), _polar_tokens(source)
    for mine, other, who in ((c, s, "the claim"), (s, c, "the source")):
        for root in _denied(mine):
            if _affirmed(other, root):
                return Mismatch("negation", f"{who} denies {root!r}, the other side affirms it")
    for i, (word, _) in enumerate(c):
        if word in _NEGATORS and not _says_no_about(s, _window(c, i)):
            return Mismatch("negation", "the claim says no; the source says no to none of it")
    return None


def _says_no_about(source: list[tuple[str, bool]], near: set[str]) -> bool:
    """Does the source say no near one of these words? A claim that denies something needs a
    source that denies something it speaks of ("was not at the White House" backs "was not
    present at the White House"), not one that denies something else in another clause."""
    return any(near & _window(source, i) for i, (w, _) in enumerate(source) if w in _NEGATIVE)


def _window(tokens: list[tuple[str, bool]], i: int) -> set[str]:
    """The content words a few places either side of tokens[i], as stems."""
    return {
        stem(w)
        for w, _ in tokens[max(0, i - NEAR) : i + NEAR + 1]
        if w.isalpha() and w not in STOPWORDS and w not in _NEGATIVE
    }


def _polar_tokens(text: str) -> list[tuple[str, bool]]:
    """(folded word, capitalised) tokens, clause punctuation kept as barriers, and every way of
    saying no written as 'not' ("didn't", "ruled out", "refused to")."""
    text = _NOT_A_DENIAL.sub(" ", text)
    text = _AS_NOT.sub(" not ", _NT.sub(" not", text))
    return [(fold(t), t[:1].isupper()) for t in _TOKEN.findall(text)]


def _denied(tokens: list[tuple[str, bool]]) -> list[str]:
    out = []
    for i, (word, _) in enumerate(tokens):
        if word not in _NEGATORS:
            continue
        for nxt, capital in tokens[i + 1 : i + 1 + NEAR]:
            if nxt in _PASS_OVER or (nxt.endswith("ly") and len(nxt) > 4):
                continue
            if nxt.isalpha() and not capital and nxt not in STOPWORDS | _NEGATORS:
                out.append(stem(nxt))
            break
    return out


def _affirmed(tokens: list[tuple[str, bool]], root: str) -> bool:
    """`root` occurs, and nowhere within a few words after a negation of its clause."""
    found = False
    for i, (word, _) in enumerate(tokens):
        if not word.isalpha() or not _same_word(stem(word), root):
            continue
        for prev, _ in reversed(tokens[max(0, i - NEAR) : i]):
            if not prev.isalnum():
                break
            if prev in _NEGATORS:
                return False
        found = True
    return found


def _same_word(a: str, b: str) -> bool:
    """One stem, or one extends the other a little: 'ukrain'/'ukrainian', 'russia'/'russian'."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 3


# -- names -----------------------------------------------------------------------------------------


def _clause_of(claim: str, source: str) -> str:
    """The clause of `source` that the claim restates: in "Macron labeled Putin a predator,
    while Stubb warned ..." a claim about the predator is Macron's, not Stubb's."""
    clauses = [c for c in _CLAUSE_BREAK.split(source) if c.strip()]
    if len(clauses) < 2:
        return source
    wanted = set(terms(claim))
    return max(clauses, key=lambda c: len(wanted.intersection(terms(c))))


def _speaker_heads(claim: str) -> list[str]:
    """Who the claim says spoke: the last word of the name next to 'said', 'told', ..."""
    return [names[-1] for names in map(_name_words, _speaker_runs(claim)) if names]


def _speaker_runs(text: str) -> list[str]:
    return [
        m.group(1)
        for pattern in (_SPEAKER_BEFORE, _SPEAKER_AFTER, _ACCORDING)
        for m in pattern.finditer(text)
    ]


def _name_words(run: str) -> list[str]:
    """The words of a capitalised run, bar sentence openers ('The', 'But')."""
    return [w for w in _words(run) if w not in STOPWORDS]


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[^\W_]+", fold(text)) if len(w) > 1]


def _folded_words(text: str) -> frozenset[str]:
    return frozenset(_words(text))


def _bags(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The words of a text, and those of them it capitalises (names, places)."""
    names = frozenset(
        fold(m.group()) for m in _CAPITALISED.finditer(text) if m.group()[0].isupper()
    )
    return _folded_words(text), names - _NOT_NAMES


def _aliases(word: str) -> frozenset[str]:
    return frozenset().union(*(group for group in _ALIASES if word in group))


def _found(word: str, bag: frozenset[str], names: frozenset[str]) -> bool:
    """In `bag` as written, by stem ('Ukrainian'/'Ukraine'), by another name for one place
    ('Kyiv'/'Kiev', 'US'/'Washington'), or as a near-miss spelling of one of `names`
    ('Zelensky'/'Zelinski', as garbled machine translations write them). Near misses are
    looked for among names only: 'Geneva' is not 'general'."""
    if word in bag or _aliases(word) & bag:
        return True
    root = stem(word)
    if any(_same_word(root, stem(other)) for other in bag):
        return True
    return any(similarity(word, name) >= FUZZY_MIN_RATIO for name in names)
