"""What the retrieved passages say about a question, sentence by sentence.

Every later stage works from this: the relevance gate (does anything here answer it?), the
extractive answerer (which sentences answer it?), the disagreement check (do the outlets say
different things?) and the citation verifier (which sentence supports this generated claim?).
Scoring is lexical on purpose: embedding each candidate sentence would cost ~15 ms apiece on this
hardware, while idf-weighted term overlap, with stems and near-miss spellings from the lexical
index, costs microseconds and maps back to exact text.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from bot.core.aliases import alias_forms
from bot.core.intent import DATELINE, Intent, Kind, find_answer, intent_of
from bot.core.outlets import Outlets
from ingest.text.names import FUZZY_MIN_RATIO, similarity
from ingest.text.places import regions_in
from ingest.text.sentences import sentence_spans
from ingest.text.words import QUESTION_NOISE, STOPWORDS, fold, question_terms, stem, terms, words

if TYPE_CHECKING:
    from bot.core.records import Passage
    from ingest.lexical import LexicalIndex

CONTEXT_WEIGHT = 0.5  # terms of the earlier question in a follow-up count half
NAME_WEIGHT = 1.5  # a name in the question is its focus: "What did Macron call Putin?"
IDF_CAP = 2.0  # a question term weighs at most this many times the median term
ANSWERLESS = 0.35
TYPED_CANDIDATES = 8
TYPED_MIN_COVERAGE = 0.2
CONTEXT_SENTENCES = 2  # sentences before one that may name what it speaks of
LEAD_CHARS = 300  # a sentence starting this early in its article is the article's lead
PARAPHRASE_FLOOR = 0.05  # a sentence that says it in other words shares no word with it
HEADING_MIN_COVERAGE = 0.3
HEADING_SHARE = 0.8  # a sentence without the asked answer type keeps this share of its score
MEANING_BASE = 0.4  # a sentence's score is scaled by MEANING_BASE + its similarity to the question
COMMON_FUZZ = 0.4  # a near-miss counts less for a common word ("stock"~"stick") than a name
# A sentence from an article that does not mention every name the question asks about keeps
# this share of its score: "Who represented Kenya at the coffee talks?" is not answered by a
# Kenyan shipping story, however well it matches "Kenya" and "represented".
NAMES_APART_SHARE = 0.25
# A name the articles write as the question does is not misspelt there: another story's near
# spelling is another name unless it is very close ("Comalco" is not "Coleco"; "Zelenskyy" is
# "Zelensky"). A name no article writes as asked still accepts the usual near miss.
KNOWN_NAME_MATCH = 0.75
LOWERCASE_NAME_SHARE = 0.8  # a word written capitalised this often in the passages is a name
# Words of a question that are no names however written: asking words, and words capitalised
# yet no names ("OK the merger"). Built once: the question's words are checked one by one.
_NO_NAMES = STOPWORDS | QUESTION_NOISE | frozenset({"ok", "okay"})
_BULLET = re.compile(r"[-–—•*]\s+")
_NAME = re.compile(r"\b[A-Z][\w'’.-]*")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
_ODD_NAME = re.compile(r"\b[a-z]+[A-Z]\w*|\b(?:19|20)\d\d\b")
_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules|above)\b"
    r"|\b(system prompt|you are now|as an ai|new instructions)\b"
    r"|\byou (must|should) (now )?(say|reply|respond|answer|output)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a retrieved passage, located so a citation can quote it exactly."""

    passage: int  # index into the passages list
    start: int  # offsets into Passage.text
    end: int
    text: str
    terms: frozenset[str]
    score: float = 0.0  # relevance to the question, 0..1
    coverage: float = 0.0  # idf-weighted share of the question's terms it contains
    answer: tuple[int, int, float] | None = None  # the asked-for span (offsets in text), strength
    meaning: float | None = None  # embedding similarity to the question (0..1), when weighed


def looks_like_instruction(text: str) -> bool:
    """Text addressed to an AI ("ignore previous instructions ..."): data, never a claim.

    A narrow pattern on purpose: it only keeps such sentences out of answers; the structural
    defences are that the extractive path quotes and never executes, and the prompt fences
    article text as data.
    """
    return bool(_INSTRUCTION.search(text))


