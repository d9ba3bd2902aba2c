"""Words as both sides read them: folding, stems, amounts, synonyms and a question's terms."""

from __future__ import annotations

import pytest

from ingest.text.words import fold, question_terms, stem, terms, words


def test_fold_strips_accents_case_and_joins_initialisms() -> None:
    assert words("Zélensky met the U.S. envoy") == ["zelensky", "met", "the", "us", "envoy"]
    assert fold("ÉMMANUEL") == "emmanuel"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("rule", "ruled"),
        ("casualty", "casualties"),
        ("territory", "territorial"),
        ("discussed", "discussion"),
        ("Zelensky", "zelensky"),
        ("met", "meeting"),  # irregular past forms
        ("held", "holds"),
        ("fled", "fleeing"),
        ("struck", "strikes"),
        ("agreed", "agree"),
        ("sued", "suing"),
        ("laid", "laying"),  # "laid off" for "laying off"
        ("rose", "rising"),
        ("lent", "lends"),
        ("quit", "resigned"),  # words news writes for one another
        ("acquired", "bought"),
        ("defence", "defense"),  # British spellings read as American ones
        ("defences", "defense"),
        ("labour", "labor"),
        ("neighbouring", "neighbors"),
        ("centres", "center"),
        ("organised", "organized"),
        ("organisation", "organization"),
        ("analysed", "analyzes"),
        ("programmes", "program"),
    ],
)
def test_stem_merges_word_forms(a: str, b: str) -> None:
    assert stem(fold(a)) == stem(fold(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("state", "statue"),
        ("police", "policy"),
        ("four", "for"),  # "-our" is read as "-or" in listed words only
        ("rise", "rize"),  # "-ise" becomes "-ize" after three letters only
    ],
)
def test_stem_keeps_other_words_apart(a: str, b: str) -> None:
    assert stem(fold(a)) != stem(fold(b))


def test_question_terms_drop_asking_words() -> None:
    assert question_terms("What did Merz say about the ceasefire?") == ["merz", "ceasefir"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("$90bn", "90 billion"),
        ("$90 billion", "90 billion"),
        ("90bn", "90 billion"),
        ("US$90 billion", "90 billion"),
        ("600m", "600 million"),
        ("1.2m", "1.2 million"),
        ("5.93 mln", "5.93 million"),
        ("1.2 bln", "1.2 billion"),
        ("5%", "5 percent"),
        ("5 per cent", "5 percent"),
        ("5 pct", "5 percent"),
        ("1,500", "1500"),
        ("155,221 bags", "155221 bag"),
        ("1.50 million", "1.5 million"),
        ("August 18th", "August 18"),
    ],
)
def test_amounts_read_the_same_in_text_and_questions(a: str, b: str) -> None:
    """Both spellings give one set of terms, on the index side and the question side, except
    that a currency sign may add its currency ("usd")."""
    assert set(terms(a)) - {"usd"} == set(terms(b))
    assert set(question_terms(a)) - {"usd"} == set(question_terms(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("$90bn", "90 billion dollars"),
        ("$1.2 billion", "1.2 billion dlrs"),
        ("US$90 billion", "90 bln usd"),
        ("€5m", "5 million euros"),
    ],
)
def test_currency_signs_and_words_are_one_term(a: str, b: str) -> None:
    assert sorted(terms(a)) == sorted(terms(b))


def _stems(text: str) -> list[str]:
    """The expected terms written as words: "died august 18" -> ["kill", "august", "18"]."""
    return [stem(w) for w in text.split()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("600mph winds", "600mph winds"),  # a glued unit that is not one stays a word
        ("G7 and 5G", "g7 5g"),
        ("rose 3.5.", "rose 3.5"),  # a full stop after a number is not a decimal point
        ("a 10km march", "10km march"),
        ("2 billionaires", "2 billionaires"),  # "billion" must end where the word ends
    ],
)
def test_numbers_next_to_letters_stay_what_they_are(text: str, expected: str) -> None:
    assert terms(text) == _stems(expected)


@pytest.mark.parametrize(
    ("group", "words_"),
    [
        ("kill", "died killed dead deaths death fatalities killing dies lives"),
        ("injur", "wounded injured injuries hurt injury wounds"),
        ("ceasefir", "truce ceasefire cease-fire ceasefires"),
    ],
)
def test_synonyms_share_one_term(group: str, words_: str) -> None:
    assert {t for w in words_.split() for t in terms(w)} == {group}


@pytest.mark.parametrize("word", ["live", "living", "skill", "injustice", "hurtle", "talks"])
def test_synonym_groups_take_whole_words_only(word: str) -> None:
    assert terms(word)[0] not in {"kill", "injur", "ceasefir"}


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What did Trump say? 1", "trump"),  # a stray key after the question
        ("What did Trump say 1", "trump"),  # a lone small number beside nothing
        ("What did Trump say?  12 ", "trump"),
        ("What did Trump say? 1500", "trump"),
        ("How many died on August 18?", "died august 18"),
        ("How many died on 18 August?", "died 18 august"),
        ("What's the $90bn about?", "usd 90 billion"),
        ("Who lost 1,500 homes?", "lost 1500 homes"),
        ("What was agreed in the last 24 hours?", "agreed last 24 hours"),
        ("What happened on 2025-08-18?", "2025 08 18"),
        ("What was 5% about? And the $2bn?", "5 percent usd 2 billion"),
        ("What's it about? $90bn", "usd 90 billion"),  # an amount is not stray
    ],
)
def test_stray_numbers_are_not_query_terms(question: str, expected: str) -> None:
    assert question_terms(question) == _stems(expected)
