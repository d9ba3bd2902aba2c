"""Question intent and answer spans: the rules that make an answer say when, where, how many."""

from __future__ import annotations

import pytest

from bot.core.intent import Intent, Kind, find_answer, intent_of

MERZ = (
    "German Chancellor Friedrich Merz told reporters the US and Russian presidents agreed in "
    'the calls that the meeting would be held "within the next two weeks".'
)
HOSTED = (
    "US President Donald Trump hosted Ukrainian President Volodymyr Zelensky and seven European "
    "leaders at the White House on Monday, with a focus on resolving the Ukrainian crisis."
)
LOCATION = (
    "Russian President Vladimir Putin was not at the White House, but Trump called him during a "
    "break in the day's meeting, discussing arrangements for a possible Putin-Zelensky summit "
    '"at a location to be determined".'
)
PAST = "The last face-to-face meeting between Putin and Zelensky was in 2019."


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many European leaders attended?", Kind.HOW_MANY),
        ("how much cocoa reached Bahia's ports that week?", Kind.HOW_MANY),
        ("What's the death toll?", Kind.HOW_MANY),
        ("When will Putin and Zelensky meet?", Kind.WHEN),
        ("by when do they want a deal?", Kind.WHEN),
        ("Where will the Putin-Zelensky summit be held?", Kind.WHERE),
        ("which city hosts the talks?", Kind.WHERE),
        ("Who hosted Zelensky?", Kind.WHO),
        ("who is ukraine's defence minister?", Kind.WHO),
        ("who is sun chenghao?", Kind.WHAT),
        ("Why did the talks fall short of a breakthrough?", Kind.WHY),
        ("what caused the delay?", Kind.WHY),
        ("Did they agree on a ceasefire?", Kind.YES_NO),
        ("is zelensky up for meeting putin?", Kind.YES_NO),
        ("What did Fredchic Mirz confirm about Putin?", Kind.SAID),
        ("how did Moscow react?", Kind.SAID),
        ("Do the outlets agree on the casualty numbers?", Kind.COMPARISON),
        ("what's going on with oil prices?", Kind.SUMMARY),
        ("give me the gist", Kind.SUMMARY),
        ("Who met at the White House and what did they discuss?", Kind.WHAT),
    ],
)
def test_question_kinds(question: str, kind: Kind) -> None:
    assert intent_of(question).kind is kind


@pytest.mark.parametrize(
    ("question", "unit"),
    [
        ("How many European leaders attended?", "leaders"),
        ("How many people were killed in the strikes?", "people"),
        ("how many were hurt in the air raid?", "hurt"),
        ("How many died?", "died"),
    ],
)
def test_the_counted_unit_is_the_noun_not_the_verb(question: str, unit: str) -> None:
    assert intent_of(question).unit == unit


def test_speaker_of_a_what_did_x_say_question() -> None:
    assert intent_of("What did Fredchic Mirz confirm about Putin?").speaker == "Fredchic Mirz"


def test_bare_follow_up_keeps_the_counting_and_takes_the_new_unit() -> None:
    follow = intent_of("and injured?", earlier="How many people died in the strikes?")
    assert follow == Intent(Kind.HOW_MANY, unit="injured")
    assert intent_of("where?", earlier="When will they meet?").kind is Kind.WHERE


def _span(question: str, sentence: str) -> str:
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None
    return sentence[span.start : span.end]


def test_a_count_with_the_asked_unit_is_lifted_whole() -> None:
    assert _span("How many European leaders attended?", HOSTED) == "seven European leaders"


def test_a_future_question_wants_a_future_time() -> None:
    question = "When will Putin and Zelensky meet?"
    ahead = find_answer(intent_of(question), MERZ, question)
    behind = find_answer(intent_of(question), PAST, question)
    assert ahead is not None and behind is not None
    assert MERZ[ahead.start : ahead.end] == "within the next two weeks"
    assert ahead.strength > behind.strength


def test_an_undecided_place_is_the_answer_to_where() -> None:
    assert _span("Where will the summit be held?", LOCATION) == "at a location to be determined"


def test_labels_and_dates_are_not_counts() -> None:
    intent = intent_of("How many articles were signed?")
    assert find_answer(intent, "It was signed on August 18 under Article 5.") is None


def test_a_dateline_date_is_not_when_the_event_happened() -> None:
    question = "When did Iran launch the offensive?"
    span = find_answer(intent_of(question), "LONDON, March 4 - Iran launched it on Jan 9.")
    assert span is not None and span.strength == 1.0
    dated = find_answer(intent_of(question), "LONDON, March 4 - Iran launched an offensive.")
    assert dated is not None and dated.strength < 0.5


