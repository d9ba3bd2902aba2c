"""The role a who-question asks about, and whether a name in a sentence holds it.

"Who's the new chairman of the Bank of Ceylon?" wants the name a sentence writes beside
"chairman", not the first name in it; "Who heads ...?" whoever is called its head, chairman,
chief ..., near the name of what is headed; "Who is Ukraine's defence minister?" neither a
prime minister nor a US one. Read by the question's intent (which name answers) and by the
relevance check (a name beside the asked role answers however far apart the wordings sit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from bot.core.aliases import ALIASES
from ingest.text.places import fold_place, is_place
from ingest.text.words import QUESTION_NOISE, STOPWORDS, stem, terms, words

_ROLES = (
    r"(minister|president|official|chairman|chairwoman|chief|executive|judge|governor|senator|"
    r"secretary|spokesman|spokeswoman|director|analyst|leader|envoy|commander|clerk|head|ceo|"
    r"owner|boss|manager|lawyer|attorney|prosecutor|ambassador|mayor|premier|officer|treasurer|"
    r"negotiator|mediator|founder|successor|general)s?"
)
# The role a who-question asks about: "Which minister ...?", "Who's the new chairman of ...?",
# "What's the name of the ex-Westpac currency clerk ...?"; the last of several ("Who is Apple's
# chief financial officer?" asks for an officer, not whoever is chief of something)
_ROLE = re.compile(
    rf"\b(?:which|what)\s+{_ROLES}\b"
    rf"|\bwho(?:'s|’s|\s+is|\s+was|\s+will\s+be)\s+(?:the\s+)?(?:new\s+|former\s+|current\s+|"
    rf"acting\s+)?(?:[\w'’-]+\s+){{0,5}}{_ROLES}\b"
    rf"|\bnames?\s+of\s+the\s+(?:[\w'’-]+\s+){{0,4}}{_ROLES}\b",
    re.I,
)
# "Who heads ...?" asks for whoever a sentence calls its head, chairman, chief ...
_ROLE_VERB = re.compile(r"^\W*who\s+(?:now\s+)?(heads|runs|leads|chairs)\b", re.I)
# ... and a chief, head or leader may be written as any of them: "NATO Secretary-General"
_ANY_HEAD = frozenset(stem(w) for w in ("chief", "head", "leader", "boss"))
_HEAD_WORDS = frozenset(
    stem(w)
    for w in "head heads headed chairman chairwoman chair chief president director leader led "
    "lead leads leading run runs managing manager executive secretarygeneral boss".split()
)


ROLE_BEFORE = 25  # characters before a name where its role stands ("Minister Michel Cote")
ROLE_AFTER = 3  # ... or in the words after it ("Michel Cote, the minister"), up to a verb
# ... or it is what the name is or becomes: "Jamal had become the commander"
_BECOMES = re.compile(
    r"\s+(?:(?:has|had|have|will|would)\s+)?(?:become|became|becomes|be|is|was|been|named|"
    r"appointed|elected|takes over as|took over as|as)\s+(?:the\s+|its\s+|a\s+)?(?:new\s+)?"
    r"([\w-]+)"
)


def asks_role(question: str) -> bool:
    """Does the who-question ask for whoever holds a role ("Who heads ...?")?"""
    return bool(role_of(question).words)


@dataclass(frozen=True, slots=True)
class Role:
    """What a name must stand beside to hold the asked role: one of `words`, all of
    `qualifiers`, and no country but `country` (the question's "Ukraine's", if any)."""

    words: frozenset[str] = frozenset()
    qualifiers: frozenset[str] = frozenset()
    country: str = ""
    # what a chief, head or leader is asked to head ("Grain Marketing Board", "GMB"): its name
    # must be near, since any chairman heads something
    headed: frozenset[str] = frozenset()


@lru_cache(maxsize=256)
def role_of(question: str) -> Role:
    """The role a who-question asks about: {"chairman"} for "Who's the new chairman of ...?",
    {head, chairman, chief ...} for "Who heads ...?", {"minister"} qualified by "defence" for
    "Who is Ukraine's defence minister?" (a prime minister is not one, nor is a US one)."""
    m = _ROLE.search(question)
    if m:
        role = stem(next(g for g in m.groups() if g).lower())
        before = list(words(question[: m.end()]))[-3:-1]
        qualifiers = frozenset(stem(w) for w in before if stem(w) in _ROLE_QUALIFIERS)
        owner = _OWNER.search(question[: m.end()])
        country = owner.group(1) if owner and is_place(owner.group(1)) else ""
        if role in _ANY_HEAD:
            return Role(_HEAD_WORDS, qualifiers, country, _headed(question))
        return Role(frozenset({role}), qualifiers, country)
    verb = _ROLE_VERB.search(question)
    return Role(_HEAD_WORDS, headed=_headed(question[verb.end() :])) if verb else Role()


def _headed(text: str) -> frozenset[str]:
    """The words naming what a head heads, as written, and its initials: "Zimbabwe's Grain
    Marketing Board" -> grain, marketing, board, gmb (the country is checked apart)."""
    found = {
        w
        for w in words(text)
        if w not in STOPWORDS
        and w not in QUESTION_NOISE
        and stem(w) not in _HEAD_WORDS
        and not is_place(w)
        and not w.isdigit()
    }
    return frozenset(found | initials_in(text))


def initials_in(text: str) -> set[str]:
    """The initials of the text's capitalised names, bar places: "Zimbabwe's Grain Marketing
    Board" -> {"gmb"}."""
    found = set()
    for run in _CAPITALISED_RUN.finditer(text):
        initials = "".join(w[0] for w in run.group().split() if w[:1].isupper() and not is_place(w))
        if len(initials) > 1:
            found.add(initials.lower())
    return found


_OWNER = re.compile(r"\b([A-Za-z][\w.-]*)(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?[\w-]+\W*$")


# Words that make a role another one: a prime minister is not a defence minister.
_ROLE_QUALIFIERS = frozenset(
    stem(w)
    for w in """defence defense foreign finance financial prime interior trade economy economic
    oil energy agriculture farm health justice home operating vice deputy assistant attorney
    managing information industry labour labor transport commerce treasury budget""".split()
)


# The title a name may open with: "Ukraine's Defence Minister ", "Finance Secretary "
_TITLE = re.compile(
    rf"^(?:[\w.-]+(?:'s|’s)\s+)?(?:(?:{_ROLES}|Secretary|General|Prime|Defen[cs]e|Foreign|"
    r"Finance|Financial|Deputy|Vice|Interior|Trade|Oil|Energy)\s+)+",
    re.I,
)
_SECRETARY_GENERAL = re.compile(r"\bsecretary[- ]general\b", re.I)


def beside_role(sentence: str, start: int, end: int, role: Role) -> bool:
    """Is the role asked about ("minister", with its "defence") part of the name or written
    right beside it, with no other country's name ("US President Donald Trump" is not
    Ukraine's president)?"""
    before = _SECRETARY_GENERAL.sub("secretarygeneral", sentence[max(0, start - ROLE_BEFORE) : end])
    window = words(before)
    near = list(window)
    clause = _CLAUSE_AFTER.match(sentence, end)  # never into "Boeing 747s, chairman Jim ..."
    after = clause.group() if clause else ""
    for word in list(words(after))[:ROLE_AFTER] if not _NEXT_NAME.match(after) else []:
        if word in _ROLE_ENDS:
            break  # "Nova said the Minister ...", "Merz, and NATO Secretary-General Mark Rutte"
        near.append(word)
    becomes = _BECOMES.match(sentence, end)
    if becomes:
        near.append(becomes.group(1))
    stems = {stem(w) for w in near}
    if role.words.isdisjoint(stems) or not role.qualifiers <= stems:
        return False
    if role.headed and not _names_headed(words(sentence), role):
        return False  # "(UN) Secretary General Javier Perez de Cuellar" heads no grain board
    if not role.country:
        return True
    return all(_same_root_word(w, role.country) for w in window if is_place(w))


def _names_headed(written: list[str], role: Role) -> bool:
    """Is what the head heads among the sentence's words, as written or nearly ("guerrilla"
    for the question's "guerillas")? "Qantas ..., chairman Jim Leslie said" names it far from
    him."""
    if not role.headed.isdisjoint(written):
        return True
    return any(
        fuzz.ratio(w, h) >= HEADED_SPELLING
        for w in written
        for h in role.headed
        if len(w) > 3 and len(h) > 3
    )


HEADED_SPELLING = 85


# The words after a name that may give its role: up to a comma, or past one right after it
# ("Michel Cote, the minister, ..."), never into the next name's ("Boeing 747s, chairman ...")
_CLAUSE_AFTER = re.compile(r"\s*,?[^,]{0,60}")
# ", Secretary of State Marco Rubio" after a name starts the next one: its role is not his
_NEXT_NAME = re.compile(r"\s*,\s*[A-Z]")


def _same_root_word(a: str, b: str) -> bool:
    """One country's name or adjective, as far as words tell: "Ukrainian" and "Ukraine",
    "Finnish" and "Finland", "French" and "France" (an alias). Lenient where spelling cannot
    tell ("Iraqi" and "Iran"): this only keeps another country's official from answering."""
    x, y = fold_place(a), fold_place(b)
    if x[:3] == y[:3]:
        return True
    forms = {tuple(terms(x)), tuple(terms(y))}
    return any(forms <= group for group in ALIASES)


def without_title(name: str) -> str:
    """The name without the title it opens with: "Ukraine's Defence Minister Rustem Umerov" ->
    "Rustem Umerov"."""
    return _TITLE.sub("", name)


_CAPITALISED_RUN = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*")
# Words after a name where its role stops: "Nova said the Minister ...", "Merz, and NATO
# Secretary-General Mark Rutte"
_ROLE_ENDS = frozenset(
    "said says saying told tells added stated noted announced warned confirmed and or but "
    "while".split()
)
