"""The verifier against planted errors: claims that share nearly every word with a real seed
sentence but change a figure, flip a negation, name the wrong speaker, or invent a date or a
place must be dropped; correct paraphrases of the same sentences must be kept.

The evidence is every chunk of the seeds (real store, real lexical index), so a dropped claim
had the whole corpus to be re-cited to and found no sentence that matches it.
"""

from __future__ import annotations

import pytest

from bot.core.compose import Claim, Quote
from bot.core.evidence import Evidence
from bot.core.facts import FactCheck, quantities
from bot.core.intent import Intent, Kind
from bot.core.records import Passage
from bot.core.retrieve import Retriever, article_id
from bot.core.verify import gives_asked_type, missing_type_note, verify

# (the cited sentence, as a snippet of it; a correct claim citing it)
KEPT = [
    (
        "seven European leaders at the White House on Monday",
        "Trump hosted Zelensky and 7 European leaders at the White House on Monday",
    ),
    (
        "$90 billion in US weapons",
        "Zelensky said a framework could be finalized within ten days, including plans for "
        "Ukraine to buy $90bn of US weapons",
    ),
    (
        "firing 270 drones and 10 missiles",
        "Russia launched its largest aerial assault on Ukraine since July, firing 270 drones "
        "and ten missiles",
    ),
    (
        "at least eight deaths",
        "Ukrainian officials reported at least 8 deaths and more than fifty injuries",
    ),
    (
        "Power outages affected",
        "Power outages affected over 1500 homes and nearly 120 businesses",
    ),
    (
        "coalition of 30 allied nations",
        "Starmer told the BBC that a coalition of thirty allied nations is working with "
        "Washington on concrete measures",
    ),
    (
        "Putin was not at the White House",
        "Putin was not at the White House, but Trump called him during a break in the meeting",
    ),
    ("Putin was not at the White House", "Vladimir Putin was not at the White House meeting"),
    (
        "Moscow did not immediately confirm",
        "Moscow did not immediately confirm that it had agreed to a summit",
    ),
    (
        "he ruled out deploying U.S. forces",
        "Trump indicated Washington could provide air support but would not deploy U.S. forces",
    ),
    ("Russia hasn’t said", "Russia has not said yes or no to a high-level trilateral meeting"),
    (
        "It’s possible that he doesn’t want to make a deal",
        "On Tuesday, Trump said it was possible that Putin doesn't want to make a deal",
    ),
    (
        "Putin had agreed in principle to meet Zelensky within two weeks",
        "Merz confirmed that Putin had agreed in principle to meet Zelensky within two weeks",
    ),
    (
        "warned that the Kremlin leader was",
        "Stubb warned that the Kremlin leader was rarely to be trusted",
    ),
    (  # "labeled" is no speech verb, but Macron is the one the sentence quotes
        "warned that the Kremlin leader was",
        "Macron said Putin was a predator and an ogre at our doorstep",
    ),
    (
        "make concessions to a deal",
        "Rubio said that both Moscow and Kyiv would have to make concessions to a deal",
    ),
    (  # the source spells him "Zelinski"
        "We will leave the land issue between me and Putin",
        'Zelensky told reporters: "We will leave the land issue between me and Putin."',
    ),
    (
        "told reporters that he was “ready”",
        "Zelensky told reporters he was ready to meet the Russian leader one on one",
    ),
    (  # the source: '"...," he added.' after a sentence ending 'Zhang said.'
        'he added. "So far, territorial disputes',
        "Zhang said that so far, territorial disputes remain the biggest sticking point",
    ),
    (
        "within the next two weeks",
        "According to Merz, the US and Russian presidents agreed that the meeting would be "
        "held within the next two weeks",
    ),
    (
        "Trump said that European countries would be the",
        "Trump said European countries would be the first line of defense, but Washington "
        "will provide a lot of help",
    ),
    (  # "Washington said it'll be part ...": the United States by another name
        "Washington said it’ll be part of any future security guarantees",
        "The United States said it will be part of any future security guarantees for Ukraine",
    ),
    (
        "Russia’s full invasion of Ukraine in February 2022",
        "Russia's full invasion of Ukraine began in February 2022",
    ),
]

