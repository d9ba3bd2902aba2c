"""The offline answerer: lead with the asked-for span, then only the sentences that add to it.

"How many European leaders attended?" -> "Seven European leaders [1]." The lead is lifted
verbatim from a cited sentence; the only words of its own are fixed connectives ("according to",
"Not decided:", "Sources differ.", "<outlet> reports:"), so it cannot state a claim the articles
do not make, and it cannot follow instructions found in an article: it only ever quotes, and
sentences addressed to an AI are never picked.

A question whose answer type is nowhere in the best sentences (a how-many with no number, a
when with no time, a what-did-X-say where X says nothing on it) gets no answer: quoting the
sentences that merely share its words is what made earlier versions wrong half the time.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.core.compose import Claim, Quote, short_title, source_name
from bot.core.disagree import Conflict, find_conflict
from bot.core.evidence import Evidence, Sentence, is_heading_or_question
from bot.core.intent import (
    HEDGED_STANCE,
    PLACE_STRENGTH,
    Kind,
    asks_outcome,
    names_money,
    unrealised,
)
from bot.generators.base import Draft
from ingest.text.words import terms

MAX_SENTENCES = 3
KEEP_RATIO = 0.6  # a further sentence must score at least this share of the best one
CANDIDATE_RATIO = 0.35  # sentences weighed for the answer span and for disagreement
CANDIDATES = 8
NEAR_DUPLICATE = 0.6  # term Jaccard above which two sentences say the same thing
MIN_LEAD_STRENGTH = 0.9  # a weaker span (a number without the asked unit) is not lifted
# The sentence that carries the answer must speak to the question: a date in a sentence about
# something else answers nothing (calibrated on the tune questions: 0.2 refuses 12 of 21
# unanswerable typed questions and 5 of 69 answerable ones).
MIN_LEAD_COVERAGE = 0.2
# ... and to what it is about: "Putin agreed to the meeting" does not answer "Did they agree on
# a ceasefire?" (see Evidence.topic_coverage)
MIN_TOPIC_COVERAGE = 0.5
CONTEXT_POOL = 20  # sentences looked at for a clear answer that leans on the ones before it
ANOTHER_ACTOR = 0.5  # a lead opening on someone the question does not name (Ford for Chrysler)
STORY_POOL = 3  # ... and every sentence of the stories the best few come from
CONTEXT_SHARE = 0.7  # share of the context's coverage such a sentence is credited with
CONTEXT_BONUS = 0.2  # weight of the context's coverage in choosing the lead
LEAD_BONUS = 1.3  # a vague question prefers an article's first sentence
BROAD_MIN = 0.4  # a vague question's sentences score at least this share of the best
SUMMARY_MORE = 2  # sentences of the one story that covers a vague question, after its best
BROAD_PEER = 0.9  # another article joins a vague answer when it covers the question as fully
# Kinds refused when no candidate sentence carries their answer type at all.
MUST_CARRY = frozenset({Kind.HOW_MANY, Kind.WHEN, Kind.WHERE, Kind.WHO, Kind.SAID})
_SPEAKER = re.compile(
    r"(?:according to|said|says|told)\s+((?:[A-Z][\w'’.-]+\s?){1,3})"
    r"|((?:[A-Z][\w'’.-]+\s){0,3}[A-Z][\w'’.-]+)\s+(?:said|says|told|confirmed|added|warned|"
    r"stressed|announced|noted|predicted|insisted)\b"
)
PER_SOURCE_COVERAGE = 0.6  # an outlet's line must speak to this share of the best one's topic
_FIGURES_ASKED = re.compile(
    r"\b(numbers?|figures?|counts?|tolls?|casualt\w*|how many|how much|priced?|prices|costs?|"
    r"totals?|growth|grow|rates?|forecasts?|sales|earnings|profits?|bids?|offers?|pay)\b",
    re.I,
)
_SOURCES_ASKED = re.compile(
    r"\b(reports?|sources?|outlets?|stories|articles?|papers?|newspapers?|accounts?)\b", re.I
)
_PRONOUN_START = re.compile(r"(?:It|Its|He|She|They|The company|The firm)\b")
SUBJECT_WORDS = 5  # a side named in a sentence's first words is what it is about
SIDE_TOPIC = 0.4  # a side's sentence speaks to this share of what is compared ("car push")
_MONEY_ASKED = re.compile(r"\b(priced?|prices|costs?|pay|paying|paid|cheaper|dearer)\b", re.I)
_NOT_A_SIDE = frozenset("the are is do does did how what which who was were will".split())
_SIDE = (
    r"(?!(?:How|What|Are|Do|Does|Did|Is|Which|Who|Was|Were|Will)\b)"
    r"((?:the\s+)?[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*)*(?:'s|’s)?)"
)
_SIDES = re.compile(
    rf"{_SIDE}\s+(?:and|or|vs\.?|versus)\s+{_SIDE}"
    rf"|{_SIDE}(?:\s+[\w'’-]+){{0,5}}?\s+compared?\s+(?:with|to)\s+{_SIDE}"
)
_FIGURE = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|"
    r"thousands?)\b",
    re.I,
)
_NAME_INSIDE = re.compile(r"(?<=[\w,;] )[A-Z][a-z][\w'’-]+")
_UNDECIDED_LEAD = re.compile(
    r"to be (determined|decided|announced|agreed|confirmed|set|chosen|selected|fixed)|"
    r"not (yet )?(decided|determined|set|chosen|selected|fixed)|undecided|unclear",
    re.I,
)


class ExtractiveGenerator:
    """Picks and cites; deterministic and instant."""

    name = "extractive"

    def draft(self, question: str, evidence: Evidence) -> Draft:
        return Draft(claims=extract(evidence))


def extract(evidence: Evidence) -> list[Claim]:
    """The answer as claims: the asked-for span first, or who says what when outlets differ."""
    ranked = [s for s in evidence.ranked() if s.score > 0 and s.coverage > 0]
    if not ranked:
        return []
    best = ranked[0].score
    candidates = [s for s in ranked if s.score >= CANDIDATE_RATIO * best][:CANDIDATES]
    conflict = find_conflict(evidence, candidates)
    if conflict:
        return _who_says_what(evidence, conflict)
    kind = evidence.intent.kind
    if kind is Kind.COMPARISON:
        sides = compared_sides(evidence.question)
        if len(sides) == 2:
            return _side_by_side(evidence, ranked, sides)
        return _per_source(evidence, ranked)
    if kind is Kind.SUMMARY:
        return _broad(evidence, ranked)
    if evidence.intent.typed:
        return _typed(evidence, ranked, candidates)
    return [_claim(s) for s in _supporting(evidence, ranked, [], best)]


def _typed(evidence: Evidence, ranked: list[Sentence], candidates: list[Sentence]) -> list[Claim]:
    """Lead with the span of the best sentence that carries the answer type.

    News names its subject once and then says "the move", "production", "it": "The move will
    add 300 jobs" answers "How many jobs will Sony's factory expansion bring?" because the
    sentences before it name the expansion. So a sentence with a clear answer is read with the
    two before it (Evidence.context_coverage): it may carry the answer on their words, and
    they count a little towards it leading. The best sentences' own stories are read whole:
    "the swing was due primarily to the decline in sales" shares no word with "Why did Coleco
    lose money?" but follows the sentence reporting the loss."""
    stories = {evidence.passages[s.passage].article_id for s in ranked[:STORY_POOL]}
    in_context = [
        s
        for s in ranked[:CONTEXT_POOL] + evidence.story_sentences(stories)
        if s not in candidates and s.answer and s.answer[2] >= _clear(evidence)
    ]
    together = evidence.together
    carrying = [
        s
        for s in candidates + in_context
        if s.answer
        and s.answer[2] >= 0.5
        and max(s.coverage, CONTEXT_SHARE * evidence.context_coverage(s)) >= MIN_LEAD_COVERAGE
        and evidence.topic_coverage(s) >= MIN_TOPIC_COVERAGE
        # the answer comes from a story that names what the question names, or none does
        and (not together or evidence.passages[s.passage].article_id in together)
    ]
    if not carrying:
        if evidence.intent.kind in MUST_CARRY:
            return []
        if _asks_outcome(evidence) and unrealised(ranked[0].text):
            return []  # "Did Canada find ...?" -> "is expected to announce ... its ruling"
        return [_claim(s) for s in _supporting(evidence, ranked, [], ranked[0].score)]
    lead = max(
        carrying,
        key=lambda s: (
            (s.score + CONTEXT_BONUS * evidence.context_coverage(s))
            * (s.answer[2] if s.answer else 0.0)
            * (ANOTHER_ACTOR if evidence.led_by_another(s) else 1.0)
        ),
    )
    claims = [_lead(evidence, lead)]
    rest = [
        s
        for s in ranked
        if s is not lead
        and (
            evidence.intent.kind is Kind.WHY
            or (s.answer and s.answer[2] >= _supporting_strength(evidence))
        )
    ]
    claims += [_claim(s) for s in _supporting(evidence, rest, [lead], lead.score)]
    return claims


