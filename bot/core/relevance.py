"""The refusal gate: do the retrieved passages answer the question at all?

Two signals, each weak alone: the dense similarity of the best passage (topical closeness, fooled
by a question on the right topic about the wrong person) and the idf-weighted coverage of the
question's content words by the passages (fooled by paraphrase). They are added, the similarity
weighted by SIMILARITY_WEIGHT, and compared with THRESHOLD. Names the corpus never mentions,
not even misspelt ("the Pope", "Elon Musk"), settle it on their own.

Calibration, on the bundled eval set over the seeds (`newsbot eval --json` prints both signals
per question): answerable questions score 0.79 and up (paraphrases such as "What protection will
Ukraine get after a peace deal?" lowest), unanswerable ones 0.59 and below ("What did the Pope say
about the war in Ukraine?" highest, before the name rule). THRESHOLD sits between the two.

A paraphrase scores low on both ("How many people were killed?" against "eight deaths": no
shared word, and the passage's other sentences dilute its similarity). So a score between
BORDERLINE and THRESHOLD gets a second opinion: the question embedded against the best few
sentences, one by one; the sentences that pass are the ones the answer may quote. Measured
the same way: unanswerable questions reach 0.41 at most at this grain, the paraphrases 0.62;
SENTENCE_THRESHOLD sits between. It costs one small embedding batch (~100-150 ms here), paid
only in the borderline band.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.core.evidence import Evidence, Sentence
from bot.core.intent import Kind, beside
from bot.core.roles import asks_role
from ingest.text.words import terms

SIMILARITY_WEIGHT = 0.8
THRESHOLD = 0.7
BORDERLINE = 0.45  # below it, refused without a second opinion
SENTENCE_THRESHOLD = 0.55
SECOND_OPINION_SENTENCES = 8
MEANING_CANDIDATES = 4  # sentences embedded to re-rank and to check by meaning (~10 ms each)
# The sentence an answer leads with must mean something close to the question, not only share
# its words. Calibrated on the Reuters tune questions (MiniLM): the unanswerable ones that got
# past the lexical gate lead with sentences at 0.17-0.45 ("Who is Apple's chief financial
# officer?" -> a sentence on Apple's chairman, 0.45), the answerable ones at 0.50 and up. A
# vague question ("what's going on with Amex?") is far from any one sentence, so it asks less.
MEANING_MIN = 0.48
LEAD_FULL_COVERAGE = 0.85  # a lead holding this share of the question's words needs no check
TYPED_EXEMPT_STRENGTH = 0.75  # nor does a clear place or time ...
TYPED_EXEMPT_COVERAGE = 0.5  # ... in a sentence holding half the question's words ...
TYPED_EXEMPT_GAP = 25  # ... right beside one of them (characters)
ROLE_EXEMPT_STRENGTH = 0.9  # ... nor does a name beside the role a who-question asks about
MEANING_MIN_BY_KIND = {
    Kind.SUMMARY: 0.25,
    Kind.COMPARISON: 0.3,
    Kind.WHAT: 0.4,
    Kind.SAID: 0.38,
    Kind.YES_NO: 0.44,  # "Did Trump rule out troops?" leads with the troops sentence at 0.46
}


@dataclass(frozen=True, slots=True)
class Verdict:
    answerable: bool
    reason: str
    coverage: float
    similarity: float
    paraphrases: tuple[str, ...] = ()  # answerable only through these sentences' meaning
    meaning: float | None = None  # the leading sentence's similarity to the question, 0..1

    @property
    def score(self) -> float:
        return self.coverage + SIMILARITY_WEIGHT * self.similarity


def judge(
    evidence: Evidence,
    best_similarity: float,
    compare: Callable[[list[str]], list[float]] | None = None,
    floor: float = 0.0,
) -> Verdict:
    """Answerable or not, with a short reason the refusal can show.

    `compare` scores sentences against the question (cosine each); given, it is the second
    opinion for borderline scores. `floor` is the embedding model's cosine for unrelated texts
    (`ingest.embed.similarity_floor`): similarities are read relative to it.
    """
    coverage = round(evidence.article_coverage, 3) if evidence.weights else 0.0
    similarity = round(_relative(best_similarity, floor), 3)

    def verdict(ok: bool, reason: str) -> Verdict:
        return Verdict(ok, reason, coverage, similarity)

    if not evidence.passages:
        return verdict(False, "no passages")
    missing = evidence.missing_names
    if missing:
        return verdict(False, "they never mention " + " or ".join(missing))
    apart = evidence.names_apart
    if apart:
        return verdict(False, "no article mentions " + " together with ".join(apart))
    score = verdict(True, "").score
    if score >= THRESHOLD:
        return verdict(True, "answerable")
    if score >= BORDERLINE and evidence.typed_answer is not None:
        # a clear answer of the asked type is evidence too: "more than 50 injuries" answers
        # "How many were hurt in the air raid?" though "air raid" is written "strikes"
        return verdict(True, "the asked-for answer is there")
    if score >= BORDERLINE and compare is not None:
        texts = [s.text for s in evidence.ranked()[:SECOND_OPINION_SENTENCES]]
        said = tuple(
            t
            for t, sim in zip(texts, compare(texts), strict=True)
            if _relative(sim, floor) >= SENTENCE_THRESHOLD
        )
        if said:
            return Verdict(True, "said in other words", coverage, similarity, said)
    return verdict(False, "nothing in them answers it")


def _relative(cosine: float, floor: float) -> float:
    """A cosine read against the model's floor for unrelated texts, 0..1."""
    return max(0.0, (cosine - floor) / (1.0 - floor)) if floor < 1.0 else 0.0


