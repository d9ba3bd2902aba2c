""" "Sources differ" only for a real disagreement, and sources named so a reader knows them.

Each false positive seen on a 2,200-article corpus is rebuilt here as a pair of sentences that
must not fire (copies of one story, another measure, another time, another subject, a stray
"not"), next to real disagreements that must. Evidence is the real thing: passages scored by
`Evidence` against a real `LexicalIndex` built from the test articles and some unrelated ones.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from bot.core.compose import source_label, source_name
from bot.core.disagree import Conflict, find_conflict, outlet_key
from bot.core.evidence import Evidence
from bot.core.extractive import extract
from bot.core.figures import figures, measure_asked, when
from bot.core.records import Passage
from ingest.lexical import LexChunk, LexicalIndex

# Other news in the index, so idf is that of a corpus and not of the two test articles alone.
BACKGROUND = [
    "The central bank kept interest rates unchanged on Thursday, citing slowing inflation.",
    "Heavy rain is expected across the north of the country over the weekend.",
    "The football club confirmed the signing of a new striker on a three-year contract.",
    "Shares in the carmaker rose after it reported stronger quarterly sales in Europe.",
    "The museum reopened after a two-year renovation with a new wing for modern art.",
    "Lawmakers debated a bill on data privacy that would tighten rules for app makers.",
]


@dataclass(frozen=True)
class Art:
    """A test article: its text and what ingest would have read about it."""

    text: str
    outlet: str = ""
    url: str = ""
    title: str = ""
    published: str = "2025-08-19"


def evidence(question: str, *arts: Art) -> Evidence:
    passages = [
        Passage(
            chunk_id=f"{i:03}_{abs(hash(a.text)) % 10**12:012x}.txt#h#0",
            article_id=f"{i:03}_{abs(hash(a.text)) % 10**12:012x}.txt",
            file=f"{i:03}_{abs(hash(a.text)) % 10**12:012x}.txt",
            text=a.text,
            start=0,
            end=len(a.text),
            title=a.title or a.text.split(".")[0][:90],
            outlet=a.outlet,
            published=a.published,
            url=a.url,
            score=0.6,
        )
        for i, a in enumerate(arts)
    ]
    chunks = [LexChunk(p.chunk_id, p.text, {"article_id": p.article_id}) for p in passages]
    chunks += [LexChunk(f"bg{i}.txt#h#0", t, {}) for i, t in enumerate(BACKGROUND)]
    return Evidence(question, passages, LexicalIndex.from_chunks(chunks))


def conflict(question: str, *arts: Art) -> Conflict | None:
    ev = evidence(question, *arts)
    return find_conflict(ev, [s for s in ev.ranked() if s.coverage > 0])


KILLED = "How many people were killed in the attack?"


# -- real disagreements fire --------------------------------------------------------------------


def test_different_death_tolls_from_two_outlets_fire() -> None:
    found = conflict(
        KILLED,
        Art("Officials said eight people were killed in the attack.", outlet="Reuters"),
        Art("Ten people died in the attack, the ministry said.", outlet="Al Jazeera"),
    )
    assert found is not None and found.kind == "figures"
    assert {found.first.text, found.second.text} == {
        "Officials said eight people were killed in the attack.",
        "Ten people died in the attack, the ministry said.",
    }


def test_sources_differ_names_each_side_by_outlet_domain_or_title() -> None:
    ev = evidence(
        KILLED,
        Art("Officials said eight people were killed in the attack.", outlet="Reuters"),
        Art(
            "Ten people died in the attack, the ministry said.",
            url="https://www.aljazeera.com/news/2025/8/19/attack",
        ),
    )
    text = " ".join(c.text for c in extract(ev))
    assert text.startswith("Sources differ. ")
    assert "Reuters reports: Officials said eight" in text
    assert "aljazeera.com reports: Ten people died" in text
    assert ".txt" not in text and "_" not in text


def test_a_denial_against_an_assertion_fires() -> None:
    found = conflict(
        "Did the council approve the budget?",
        Art("The council did not approve the budget, members said.", outlet="AP"),
        Art("The council approved the budget after a long debate.", outlet="BBC"),
    )
    assert found is not None and found.kind == "polarity"
    assert "did not approve" in found.first.text


def test_money_figures_that_differ_fire() -> None:
    found = conflict(
        "How much did the city spend on the new bridge?",
        Art("The city spent $5 million on the new bridge.", outlet="AP"),
        Art("The new bridge cost the city $9 million.", outlet="BBC"),
    )
    assert found is not None and found.kind == "figures"


def test_an_approximate_figure_outside_the_other_fires() -> None:
    found = conflict(
        KILLED,
        Art("Nearly 100 people were killed in the attack, officials said.", outlet="AP"),
        Art("The attack killed 160 people, the ministry said.", outlet="BBC"),
    )
    assert found is not None


# -- not a disagreement -------------------------------------------------------------------------


def test_a_syndicated_copy_is_not_a_disagreement() -> None:
    """One wire story in two outlets, the figure line reworded by an update."""
    rest = (
        " The attack hit a busy market in the city centre shortly before noon."
        " Emergency crews worked through the night to clear the rubble from the square."
        " The regional governor declared three days of mourning across the province."
    )
    found = conflict(
        KILLED,
        Art("Eight people were killed in the attack, officials said." + rest, outlet="AP"),
        Art("The death toll rose to ten, according to the ministry." + rest, outlet="Yahoo News"),
    )
    assert found is None


def test_the_same_sentence_with_another_number_is_not_a_disagreement() -> None:
    found = conflict(
        KILLED,
        Art("Officials said eight people were killed in the attack on the market.", outlet="AP"),
        Art("Officials said ten people were killed in the attack on the market.", outlet="BBC"),
    )
    assert found is None


def test_the_same_headline_is_one_story() -> None:
    title = "Attack on market kills civilians"
    found = conflict(
        KILLED,
        Art("Officials said eight people were killed in the attack.", "AP", title=title),
        Art("Ten people died in the attack, the ministry said.", "BBC", title=title),
    )
    assert found is None


@pytest.mark.parametrize(
    ("question", "one", "other"),
    [
        (  # deaths against drones
            KILLED,
            "Eight people were killed in the attack on the city.",
            "Russia launched 10 drones in the attack on the city.",
        ),
        (  # deaths against casualties: a casualty count includes the injured
            KILLED,
            "Officials reported eight deaths in the attack.",
            "The attack caused 60 casualties, the ministry said.",
        ),
        (  # money against a share
            "How much did the company's revenue grow?",
            "The company's revenue grew by $5 million.",
            "The company's revenue grew 7% on the year.",
        ),
        (  # at least eight and ten are both true
            KILLED,
            "At least eight people were killed in the attack, officials said.",
            "Ten people died in the attack, the ministry said.",
        ),
    ],
)
def test_figures_of_different_measures_or_compatible_ranges_do_not_fire(
    question: str, one: str, other: str
) -> None:
    assert conflict(question, Art(one, outlet="AP"), Art(other, outlet="BBC")) is None


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (
            "In 2023, five people were killed in floods in the region.",
            "Seven people were killed in floods in the region in 2024.",
        ),
        (
            "Last year five people were killed in floods in the region.",
            "This year seven people were killed in floods in the region.",
        ),
        (
            "Five people were killed in floods in the region in March.",
            "Seven people were killed in floods in the region.",
        ),
    ],
)
def test_figures_of_different_times_do_not_fire(one: str, other: str) -> None:
    question = "How many people were killed in floods in the region?"
    assert conflict(question, Art(one, outlet="AP"), Art(other, outlet="BBC")) is None


def test_articles_published_days_apart_report_different_moments() -> None:
    one = Art("Officials said eight people were killed in the attack.", "AP", published="")
    other = Art("Ten people died in the attack, the ministry said.", "BBC", published="")
    dated = [("2025-08-19", "2025-08-21", True), ("2025-08-01", "2025-08-21", False)]
    for first, second, fires in dated:
        found = conflict(
            KILLED,
            Art(one.text, one.outlet, published=first),
            Art(other.text, other.outlet, published=second),
        )
        assert (found is not None) == fires, (first, second)


@pytest.mark.parametrize(
    ("question", "one", "other"),
    [
        (
            "How many awards did the film win?",
            "The film won three Golden Globe awards.",
            "The film won five Academy Awards.",
        ),
        ("How many jobs were cut?", "Apple cut 500 jobs.", "Google cut 700 jobs."),
        (
            "How many people were killed in the strikes?",
            "Eight people were killed in the strikes on Kharkiv.",
            "Ten people were killed in the strikes on Odesa.",
        ),
    ],
)
def test_figures_about_different_subjects_do_not_fire(question: str, one: str, other: str) -> None:
    assert conflict(question, Art(one, outlet="AP"), Art(other, outlet="BBC")) is None


def test_one_outlet_twice_is_not_two_sources() -> None:
    one = "Officials said eight people were killed in the attack."
    other = "Ten people died in the attack, the ministry said."
    assert conflict(KILLED, Art(one, outlet="Al Jazeera"), Art(other, outlet="AJ")) is not None
    same = [("Al Jazeera", "aljazeera.com"), ("Reuters", "reuters"), ("BBC", "bbc.co.uk")]
    for a, b in same:
        assert conflict(KILLED, Art(one, outlet=a), Art(other, outlet=b)) is None, (a, b)


@pytest.mark.parametrize(
    ("question", "one", "other"),
    [
        (  # the "not" is about the mayor's presence, not the approval
            "Did the council approve the budget?",
            "The mayor was not present when the council approved the budget.",
            "The council approved the budget after a long debate.",
        ),
        (  # the denial shares only a word with the other sentence
            "Were territorial concessions discussed at the White House?",
            "Talks at the White House discussed security, though territorial concessions were"
            " not on the table.",
            "Territorial disputes discussed at the White House remain the key sticking point.",
        ),
    ],
)
def test_a_stray_negation_is_not_a_disagreement(question: str, one: str, other: str) -> None:
    assert conflict(question, Art(one, outlet="AP"), Art(other, outlet="BBC")) is None


# -- the pieces ---------------------------------------------------------------------------------


def test_figures_know_their_bounds_and_measure() -> None:
    eight, fifty = figures("Officials reported at least eight deaths and more than 50 injuries.")
    assert (eight.value, eight.low, eight.groups) == (8.0, 8.0, frozenset({"death"}))
    assert eight.high == float("inf") and fifty.groups == {"injury"}
    [drones] = figures("Russia fired 270 drones overnight.")
    assert not drones.groups and "dron" in drones.nouns and not drones.same_measure(eight)
    [money] = figures("It raised $1.5 million.")
    assert money.value == 1.5e6 and money.groups == {"money"}
    assert figures("On August 18, 2025 the 1st round began at 10:30 under Article 5.") == ()
    assert [f.value for f in figures("No one was hurt; twenty-five homes burned.")] == [25.0]


def test_the_question_names_the_measure() -> None:
    assert measure_asked(KILLED)[0] == {"death"}
    assert measure_asked("How many casualties were reported?")[0] >= {"death", "injury"}
    assert "dron" in measure_asked("How many drones did Russia fire?")[1]


def test_times_a_sentence_names() -> None:
    assert when("In 2023, in March, five died.")[0] == {"2023", "march"}
    assert when("Last year it rained on Monday.") == ({"last year"}, {"monday"})
    assert when("Aid may arrive; 2000 people were killed.") == (frozenset(), frozenset())


def test_seed_outlets_keys() -> None:
    def passage(outlet: str = "", url: str = "", article: str = "x.txt") -> Passage:
        return Passage("c", article, article, "t", 0, 1, outlet=outlet, url=url)

    assert outlet_key(passage("chinadaily.com.cn")) == outlet_key(passage("China Daily"))
    assert outlet_key(passage(url="https://www.cgtn.com/a")) == outlet_key(passage("CGTN"))
    assert outlet_key(passage(article="a.txt")) != outlet_key(passage(article="b.txt"))


def test_check_is_cheap() -> None:
    """Eight candidates (28 pairs) with figures and negations: well under a millisecond a pair."""
    arts = [
        Art(f"Officials said {n} people were killed in the attack, not {n + 1}.", f"Outlet{n}")
        for n in range(8)
    ]
    ev = evidence(KILLED, *arts)
    candidates = [s for s in ev.ranked() if s.coverage > 0]
    assert len(candidates) == 8
    start = time.perf_counter()
    find_conflict(ev, candidates)
    assert (time.perf_counter() - start) / 28 < 1e-3


# -- labels -------------------------------------------------------------------------------------


def test_source_names_are_outlet_domain_or_title_never_the_file() -> None:
    def named(**fields: str) -> str:
        file = "002_17d30bda0ffc9e3b.txt"
        return source_name(Passage(f"{file}#h#0", file, file, "text", 0, 4, **fields))  # type: ignore[arg-type]

    assert named(outlet="Reuters", url="https://www.bbc.com/x") == "Reuters"
    assert named(url="https://www.aljazeera.com/news/x") == "aljazeera.com"
    long = "Washington: US President Donald Trump is pushing to arrange direct talks between…"
    assert named(title=long) == "“US President Donald Trump is pushing to arrange direct talks…”"
    assert named(title="Kremlin tempers hopes of a summit") == "“Kremlin tempers hopes of a summit”"
    assert named() == "An untitled article"
    assert source_label("", "not a url", "Big [2] news") == "“Big (2) news”"
    for label in (named(title=long), named()):
        assert "002_" not in label and ".txt" not in label


def test_seeds_get_readable_labels() -> None:
    """What ingest stores for the five seeds: two outlets, one domain, two titles only."""
    seeds = [
        ("chinadaily.com.cn", "Likelihood increases of Russia-Ukraine meeting"),
        ("aljazeera.com", "US President Donald Trump has announced plans to establish a…"),
        ("", "The Kremlin has sought to temper expectations over a possible summit between…"),
        ("", "Washington: US President Donald Trump is pushing to arrange direct talks…"),
        ("cgtn.com", "On Monday at the White House, U.S. President Donald Trump hosted…"),
    ]
    labels = [source_label(outlet, "", title) for outlet, title in seeds]
    assert labels[:2] == ["chinadaily.com.cn", "aljazeera.com"]
    assert labels[2] == "“The Kremlin has sought to temper expectations…”"
    assert len(set(labels)) == 5 and all(len(label) <= 64 for label in labels)