def _clear(evidence: Evidence) -> float:
    """How strong a span must be to lead from outside the best candidates: a place is never
    certain ("in West Germany, Austria and Switzerland" reads 0.8, a place the gazetteer does
    not know less), so it may lead at place strength."""
    return PLACE_STRENGTH if evidence.intent.kind is Kind.WHERE else MIN_LEAD_STRENGTH


def _asks_outcome(evidence: Evidence) -> bool:
    """A yes/no question about what happened ("Did Canada find that ...?"): when its best
    sentence has it only planned or expected, the articles do not answer it yet."""
    return evidence.intent.kind is Kind.YES_NO and asks_outcome(evidence.question)


def _supporting_strength(evidence: Evidence) -> float:
    """How clearly a further sentence must carry the answer type: a yes/no answer may add a
    hedged one ("analysts said they do not believe another suitor will top the bid")."""
    return HEDGED_STANCE if evidence.intent.kind is Kind.YES_NO else MIN_LEAD_STRENGTH


def _lead(evidence: Evidence, s: Sentence) -> Claim:
    """The answer span, verbatim, cited; the whole sentence when the span is not crisp."""
    assert s.answer is not None
    start, end, strength = s.answer
    kind = evidence.intent.kind
    lift = kind in (Kind.HOW_MANY, Kind.WHEN, Kind.WHERE) or (
        kind is Kind.WHO and _acts(evidence, s.text[end:])
    )
    if not lift or strength < MIN_LEAD_STRENGTH or end - start >= 0.8 * len(s.text):
        return _claim(s)
    span = s.text[start:end].strip(" ,;:.\"'“”‘’")
    quote = (Quote(s.passage, s.start, s.end),)
    if _UNDECIDED_LEAD.search(span):
        return Claim(f"Not decided: “{span}”.", quote)
    text = span[:1].upper() + span[1:]
    speaker = _speaker(s.text, span)
    if speaker:
        text = f"{text}, according to {speaker}"
    return Claim(text + ".", quote)