def test_a_sentence_without_the_answer_type_carries_nothing() -> None:
    intent = intent_of("How many European leaders attended?")
    assert not intent.carries("European leaders seemed to be pressing their case.")
    assert intent.carries(HOSTED)
    assert intent_of("What happened?").carries("Anything at all.")


@pytest.mark.parametrize(
    ("question", "sentence", "theirs"),
    [
        # the clause before the verb speaks; a name earlier in the sentence does not
        (
            "What did Erik Penser say?",
            "The Wallenbergs bought the option, blocking Erik Penser's bid, a statement said.",
            False,
        ),
        (
            "How did ChemLawn react?",
            "Analyst Peter Schlang said ChemLawn could find a buyer.",
            False,
        ),
        (
            "How did ChemLawn react?",
            '"A surprise," said Debra Strohmaier, a ChemLawn spokeswoman.',
            True,
        ),
        (
            "What did Sculley say?",
            "John Sculley, Apple's chairman, said sales would be strong.",
            True,
        ),
        (
            "What did Sculley say?",
            "John Sculley, Apple chairman, declined to estimate sales, but he said it would sell.",
            True,
        ),
        (
            "what's china's official line on this",
            "Chinese spokeswoman Mao Ning said talks help.",
            True,
        ),
        ("What did Merz say?", "Merz's deputy was not at the talks, officials said.", False),
    ],
)
def test_what_x_said_needs_x_to_be_the_one_speaking(
    question: str, sentence: str, theirs: bool
) -> None:
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None
    assert (span.strength >= 0.9) is theirs


def test_a_bare_follow_up_asks_the_new_speaker() -> None:
    assert intent_of("and Starmer?", "What did Merz say?") == Intent(Kind.SAID, speaker="Starmer")


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        # a plan, a possibility, a decision on hold: not when it happened
        (
            "When did the Army choose its missile?",
            "The Army has been considering buying Rapier missiles this year.",
            False,
        ),
        (
            "When did the Army choose its missile?",
            "The Army chose the Rapier missile in March.",
            True,
        ),
        # a denial answers a yes/no question about an outcome
        (
            "Did the shareholders approve the buyout?",
            "Shareholders have not yet approved the buyout, which may be delayed.",
            True,
        ),
        (
            "Did the shareholders approve the buyout?",
            "A rival bidder might be discouraged by the breakup fee, analysts agreed.",
            False,
        ),
    ],
)
def test_what_happened_is_not_answered_by_what_is_only_planned(
    question: str, sentence: str, answers: bool
) -> None:
    span = find_answer(intent_of(question), sentence, question)
    assert (span is not None and span.strength >= 0.5) is answers


def test_a_year_that_names_an_act_dates_nothing() -> None:
    question = "When do the wheat price guarantees expire?"
    sentence = (
        "Arrangements will apply after June 30, 1989, when the pricing provisions of the "
        "1984 Wheat Marketing Act expire."
    )
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and sentence[span.start : span.end].endswith("June 30, 1989")


def test_of_two_equal_times_the_one_beside_the_question_words_answers() -> None:
    question = "when did the full scale invasion start"
    sentence = "They last met in 2019, before Moscow's full-scale invasion in 2022."
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and "2022" in sentence[span.start : span.end]


@pytest.mark.parametrize(
    ("question", "sentence", "who"),
    [
        # a country is no answer to who; the name that acts is
        (
            "Who from the chip industry admitted regulators might object?",
            "U.S. chipmakers, led by Charles Sporck, admitted regulators might object.",
            "Charles Sporck",
        ),
        # the question's own name is no answer either
        (
            "Who owned Home State Savings?",
            "Home State Savings Bank was owned by Marvin Warner, a former ambassador.",
            "Marvin Warner",
        ),
    ],
)
def test_who_is_answered_by_a_name_the_question_does_not_already_hold(
    question: str, sentence: str, who: str
) -> None:
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and sentence[span.start : span.end] == who


@pytest.mark.parametrize(
    "sentence",
    [
        # "U.S. marketing": the place as an adjective, though the name is read without its dot
        "The federal Food and Drug Administration said it approved for U.S. marketing a drug.",
        # the dateline is where the story was filed, not who did anything
        "WASHINGTON, March 2 - The federal Food and Drug Administration said it approved a drug.",
    ],
)
def test_neither_a_place_as_adjective_nor_the_dateline_answers_who(sentence: str) -> None:
    question = "Who makes the hemophilia drug the FDA just okayed?"
    assert find_answer(intent_of(question), sentence, question) is None