class Evidence:
    """The question's weighted terms and the passages' sentences scored against them."""

    def __init__(
        self,
        question: str,
        passages: Sequence[Passage],
        lexicon: LexicalIndex,
        *,
        context: str | None = None,
        outlets: Sequence[str] = (),
    ) -> None:
        self.question = question
        self.context = context  # the earlier question a follow-up refers to, if any
        self.passages = list(passages)
        self.lexicon = lexicon
        self.outlets = tuple(outlets)  # outlets the question names, which pick the articles
        self.intent: Intent = intent_of(question, context)
        # "What did CGTN report?": the outlet's name picks the articles, it is not a term
        # to find in them, nor a name they "never mention"
        named = _outlet_stems(question, outlets)
        asked = _question_names(question) | _lowercase_names(question, self.passages)
        self.names = {k: v for k, v in asked.items() if k not in named}
        weights = _term_weights(question, context, lexicon, set(self.names))
        self.weights = _asked_about(
            {t: w for t, w in weights.items() if t not in named}, self.intent.kind
        )
        split = [s for i, p in enumerate(self.passages) for s in _split(i, p.text)]
        if outlets:  # "What did CGTN report?": CGTN's sentences answer, when it has any
            mine = [s for s in split if self.passages[s.passage].outlet in outlets]
            split = mine or split
            self.intent = replace(self.intent, speaker="")
        self.focus = self._focus(split)
        self._context: dict[tuple[int, int], float] = {}
        self._ruled_out: set[str] = set()  # sentences the gate or a follow-up took out
        self.sentences = _after_headings(self._score(split), self)
        self._names_apart()

    # -- the question's terms ----------------------------------------------------------------

    def match(self, term: str, bag: frozenset[str]) -> float:
        """How well `bag` holds `term`: 1 when exact, less for a near-miss spelling.

        Names get misspelt ("Zelinski"), common words rarely are: "stock" is not "stick".
        """
        if term in bag or any(t in bag for t in _COVERS.get(term, ())):
            return 1.0
        best = 0.0
        for variant, weight in self.lexicon.expand(term).items():
            if variant in bag:
                strict = term not in self.names and not _same_root(term, variant)
                best = max(best, weight * COMMON_FUZZ if strict else weight)
        return best

    def coverage_of(self, bag: frozenset[str], weights: dict[str, float] | None = None) -> float:
        """Idf-weighted share of the question's terms that `bag` holds."""
        weights = self.weights if weights is None else weights
        total = sum(weights.values())
        if total <= 0:
            return 0.0
        return sum(w * self.match(t, bag) for t, w in weights.items()) / total

    def _focus(self, sentences: list[Sentence]) -> dict[str, float]:
        """Term weights for ranking sentences: a term every passage shares ("White House" in
        a question about the White House talks) tells the passages' sentences apart less."""
        if not self.passages:
            return dict(self.weights)
        bags = [
            frozenset(t for s in sentences if s.passage == i for t in s.terms)
            for i in range(len(self.passages))
        ]
        focus = {}
        for t, w in self.weights.items():
            share = sum(self.match(t, bag) >= 0.5 for bag in bags) / len(bags)
            focus[t] = w * (1.0 - 0.5 * share)
        return focus

    def context_coverage(self, s: Sentence) -> float:
        """The question's coverage by the sentence with the CONTEXT_SENTENCES before it in its
        article and the article's first sentence (its lead): what "the move" or "production"
        refers to is named there, in whichever retrieved chunk of the story it stands."""
        key = (s.passage, s.start)
        if key not in self._context:
            article = self.passages[s.passage].article_id
            at = self.passages[s.passage].start + s.start
            story = sorted(
                (self.passages[o.passage].start + o.start, o.terms)
                for o in self.sentences
                if self.passages[o.passage].article_id == article
            )
            before = [bag for pos, bag in story if pos < at][-CONTEXT_SENTENCES:]
            lead = [bag for pos, bag in story[:1] if pos < LEAD_CHARS]
            self._context[key] = self.coverage_of(s.terms.union(*before, *lead))
        return self._context[key]

    def topic_coverage(self, s: Sentence) -> float:
        """A yes/no question's topic (its terms bar the word of stance: "ceasefire" in "Did they
        agree on a ceasefire?") held by the sentence; 1.0 for other kinds."""
        if self.intent.kind is not Kind.YES_NO:
            return 1.0
        topic = {t: w for t, w in self.weights.items() if t not in _STANCE_TERMS}
        return self.coverage_of(s.terms, topic) if topic else 1.0

    @cached_property
    def coverage(self) -> float:
        """How much of the question the retrieved passages speak to at all."""
        bag = frozenset(t for s in self.sentences for t in s.terms)
        return self.coverage_of(bag)

    @cached_property
    def typed_answer(self) -> Sentence | None:
        """The best sentence that carries a clear answer of the asked type and speaks to the
        question ("more than 50 injuries" for "How many were hurt?"), if any."""
        if not self.intent.typed:
            return None
        strong = [
            s
            for s in self.ranked()[:TYPED_CANDIDATES]
            if s.answer and s.answer[2] >= 0.9 and s.coverage >= TYPED_MIN_COVERAGE
        ]
        return strong[0] if strong else None

    @cached_property
    def article_coverage(self) -> float:
        """The best single article's coverage of the question: terms that meet only across
        different articles ("What did Reagan say about Bahia cocoa?", Reagan in one story and
        cocoa in another) do not answer it together."""
        bags: dict[str, set[str]] = {}
        for s in self.sentences:
            bags.setdefault(self.passages[s.passage].article_id, set()).update(s.terms)
        return max((self.coverage_of(frozenset(b)) for b in bags.values()), default=0.0)

    @cached_property
    def missing_names(self) -> list[str]:
        """Names in the question the corpus never mentions, not even misspelt ("the Pope").

        A name counts as present when the index has the word, or when a capitalised word of the
        retrieved passages is a near-miss spelling of it ("Zelenski" for "Zelinski").
        """
        unknown = {n: w for n, w in self.names.items() if self.lexicon.df(n) == 0 and len(n) > 1}
        if not unknown:
            return []
        present = {stem(w) for p in self.passages for w in _capitalised(p.text)}
        missing = (
            word
            for n, word in unknown.items()
            if not any(similarity(n, p) >= FUZZY_MIN_RATIO for p in present)
        )
        return list(dict.fromkeys(missing))

    def mentions(self, name: str, bag: frozenset[str]) -> bool:
        """Does a story's bag of terms mention this name of the question: as written, misspelt
        ("Zelinski"), as another form of it ("Iranian" for "Iran") or an alias ("U.S." for
        "America")?"""
        if any(_same_root(name, t, 4) for t in bag):
            return True
        floor = KNOWN_NAME_MATCH if self.lexicon.df(name) else 0.5
        if self.match(name, bag) >= floor:
            return True
        if any(all(w in bag for w in alias) for alias in alias_forms(name)):
            return True
        # "south Asia" is mentioned by a story on Bangladesh, India and Nepal
        members = self._regions.get(name, ())
        return any(all(w in bag for w in terms(member)) for member in members)

    @cached_property
    def _regions(self) -> dict[str, frozenset[str]]:
        """The countries of each region the question names, by the stems of its words."""
        found: dict[str, frozenset[str]] = {}
        for region, members in regions_in(self.question).items():
            for word in terms(region):
                found[word] = found.get(word, frozenset()) | members
        return found

    @cached_property
    def together(self) -> frozenset[str] | None:
        """The retrieved articles that mention every name the question asks about (None when it
        names nothing): only they can answer it. Names an outlet or a follow-up's earlier
        question brings do not count; a comparison may draw each side from its own story."""
        required = [n for n in self.names if len(n) > 1]
        if not required or self.intent.kind is Kind.COMPARISON:
            return None
        articles = {p.article_id for p in self.passages}
        return frozenset(a for a in articles if self._names_in(self.lexicon.article_terms(a)))

    def _names_in(self, bag: frozenset[str]) -> bool:
        """Does a story (its bag of terms and neighbouring pairs) mention every name of the
        question, a name of several words as those words side by side ("Home State Savings",
        not "Federal Home Loan Bank" and "state" apart)? A pair whose words are not both there
        as written (a misspelt name found by its variant) is not asked to be side by side."""
        if not all(self.mentions(n, bag) for n in self.names if len(n) > 1):
            return False
        return all(
            pair in bag or pair.split()[0] not in bag or pair.split()[1] not in bag
            for pair in self._name_pairs
        )

    @cached_property
    def _name_pairs(self) -> frozenset[str]:
        """Neighbouring words of the question's names of several words, as "a b", kept only
        when some retrieved passage writes them side by side too: "the new Macs Apple expects"
        runs two names together that no story does."""
        pairs = {
            f"{a} {b}"
            for phrase in _question_phrases(self.question)
            for a, b in itertools.pairwise(phrase)
        }
        if not pairs:
            return frozenset()
        seen = {f"{a} {b}" for p in self.passages for a, b in itertools.pairwise(terms(p.text))}
        return frozenset(pairs & seen)

    @cached_property
    def names_apart(self) -> list[str]:
        """The question's names when no retrieved story mentions them all ("Toyota" and
        "Chrysler" each in stories of their own): the articles do not answer it."""
        if self.together is None or self.together or len(self.names) < 2:
            return []
        return list(dict.fromkeys(self.names.values()))

    def _names_apart(self) -> None:
        """Sentences of stories that miss a name the question asks about keep only a share of
        their score: they can add to an answer, never lead it."""
        together = self.together
        if not together:
            return
        self.sentences = [
            s
            if self.passages[s.passage].article_id in together
            else replace(s, score=round(s.score * NAMES_APART_SHARE, 4))
            for s in self.sentences
        ]

    # -- sentences ---------------------------------------------------------------------------

    def _score(self, sentences: list[Sentence]) -> list[Sentence]:
        scored = []
        for s in sentences:
            coverage = self.coverage_of(s.terms)
            prior = self.passages[s.passage].score
            focus = self.coverage_of(s.terms, self.focus)
            score = focus * (0.75 + 0.25 * prior) * _quality(s.text)
            span = find_answer(self.intent, s.text, self.question) if self.intent.typed else None
            if self.intent.typed:
                score *= ANSWERLESS + (1 - ANSWERLESS) * (span.strength if span else 0.0)
            if looks_like_instruction(s.text):
                score = 0.0
            answer = (span.start, span.end, span.strength) if span else None
            scored.append(
                Sentence(
                    s.passage, s.start, s.end, s.text, s.terms, round(score, 4), coverage, answer
                )
            )
        return scored

    def keep_only(self, texts: Iterable[str]) -> None:
        """Zero every sentence's score but these: the gate found the answer in their meaning,
        and the other sentences only matched the question's words."""
        keep = set(texts)
        self._ruled_out |= {s.text for s in self.sentences if s.text not in keep}
        under: set[str] = set()  # a heading that means it (sharing a word): what is under it
        for i, s in enumerate(self.sentences):
            if s.text in keep and s.coverage > 0 and is_heading_or_question(s.text):
                after = self.sentences[i + 1 : i + 3]
                under |= {n.text for n in after if n.passage == s.passage}
        self.sentences = [
            replace(s, score=max(s.score, PARAPHRASE_FLOOR), coverage=max(s.coverage, 0.01))
            if s.text in under or (s.text in keep and s.coverage > 0)
            else s
            if s.text in keep
            else replace(s, score=0.0)
            for s in self.sentences
        ]

    def weigh_meaning(self, meanings: dict[str, float]) -> None:
        """Re-rank by what the best sentences mean, not only by the words they share.

        `meanings`: the question's embedding similarity (0..1, read against the model's floor)
        to some sentences, by text. Each score is scaled by MEANING_BASE + its similarity; a
        sentence not weighed counts as no closer than the least close one weighed, so it never
        overtakes one the lexical ranking put above it for its meaning alone.
        """
        if not meanings:
            return
        unseen = min(meanings.values())
        self.sentences = [
            replace(
                s,
                score=round(s.score * (MEANING_BASE + meanings.get(s.text, unseen)), 4),
                meaning=meanings.get(s.text),
            )
            for s in self.sentences
        ]

    def drop(self, texts: Iterable[str]) -> None:
        """Zero the score of these sentences (and any sentence inside one of them)."""
        gone = set(texts)
        self._ruled_out |= {
            s.text for s in self.sentences if s.text in gone or any(s.text in g for g in gone)
        }
        self.sentences = [
            replace(s, score=0.0) if s.text in gone or any(s.text in g for g in gone) else s
            for s in self.sentences
        ]

    def ranked(self) -> list[Sentence]:
        """Sentences by score, the same sentence of overlapping chunks listed once."""
        seen: set[tuple[str, int]] = set()
        out = []
        for s in sorted(self.sentences, key=lambda s: (-s.score, s.passage, s.start)):
            key = (self.passages[s.passage].article_id, self.passages[s.passage].start + s.start)
            if key not in seen:
                seen.add(key)
                out.append(s)
        return out

    def led_by_another(self, s: Sentence) -> bool:
        """The sentence opens on a name the question does not ask about and misses one it does:
        "Ford's European operations in Britain ..." is Ford's, not an answer to "Where will
        Chrysler sell cars?", however well its story covers Chrysler."""
        asked = [n for n in self.names if len(n) > 1]
        if not asked or self.intent.kind is Kind.WHO:
            return False  # a who-question's answer is a name it does not hold
        body = s.text[m.end() :] if (m := DATELINE.match(s.text)) else s.text
        first = _FIRST_NAME.match(body)
        if not first:
            return False
        word = first.group(1).lower()
        if stem(word) in self.names or word in STOPWORDS or word in self._lower_in_passages:
            return False
        return not all(self.mentions(n, s.terms) for n in asked)

    @cached_property
    def _lower_in_passages(self) -> frozenset[str]:
        """Words the passages write in lower case somewhere: no names ("Prior", "Analysts")."""
        return frozenset(
            m.group()
            for p in self.passages
            for m in _WORD_IN_TEXT.finditer(p.text)
            if m.group()[0].islower()
        )

    def story_sentences(self, articles: Iterable[str]) -> list[Sentence]:
        """Sentences of these stories that share no word with the question, for reading in
        their context ("the swing was due primarily to ..."), bar any the gate or a follow-up
        ruled out and any that reads as an instruction."""
        wanted = set(articles)
        return [
            s
            for s in self.ranked()
            if s.coverage == 0
            and self.passages[s.passage].article_id in wanted
            and s.text not in self._ruled_out
            and not looks_like_instruction(s.text)
        ]

    def support(self, text: str, within: Iterable[int] | None = None) -> tuple[Sentence, float]:
        """The sentence (or adjacent pair) of the passages that best supports a claim.

        Support is the idf-weighted share of the claim's own terms found in the sentence, so a
        claim adding facts the source lacks scores low whatever it cites.
        """
        claim = {t: self.lexicon.idf(t) for t in terms(text)}
        allowed = set(within) if within is not None else None
        best: tuple[Sentence, float] | None = None
        candidates = [s for s in self.sentences if allowed is None or s.passage in allowed]
        for s in candidates + _adjacent_pairs(candidates, self.passages):
            if looks_like_instruction(s.text):
                continue
            got = self.coverage_of(s.terms, claim)
            if best is None or got > best[1] + 1e-9:
                best = (s, got)
        if best is None:
            return Sentence(-1, 0, 0, "", frozenset()), 0.0
        return best