# (rule that must catch it, the cited sentence as a snippet, the planted wrong claim)
DROPPED = [
    (
        "figure",
        "seven European leaders at the White House on Monday",
        "Trump hosted Zelensky and eight European leaders at the White House on Monday",
    ),
    (
        "figure",
        "$90 billion in US weapons",
        "Zelensky said a framework could be finalized within ten days, including plans for "
        "Ukraine to buy $60bn of US weapons",
    ),
    (
        "figure",
        "Putin had agreed in principle to meet Zelensky within two weeks",
        "Merz confirmed that Putin had agreed in principle to meet Zelensky within three weeks",
    ),
    (
        "figure",
        "coalition of 30 allied nations",
        "Starmer told the BBC that a coalition of 13 allied nations is working with Washington "
        "on concrete measures",
    ),
    (
        "figure",
        "Power outages affected",
        "Power outages affected over 15,000 homes and nearly 120 businesses",
    ),
    (
        "figure",
        "Russia’s full invasion of Ukraine in February 2022",
        "Russia's full invasion of Ukraine began in February 2021",
    ),
    (
        "negation",
        "Putin had agreed in principle to meet Zelensky within two weeks",
        "Merz confirmed that Putin had not agreed to meet Zelensky within two weeks",
    ),
    (
        "negation",
        "Moscow did not immediately confirm",
        "Moscow immediately confirmed that it had agreed to a summit",
    ),
    (
        "negation",
        "he ruled out deploying U.S. forces",
        "Trump indicated Washington could provide air support and agreed to deploying U.S. forces",
    ),
    (
        "negation",
        "Putin was not at the White House",
        "Putin was not at the White House and Trump did not call him during the meeting",
    ),
    (
        "negation",
        "It’s possible that he doesn’t want to make a deal",
        "On Tuesday, Trump said it was certain that Putin wants to make a deal",
    ),
    ("negation", "Russia hasn’t said", "Russia has said yes to a high-level trilateral meeting"),
    (
        "speaker",
        "make concessions to a deal",
        "Lavrov said that both Moscow and Kyiv would have to make concessions to a deal",
    ),
    (
        "speaker",
        "We will leave the land issue between me and Putin",
        'Trump told reporters: "We will leave the land issue between me and Putin."',
    ),
    (  # the sentence quotes Macron on this, and Stubb on something else
        "speaker",
        "warned that the Kremlin leader was",
        "Stubb said Putin was a predator and an ogre at our doorstep",
    ),
    (  # the sentence attributes the strikes to no one
        "speaker",
        "firing 270 drones and 10 missiles",
        "Trump said Russia launched its largest aerial assault on Ukraine since July, firing "
        "270 drones and 10 missiles",
    ),
    (
        "speaker",
        "within the next two weeks",
        "According to Rubio, the US and Russian presidents agreed that the meeting would be "
        "held within the next two weeks",
    ),
    (
        "name",
        "seven European leaders at the White House on Monday",
        "Trump hosted Zelensky and seven European leaders at the White House on Friday",
    ),
    (
        "name",
        "It’s possible that he doesn’t want to make a deal",
        "On Wednesday, Trump said it was possible that Putin doesn't want to make a deal",
    ),
    (
        "name",
        "firing 270 drones and 10 missiles",
        "Russia launched its largest aerial assault on Ukraine since June, firing 270 drones "
        "and ten missiles",
    ),
    (
        "name",
        "The last face-to-face meeting between Putin and Zelensky was in 2019",
        "The last face-to-face meeting between Putin and Zelensky was in December 2019",
    ),
    (
        "name",
        "coalition of 30 allied nations",
        "Starmer told the BBC yesterday that a coalition of 30 allied nations is working with "
        "Washington on concrete measures",
    ),
    (
        "name",
        "seven European leaders at the White House on Monday",
        "Trump hosted Zelensky and seven European leaders in Geneva on Monday",
    ),
]


@pytest.fixture(scope="module")
def evidence(seeds_retriever: Retriever) -> Evidence:
    """Every chunk of the seeds as a passage: the verifier may re-cite a claim to any of them."""
    lexicon = seeds_retriever.lexical()
    passages = [
        Passage(
            chunk_id=c.chunk_id,
            article_id=article_id(c.chunk_id, c.meta),
            file=str(c.meta.get("file", "")),
            text=c.text,
            start=int(c.meta.get("start", 0)),
            end=int(c.meta.get("end", len(c.text))),
            title=str(c.meta.get("title", "")),
            outlet=str(c.meta.get("outlet", "")),
            published=str(c.meta.get("published", "")),
            score=0.5,
        )
        for c in lexicon.chunks
    ]
    assert len(passages) > 10
    return Evidence("What happened at the White House talks?", passages, lexicon)


def cited(evidence: Evidence, snippet: str) -> int:
    """The [n] of the first passage holding the snippet."""
    return next(i for i, p in enumerate(evidence.passages, 1) if snippet in p.text)


def quoted(evidence: Evidence, quote: Quote) -> str:
    return evidence.passages[quote.passage].text[quote.start : quote.end]


@pytest.mark.parametrize(("snippet", "claim"), KEPT)
def test_correct_claims_are_kept_with_their_sentence(
    evidence: Evidence, snippet: str, claim: str
) -> None:
    claims = verify(f"{claim} [{cited(evidence, snippet)}].", evidence)
    assert len(claims) == 1 and claims[0].quotes, claim
    assert any(snippet in quoted(evidence, q) for q in claims[0].quotes)