def weigh_meaning(
    evidence: Evidence,
    verdict: Verdict,
    compare: Callable[[list[str]], list[float]],
    floor: float = 0.0,
) -> Verdict:
    """Re-rank the best sentences by meaning and check the one the answer would lead with.

    Lexical scoring finds sentences that share the question's words; the embedding of a
    sentence tells whether it says what was asked. The best few are embedded (one small batch),
    their scores scaled by how close they are to the question, and the answer is refused when
    even the new best is not close enough: the words met, the meaning did not.
    """
    top = [s for s in evidence.ranked() if s.score > 0 and s.coverage > 0][:MEANING_CANDIDATES]
    if not top:
        return verdict
    texts = list(dict.fromkeys(s.text for s in top))
    meanings = {t: _relative(sim, floor) for t, sim in zip(texts, compare(texts), strict=True)}
    evidence.weigh_meaning(meanings)
    weighed = [s for s in evidence.ranked() if s.meaning is not None]
    meaning = round(weighed[0].meaning or 0.0, 3) if weighed else 0.0
    verdict = replace(verdict, meaning=meaning)
    wanted = MEANING_MIN_BY_KIND.get(evidence.intent.kind, MEANING_MIN)
    if meaning >= wanted or _exempt(evidence, weighed):
        return verdict
    return replace(verdict, answerable=False, reason="none of them says what was asked")


def _exempt(evidence: Evidence, weighed: list[Sentence]) -> bool:
    """Questions whose meaning no single sentence can be close to, and leads that need no
    closeness: a follow-up ("and Starmer?"); a question naming only who or what it is about
    ("What did Witkev say?", "What did CGTN report?", "What's the $90bn about?"); a lead that
    holds nearly every word of the question ("Trump hosted ... at the White House" for "Who
    hosted the talks at the White House?", which MiniLM puts at only 0.44); a count of the very
    unit asked about in a sentence weighed ("Seven European leaders" for "How many attended?")."""
    plain = {t for t in set(evidence.weights) - set(evidence.names) if not any(map(str.isdigit, t))}
    if evidence.context or evidence.outlets or not plain:
        return True
    if weighed[0].coverage >= LEAD_FULL_COVERAGE:
        return True
    intent = evidence.intent
    if intent.kind is Kind.HOW_MANY:
        counted = any(s.answer is not None and s.answer[2] >= 1.0 for s in weighed)
        return bool(intent.unit) and counted
    if intent.kind is Kind.WHO and asks_role(evidence.question):
        # "The bank's new chairman, Nimal Silva, ..." for "Who heads the Bank of Ceylon?": a
        # name beside the asked role, in a story on the question, is what was asked
        return any(
            s.answer is not None
            and s.answer[2] >= ROLE_EXEMPT_STRENGTH
            and evidence.context_coverage(s) >= TYPED_EXEMPT_COVERAGE
            for s in weighed
        )
    # "where was Monday's big meeting?" -> "... at the White House on Monday": a place or a time
    # beside the question's own words answers it, however far apart the wordings sit for MiniLM
    lead = weighed[0]
    if intent.kind not in (Kind.WHEN, Kind.WHERE) or lead.answer is None:
        return False
    start, end, strength = lead.answer
    return (
        strength >= TYPED_EXEMPT_STRENGTH
        and lead.coverage >= TYPED_EXEMPT_COVERAGE
        and beside(lead.text, start, end, evidence.question, TYPED_EXEMPT_GAP)
    )