def test_a_people_or_place_answers_who_only_when_no_one_else_is_named() -> None:
    question = "Who is the new commander of Iraq's Third Army Corps?"
    vague = (
        "A spokesman said the Third Army Corps, which fought off the Iranians, had a new commander."
    )
    named = "He said Lieutenant General Dhiya'uldin Jamal had become the commander."
    weak, strong = (find_answer(intent_of(question), s, question) for s in (vague, named))
    assert weak is not None and vague[weak.start : weak.end] == "Iranians"
    assert strong is not None and named[strong.start : strong.end].endswith("Jamal")
    assert weak.strength < 0.9 <= strong.strength


def test_a_known_place_is_a_surer_answer_than_a_capitalised_word() -> None:
    question = "Where will Mobil make the new containers?"
    known = "Mobil will make the new containers in Stockholm."
    unknown = "Mobil will make the new containers in Kabivitrum."
    spans = [find_answer(intent_of(question), s, question) for s in (known, unknown)]
    assert spans[0] is not None and spans[1] is not None
    assert spans[1].strength < spans[0].strength


def test_a_dateline_naming_its_region_dates_the_report_not_the_event() -> None:
    question = "When will Union Faith close its purchase of the Husky stake?"
    sentence = (
        "CALGARY, Alberta, Feb 26 - Nova said Union Faith's purchase of the stake was approved."
    )
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and span.strength < 0.5


def test_a_date_is_a_surer_when_than_a_month_and_a_month_than_this_year() -> None:
    question = "When will Sears shut its Chicago distribution center?"
    strengths = [
        find_answer(
            intent_of(question), f"Sears will shut its Chicago distribution center {t}.", question
        )
        for t in ("on April 30", "in May", "later this year")
    ]
    assert all(s is not None for s in strengths)
    day, month, year = (s.strength for s in strengths if s is not None)
    assert day > month > year


def test_how_much_without_a_unit_wants_money_or_a_share_not_a_name_or_a_count() -> None:
    question = "How much is Con Ed cutting its rates by next month?"
    assert intent_of(question).unit == ""  # "Con" is no unit
    count = "We have had a four year freeze on Con Edison's rates."
    share = "Consolidated Edison agreed to reduce its rates 3.1 pct next month."
    weak, strong = (find_answer(intent_of(question), s, question) for s in (count, share))
    assert weak is not None and weak.strength < 0.5
    assert strong is not None and share[strong.start : strong.end] == "3.1 pct"


def test_a_range_is_one_amount() -> None:
    question = "How much will a Mac II set me back?"
    sentence = "The Mac II will be priced between 4,798 and 6,998 dlrs."
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and sentence[span.start : span.end] == "between 4,798 and 6,998 dlrs"


def test_what_x_made_of_it_asks_for_x_words() -> None:
    assert intent_of("and what did Thatcher make of it?", "Who won Greenwich?") == Intent(
        Kind.SAID, speaker="Thatcher"
    )


def test_a_past_question_is_not_answered_by_what_someone_will_do() -> None:
    question = "When did Reagan sign the appliance bill into law?"
    sentence = "Congress sent the bill to Reagan last year; he has indicated he will sign it."
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and span.strength < 0.5


def test_names_joined_by_and_are_one_answer() -> None:
    question = "Who led the producers at the coffee talks?"
    sentence = "Brazil and Colombia led the producers at the talks, delegates said."
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and sentence[span.start : span.end] == "Brazil and Colombia"


def test_which_minister_wants_the_name_beside_minister() -> None:
    question = "Which minister approved the Union Faith deal?"
    sentence = "Nova said Consumer Affairs Minister Michel Cote approved the Union Faith deal."
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and "Michel Cote" in sentence[span.start : span.end]


@pytest.mark.parametrize(
    ("question", "sentence", "amount"),
    [
        (
            "How much meat scheme debt is New Zealand writing off?",
            "New Zealand will write off 1.03 billion N.Z. Dlrs of debt, Douglas said.",
            "1.03 billion N.Z. Dlrs",
        ),
        (
            "How much did Brazil hand over to the IMF last year?",
            "Brazil paid the IMF 922 mln dlrs last year, Funaro said.",
            "922 mln dlrs",
        ),
    ],
)
def test_how_much_of_a_money_noun_or_verb_wants_an_amount(
    question: str, sentence: str, amount: str
) -> None:
    intent = intent_of(question)
    span = find_answer(intent, sentence, question)
    assert span is not None and span.strength == 1.0
    assert sentence[span.start : span.end] == amount


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        (
            "The first cars will be sold in West Germany, Austria and Switzerland.",
            "West Germany, Austria and Switzerland",
        ),
        ("Talks were held in Paris, Smith said.", "Paris"),
        # a company after "to" is no place; the dateline is only where the story was filed
        (
            "GENEVA, March 2 - Chrysler sold its unit to Peugeot SA.",
            "GENEVA, March 2",
        ),
    ],
)
def test_a_place_is_a_list_of_places_and_no_company(sentence: str, place: str) -> None:
    question = "Where will the cars be sold?"
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None
    assert sentence[span.start : span.end].removeprefix("in ").removeprefix("held in ") == place


