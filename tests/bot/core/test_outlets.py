"""Outlets named in a question: matched against the stored ones by their joined words."""

from __future__ import annotations

import pytest

from bot.core.outlets import Outlets, aliases

SEED_OUTLETS = ["chinadaily.com.cn", "aljazeera.com", "cgtn.com"]


@pytest.mark.parametrize(
    ("outlet", "expected"),
    [
        ("chinadaily.com.cn", {"chinadaily"}),
        ("aljazeera.com", {"aljazeera"}),
        ("www.bbc.co.uk", {"bbc"}),
        ("news.cgtn.com", {"cgtn"}),
        ("Al Jazeera English", {"aljazeera", "aljazeeraenglish"}),
        ("The Guardian", {"guardian", "theguardian"}),
    ],
)
def test_aliases_are_the_names_a_reader_uses(outlet: str, expected: set[str]) -> None:
    assert expected <= aliases(outlet)


@pytest.mark.parametrize(
    ("question", "outlet", "rest"),
    [
        (
            "What did CGTN report about the meeting?",
            "cgtn.com",
            "what did report about the meeting?",
        ),
        ("what did cgtn say", "cgtn.com", "what did say"),
        ("According to China Daily, who met?", "chinadaily.com.cn", "according to , who met?"),
        (
            "What is Al Jazeera's take on the summit?",
            "aljazeera.com",
            "what is take on the summit?",
        ),
        ("al-jazeera on Zelensky", "aljazeera.com", "on zelensky"),
        ("AlJazeera on Zelensky", "aljazeera.com", "on zelensky"),
        ("What does aljazeera.com say?", "aljazeera.com", "what does say?"),
    ],
)
def test_named_outlet_is_found_and_cut_from_the_question(
    question: str, outlet: str, rest: str
) -> None:
    mention = Outlets(SEED_OUTLETS).find(question)
    assert mention.outlets == (outlet,)
    assert mention.rest == rest


@pytest.mark.parametrize(
    "question",
    [
        "What did China say?",  # half of "China Daily" is not the outlet
        "What did Jazeera say?",
        "Who met daily?",
        "What did CGTNX report?",
    ],
)
def test_other_words_are_not_outlets(question: str) -> None:
    mention = Outlets(SEED_OUTLETS).find(question)
    assert mention.outlets == ()
    assert mention.rest.rstrip("?") in question.lower()


def test_two_outlets_in_one_question() -> None:
    mention = Outlets(SEED_OUTLETS).find("Do CGTN and China Daily agree?")
    assert mention.outlets == ("cgtn.com", "chinadaily.com.cn")
    assert mention.rest == "do and agree?"


def test_an_everyday_word_counts_as_an_outlet_only_when_capitalised() -> None:
    outlets = Outlets(["time.com", "cgtn.com"], common=lambda alias, outlet: alias == "time")
    assert outlets.find("What time did the leaders meet?").outlets == ()
    assert outlets.find("What did Time report?").outlets == ("time.com",)
    assert outlets.find("what did cgtn report?").outlets == ("cgtn.com",)


def test_no_outlets_no_matches() -> None:
    mention = Outlets([]).find("What did CGTN report?")
    assert mention == mention.__class__((), "what did cgtn report?")