# A story that says the asked detail was not given: "for undisclosed terms", "No names were
# given", "declined to name the companies", "did not say how much". Such a sentence answers
# nothing, but it is the best evidence that the articles cannot: the refusal quotes it.
_UNDISCLOSED = re.compile(
    r"\b(?:undisclosed|(?:were|was|has|have|had) not (?:been )?(?:disclosed|named|identified|"
    r"given|released|revealed)|not (?:yet )?(?:disclosed|known|revealed)|unidentified|unnamed|"
    r"(?:declined|refused|would not|did not|does not|do not) (?:to )?(?:name|identify|disclose|"
    r"say|give|reveal|specify|put a figure on|yet know)|(?:no|gave no|without) (?:names?|details?|"
    r"figures?|price|terms|amount|reasons?|date)\b(?: (?:was|were|has been|have been|are|is))?"
    r"(?: (?:given|disclosed|released|provided|available|set))?)\b",
    re.I,
)
# What the withheld detail must be about, by kind: "for undisclosed terms" withholds a price,
# not the hotel's place.
_WITHHELD = {
    Kind.HOW_MANY: re.compile(
        r"undisclosed|terms|sum|amount|price|figures?|how much|how many|value|cost", re.I
    ),
    Kind.WHO: re.compile(r"names?|named|identif\w*|who|unnamed|unidentified", re.I),
    Kind.WHEN: re.compile(r"when|date|timing|time", re.I),
    Kind.WHERE: re.compile(r"where|location|place|site", re.I),
    Kind.WHY: re.compile(r"why|reasons?", re.I),
}
_SUPERSEDED = re.compile(r"\b(?:previously|earlier|at the time|until now|so far)\b", re.I)
WITHHELD_AFTER = 50  # characters after "declined to name" where what it withholds is said
UNDISCLOSED_LOOK = 20  # best sentences looked at for one that says the detail was not given
STORY_LOOK = 3  # ... and the sentences of the stories the best few come from


def undisclosed(evidence: Evidence) -> Sentence | None:
    """The sentence saying the asked detail was not given, when it comes before any sentence
    that gives it ("How much is Global Mining paying?" -> "... for undisclosed terms"). A story
    that says "No names were given" gives no names either: its other names ("Metropolitan
    police told ...") are not the ones asked for."""
    about = _WITHHELD.get(evidence.intent.kind)
    if about is None:
        return None
    together = evidence.together
    ranked = evidence.ranked()
    stories = {evidence.passages[s.passage].article_id for s in ranked[:STORY_LOOK]}
    # "No names were given." shares no word with the question: read in the best stories
    on_topic = [
        s
        for s in ranked[:UNDISCLOSED_LOOK] + evidence.story_sentences(stories)
        if (not together or evidence.passages[s.passage].article_id in together)
        and evidence.context_coverage(s) >= UNDISCLOSED_COVERAGE
    ]
    asked = set(evidence.weights)
    withheld = [s for s in on_topic if _withholds(s.text, about, asked)]
    for s in withheld:  # "declined to name the other companies" for "Which companies ...?"
        if _withholds(s.text, about, asked, naming=True):
            return s
    silent = {evidence.passages[s.passage].article_id for s in withheld}
    for s in on_topic:
        if s in withheld:
            return s
        gives = s.answer is not None and s.answer[2] >= GIVES_IT
        if gives and evidence.passages[s.passage].article_id not in silent:
            return None  # a sentence on the topic that gives it comes first
    return None


def _withholds(text: str, about: re.Pattern[str], asked: set[str], naming: bool = False) -> bool:
    """Does the sentence say that the detail `about` describes was not given (of one of the
    question's own terms `asked`, when `naming`: "declined to name the other companies")?

    "A Swiss group, which Sandaratne declined to identify, ..." withholds the group, which
    the question must ask about: it says nothing of the bank's new chairman."""
    if _SUPERSEDED.search(text):
        return False  # "GM previously said ..., but did not specify a date": given since
    for m in _UNDISCLOSED.finditer(text):
        relative = _WITHHELD_BEFORE.search(text, 0, m.start())
        if relative:
            withheld, named = f"{relative.group(1)} {m.group()}", True
        else:
            withheld, named = text[m.start() : m.end() + WITHHELD_AFTER], naming
        if about.search(withheld) and (not named or asked & set(terms(withheld))):
            return True
    return False


# "<what is withheld>, which <someone> declined to name": the withheld thing comes first
_WITHHELD_BEFORE = re.compile(r"([^,;]{3,60}),\s+(?:which|who|whom)\s+(?:[A-Z][\w'’.-]*\s+){1,3}$")


GIVES_IT = 0.75  # a typed answer this clear means the detail is given


UNDISCLOSED_COVERAGE = 0.5