def _acts(evidence: Evidence, after: str) -> bool:
    """The name is the subject of what the question asks: "Trump hosted ..." for "Who hosted
    Zelensky?". A name elsewhere in the sentence is not lifted: the sentence says it better."""
    following = terms(" ".join(after.split()[:3]))
    return any(t in evidence.weights for t in following)


def _speaker(sentence: str, span: str) -> str:
    """Who the sentence attributes its claim to ("... Merz told reporters ..."), if anyone
    other than the span itself."""
    m = _SPEAKER.search(sentence)
    if not m:
        return ""
    name = _OPENING_WORDS.sub("", (m.group(1) or m.group(2) or "").strip())
    if not name or name in span or name.split()[0] in {"The", "He", "She", "It", "They", "A"}:
        return ""
    return name


# Words that open a clause before the speaker: "When NYMEX said ..." is NYMEX speaking.
_OPENING_WORDS = re.compile(
    r"^(?:(?:When|If|As|But|And|While|After|Before|Since|Although|Though|Because|Meanwhile|"
    r"However|Also|So|Yet|Then|Now|Earlier|Later|Separately)\s+)+"
)


def _supporting(
    evidence: Evidence, ranked: list[Sentence], picked: list[Sentence], best: float
) -> list[Sentence]:
    """Further sentences that add something: never a heading or a question, never a near-copy
    of one already said, never one whose question terms and names are already covered ("who
    met and what did they discuss?" gains a sentence naming who, though its words are said)."""
    picks: list[Sentence] = []
    covered = _question_terms(evidence, picked)
    named = {n for s in picked for n in _names(s.text)}
    for s in ranked:
        if len(picked) + len(picks) >= MAX_SENTENCES or s.score < KEEP_RATIO * best:
            break
        if is_heading_or_question(s.text):
            continue
        if any(_jaccard(s, p) >= NEAR_DUPLICATE for p in picked + picks):
            continue
        new = _question_terms(evidence, [s]) - covered
        names = _names(s.text) - named
        if (picked or picks) and not new and len(names) < 2 and not (s.answer and picked):
            continue
        picks.append(s)
        covered |= new
        named |= names
    return picks