def _after_headings(sentences: list[Sentence], evidence: Evidence) -> list[Sentence]:
    """A heading that matches the question ("Why No Major Breakthrough?") points at the answer:
    the sentences under it score at least HEADING_SHARE of what the heading would."""
    out = list(sentences)
    for i, s in enumerate(sentences):
        if not is_heading_or_question(s.text) or s.coverage < HEADING_MIN_COVERAGE:
            continue
        lift = evidence.coverage_of(s.terms, evidence.focus) * HEADING_SHARE
        for j in range(i + 1, min(i + 3, len(out))):
            nxt = out[j]
            if nxt.passage != s.passage or is_heading_or_question(nxt.text):
                break
            if nxt.score < lift and nxt.score > 0:
                out[j] = replace(nxt, score=round(lift, 4))
    return out


def _outlet_stems(question: str, outlets: Sequence[str]) -> set[str]:
    """Stems of the words that name one of `outlets` in the question."""
    if not outlets:
        return set()
    rest = set(words(Outlets(outlets).find(question).rest))
    return {stem(w) for w in words(fold(question)) if w not in rest}


def _same_root(a: str, b: str, shortest: int = 5) -> bool:
    """'discuss'/'discussion', 'russia'/'russian': one word extends the other."""
    short, long = sorted((a, b), key=len)
    return len(short) >= shortest and long.startswith(short)