@pytest.mark.parametrize(("rule", "snippet", "claim"), DROPPED)
def test_planted_errors_are_dropped(
    evidence: Evidence, monkeypatch: pytest.MonkeyPatch, rule: str, snippet: str, claim: str
) -> None:
    text = f"{claim} [{cited(evidence, snippet)}]."
    assert verify(text, evidence) == [], claim

    # Words alone would have kept it, quoting the sentence it was planted on ...
    mismatches: list[str] = []
    real = FactCheck.mismatch

    def spy(self: FactCheck, claim: str, source: str, around: str) -> None:
        wrong = real(self, claim, source, around)
        if wrong is not None and snippet in source:
            mismatches.append(wrong.rule)

    monkeypatch.setattr(FactCheck, "mismatch", spy)
    lexical = verify(text, evidence)
    assert len(lexical) == 1 and any(snippet in quoted(evidence, q) for q in lexical[0].quotes)
    # ... and the rule named is the one that caught it there.
    assert mismatches and mismatches[0] == rule, mismatches


def test_a_misattributed_quote_is_recited_to_the_sentence_that_says_it(
    evidence: Evidence,
) -> None:
    """Stubb, not Macron, said "rarely to be trusted"; another outlet has Macron express doubts
    over the Kremlin's sincerity, which is what the claim is re-cited to."""
    text = (
        "Macron warned that the Kremlin leader was rarely to be trusted "
        f"[{cited(evidence, 'rarely to be trusted')}]."
    )
    claims = verify(text, evidence)
    quotes = [quoted(evidence, q) for c in claims for q in c.quotes]
    assert not any("rarely to be trusted" in q for q in quotes)
    assert all("Macron" in q for q in quotes)


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("$90bn", "$90 billion"),
        ("5%", "5 percent"),
        ("five per cent", "5%"),
        ("1.2 million", "1,200,000"),
        ("seven leaders", "7 leaders"),
        ("twenty-five", "25"),
        ("3.5m people", "3.5 million people"),
        ("one on one", "face to face"),  # 'one' alone is no figure
    ],
)
def test_figures_are_normalised(claim: str, source: str) -> None:
    assert quantities(claim) <= quantities(source)


def test_figures_that_differ_do_not_match() -> None:
    assert not quantities("$90bn") <= quantities("$9 billion")
    assert not quantities("1.2 million") <= quantities("12,000")
    assert not quantities("eight") <= quantities("seven")


@pytest.mark.parametrize(
    ("claim", "source", "rule"),
    [
        ("Talks did not produce a deal.", "The talks failed to produce a deal.", None),
        ("He refused to sign.", "He did not sign.", None),
        ("He did not sign.", "He signed the deal.", "negation"),
        ("The ministers agreed.", "The ministers never agreed.", "negation"),
        ("Kyiv will not attend.", "Kiev will not attend the talks.", None),  # one city
        ("Paris said no.", "Moscow said no.", "speaker"),
        ("Smith said the plant will close.", "The plant will close, Jones said.", "speaker"),
        ("The plant will close, said Smith.", "Smith said the plant will close.", None),
        ("The talks were held in Vienna.", "The talks were held in Geneva.", "name"),
        ("Talks were held in Geneva.", "Secretary General Rutte said talks were held.", "name"),
        ("Zelensky met Trump.", "Zelinski met Trump.", None),  # a garbled spelling of him
    ],
)
def test_fact_check_rules(claim: str, source: str, rule: str | None) -> None:
    check = FactCheck([source], frozenset())
    wrong = check.mismatch(claim, source, source)
    assert (wrong.rule if wrong else None) == rule, wrong


def test_outlet_names_are_attribution_not_invented_names(evidence: Evidence) -> None:
    """'CGTN reports ...' names the source, which no sentence of it needs to repeat."""
    outlet = next(p.outlet for p in evidence.passages if p.outlet)
    snippet = "seven European leaders at the White House on Monday"
    claims = verify(
        f"{outlet} reports that Trump hosted Zelensky and seven European leaders at the White "
        f"House on Monday [{cited(evidence, snippet)}].",
        evidence,
    )
    assert claims and claims[0].quotes


QUOTE = (Quote(0, 0, 1),)


def test_gives_asked_type(monkeypatch: pytest.MonkeyPatch) -> None:
    how_many = Intent(Kind.HOW_MANY, unit="leaders")
    monkeypatch.setattr("bot.core.verify.intent_of", lambda question, earlier=None: how_many)
    q = "How many European leaders did Trump host?"
    assert gives_asked_type(q, [Claim("Trump hosted 7 European leaders.", QUOTE)])
    assert not gives_asked_type(q, [Claim("Trump hosted European leaders.", QUOTE)])
    # a figure in framing nobody verified does not count
    assert not gives_asked_type(q, [Claim("7 things:"), Claim("Trump hosted leaders.", QUOTE)])
    assert missing_type_note("The OpenAI-compatible model", q) == (
        "The OpenAI-compatible model did not say how many; answered extractively instead."
    )


@pytest.mark.parametrize("kind", [Kind.WHAT, Kind.SUMMARY, Kind.SAID, Kind.WHY])
def test_questions_without_a_checked_type_always_pass(
    monkeypatch: pytest.MonkeyPatch, kind: Kind
) -> None:
    monkeypatch.setattr("bot.core.verify.intent_of", lambda question, earlier=None: Intent(kind))
    assert gives_asked_type("Tell me about the talks.", [Claim("Talks were held.", QUOTE)])
