"""Words as both sides read them: folding, tokens, stems, stopwords and a question's terms.

Why one tokeniser for text and questions: a question matches an article only if both become the
same terms, so amounts ("$90bn", "US$90 billion", "90 bln dlrs" -> usd 90 billion), percentages
("5%", "5 per cent") and thousands ("1,500") are normalised on both sides, and a few news
synonyms ("died", "killed", "deaths") share one term, so BM25 and the sentence scorer see one word.
Shared by ingest (the BM25 index) and the answering core (weighing sentences), below both.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple


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
        tell:told say:said get:got,gotten find:found lay:laid rise:rose,risen fly:flew,flown
        lend:lent deal:dealt become:became hang:hung arise:arose,arisen slide:slid
        shrink:shrank,shrunk swing:swung blow:blew,blown undertake:undertook,undertaken
        overtake:overtook,overtaken forbid:forbade,forbidden forgive:forgave,forgiven
        ride:rode,ridden eat:ate,eaten hear:heard sit:sat wake:woke,woken dig:dug stick:stuck
        spin:spun bend:bent sweep:swept beat:beaten""".split()
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
    resign resigns resigned resigning resignation resignations quit quits quitting;
    buy buys bought buying purchase purchases purchased purchasing acquire acquires acquired
    acquiring acquisition acquisitions;
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