def _adjacent_pairs(sentences: list[Sentence], passages: Sequence[Passage]) -> list[Sentence]:
    """Two neighbouring sentences as one span: a claim may merge what they say."""
    pairs = []
    for a, b in itertools.pairwise(sentences):
        if a.passage == b.passage:
            text = passages[a.passage].text[a.start : b.end]
            pairs.append(Sentence(a.passage, a.start, b.end, text, a.terms | b.terms))
    return pairs


def _term_weights(
    question: str, context: str | None, lexicon: LexicalIndex, names: set[str]
) -> dict[str, float]:
    """Question terms by idf, capped, names counting more; a follow-up's earlier question adds
    its terms at half weight, or in full when the follow-up is bare ("where?", "and Starmer?").

    The cap: a rare verb ("attended", "held") must not outweigh everything else, since the
    answer usually says it in other words ("seven European leaders at the White House").
    """
    asked = question_terms(question)
    idf = {t: lexicon.idf(t) for t in asked}
    cap = IDF_CAP * statistics.median(idf.values()) if len(idf) > 1 else math.inf
    weights = {t: min(w, cap) * (NAME_WEIGHT if t in names else 1.0) for t, w in idf.items()}
    bare = len([t for t in asked if t not in names]) <= 1 and len(asked) <= 1
    # "What did Merz say?" then "and Starmer?": Starmer takes Merz's place, the rest carries over
    replaced = set(_question_names(context)) if context and names else set()
    for t in question_terms(context or ""):
        if t not in replaced:
            weights.setdefault(t, (1.0 if bare else CONTEXT_WEIGHT) * lexicon.idf(t))
    return weights