def test_a_decision_in_the_past_perfect_is_said_outright() -> None:
    """ "had agreed" decides as plainly as "agreed"."""
    question = "Did the board agree to the sale?"
    sentence = "The chairman said the board had agreed to the sale last week."
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and span.strength == 1.0
    assert sentence[span.start : span.end] == "had agreed"


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("What's Moi saying about where Kenya's economy is heading?", "Moi"),
        ("What did Reagan say about when he approved the shipment?", "Reagan"),
    ],
)
def test_what_x_says_about_where_or_when_wants_x_words(question: str, speaker: str) -> None:
    """The question word inside ("about where ...") does not make it a where-question."""
    assert intent_of(question) == Intent(Kind.SAID, speaker=speaker)


@pytest.mark.parametrize(
    ("question", "sentence", "name"),
    [
        # the name beside the asked role, not the one written first
        (
            "Who's the new chairman of the Bank of Ceylon?",
            "Treasury official Ravi Perera said the bank's new chairman, Nimal Silva, took office.",
            "Nimal Silva",
        ),
        # "heads" asks for whoever is called head, chairman, chief ...
        (
            "Who heads Zimbabwe's Grain Marketing Board?",
            "Farmer Tom Banda sold maize to the board, whose chief executive Joseph Moyo said so.",
            "Joseph Moyo",
        ),
        # the role may be what the name became, some words after it
        (
            "Who is the new commander of the Third Army Corps?",
            "He said Lieutenant General Dhiya'uldin Jamal, former commander of the Fifth Army "
            "Corps, had taken over.",
            "Lieutenant General Dhiya'uldin Jamal",
        ),
        (
            "What's the name of the currency clerk the police charged?",
            "Detective Sergeant Ann Lee said the police charged the clerk, Peter Ward.",
            "Peter Ward",
        ),
        # another country's president is not Ukraine's
        (
            "Who is Ukraine's president?",
            "US President Donald Trump hosted Ukrainian President Volodymyr Zelensky.",
            "Ukrainian President Volodymyr Zelensky",
        ),
        # the title after a comma starts the next name
        (
            "Who is the US secretary of state?",
            "Vice President JD Vance, Secretary of State Marco Rubio and others met.",
            "Secretary of State Marco Rubio",
        ),
    ],
)
def test_a_who_question_with_a_role_wants_the_name_beside_it(
    question: str, sentence: str, name: str
) -> None:
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and sentence[span.start : span.end] == name
    assert span.strength >= 0.9


def test_a_role_word_after_a_verb_of_saying_or_a_link_belongs_to_someone_else() -> None:
    question = "Which minister approved the deal?"
    for sentence in (
        "Nova said the Minister of Industry had approved it.",
        "The deal pleased Nova, and the minister approved it.",
    ):
        span = find_answer(intent_of(question), sentence, question)
        assert span is None or sentence[span.start : span.end] != "Nova" or span.strength < 0.9


def test_a_name_away_from_the_asked_role_is_a_weak_answer() -> None:
    question = "Who runs the new Kenya National Shipping Line?"
    sentence = (
        "The Kenya Ports Authority signed with a Hamburg-based shipping company, Mark Otieno said."
    )
    span = find_answer(intent_of(question), sentence, question)
    assert span is None or span.strength < 0.9
    assert span is None or "based" not in sentence[span.start : span.end]


def test_a_place_not_yet_chosen_is_the_undecided_answer_to_where() -> None:
    question = "Where is Goodrich moving its molded rubber products business?"
    sentence = (
        "Goodrich will keep making tires at Norwood, N.C., and will relocate its molded rubber "
        "products business to a site not yet chosen."
    )
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and sentence[span.start : span.end] == "a site not yet chosen"


def test_a_qualified_role_wants_its_qualifier_beside_the_name_too() -> None:
    """A prime minister is not the defence minister asked about; the one who is, is."""
    question = "who is ukraine's defence minister?"
    prime = "European leaders, including UK Prime Minister Keir Starmer, hosted the talks."
    defence = "Ukraine's Defence Minister Rustem Umerov hosted the talks."
    weak, strong = (find_answer(intent_of(question), s, question) for s in (prime, defence))
    assert weak is None or weak.strength < 0.5
    assert strong is not None and defence[strong.start : strong.end].endswith("Umerov")