def _names(text: str) -> set[str]:
    """Capitalised words inside a sentence (not its first word): the people and places it adds."""
    return {m[0] for m in _NAME_INSIDE.finditer(text)}


def _question_terms(evidence: Evidence, sentences: list[Sentence]) -> set[str]:
    bag = frozenset(t for s in sentences for t in s.terms)
    return {t for t in evidence.weights if evidence.match(t, bag) >= 0.5}


def _broad(evidence: Evidence, ranked: list[Sentence]) -> list[Claim]:
    """A vague question ("what's going on with Amex?") gets the story: the best sentence (a
    lead preferred) of the article that covers it best, the best sentence of every other
    article that covers it as fully (five stories on Monday's meeting), and when no other does,
    up to two more sentences of the first: never a line of a story that only shares a word
    with it."""
    best = ranked[0].score
    usable = [
        s for s in ranked if s.score >= BROAD_MIN * best and not is_heading_or_question(s.text)
    ]
    if not usable:
        return []
    usable.sort(key=lambda s: -s.score * (LEAD_BONUS if _is_lead(evidence, s) else 1))
    covers = {
        a: evidence.coverage_of(evidence.lexicon.article_terms(a))
        for a in {evidence.passages[s.passage].article_id for s in usable}
    }
    first = evidence.passages[usable[0].passage].article_id
    peers = {a for a, c in covers.items() if c >= BROAD_PEER * covers[first]}
    picks: list[Sentence] = []
    seen: set[str] = set()
    for s in usable:
        article = evidence.passages[s.passage].article_id
        if article in seen or article not in peers:
            continue
        if any(_jaccard(s, p) >= NEAR_DUPLICATE for p in picks):
            continue
        seen.add(article)
        picks.append(s)
    if len(picks) == 1:
        more = [
            s
            for s in usable
            if evidence.passages[s.passage].article_id == first
            and s is not picks[0]
            and _jaccard(s, picks[0]) < NEAR_DUPLICATE
            and s.text not in picks[0].text
        ]
        picks += more[:SUMMARY_MORE]
    return [_claim(s) for s in picks[:MAX_SENTENCES]]


def _is_lead(evidence: Evidence, s: Sentence) -> bool:
    """The article's first sentence: a news lead says who, what, when and where."""
    return evidence.passages[s.passage].start == 0 and s.start < 200


def _per_source(evidence: Evidence, ranked: list[Sentence]) -> list[Claim]:
    """No disagreement found: say so through who says what, one line per outlet: each outlet's
    best sentence on the topic (with a figure, when the question asks about numbers). A
    question about the reports themselves gets one line per story: "Do the reports agree on
    Brazil's debt?" over one wire service compares its stories of different days."""
    lines: dict[str, Sentence] = {}
    enough = PER_SOURCE_COVERAGE * max(s.coverage for s in ranked)
    figures = bool(_FIGURES_ASKED.search(evidence.question))
    by_report = bool(_SOURCES_ASKED.search(evidence.question))
    for s in ranked:
        if is_heading_or_question(s.text) or s.coverage < enough:
            continue
        if figures and not _FIGURE.search(s.text):
            continue
        passage = evidence.passages[s.passage]
        lines.setdefault(passage.article_id if by_report else source_name(passage), s)
    picks = list(lines.values())[:MAX_SENTENCES]
    if len(picks) < 2:
        return [_claim(s) for s in picks]
    names = [source_name(evidence.passages[s.passage]) for s in picks]
    return [
        Claim(
            f"{_titled(name, evidence.passages[s.passage].title, names)} reports: {s.text}",
            (Quote(s.passage, s.start, s.end),),
        )
        for name, s in zip(names, picks, strict=True)
    ]