# A word of the question that stories write as its parts: casualties are the killed and the
# injured ("at least eight deaths and more than 50 injuries"), a death toll the killed.
_COVERS = {stem("casualties"): (stem("killed"), stem("injured")), stem("toll"): (stem("killed"),)}
# "Do the outlets agree on the casualty numbers?" asks about casualties: the other words ask
# how to compare, they are not what the articles must say.
_COMPARING = frozenset(
    stem(w)
    for w in """outlet outlets source sources report reports reporting article articles paper
    papers media account accounts version versions coverage agree agrees disagree disagrees
    differ differs different difference differences compare compared comparison contrast same
    number numbers figure figures everyone everybody all both two""".split()
)
# "Did they agree on a ceasefire?" is answered by "without a ceasefire" as much as by "agreed":
# the word of stance asks yes or no, the rest of the question is what it is about.
_STANCE_TERMS = frozenset(
    stem(w)
    for w in """agree agreed accept accepted approve approved reject rejected refuse refused
    deny denied confirm confirmed decide decided rule ruled back backed support supported
    endorse endorsed oppose opposed""".split()
)
STANCE_WEIGHT = 0.5


def _asked_about(weights: dict[str, float], kind: Kind) -> dict[str, float]:
    """The question's terms re-weighed for what its kind asks: a comparison's words of comparing
    go (when anything else is left); a yes/no question's word of stance counts less."""
    if kind is Kind.COMPARISON:
        topic = {t: w for t, w in weights.items() if t not in _COMPARING}
        return topic or weights
    if kind is Kind.YES_NO and len(weights) > 1:
        return {t: w * (STANCE_WEIGHT if t in _STANCE_TERMS else 1.0) for t, w in weights.items()}
    return weights