def test_how_long_wants_when_the_stretch_began_or_ends() -> None:
    question = "How long has Zambia's currency auction been suspended?"
    sentence = "In January the auction was suspended, and it has been shut since January 24."
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and sentence[span.start : span.end] == "since January 24"


@pytest.mark.parametrize(
    ("question", "sentence", "count"),
    [
        (
            "How many people are affected by Sears closing its Chicago center?",
            "Sears said up to 1,800 workers will be affected.",
            "1,800 workers",
        ),
        ("How many jobs will Pan Am cut?", "Pan Am will lay off 464 management employees.", "464"),
    ],
)
def test_people_workers_and_jobs_count_one_another(
    question: str, sentence: str, count: str
) -> None:
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and span.strength == 1.0
    assert count in sentence[span.start : span.end]


@pytest.mark.parametrize(
    ("sentence", "cause"),
    [
        (
            "Crude rose to over 17 dlrs a barrel on a belief Saudi Arabia is curbing output.",
            "on a belief Saudi Arabia is curbing output",
        ),
        ("Shares fell on reports that the bid was dropped.", "on reports that the bid was dropped"),
        ("The plant shut because power costs rose.", "because power costs rose"),
    ],
)
def test_a_cause_is_read_from_the_wire_s_connectives(sentence: str, cause: str) -> None:
    question = "Why did it happen?"
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and sentence[span.start : span.end].rstrip(".") == cause


def test_an_accusation_is_what_its_maker_said() -> None:
    question = "What did the head of the Rotterdam port employers say about the FNV union?"
    sentence = "Employers chairman Jacques Schoufour accused the FNV of intransigence."
    assert find_answer(intent_of(question), sentence, question) is not None


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        ("Allegheny will close its Milwaukee plant by October 1.", "Milwaukee"),
        ("The trays will be made at the company's Canandaigua, N.Y., plant.", "Canandaigua, N.Y."),
    ],
)
def test_a_place_named_before_a_plant_is_where(sentence: str, place: str) -> None:
    question = "Where is it making them?"
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and sentence[span.start : span.end].strip(" ,") == place


def test_a_head_must_head_what_the_question_names() -> None:
    """Any chairman heads something: the one asked about stands near the board's name."""
    question = "Who heads Zimbabwe's Grain Marketing Board?"
    other = "The aid (UN) Secretary General Javier Perez de Cuellar called for will help."
    named = "GMB general manager Joseph Moyo said the maize would be sold."
    weak, strong = (find_answer(intent_of(question), s, question) for s in (other, named))
    assert weak is None or weak.strength < 0.5
    assert strong is not None and named[strong.start : strong.end] == "Joseph Moyo"


def test_what_a_head_heads_may_be_named_anywhere_in_the_sentence() -> None:
    question = "Who runs Qantas?"
    sentence = "Qantas Airways Ltd has ordered four Boeing 747-400s, chairman Jim Leslie said."
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and sentence[span.start : span.end] == "Jim Leslie"
    assert span.strength >= 0.9


def test_what_a_head_heads_may_be_part_of_the_name() -> None:
    question = "who's the nato chief"
    sentence = "Leaders including Emmanuel Macron and NATO Secretary-General Mark Rutte met."
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and sentence[span.start : span.end].endswith("Mark Rutte")


def test_a_question_asking_for_a_date_prefers_one_to_a_vaguer_time() -> None:
    question = "By what date does Canada have to rule on US corn?"
    vague = "Canada will rule on US corn later this week, officials said."
    dated = "The deadline for Canada's ruling on US corn is March 7."
    weak, strong = (find_answer(intent_of(question), s, question) for s in (vague, dated))
    assert weak is not None and strong is not None
    assert weak.strength < 0.9 <= strong.strength


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("so where will Goodrich still make aircraft tires?", "at Norwood, N.C."),
        ("Where is Goodrich moving its molded rubber products business?", "a site not yet chosen"),
    ],
)
def test_of_several_places_the_one_beside_the_asked_thing_answers(
    question: str, place: str
) -> None:
    """A town followed by its state is a place though the gazetteer lacks it."""
    sentence = (
        "Goodrich will continue to make aircraft tires at Norwood, N.C., and sonar domes at "
        "Jacksonville, Fla., and will relocate its molded rubber products business to a site "
        "not yet chosen."
    )
    span = find_answer(intent_of(question), sentence, question)
    assert span is not None and sentence[span.start : span.end] == place