def _titled(name: str, title: str, names: list[str]) -> str:
    """The source's name, and the story's title too when another line has the same source."""
    short = short_title(title)
    if names.count(name) > 1 and short and not name.startswith("“"):
        return f"{name}, “{short}”,"
    return name


def compared_sides(question: str) -> list[str]:
    """The two things a comparison names ("Aiwa's and Sony's DAT players", "Toyota's push
    compare with Chrysler's", "the Mac SE's price compare with the Mac Plus"), else none."""
    m = _SIDES.search(question)
    if not m:
        return []
    sides = []
    for found in (g for g in m.groups() if g):
        side = found.replace("’", "'").removesuffix("'s").split()
        while side and side[0].lower() in _NOT_A_SIDE:
            side = side[1:]
        if side:
            sides.append(" ".join(side))
    return sides if len(sides) == 2 else []


def _side_by_side(evidence: Evidence, ranked: list[Sentence], sides: list[str]) -> list[Claim]:
    """Each side's best sentence (with a figure when the question compares amounts), one
    sentence when it speaks of both; nothing, and so a refusal, when a side has none: "Are
    Aiwa's and Sony's players priced differently?" is not answered by Aiwa's price alone."""
    figures = bool(_FIGURES_ASKED.search(evidence.question))
    money = bool(_MONEY_ASKED.search(evidence.question))
    named = {t for side in sides for t in terms(side)}
    topic = {t: w for t, w in evidence.weights.items() if t not in named}

    def answers(s: Sentence) -> bool:
        return (
            # an amount answers "price" in any words ("sells for about 2,200 dlrs")
            (money or not topic or evidence.coverage_of(s.terms, topic) >= SIDE_TOPIC)
            and (not figures or bool(_FIGURE.search(s.text)))
            and (not money or names_money(s.text))
            and not is_heading_or_question(s.text)
        )

    picks: list[list[Sentence]] = []
    for side in sides:
        wanted = set(terms(side))
        # the side as the sentence's subject first: "Mac Plus ... sells for about 2,200 dlrs",
        # not "The Mac II, ... faster than the Mac Plus, is priced ..."
        mention = sorted(
            (s for s in ranked if wanted <= s.terms),
            key=lambda s: not wanted <= set(terms(" ".join(s.text.split()[:SUBJECT_WORDS]))),
        )
        said = next(([s] for s in mention if answers(s)), None) or next(
            (
                [s, n]
                for s in mention
                if (n := _next_sentence(evidence, s)) and _follows_on(n, answers)
            ),
            None,
        )
        if said is None:
            return []
        if said not in picks:
            picks.append(said)
    return [
        Claim(
            " ".join(s.text for s in group), tuple(Quote(s.passage, s.start, s.end) for s in group)
        )
        for group in picks
    ]


def _follows_on(s: Sentence, answers: Callable[[Sentence], bool]) -> bool:
    """A sentence that goes on about the one before ("It carries a price of ...") and answers."""
    return bool(_PRONOUN_START.match(s.text)) and answers(s)


def _next_sentence(evidence: Evidence, s: Sentence) -> Sentence | None:
    """The sentence after `s` in its passage ("It carries a price of ..." after "The Mac SE
    ..."), if any."""
    after = [n for n in evidence.sentences if n.passage == s.passage and n.start >= s.end]
    return min(after, key=lambda n: n.start) if after else None


def _who_says_what(evidence: Evidence, conflict: Conflict) -> list[Claim]:
    sides = []
    for s in (conflict.first, conflict.second):
        name = source_name(evidence.passages[s.passage])
        sides.append(Claim(f"{name} reports: {s.text}", (Quote(s.passage, s.start, s.end),)))
    return [Claim("Sources differ."), *sides]


def _claim(s: Sentence) -> Claim:
    return Claim(s.text, (Quote(s.passage, s.start, s.end),))


def _jaccard(a: Sentence, b: Sentence) -> float:
    union = a.terms | b.terms
    return len(a.terms & b.terms) / len(union) if union else 1.0