def _split(passage: int, text: str) -> list[Sentence]:
    """The passage's sentences, list bullets ("- ", "• ") left out of the quoted span."""
    out = []
    for start, end in sentence_spans(text):
        bullet = _BULLET.match(text, start, end)
        if bullet:
            start = bullet.end()
        piece = text[start:end]
        out.append(Sentence(passage, start, end, piece, frozenset(terms(piece)) | initials(piece)))
    return out


_CAPITALISED_RUN = re.compile(r"[A-Z][a-z]+(?:(?:\s+(?:and|of|for|&))?\s+[A-Z][a-z]+)+")
_LINKS = frozenset({"and", "of", "for", "&"})


def initials(text: str) -> frozenset[str]:
    """What runs of capitalised words abbreviate to, as terms: "Trans World Airlines" holds
    "twa", "Food and Agriculture Organization" "fao", so a question asking about TWA or the
    FAO finds the sentence that writes the name out."""
    found: set[str] = set()
    for m in _CAPITALISED_RUN.finditer(text):
        letters = "".join(w[0] for w in m.group().split() if w not in _LINKS and w != "The")
        found.update(stem(letters[:n].lower()) for n in range(3, len(letters) + 1))
    return frozenset(found)


def _quality(text: str) -> float:
    """Fragments, headings, questions, run-ons and garbled text make poor answers."""
    return (
        _length_factor(text)
        * (0.5 if is_heading_or_question(text) else 1.0)
        * (0.7 if looks_garbled(text) else 1.0)
    )


