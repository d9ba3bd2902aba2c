"""What kind of answer a question wants, and where in a sentence such an answer sits.

"How many European leaders attended?" wants a number of people; "When will they meet?" a time;
"Where ...?" a place. Picking sentences by shared words alone quotes "European leaders seemed to
be pressing their case" for the first: every word matches, no number is there. So a question is
read for its kind first, and a sentence is scored for carrying an answer of that kind, located
as a span so the answer can lead with it verbatim ("Seven European leaders [1].").

Plain rules on purpose: the kinds are signalled by a handful of question words, and the answer
types (numbers, time expressions, places, names, causes, speech) by patterns that cost
microseconds per sentence. A tagger (spaCy's small English model) would cost ~350 MB of install
and 1-2 s of load per process, which a cold `newsbot ask` under 3 s cannot afford.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from bot.core.aliases import ALIASES, alias_forms
from bot.core.roles import beside_role, initials_in, role_of, without_title
from ingest.text.places import is_place
from ingest.text.words import QUESTION_NOISE, STOPWORDS, stem, terms, words


class Kind(StrEnum):
    HOW_MANY = "how_many"
    WHEN = "when"
    WHERE = "where"
    WHO = "who"
    WHY = "why"
    YES_NO = "yes_no"
    SAID = "said"
    COMPARISON = "comparison"
    SUMMARY = "summary"
    WHAT = "what"  # any other factual question: no answer type to look for


# Kinds whose answer is a typed span a sentence carries (yes/no: a word that affirms or denies).
TYPED = frozenset(
    {Kind.HOW_MANY, Kind.WHEN, Kind.WHERE, Kind.WHO, Kind.WHY, Kind.SAID, Kind.YES_NO}
)


@dataclass(frozen=True, slots=True)
class Span:
    """Where in a sentence the answer sits (offsets into the sentence) and how clearly."""

    start: int
    end: int
    strength: float  # 0..1


@dataclass(frozen=True, slots=True)
class Intent:
    """The kind of answer wanted; for how-many the unit asked about ("leaders"), for what-did-X
    -say the speaker X as written."""

    kind: Kind
    unit: str = ""
    speaker: str = ""

    @property
    def typed(self) -> bool:
        return self.kind in TYPED

    def carries(self, text: str) -> bool:
        """Does `text` hold an answer of the wanted type (a number, a time, a place ...)?"""
        return not self.typed or find_answer(self, text) is not None

    def describe(self) -> str:
        """What the answer type is, for notes: "how many", "when" ..."""
        return {
            Kind.HOW_MANY: "how many",
            Kind.SAID: f"what {self.speaker or 'they'} said",
        }.get(self.kind, self.kind.value.replace("_", "/"))


# --- the question ----------------------------------------------------------------------------

_AUX = (
    r"(?:did|does|do|is|are|was|were|will|would|can|could|has|have|had|should|shall|may|might|"
    r"must|isn't|aren't|wasn't|weren't|didn't|doesn't|don't|won't|hasn't|haven't)"
)
_SPEECH_VERBS = (
    r"(?:say|says|said|tell|told|think|thinks|announce|announced|claim|claimed|warn|warned|"
    r"predict|predicted|forecast|expect|expects|report|reported|write|wrote|argue|argued|"
    r"suggest|suggested|propose|proposed|confirm|confirmed|stress|stressed|comment|"
    r"commented|state|stated|reveal|revealed|add|added|respond|responded|react|reacted|"
    r"want|wants|call|called|describe|described|admit|admitted|mean|meant|make of|think of|"
    r"feel about)"
)
_STANCE_NOUNS = r"(?:take|view|position|stance|response|reaction|line)"
_RULES: tuple[tuple[Kind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        (
            Kind.COMPARISON,
            r"\b(do|did|does)\s+(the\s+)?(outlets|sources|reports|articles|papers|media)\b"
            r"|\b(agree|disagree|differ|different|differences?|compare|comparison|contrast)\b.*"
            r"\b(outlets|sources|reports|articles|coverage|accounts|versions|figures|numbers)\b"
            r"|\bwho says what\b|\bcompare\b|\bversus\b|\bvs\.?\s|\bdifferently\b"
            r"|\bstack up\b|\b(cheaper|dearer|pricier|costlier) than\b",
        ),
        (
            # "What's Moi saying about where the economy is heading?" asks for Moi's words,
            # whatever question word follows
            Kind.SAID,
            r"^\W*what(?:'s|’s|\s+is|\s+was|\s+did|\s+does|\s+do|\s+has|\s+have)\s+"
            r"(?:.{1,60}?)\s+(?:say|says|saying|said|tell|telling|think|thinking)\s+about\b",
        ),
        (
            Kind.HOW_MANY,
            r"\bhow (many|much|large|big|high|low|far|long (?!until|till|before|has|have|had))\b"
            r"|\b(death|casualty) toll\b"
            r"|\bwhat(?:'s| is| was| were| are)?\s*(the\s+)?(number|amount|total|size|value|"
            r"price|cost|rate|percentage|share|level|figure|toll|count)\b|\bwhat percent"
            r"|\bhow (?:much|many) (?:did|does|do|is|was|were|are)\b"
            r"|^\W*what\b[^?]*\b(cost|costs|priced|sell for|go for|pay|paid|paying|offering|"
            r"bidding|charging)\b",
        ),
        (
            Kind.WHEN,
            r"^\W*(when|by when|since when|until when)\b|\bwhat (time|date|day|year|month)\b"
            r"|\bhow soon\b|\bhow long (until|till|before|has|have|had)\b|\bwhen\b.*\?\s*$",
        ),
        (
            Kind.WHERE,
            r"^\W*where\b|\bwhere\b.*\?\s*$|\b(what|which) (city|country|place|location|venue|"
            r"state|region|town|capital|site)\b|\bin what (city|country|place)\b",
        ),
        (
            Kind.WHY,
            r"^\W*why\b|\bwhy\b|\bhow come\b|\bwhat (caused|causes|led to|prompted|drove|is "
            r"behind|was behind|explains)\b|\b(the|what's the|what is the|what was the) "
            r"(reason|cause|motive)s?\b|\bfor what reason\b",
        ),
        (
            Kind.SAID,
            rf"\bwhat (did|does|do|has|have|had|was|is|will)\s+(.{{1,60}}?)\s+{_SPEECH_VERBS}\b"
            rf"|\bhow did (.{{1,60}}?) (react|respond)\b"
            rf"|\bwhat(?:'s| is| was) (.{{1,60}}?)'s (?:\w+ )?{_STANCE_NOUNS}\b",
        ),
        (
            Kind.WHAT,  # "who is Sun Chenghao?" asks what the articles say of him
            r"^\W*who\s*(is|was|'s|are)\s+(?![\w .'-]*\b(minister|president|leader|"
            r"chief|head|ceo|chairman|envoy|spokes\w+|secretary|governor|director|owner|"
            r"winner|buyer|boss)\b)[\w .'-]{1,40}\?*\s*$"
            r"|^\W*what\s*(is|was|'s|are)\s+(the\s+)?[\w.'-]+(\s+[\w.'-]+)?\s*\?*\s*$",
        ),
        (
            Kind.WHO,
            rf"^\W*(who|whom|whose)\b|\b(which|what) (?:(?!{_AUX}\b|the\b)[\w-]+ ){{0,2}}?"
            r"(company|companies|firm|bank|leader|"
            r"leaders|official|officials|person|people|country|countries|group|organi[sz]ation|"
            r"minister|president|agency|party|side|team|buyer|seller)\b|\bwho\b.*\?\s*$"
            r"|\bwhat(?:'s|’s| is| was| were| are) the names? of\b",
        ),
        (
            Kind.SUMMARY,
            r"\bwhat('s| is| was)? (happening|happened|going on|the (latest|story|deal|news|"
            r"situation|gist|upshot))\b|\btell me (about|more)\b|\bsummar|\bgist\b|\boverview\b"
            r"|\bwhat('s| is| are| was| were) (.{1,60}) about\b|\bany news\b|\bwhat('s| is) up\b"
            r"|\bbrief me\b|\bupdate on\b|\bwhat do we know\b",
        ),
        (Kind.YES_NO, rf"^\W*{_AUX}\b|\bwhether\b|\bor not\b"),
    )
)
# A verb after the counted noun ends it: "how many European leaders attended" -> "leaders".
_VERBISH = re.compile(
    r"\w+ed|attend|came|went|got|made|took|sat|left|fled|met|show|showed|arrive|reach|die|"
    r"remain|live|work|lost|won|fell|rose|need|want|own|hold|held|face|join"
)
# "How much is Qantas paying?", "What does it cost?": the unit is money.
_MONEY_QUESTION = re.compile(
    r"\bhow much\b.*\b(pay|paid|paying|cost|costs|spend|spent|spending|worth|price[ds]?|charge|"
    r"offer|offering|bid|raise|raising|sell|sold|buy|bought|earn|earned|lose|lost|invest|"
    r"owe|owed|owing|borrow|lend|lent|hand|handed|write|writing|wrote|debt|money|cash|aid|fund|"
    r"funding|loans?|revenue|profit|loss|capital|budget|deficit|subsid|compensat|fine)\w*\b"
    r"|\b(cost|costs|price|priced|prices)\b[^?]*\?*\s*$"
    r"|^\W*what\b[^?]*\b(pay|paid|paying|offering|bidding|charging)\b",
    re.I,
)
_HOW_MUCH = re.compile(r"\bhow much\b", re.I)  # ... of the $500m: money
_COMPOUND = re.compile(
    r"\b(who|what|when|where|why|how)\b.+\b(and|or)\s+(who|what|when|where|why|how)\b", re.I
)
_UNIT_STOP = re.compile(
    rf"\b({_AUX}|were|was|are|is|did|have|has|had|in|at|on|of|for|from|to|by|with|will|"
    r"would|the|a|an|been|that|there|they|it|people's)\b",
    re.I,
)


def intent_of(question: str, earlier: str | None = None) -> Intent:
    """The question's intent. A bare follow-up ("and injured?") takes how-many from `earlier`
    when it names only a new unit; "where?" is its own kind."""
    q = " ".join(question.split())
    if _COMPOUND.search(q):
        return Intent(Kind.WHAT)  # "Who met and what did they discuss?" wants sentences
    kind = next((k for k, rule in _RULES if rule.search(q)), Kind.WHAT)
    if kind is Kind.WHAT and earlier and len(words(q)) <= 3:
        before = intent_of(earlier)
        if before.kind is Kind.HOW_MANY:
            return Intent(Kind.HOW_MANY, unit=_last_word(q))
        kind = before.kind
    if kind is Kind.HOW_MANY:
        money = _MONEY_QUESTION.search(q) or (_HOW_MUCH.search(q) and _CURRENCY.search(q))
        return Intent(kind, unit="dlrs" if money else _unit(q))
    if kind is Kind.SAID:
        return Intent(kind, speaker=_speaker(q) or (_bare_subject(q) if earlier else ""))
    return Intent(kind)


_FOLLOW_UP_FILLER = re.compile(r"\b(?:and|what|how|about|then|so|also|too|the)\b|[?!.,]", re.I)


def _bare_subject(question: str) -> str:
    """Who a bare follow-up asks about: "and Starmer?" -> "Starmer"."""
    return " ".join(_FOLLOW_UP_FILLER.sub(" ", question).split())


def _unit(question: str) -> str:
    """The noun counted: "How many European leaders attended?" -> "leaders"."""
    m = re.search(
        r"\bhow (?:many|much)\s+(.*)|\b(?:number|amount|total|count) of\s+(.*)", question, re.I
    )
    if not m:
        return ""
    rest = m.group(1) or m.group(2) or ""
    stop = _UNIT_STOP.search(rest)
    phrase = (rest[: stop.start()] if stop else rest).split()
    for i, word in enumerate(phrase[1:], start=1):
        if _VERBISH.fullmatch(word.strip("?!.,").lower()):
            phrase = phrase[:i]
            break
    unit = _last_word(" ".join(phrase))
    if not unit:  # "how many were hurt?": the participle is the unit
        after = re.match(r"\s*(?:were|was|are|is|have been|had been|got)\s+(\w+)", rest, re.I)
        # ... never a name: "How much is Con Ed cutting its rates by?" counts no Cons
        unit = after.group(1).lower() if after and after.group(1)[0].islower() else ""
    return unit


def _last_word(text: str) -> str:
    found = [w for w in words(text) if not w.isdigit()]
    return found[-1] if found else ""


def _speaker(question: str) -> str:
    m = re.search(
        rf"\bwhat(?:'s|’s| did| does| do| has| have| had| was| is| will)\s+(.{{1,60}}?)\s+"
        rf"(?:{_SPEECH_VERBS}|saying|telling|thinking)\b",
        question,
        re.I,
    ) or re.search(
        r"\bhow did (.{1,60}?) (?:react|respond)\b|\bwhat(?:'s| is| was) (.{1,60}?)'s\b",
        question,
        re.I,
    )
    if not m:
        return ""
    return next(g for g in m.groups() if g).strip()


# --- answers in sentences --------------------------------------------------------------------

_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|a dozen|dozens|hundreds|thousands|millions|billions|several|"
    r"a handful|half|a third|a quarter|both)"
)
_QUALIFIER = (
    r"(?:(?:about|around|nearly|almost|more than|less than|fewer than|over|under|at least|"
    r"at most|up to|some|roughly|approximately|an estimated|just over|just under|only)\s+)?"
)
_SCALE = r"(?:\s*(?:mln|million|bln|billion|bn|trillion|thousand|m|k|pct|percent|per cent|%))?"
_CURRENCIES = (
    r"dlrs|dollars|yen|marks|francs|pounds|stg|euros?|yuan|rupees?|kroner|kronor|krone|krona|"
    r"roubles?|rubles?|pesos?|lira|lire|rand|won|shekels?|dinars?|riyals?|baht|ringgit|"
    r"rupiah|zloty|cents|cts"
)
# "1.03 billion N.Z. Dlrs", "50 mln Canadian dlrs", "200 mln Swiss francs"
_CURRENCY_PLACE = (
    r"(?:N\.Z\.|U\.S\.|H\.K\.|HK|Canadian|Australian|Hong Kong|Singapore|New Zealand|Swiss|"
    r"French|Belgian|Danish|Swedish|Norwegian|Saudi|Taiwan|Mexican|Brazilian)"
)
_NUMBER = re.compile(
    rf"{_QUALIFIER}(?:(?:US)?\$|£|€|¥)?\s?(?:\d[\d,]*(?:\.\d+)?|{_NUMBER_WORD}\b)"
    rf"(?:[\s-](?:hundred|thousand))?{_SCALE}(?:\s*(?:{_CURRENCY_PLACE}\s*)?(?:{_CURRENCIES})\b)?",
    re.I,
)
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_TIME = re.compile(
    rf"\b(?:(?:on|by|until|till|before|after|since|from|in|during|early|late|mid|end of)"
    rf"(?:\s+|-))?"
    rf"(?:(?:the\s+)?(?:end|start|beginning|middle) of\s+)?"
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{_MONTH}(?:\s+\d{{4}})?"
    rf"|{_MONTH}(?:\s+\d{{4}})?|{_WEEKDAY}(?:\s+(?:morning|afternoon|evening|night))?"
    r"|(?:19|20)\d\d(?:s)?|(?:the\s+)?(?:first|second|third|fourth)\s+quarter"
    r"|(?:today|tomorrow|yesterday|tonight))\b"
    r"|\b(?:with)?in\s+(?:the\s+)?(?:(?:next|coming|past|last)\s+(?:\w+\s+)?|(?:\d+|an?|one|"
    r"two|three|four|five|six|seven|eight|nine|ten|a few|several|few)\s+)(?:days?|weeks?|"
    r"months?|years?|hours?)\b"
    r"|\b(?:next|last|this|later this|earlier this|coming)\s+(?:week|month|year|quarter|"
    r"spring|summer|autumn|fall|winter|weekend)\b"
    r"|\b(?:\w+\s+)?(?:days?|weeks?|months?|years?|hours?)\s+(?:ago|later|earlier|from now)\b"
    r"|\b(?:soon|shortly|immediately|as soon as possible)\b",
    re.I,
)
_YEAR_LABEL = re.compile(r"\s+[A-Z][a-z]|[-–]\w")  # a year before a name: "1984 Wheat Act"
_FUTURE_QUESTION = re.compile(
    r"\b(will|going to|gonna|next|upcoming|expected|scheduled|planned|due)\b", re.I
)
_PAST_QUESTION = re.compile(r"\b(did|was|were|had|happened|took place)\b", re.I)
_BACKWARD = re.compile(r"\b(ago|last|earlier|yesterday|previous|past|since)\b", re.I)


def _looks_back(sentence: str, m: re.Match[str]) -> bool:
    """A time expression about the past: 'last week', 'two days ago', 'was in 2019'."""
    if _BACKWARD.search(m.group()):
        return True
    before = sentence[max(0, m.start() - 25) : m.start()]
    return bool(re.search(r"\b(was|were|had|did|came|took place)\b[^,.;]*$", before, re.I))


# where and when the story was filed: "LONDON, March 4 - ", "CALGARY, Alberta, Feb 26 - "
DATELINE = re.compile(r"^[A-Z][A-Za-z .,'-]{1,40}?,\s+\w{3,9}\.?\s+\d{1,2}\s+-\s+")
_VAGUE_TIME = re.compile(r"^(?:soon|shortly|immediately|as soon as possible)$", re.I)
_UNDECIDED_VERBS = r"(?:determined|decided|announced|agreed|confirmed|set|chosen|selected|fixed)"
_UNDECIDED = re.compile(
    rf"\b(?:(?:at\s+)?a\s+(?:location|venue|place|site|date|time)\s+(?:yet\s+)?to be "
    rf"{_UNDECIDED_VERBS}|(?:not|yet to be|still to be|has not been|have not been)\s+"
    rf"(?:yet\s+)?{_UNDECIDED_VERBS}|undecided|unclear|no date (?:has been |was )?set)\b",
    re.I,
)
# what an undecided place is written as, just before "not yet chosen": "to a site not yet chosen"
_UNDECIDED_PLACE = re.compile(
    r"(?:\b(?:an?|the)\s+(?:new\s+)?)?\b(?:location|venue|place|site|where)\b[^,;]{0,20}$", re.I
)
_PLACE = re.compile(
    r"\b(?:in|at|to|from|near|outside|inside|across|into|held in|based in|hit|hitting|struck|"
    r"striking|targeted|targeting|shelled|shelling|visited|visiting|reached|entered)\s+(?:the\s+)?"
    r"((?:[A-Z][\w'’.-]+)(?:\s+(?:of\s+|de\s+)?[A-Z][\w'’.-]+){0,3})"
    r"|\b([A-Z][\w.-]+(?:\s+[A-Z][\w.-]+)?)-based\b"
    r"|^([A-Z][A-Z .'-]{2,30}),\s+" + _MONTH + r"\s+\d"
    # "close its Milwaukee plant", "at the company's Canandaigua, N.Y., plant"
    r"|\b(?:its|their|the(?: company's| company’s| group's| firm's)?)\s+"
    r"((?:[A-Z][\w'’.-]+)(?:\s+[A-Z][\w'’.-]+){0,2})(?:,\s+[A-Z][\w.]+,)?\s+"
    r"(?=(?:plants?|factory|factories|mills?|refinery|refineries|facility|facilities|smelter|"
    r"mines?|works|site)\b)",
)
_CAUSE = re.compile(
    r"\b(?:because(?: of)?|(?:due|owing) (?:\w+ly |in (?:large |great )?part )?to|"
    r"as a result of|thanks to|on account of|since|"
    r"caused by|driven by|amid|after|following|so that|in order to|to (?:avoid|prevent|help|"
    r"ensure|protect|offset|boost|reduce|raise|cut|meet|finance|fund|pay)|citing|blamed|"
    r"reflect(?:s|ed|ing)?|the reason|reasons? (?:is|was|being)|on (?:an? |the )?(?:concern|fears|"
    r"worries|hopes|expectations|beliefs?|speculation|reports?|news|talk|rumou?rs?|optimism|"
    r"pessimism|signs)s?|stem(?:s|med) from|result(?:s|ed)? from|led to|prompted|"
    r"largely|mainly|partly|primarily)\b",
    re.I,
)
_SPEECH = re.compile(
    r"\b(?:said|says|saying|told|tells|added|warned|stated|stressed|noted|argued|insisted|explained|"
    r"confirmed|announced|predicted|forecast|expects?|believes?|according to|quoted|"
    r"acknowledg\w*|admitted|called|described|urged|vowed|pledged|promised|claimed|wrote|"
    r"asked|replied|responded|signal(?:l)?ed|expressed|emphasi[sz]ed|cautioned|conceded|"
    r"proposed|declined|label(?:l)?ed|critici[sz]ed|welcomed|denied|dismissed|accus(?:ed|es|ing))\b"
    r"|[“”\"]",
    re.I,
)
_SPEECH_VERB = re.compile(_SPEECH.pattern.split("|[“”")[0], re.I)  # words only, no quote marks
# A name: capitalised words, with the small words names hold ("Food and Drug Administration",
# "Brazil and Colombia", "Bank of Japan"); a link word left at the end is dropped.
_NAME = re.compile(
    r"(?<![\w'’])([A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|(?:of|de|van|von|al|and|&)(?=\s+[A-Z])))*)"
)
_TRAILING_LINK = re.compile(r"(?:\s+(?:of|de|van|von|al|and|&))+$")
_NOT_NAMES = frozenset(
    stem(w)
    for w in """the a an it he she they we i this that these those but and or so if in on at
    for by with after before while when where what who why how there here however meanwhile
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december mr mrs ms dr""".split()
)
_LABELLED_NUMBER = re.compile(rf"(?:{_MONTH}|Article|No\.?|Section|Chapter|Resolution)\s*$", re.I)


def find_answer(intent: Intent, sentence: str, question: str = "") -> Span | None:
    """The span of `sentence` that answers a question of this intent, or None.

    A question about what happened ("When did the Army choose its missile?", "Did the
    shareholders approve the buyout?") is not answered by a sentence that has it only planned,
    possible or under way ("has been considering buying ... this year", "might be
    discouraged"): such a span keeps UNREALISED_SHARE of its strength. A denial still answers a
    yes/no question ("has not found a buyer").
    """
    finder = _FINDERS.get(intent.kind)
    span = finder(intent, sentence, question) if finder else None
    if span is None or intent.kind not in _OUTCOME_KINDS or not asks_outcome(question):
        return span
    if not _UNREALISED.search(sentence) and not _still_to_come(sentence, question):
        return span
    if intent.kind is Kind.YES_NO and _DENIAL.search(sentence):
        return span
    return Span(span.start, span.end, span.strength * UNREALISED_SHARE)


UNREALISED_SHARE = 0.4
_OUTCOME_KINDS = frozenset({Kind.WHEN, Kind.WHERE, Kind.WHY, Kind.YES_NO})
_OUTCOME_QUESTION = re.compile(
    r"^\W*(?:(?:so|and|but)\s+)?(?:did|has|have|had|was|were)\b|\b(?:when|where|why|how)\s+"
    r"(?:did|was|were|had)\b|\b(?:happened|took place)\b",
    re.I,
)
_UNREALISED = re.compile(
    r"\b(?:may|might|could|would|plans?\s+to|planned|intends?\s+to|hopes?\s+to|aims?\s+to|"
    r"seeks?\s+to|considering|weighing|possible|possibly|potential|proposed|prospective|"
    r"likely|unlikely|scheduled|yet to|set to|expected to|due to (?!the\b)\w+|suspended|"
    r"on hold|pending)\b",
    re.I,
)
_DENIAL = re.compile(
    r"\b(?:not|no|never|denied|denies|rejected|rejects|declined|refused|failed|without)\b"
    r"|n[’']t\b",
    re.I,
)


def unrealised(sentence: str) -> bool:
    """Does the sentence have something only planned, possible or under way?"""
    return bool(_UNREALISED.search(sentence))


def _still_to_come(sentence: str, question: str) -> bool:
    """The question's own verb put in the future: "... Reagan, who has indicated he will sign
    it" for "When did Reagan sign the bill?"."""
    asked = _asked(question) - _NOT_NAMES - _FUNCTION_STEMS
    return any(stem(m.group(1).lower()) in asked for m in _FUTURE_VERB.finditer(sentence))


_FUTURE_VERB = re.compile(r"\b(?:will|would|shall|'ll)\s+(?:\w+ly\s+)?(\w+)", re.I)


def asks_outcome(question: str) -> bool:
    """Does the question ask about something done ("did they ...", "when was ...")?"""
    return bool(_OUTCOME_QUESTION.search(question))


def _counts(intent: Intent, sentence: str, question: str) -> Span | None:
    """A number, best one followed (within 4 words) by the asked unit or its synonyms."""
    unit = stem(intent.unit) if intent.unit else ""
    best: Span | None = None
    given = set(re.findall(r"\d+(?:[.,]\d+)*", question))
    for m in _NUMBER.finditer(sentence):
        if not re.search(r"\d|[a-z]", m.group(), re.I) or _is_label_or_date(sentence, m):
            continue
        if given & set(re.findall(r"\d+(?:[.,]\d+)*", m.group())):
            continue  # "How much of the $500m loan ...?" is not answered by "500 mln"
        tail = sentence[m.end() : m.end() + 60]
        tail_words = re.findall(r"[\w'’-]+", tail)[:4]
        hit = next(
            (i for i, w in enumerate(tail_words) if unit and _same_unit(stem(w.lower()), unit)),
            None,
        )
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        if lower := _RANGE_START.search(sentence[:start]):
            start = lower.start()  # "between 4,798 and 6,998 dlrs" is one answer
        if hit is None and unit == _MONEY_UNIT and _CURRENCY.search(m.group()):
            span = Span(start, m.end(), 1.0)
        elif hit is None and not unit and _HOW_MUCH.match(question):
            # "How much is Con Ed cutting its rates?": an amount of money or a share, not a
            # count of anything ("a four year freeze")
            amount = bool(_CURRENCY.search(m.group()) or _SHARE.search(m.group()))
            span = Span(start, m.end(), 1.0 if amount else 0.45)
        elif hit is not None:
            end = m.end() + _end_of_word(tail, tail_words, hit)
            span = Span(start, end, 1.0)
        else:
            words_after = tail_words[:1]
            end = m.end() + (_end_of_word(tail, tail_words, 0) if words_after else 0)
            span = Span(start, end, 0.45 if unit else 0.8)
        if best is None or span.strength > best.strength:
            best = span
    return best


def _end_of_word(tail: str, tail_words: list[str], index: int) -> int:
    pos = 0
    for i, w in enumerate(tail_words):
        pos = tail.index(w, pos) + len(w)
        if i == index:
            return pos
    return pos


_RANGE_START = re.compile(r"(?:\bbetween\s+|\bfrom\s+)?\d[\d.,]*\s+(?:and|to)\s+$")
_MONEY_UNIT = stem("dlrs")
_HOW_MUCH = re.compile(r"\W*how much\b", re.I)
_SHARE = re.compile(r"\b(?:pct|percent|per cent)\b|%", re.I)
_CURRENCY = re.compile(rf"[$£€¥]|\b(?:{_CURRENCIES})\b", re.I)


def names_money(text: str) -> bool:
    """Does the text hold an amount of money (a currency sign or word)?"""
    return bool(_CURRENCY.search(text))


_UNIT_GROUPS = tuple(
    frozenset(stem(w) for w in group.split())
    for group in (
        "killed dead death deaths died fatalities lives people civilians casualties",
        "injured wounded injuries hurt casualties people",
        "people persons civilians residents individuals workers employees staff",
        "workers employees staff jobs positions",
        "dollar dollars dlrs usd money",
        "percent pct per",
        "leader leaders head heads",
    )
)


def _same_unit(word: str, unit: str) -> bool:
    if word == unit or (
        len(unit) >= 4 and word.startswith(unit[:4]) and len(word) <= len(unit) + 3
    ):
        return True
    return any(word in g and unit in g for g in _UNIT_GROUPS)


def _is_label_or_date(sentence: str, m: re.Match[str]) -> bool:
    """'Article 5', 'August 18', '2025': labels and dates are not counts."""
    text = m.group().strip()
    if re.fullmatch(r"(?:19|20)\d\d", text):
        return True
    return bool(_LABELLED_NUMBER.search(sentence[: m.start()]))


def _time(intent: Intent, sentence: str, question: str) -> Span | None:
    undecided = _UNDECIDED.search(sentence)
    if undecided and re.search(r"\b(date|time|when)\b", sentence[: undecided.end()], re.I):
        return Span(undecided.start(), undecided.end(), 0.9)
    best: Span | None = None
    ahead = _FUTURE_QUESTION.search(question) is not None
    dateline = DATELINE.match(sentence)
    dateline_end = dateline.end() if dateline else -1
    for m in _TIME.finditer(sentence):
        strength = 0.5 if _VAGUE_TIME.match(m.group()) else _specificity(m.group())
        if ahead and _looks_back(sentence, m):
            strength = 0.3  # "When will they meet?" is not answered by "was in 2019"
        elif ahead and re.fullmatch(r"(?:in\s+)?(?:19|20)\d\ds?", m.group(), re.I):
            strength = 0.5
        if _HOW_LONG.search(question) and not _SPAN_BOUND.match(m.group()):
            strength *= NOT_A_SPAN  # "How long has it been shut?": "since December 19"
        if _DATE_ASKED.search(question) and _specificity(m.group()) < 1.0:
            strength *= NOT_A_DATE  # "By what date ...?" is not answered by "later this week"
        strength *= _nearness(sentence, m.start(), m.end(), question)
        if m.end() <= dateline_end:
            strength *= 0.3  # "LONDON, March 4 -" dates the report, not the event
        if re.fullmatch(r"(?:19|20)\d\d", m.group()) and (
            _in_question(m.group(), question) or _YEAR_LABEL.match(sentence, m.end())
        ):
            continue  # "the 1984 Wheat Marketing Act" names the act, it dates nothing
        span = Span(m.start(), m.end(), strength)
        if best is None or span.strength > best.strength:
            best = span
        elif span.strength == best.strength:
            gaps = (_gap(sentence, s.start, s.end, question) for s in (span, best))
            if next(gaps) < next(gaps) or span.end - span.start > best.end - best.start:
                best = span
    return best


_HOW_LONG = re.compile(r"\bhow long\b|\bsince when\b|\buntil when\b", re.I)
_SPAN_BOUND = re.compile(r"(?:since|until|till|through)\b", re.I)
NOT_A_SPAN = 0.85  # a date that neither starts nor ends the asked stretch of time
_DATE_ASKED = re.compile(
    r"\b(?:what|which) (?:date|day)\b|\bby when\b|\bdeadline\b|\bwhen exactly\b|\bexact date\b",
    re.I,
)
NOT_A_DATE = 0.7  # "later this week", "in March" where a date is asked for
_DAY = re.compile(rf"\d|{_WEEKDAY}|today|tomorrow|yesterday|tonight", re.I)
_A_MONTH = re.compile(_MONTH)
_A_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
RELATIVE_TIME = 0.9  # "later this year", "within two weeks": a time, but not a date
MONTH_ONLY = 0.95  # "in May": a date, to the month


def _specificity(time: str) -> float:
    """How precisely a time dates: "April 30" more than "May", "May" more than "this year"."""
    if _A_YEAR.search(time) and not _A_MONTH.search(time):
        return RELATIVE_TIME  # a bare year
    if _DAY.search(time):
        return 1.0
    if _A_MONTH.search(time):
        return MONTH_ONLY
    return RELATIVE_TIME


def _place(intent: Intent, sentence: str, question: str) -> Span | None:
    best = _known_place(sentence, question)
    undecided = _undecided_place(sentence)
    if undecided is None:
        return best
    if best and _gap(sentence, best.start, best.end, question) < _gap(
        sentence, undecided.start, undecided.end, question
    ):
        return best  # "make aircraft tires at Norwood, ... relocate ... to a site not yet chosen"
    # "at a location to be determined" answers where something will be, not where it was
    ahead = not _PAST_QUESTION.search(question)
    return Span(undecided.start, undecided.end, 1.0 if ahead else 0.4)


def _known_place(sentence: str, question: str) -> Span | None:
    """The sentence's place nearest the question's words: "in Stockholm", "its Milwaukee
    plant", a dateline's city at less strength."""
    best: Span | None = None
    for m in _PLACE.finditer(sentence):
        name = next(g for g in m.groups() if g)
        first = stem(name.split()[0].lower().strip(".,"))
        if first in _NOT_NAMES or re.fullmatch(_MONTH, name.split()[0]):
            continue
        if _in_question(name, question) or _COMPANY.search(name):
            continue  # "sold its operations to Peugeot SA": a company, not a place
        # a dateline says where the story was filed: the event may be elsewhere ("GENEVA -
        # Chrysler will sell cars in Europe")
        filed = DATELINE_PLACE if m.group(3) else 1.0
        start = m.start(4) if m.group(4) else m.start()  # "Milwaukee" of "its Milwaukee plant"
        end = _list_end(sentence, m.end())
        if sentence[end - 1] == "." and sentence[end - 2 : end - 1].islower():
            end -= 1  # "in Switzerland." ends the sentence; "in the U.S." keeps its dot
        region = _REGION_AFTER.match(sentence, end)
        in_region = bool(region and is_place(region.group(1)))
        if region and in_region:
            end = region.end()  # "at Norwood, N.C.": a town the gazetteer need not know
        known = 1.0 if in_region or is_place(name) else UNKNOWN_PLACE
        strength = PLACE_STRENGTH * filed * known * _nearness(sentence, start, end, question)
        if best is None or strength > best.strength:
            best = Span(start, end, strength)
    return best


def _undecided_place(sentence: str) -> Span | None:
    """Where the sentence says a place is not chosen yet, from the noun that names it: "at a
    location to be determined", "to a site not yet chosen"."""
    for m in _UNDECIDED.finditer(sentence):
        if re.search(r"\b(location|venue|place|site|where)\b", m.group(), re.I):
            return Span(m.start(), m.end(), 1.0)
        noun = _UNDECIDED_PLACE.search(sentence, max(0, m.start() - 30), m.start())
        if noun:
            return Span(noun.start(), m.end(), 1.0)
    return None


_REGION_AFTER = re.compile(r",\s+([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)")
PLACE_STRENGTH = 0.8  # a place near the question's words: never certain, so never lifted alone
DATELINE_PLACE = 0.6
UNKNOWN_PLACE = 0.8  # a capitalised word after "in" that the gazetteer does not know
_ONE_PLACE = r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,2}"
_PLACE_LIST = re.compile(rf"(?:,\s+{_ONE_PLACE})*,?\s+and\s+{_ONE_PLACE}")
_COMPANY = re.compile(
    r"\b(?:Inc|Corp|Corporation|Co|Ltd|Limited|SA|AG|PLC|Plc|NV|BV|GmbH|SpA|AB|Group|Bank|Holdings)\b"
)


def _list_end(sentence: str, end: int) -> int:
    """The end of a list of places begun at `end`: "in West Germany, Austria and Switzerland"
    is one answer ("in Paris, Smith said" is not a list)."""
    m = _PLACE_LIST.match(sentence, end)
    return m.end() if m else end


def _nearness(sentence: str, start: int, end: int, question: str) -> float:
    """1 when a content word of the question sits within a few words of the span, else 0.75:
    "the summit ... at a location to be determined" beats "his counterpart in Ukraine"."""
    if not question:
        return 1.0
    return 1.0 if _gap(sentence, start, end, question) <= NEAR_FAR else 0.75


def beside(sentence: str, start: int, end: int, question: str, within: int) -> bool:
    """Is a content word of the question within `within` characters of the span?"""
    return _gap(sentence, start, end, question) <= within


def _gap(sentence: str, start: int, end: int, question: str) -> int:
    """Characters between the span and the nearest content word of the question (ties between
    equally clear spans go to the nearer: "full-scale invasion in 2022", not "was in 2019")."""
    asked = _asked(question) - _NOT_NAMES - _FUNCTION_STEMS
    gaps = [
        start - m.end() if m.end() <= start else m.start() - end
        for m in _WORD_SPAN.finditer(sentence)
        if (m.end() <= start or m.start() >= end) and stem(m.group().lower()) in asked
    ]
    return min(gaps, default=len(sentence))


NEAR_FAR = 70  # characters between the span and a word of the question: still beside it
_WORD_SPAN = re.compile(r"[^\W_]+")
_FUNCTION_STEMS = frozenset(stem(w) for w in STOPWORDS | QUESTION_NOISE)


def _who(intent: Intent, sentence: str, question: str) -> Span | None:
    """A name that is not the question's own. "Which minister approved ...?" wants the name
    beside "minister" ("Consumer Affairs Minister Michel Cote"), not the company named
    elsewhere in the sentence; part of a longer name ("Food" of "Food and Drug
    Administration") is no answer."""
    best: Span | None = None
    place: Span | None = None
    role = role_of(question)
    dateline = DATELINE.match(sentence)
    for m in _NAME.finditer(sentence):
        if dateline and m.start() < dateline.end():
            continue  # "WASHINGTON, March 2 -" is where the story was filed
        name = _TRAILING_LINK.sub("", m.group(1)).strip(".'’-")
        first = stem(name.split()[0].lower()) if name.split() else ""
        if not name or first in _NOT_NAMES or _mostly_asked(name, question):
            continue
        if _is_place_name(name) and _LOWER_NEXT.match(sentence, m.start() + len(name) + 1):
            continue  # "U.S. chipmakers", "Chinese spokeswoman": a place as an adjective
        if _qualifies_as_asked(sentence[m.start() + len(name) :], question):
            continue  # "Metropolitan police" where the question says "Bangladesh police"
        if is_place(name):
            weak = min(WHO_PLACE, AWAY_FROM_ROLE) if role.words else WHO_PLACE
            place = place or Span(m.start(), m.start() + len(name), weak)
            continue  # "the Iranians" or "Tokyo" answers only when no one else is named
        if name.endswith("-based"):
            continue  # "Hamburg-based" says where someone is from, not who
        # "a former currency clerk of Westpac Banking Corp": the company employs the clerk
        if role.words and (
            _COMPANY.search(name)
            or not beside_role(sentence, m.start(), m.start() + len(name), role)
        ):
            best = best or Span(m.start(), m.start() + len(name), AWAY_FROM_ROLE)
            continue
        if (
            m.start() == 0
            and len(name.split()) == 1
            and (not _SPEECH.search(sentence) or name.lower().endswith(("ed", "ing")))
        ):
            continue  # a capitalised first word is usually just a sentence start
        span = Span(m.start(), m.start() + len(name), 0.9)
        if _acts(sentence[span.end :], question):
            return Span(span.start, span.end, 1.0)  # "Trump hosted ..." for "Who hosted ...?"
        if best is None or span.strength > best.strength:
            best = span  # a name beside the role beats one away from it written earlier
    return best or place


WHO_PLACE = 0.6  # a country, city or people as the answer to who: weak, but some are
AWAY_FROM_ROLE = 0.45  # a name with no word of the asked role beside it
_LOWER_NEXT = re.compile(r"\s*[a-z]")


_NAMED_NOUN = re.compile(r"(?<![\w'’])[A-Z][\w'’.-]*\s+([a-z][\w-]+)")


def _qualifies_as_asked(after: str, question: str) -> bool:
    """The name stands before a noun the question qualifies with a name of its own: in
    "Who did Bangladesh police arrest?" the "Metropolitan" of "Metropolitan police told ..."
    says which police, not who was arrested."""
    m = re.match(r"\s+([a-z][\w-]+)", after)
    return m is not None and stem(m.group(1)) in _named_nouns(question)


@lru_cache(maxsize=256)
def _named_nouns(question: str) -> frozenset[str]:
    """Stems of the nouns the question writes after a name ("Bangladesh police" -> police),
    bar its first word and asking words; built once per question, not per candidate name."""
    return frozenset(
        stem(q.group(1))
        for q in _NAMED_NOUN.finditer(question)
        if q.start() > 0 and stem(q.group().split()[0].lower()) not in _NOT_NAMES
    )


def _mostly_asked(name: str, question: str) -> bool:
    """Most of the name's words are the question's own: "Home State Savings Bank" does not
    answer "Who owned Home State Savings?". A title is not the name: in "Ukraine's Defence
    Minister Rustem Umerov" only "Rustem Umerov" is weighed."""
    got = [stem(w) for w in words(without_title(name))] or [stem(w) for w in words(name)]
    asked = _asked(question) if question else frozenset()
    initials = "".join(w[0] for w in name.split() if w[:1].isupper())
    if len(initials) > 1 and re.search(rf"\b{initials}\b", question):
        return True  # "Securities and Exchange Commission" is the question's "SEC"
    if name.isupper() and name.lower() in initials_in(question):
        return True  # ... and "GMB" its "Grain Marketing Board"
    return bool(got) and sum(w in asked for w in got) * 2 > len(got)


def _is_place_name(name: str) -> bool:
    """A country or its people as a bare name ("U.S.", "Britain", "Chinese"); the name may
    come with its closing period stripped ("U.S"), which alone reads as no word at all."""
    found = tuple(terms(name + "."))
    return bool(found) and any(found in group for group in ALIASES)


def _acts(after: str, question: str) -> bool:
    """The words right after a name include one of the question's: the name does what is
    asked about."""
    asked = _asked(question) - _NOT_NAMES
    return any(stem(w) in asked for w in words(" ".join(after.split()[:4])))


def _cause(intent: Intent, sentence: str, question: str) -> Span | None:
    """A cause: "because ...", "due mainly to ...", weaker "largely", "after", "amid". The
    strongest marker of the sentence wins: "the swing was due primarily to the decline" is
    read at "due primarily to", not at its "primarily"."""
    found = list(_CAUSE.finditer(sentence))
    if not found:
        return None
    strong = [m for m in found if _STRONG_CAUSE.match(m.group())]
    m = (strong or found)[0]
    return Span(m.start(), _clause_end(sentence, m.end()), 1.0 if strong else 0.7)


_STRONG_CAUSE = re.compile(r"because|due|owing|as a result|caused|the reason|reason", re.I)


def _said(intent: Intent, sentence: str, question: str) -> Span | None:
    """Speech, best when it is the asked speaker's: "X said", "said X", "according to X",
    "X's spokesman told ...". A sentence that only names X beside someone else's words ("the
    Wallenbergs paid Penser's group ..., the statement said") does not say what X said."""
    if not _SPEECH.search(sentence):
        return None
    if not intent.speaker:
        return Span(0, len(sentence), 1.0)
    if _attributed(sentence, intent.speaker):
        return Span(0, len(sentence), 1.0)
    if _mentions(sentence, intent.speaker):
        return Span(0, len(sentence), 0.45)  # named, but the words are someone else's
    return Span(0, len(sentence), 0.3)  # someone's words: this sentence does not say whose


# Words before a speech verb that may stand between the speaker and it: "Sculley, Apple's
# chairman and chief executive, declined to estimate sales, but he said ...".
SPEAKER_BEFORE = 14
SPEAKER_AFTER = 6  # '"...," said Merz' and "according to German Chancellor Friedrich Merz"


def _attributed(sentence: str, speaker: str) -> bool:
    """Is one of the sentence's speech verbs attributed to `speaker`: the speaker in the clause
    right before the verb ("..., a statement from the Wallenberg companies said" is the
    companies', not Penser's, named earlier in the sentence), or after it when the verb follows
    a quote ('..." said Merz') or is "according to"?"""
    wanted = {stem(w) for w in words(speaker)} - _NOT_NAMES - _SPEAKER_TITLES
    if not wanted:
        return False
    quote = _QUOTE_MARK.search(sentence)
    if quote and _names_meet(wanted, {stem(w) for w in words(sentence[: quote.start()])[:8]}):
        return True  # "Macron went further, floating ...: “When we speak ...”": his words
    for m in _SPEECH_VERB.finditer(sentence):
        # "a source close to the Kadoorie family said": the source speaks, not the family
        near = words(_CLOSE_TO.split(_subject_before(sentence, m.start()))[0])[-SPEAKER_BEFORE:]
        inverted = _INVERTED.search(sentence[max(0, m.start() - 3) : m.start()])
        if inverted or m.group().lower() == "according to":  # '..." said Merz', not "said X will"
            near += words(sentence[m.end() :])[:SPEAKER_AFTER]
        if _names_meet(wanted, {stem(w) for w in near}):
            return True
    return False


def _subject_before(sentence: str, at: int) -> str:
    """Who speaks at a verb starting at `at`: the clause before it ("ChemLawn spokeswoman Debra
    Strohmaier said"), with the bare name before an apposition ("John Sculley, Apple's
    chairman, said"), or the sentence's first name for a pronoun ("..., but he said")."""
    clauses = _CLAUSE_BREAK.split(sentence[:at].rstrip(" ,;:"))
    last = clauses[-1].strip()
    if not last or all(w.lower() in _PRONOUNS for w in last.split()):
        first = _NAME.search(sentence)
        return first.group(1) if first else ""
    if len(clauses) > 1 and _BARE_NAME.fullmatch(clauses[-2].strip()):
        return f"{clauses[-2]} {last}"
    return last


_CLAUSE_BREAK = re.compile(r"[,;:(“”\"]|\s[-–—]\s")
_PRONOUNS = frozenset("he she they it we i but and so then also later".split())
_BARE_NAME = re.compile(r"(?:[A-Z][\w'’.-]*\s?){1,4}")


def _names_meet(wanted: set[str], found: set[str]) -> bool:
    """A word of `wanted` is in `found`, as written, as another form ("China" for "Chinese",
    "Iran" for "Iranian") or as an alias of it ("U.S." for "America")."""
    if wanted & found:
        return True
    for w in wanted:
        if any(_one_extends(w, f) for f in found):
            return True
        if any(all(x in found for x in alias) for alias in alias_forms(w)):
            return True
    return False


def _one_extends(a: str, b: str) -> bool:
    """'iran'/'iranian', 'israel'/'israeli': one word extends the other (4 letters at least)."""
    short, long = sorted((a, b), key=len)
    return short != long and len(short) >= 4 and long.startswith(short)


_CLOSE_TO = re.compile(r"\b(?:close to|familiar with|near to|allied with|advising)\b", re.I)
_QUOTE_MARK = re.compile(r"[“\"]")
_INVERTED = re.compile(r"[,”\"]\s*$")


_SPEAKER_TITLES = frozenset(
    stem(w) for w in "former current official officials spokesman spokeswoman mr mrs".split()
)


def _clause_end(sentence: str, start: int) -> int:
    m = re.search(r"[,;:.!?](?=\s|$)|\s[-–—]\s", sentence[start:])
    end = start + m.start() if m else len(sentence)
    return end if end - start > 12 else len(sentence.rstrip(".!?"))


def _mentions(sentence: str, name: str) -> bool:
    have = {stem(w) for w in words(sentence)}
    wanted = [stem(w) for w in words(name) if stem(w) not in _NOT_NAMES]
    return bool(wanted) and any(w in have for w in wanted)


def _in_question(text: str, question: str) -> bool:
    if not question:
        return False
    asked = _asked(question)
    got = [stem(w) for w in words(text)]
    return bool(got) and all(w in asked for w in got)


@lru_cache(maxsize=256)
def _asked(question: str) -> frozenset[str]:
    """The question's word stems: asked of every candidate span of every sentence, built once."""
    return frozenset(stem(w) for w in words(question))


_STANCE = re.compile(
    r"\b(?:agreed|agrees|agreement|rejected|rejects|declined|declines|refused|refuses|denied|"
    r"denies|confirmed|confirms|ready|willing|unwilling|open to|openness|ruled out|rules out|"
    r"approved|approves|accepted|accepts|no longer|not|no|never|nor|cannot|won't|didn't|"
    r"doesn't|hasn't|haven't|isn't|wasn't|hasn’t|didn’t|doesn’t|isn’t|wasn’t|won’t|failed|"
    r"yes|plans to|will|intends to|expects to|off the table|on the table|without|"
    r"(?:has|have|had) (?:already )?\w+ed)\b",
    re.I,
)


def _stance(intent: Intent, sentence: str, question: str) -> Span | None:
    """A yes/no question is answered by the sentence that affirms or denies: one with a word
    of stance (agreed, rejected, not, ready ...) near the question's own words. A decision said
    outright ("the board rejected the bid", "declined to estimate") answers more clearly than a
    bare "not" or "will" ("TWA said it may make an offer if the deal is not acceptable")."""
    best: Span | None = None
    for m in _STANCE.finditer(sentence):
        clear = 1.0 if _DECISION.fullmatch(m.group()) else HEDGED_STANCE
        near = _nearness(sentence, m.start(), m.end(), question)
        span = Span(m.start(), m.end(), clear * (1.0 if near == 1.0 else 0.6))
        if best is None or span.strength > best.strength:
            best = span
    return best


HEDGED_STANCE = 0.75
_DECISION = re.compile(
    r"(?:(?:has|have|had) (?:already )?)?(?:agreed|approved|accepted|rejected|refused|declined)|"
    r"agreed|agrees|rejected|rejects|declined|declines|refused|refuses|denied|denies|"
    r"confirmed|confirms|ruled out|rules out|approved|approves|accepted|accepts|failed|"
    r"ready|willing|unwilling|off the table|no longer|never",
    re.I,
)


_FINDERS = {
    Kind.YES_NO: _stance,
    Kind.HOW_MANY: _counts,
    Kind.WHEN: _time,
    Kind.WHERE: _place,
    Kind.WHO: _who,
    Kind.WHY: _cause,
    Kind.SAID: _said,
}