def _length_factor(text: str) -> float:
    n = len(text.split())
    if n < 5:
        return 0.4
    if n > 70:
        return 0.8
    return 1.0


def is_heading_or_question(text: str) -> bool:
    """'Why No Major Breakthrough?' is a heading, and any question asks rather than tells."""
    stripped = text.strip().strip("\"'“”‘’")
    if stripped.endswith("?"):
        return True
    tokens = [w for w in stripped.split() if w[:1].isalpha()]
    if not tokens or stripped.endswith((".", "!", ":", ";")):
        return False
    capitals = sum(w[0].isupper() for w in tokens)
    return len(tokens) <= 12 and capitals >= 0.6 * len(tokens)


_GARBLE = re.compile(r"\w\?\w|\ufffd|[A-Za-z][^\x00-\x7f\s’‘“”–—…€£]+[A-Za-z]")


def looks_garbled(text: str) -> bool:
    """Mojibake ('in?Washington'), replacement characters, or quote marks strewn mid-sentence
    as machine translation leaves them: a clean sentence saying the same thing reads better."""
    if _GARBLE.search(text):
        return True
    quotes = text.count("“") + text.count("”")
    return quotes >= 3 and quotes % 2 == 1


def _capitalised(text: str) -> list[str]:
    return [w for m in _NAME.finditer(text) for w in words(m.group())]


# "south" of "south Asia" is written capitalised in "South Africa", but names nothing alone
_DIRECTIONS = frozenset(
    """north south east west northern southern eastern western central northeast northwest
    southeast southwest""".split()
)


def _lowercase_names(question: str, passages: Sequence[Passage]) -> dict[str, str]:
    """Words of the question the passages write as names ("putin", "italy" in a question typed
    in lower case): written capitalised inside sentences nearly every time they occur."""
    asked = {
        w
        for w in words(question)
        if w not in STOPWORDS and w not in QUESTION_NOISE and w not in _DIRECTIONS
    }
    if not asked or not passages:
        return {}
    upper: dict[str, int] = {}
    lower: dict[str, int] = {}
    for p in passages:
        for m in _WORD_IN_TEXT.finditer(p.text):
            w = m.group().lower()
            if w in asked:
                before = p.text[max(0, m.start() - 3) : m.start()]
                mid = m.start() > 0 and "\n" not in before and not _SENTENCE_START.search(before)
                if m.group()[0].isupper():
                    upper[w] = upper.get(w, 0) + (1 if mid else 0)
                else:
                    lower[w] = lower.get(w, 0) + 1
    return {
        stem(w): w
        for w, n in upper.items()
        if n >= 2 and n >= LOWERCASE_NAME_SHARE * (n + lower.get(w, 0)) and not w.isdigit()
    }


_WORD_IN_TEXT = re.compile(r"[^\W\d_]+")
_FIRST_NAME = re.compile(r"([A-Z][a-z][\w-]*)(?:'s|’s)?\b")
_SENTENCE_START = re.compile(r"[.!?\"“:]\s*$")


def _question_phrases(question: str) -> list[tuple[str, ...]]:
    """Names of several words in the question, as stems: "Home State Savings" -> (home, state,
    sav). Only capitalised runs past the first word; an all-caps question has none."""
    letters = [c for c in question if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        return []
    phrases = []
    for m in _NAME_RUN.finditer(question):
        before = question[: m.start()].rstrip()
        if not before or before[-1] in '.!?:"“':
            continue
        found = tuple(terms(m.group()))
        if len(found) > 1:
            phrases.append(found)
    return phrases


_NAME_RUN = re.compile(r"\b[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)+")


def _question_names(question: str) -> dict[str, str]:
    """Capitalised words of a question by stem, bar its first word and asking words.

    An all-caps question carries no such signal and yields none.
    """
    letters = [c for c in question if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        return {}
    names: dict[str, str] = {}
    question = _URL.sub(" ", question)  # a pasted link's words are no names
    for m in _ODD_NAME.finditer(question):  # "iPhone", "eBay", a year: names in any position
        names.setdefault(stem(m.group().lower()), m.group())
    for m in _NAME.finditer(question):
        before = question[: m.start()].rstrip()
        if not before or before[-1] in '.!?:"“':
            continue
        original = m.group().strip(".'’-")
        for w in words(original):
            if w not in _NO_NAMES and not w.isdigit():
                names.setdefault(stem(w), original)
    return names
