"""clean_text on the real seeds and on articles written here with other kinds of boilerplate."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.clean import clean_text, is_boilerplate, is_byline

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed(prefix: str) -> str:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def lines_of(text: str) -> list[str]:
    return text.split("\n")


# Substrings that must be gone, and whole lines that must survive verbatim, per seed.
GONE = {
    "000": [
        "精品久久久久久无码国产",
        "无码",
        "Copyright 1995",
        "License for publishing multimedia online",
        "Registration Number",
        "Contact the writers",
        "huanxinzhao@chinadailyusa.com",
        "Most Viewed",
        "BACK TO THE TOP",
        "FOLLOW US",
        "Home / World / Europe",
        "Share - WeChat",
        "[Photo/Agencies]",
        "(COMBO)",
        "By Zhao Huanxin",
        "Browsers with 1024*768",
        "Fran?ais",
    ],
    "001": ["https://", "aljazeera.com", ".jpg", "Source link"],
    "002": [
        "Nepal plunged into a new political phase",
        "motel manager was brutally killed",
        "health of U.S. President Donald Trump, 79",
        "contentious settlement",
        "Kim Jong Un",
        "The city of Lisbon awoke",
    ],
    "003": ["Read also:"],
    "004": ["Reference(s):", "Q&A: Why Ukraine talks fell short", "cgtn.com"],
}
KEPT = {
    "000": [
        "High-stakes diplomatic efforts at the White House on Monday have so far yielded a signal "
        "that the leaders of Russia and Ukraine may soon meet face-to-face in an attempt to solve "
        "their differences.",
        '"I would like to see a ceasefire from the next meeting, which should be a trilateral '
        'meeting," said Merz.',
        "He argued that he has solved many conflicts without first reaching a ceasefire.",
        "Agencies contributed to this story.",
    ],
    "001": [
        "Trump’s proposal came on Monday when Zelinski and senior European leaders, including "
        "French President Emmanuel Macron and UK Prime Minister Kiir Starmer, hosted in the White "
        "House talks for high risks to ending the conflict, which erupted since Russia’s full "
        "invasion of Ukraine in February 2022.",
        "German Chancellor Fredchic Mirz and Secretary General Mark Retty confirmed separately "
        "that Putin agreed to the bilateral meeting, but he did not specify a date or a site.",
        "“We will leave the land issue between me and Putin,” Zelinski told reporters.",
        "“We will also help them, we will participate,” Trump said.",
    ],
    "002": [
        "For now, hopes of a breakthrough hinge on whether Putin and Zelensky are willing to "
        "meet, and whether Moscow is prepared to negotiate beyond battlefield gains.",
        "Putin reportedly told Trump he was “open” to direct talks, but Russian Foreign Minister "
        "Sergei Lavrov later stressed that any summit would need to be prepared gradually "
        "through expert-level discussions. Dmitry Polyanskiy, Russia’s deputy representative to "
        "the UN, echoed that position, warning that a meeting “for the sake of a meeting” would "
        "be meaningless.",
    ],
    "003": [
        "British Prime Minister Keir Starmer told the BBC that negotiations on security "
        "guarantees will continue today, adding that a coalition of 30 allied nations is working "
        "with Washington on concrete measures.",
        "Zelensky said a framework could be finalized within 10 days, including plans for Ukraine "
        "to buy $90 billion in US weapons through European funding.",
    ],
    "004": [
        "- Shelling Continues: Russia didn’t hit pause on attacks, causing more than 10 Ukrainian "
        "casualties. A reminder that the conflict is far from over. ⚔️",
        "- Allies Stick Together: Despite ups and downs, Ukraine and Europe still see the U.S. as "
        "a key partner—no one wants to walk away now. 🌐",
        "Stay tuned as the story unfolds—this marathon isn’t over yet.",
    ],
}


@pytest.mark.parametrize("prefix", sorted(GONE))
def test_seed_boilerplate_is_gone(prefix: str) -> None:
    cleaned = clean_text(seed(prefix))
    for fragment in GONE[prefix]:
        assert fragment not in cleaned, fragment


@pytest.mark.parametrize("prefix", sorted(KEPT))
def test_seed_prose_survives_verbatim(prefix: str) -> None:
    cleaned_lines = lines_of(clean_text(seed(prefix)))
    for line in KEPT[prefix]:
        assert line in cleaned_lines, line


@pytest.mark.parametrize("prefix", sorted(GONE))
def test_every_seed_prose_paragraph_survives(prefix: str) -> None:
    """Every long paragraph of a seed that is not teaser/caption/legal text is kept whole."""
    raw_lines = [line.strip() for line in seed(prefix).splitlines()]
    prose = [
        line
        for line in raw_lines
        if len(line.split()) >= 12
        and not line.endswith("…")
        and not any(fragment in line for fragment in GONE[prefix])
    ]
    cleaned_lines = lines_of(clean_text(seed(prefix)))
    assert prose
    assert [line for line in prose if line not in cleaned_lines] == []


@pytest.mark.parametrize("prefix", sorted(GONE))
def test_clean_is_idempotent_on_seeds(prefix: str) -> None:
    once = clean_text(seed(prefix))
    assert clean_text(once) == once


def test_seed_000_body_starts_and_ends_with_the_story() -> None:
    cleaned = clean_text(seed("000"))
    assert cleaned.startswith("High-stakes diplomatic efforts")
    assert cleaned.endswith("Agencies contributed to this story.")


# --- articles written here -------------------------------------------------------------------

P1 = "The river burst its banks early on Sunday, flooding hundreds of homes in the valley."
P2 = "Rescue teams used boats to reach families trapped on upper floors, officials said."
P3 = '"We lost everything in an hour," said resident Ana Brooks, 64.'
P4 = "Forecasters expect the water to recede slowly over the next week."
SHORT = "Nobody was hurt."


def test_boilerplate_between_paragraphs_is_removed() -> None:
    """Each kind sits between prose paragraphs, so trimming page edges cannot hide a miss."""
    junk = [
        "We use cookies to give you the best experience. By continuing you agree to our policy.",
        "Accept all cookies",
        "Subscribe to our newsletter for the latest updates",
        "Sign up for breaking news alerts by email",
        "Advertisement",
        "ADVERTISEMENT",
        "Follow us on Twitter @valleynews",
        "Share on Facebook",
        "Share this article",
        "Click here to see the full gallery",
        "Story continues below advertisement",
        "Copyright © 2024 Valley News Ltd",
        "All rights reserved.",
        "Back to top",
        "Home | News | Sport | Weather | Business | Culture",
        "Skip to main content",
        "News > UK > Floods",
        "https://valleynews.example/2024/06/02/floods",
        "www.valleynews.example",
        "Residents on the flooded high street. [Photo/Valley News]",
        "Photo: Jo Smith/Getty Images",
        "Email the author at editor@valleynews.example",
        "Updated: 2024-06-02 14:05",
        "By Lee Chan | valleynews.example | June 2, 2024",
    ]
    text = "\n\n".join([P1, *junk[:12], P2, SHORT, *junk[12:], P3, P4])
    cleaned = clean_text(text)
    assert cleaned == "\n\n".join([P1, P2, SHORT, P3, P4])


def test_foreign_script_spam_line_is_removed() -> None:
    cyrillic = "Купить дешево онлайн лучшие цены скидки сегодня доставка бесплатно"
    cjk = "精品无码一区二区三区在线观看免费视频高清"
    cleaned = clean_text("\n".join([P1, cyrillic, P2, cjk, P3]))
    assert lines_of(cleaned) == [P1, P2, P3]


def test_short_foreign_words_inside_prose_stay() -> None:
    line = "The slogan 中国梦, or Chinese Dream, appeared on banners across the square."
    assert lines_of(clean_text(f"{P1}\n{line}\n{P2}")) == [P1, line, P2]


def test_chinese_article_keeps_its_prose_and_drops_english_spam() -> None:
    zh1 = "国家统计局周一公布的数据显示，今年前三季度国内生产总值同比增长百分之五。"
    zh2 = "分析人士认为，消费和出口是推动经济增长的主要因素。"
    spam = "Buy cheap watches online best prices free shipping today"
    assert lines_of(clean_text(f"{zh1}\n{spam}\n{zh2}")) == [zh1, zh2]


def test_pipe_separated_keyword_list_is_removed() -> None:
    spam = "cheap flights | hotel deals | car rental | best price | book now | travel tips |"
    assert lines_of(clean_text(f"{P1}\n{spam}\n{P2}")) == [P1, P2]


def test_teaser_run_is_removed_but_a_single_trailing_ellipsis_stays() -> None:
    trailing = "He paused, then added that the repairs would take months..."
    teasers = [
        "A new bakery has opened on the high street and queues have formed since…",
        "Police are searching for a man who escaped from custody after a hearing on...",
        "Council tax is set to rise again next year as the town faces a shortfall of…",
    ]
    text = "\n".join([P1, trailing, P2, *teasers])
    assert lines_of(clean_text(text)) == [P1, trailing, P2]


def test_teaser_run_separated_by_blank_lines_is_removed() -> None:
    teasers = "\n\n".join(
        [
            "Markets tumbled on Friday after a surprise rate decision left traders…",
            "The festival lineup was announced this morning and features a headliner...",
        ]
    )
    assert clean_text(f"{P1}\n\n{teasers}\n\n{P2}") == f"{P1}\n\n{P2}"


def test_related_block_with_links_is_removed() -> None:
    block = [
        "Related:",
        "- Floods hit the north for the second time this year",
        "- https://valleynews.example/2024/05/01/floods",
        "[Storm warning issued](https://valleynews.example/storm)",
    ]
    assert lines_of(clean_text("\n".join([P1, *block, P2]))) == [P1, P2]


def test_read_more_line_with_a_headline_is_removed() -> None:
    text = f"{P1}\nRead more: Why the valley keeps flooding\n{P2}"
    assert lines_of(clean_text(text)) == [P1, P2]


def test_marker_followed_by_prose_drops_only_the_marker() -> None:
    assert lines_of(clean_text(f"{P1}\nRead also:\n{P2}\n{P3}")) == [P1, P2, P3]


def test_references_block_drops_title_and_domain() -> None:
    text = f"{P1}\n{P2}\nReferences:\nFlood defences explained\nvalleynews.example"
    assert lines_of(clean_text(text)) == [P1, P2]


def test_prose_that_resembles_boilerplate_stays() -> None:
    lookalikes = [
        "Share prices fell sharply.",
        "By March 3, 2025, the army had withdrawn from the city.",
        "Sources said the plan was shelved after the vote.",
        "Published in 1998, the report warned of exactly this.",
        "Copyright law was not the issue, the judge said.",
        "Top officials met on Monday.",
    ]
    text = "\n".join([P1, *lookalikes, P2])
    assert lines_of(clean_text(text)) == [P1, *lookalikes, P2]


def test_subheadings_and_bullets_inside_the_article_stay() -> None:
    text = "\n".join([P1, "What happens next", "- Roads stay closed until Friday.", P2])
    assert lines_of(clean_text(text)) == [
        P1,
        "What happens next",
        "- Roads stay closed until Friday.",
        P2,
    ]


def test_header_and_footer_labels_around_the_story_are_trimmed() -> None:
    text = "\n".join(
        ["Weather", "Valley floods leave hundreds homeless", P1, P2, "Sport", "Opinion"]
    )
    assert lines_of(clean_text(text)) == [P1, P2]


def test_whitespace_is_normalised_and_characters_kept() -> None:
    text = f"\ufeff\r\n   {P1}   \r\n\r\n\r\n\r\n\t{P2}\r\n   \n{P3}\n\n"
    assert clean_text(text) == f"{P1}\n\n{P2}\n\n{P3}"


def test_text_of_only_boilerplate_cleans_to_empty() -> None:
    assert clean_text("Share\nHome\nCopyright 2024 Valley News. All rights reserved.\n") == ""


def test_clean_is_idempotent_on_written_articles() -> None:
    text = "\n".join(
        ["Menu", P1, "Advertisement", P2, "Related:", "Other story", P3, "a…", "b…", "Top"]
    )
    once = clean_text(text)
    assert once == "\n".join([P1, P2, P3])
    assert clean_text(once) == once


# --- hard-wrapped wire text ------------------------------------------------------------------

# A wire story as the wire sent it: wrapped near 60 columns, paragraphs indented, a sign-off.
WIRE = [
    "PORTLAND, Maine, March 4 - Harbor Fisheries Corp",
    "said its board approved the purchase of two trawlers from",
    "Atlantic Marine Ltd for about 12 mln dlrs, to be paid in cash.",
    "    The company said the boats would be delivered in May and",
    "would raise its catch capacity by about a third.",
    "    Share data restated for two-for-one stock split in",
    "February 1986.",
    "    Harbor Fisheries said the purchase would add to earnings",
    "in the second half, its president told the Portland Press",
    "Herald.",
]
SIGN_OFF = " Reuter"
# What the cleaner makes of WIRE: each wrapped paragraph on one line, every word kept.
WIRE_PARAGRAPHS = [
    " ".join(line.strip() for line in WIRE[a:b]) for a, b in ((0, 3), (3, 5), (5, 7), (7, 10))
]


def test_wrapped_wire_story_keeps_every_line_but_the_sign_off() -> None:
    """The short dateline line, a wrapped line that starts with "Share" and the one-word end
    of the last sentence are pieces of sentences, not a header, a button and a footer."""
    cleaned = clean_text("\n".join([*WIRE, SIGN_OFF]))
    assert lines_of(cleaned) == WIRE_PARAGRAPHS


def test_headline_above_a_wrapped_lead_is_still_trimmed() -> None:
    text = "\n".join(["Harbor Fisheries buys two trawlers", *WIRE, SIGN_OFF])
    assert lines_of(clean_text(text)) == WIRE_PARAGRAPHS


def test_wrapped_notice_is_judged_as_one_line() -> None:
    """Both halves of a wrapped copyright notice go, though the second reads as a sentence."""
    notice = [
        "Copyright 1987 Harbor Wire Service. All rights reserved. No",
        "part of this story may be reproduced without permission.",
    ]
    cleaned = clean_text("\n".join([*WIRE, *notice]))
    assert lines_of(cleaned) == WIRE_PARAGRAPHS


def test_a_wrapped_line_ending_in_an_initial_or_abbreviation_runs_on() -> None:
    """ "Richard R." and "the largest U.S." end a line, not a sentence: cut there, the answer
    to "Who chairs the study?" was "Richard R"."""
    wire = [
        "NEW YORK, March 2 - The exchange said its study will be",
        "chaired by its executive vice chairman, Richard R.",
        "Shinn, and will report in the autumn, a spokesman said.",
        "    ChemLawn, with two mln customers, is the largest U.S.",
        "company in lawn care, the company said.",
        "    The shares were placed by Shearson Lehman Brothers Inc.",
        "    The offer expires on March 20.",
    ]
    paragraphs = [" ".join(line.strip() for line in wire[a:b]) for a, b in ((0, 3), (3, 5))]
    tail = [line.strip() for line in wire[5:]]  # a deeper indent opens a new paragraph
    assert lines_of(clean_text("\n".join([*wire, SIGN_OFF]))) == [*paragraphs, *tail]


EARNINGS = [
    "HARTFORD, Conn., March 4 - Shr 41 cts vs 33 cts",
    "    Net 2,150,000 vs 1,730,000",
    "    Revs 48.6 mln vs 41.2 mln",
    "    Year",
    "    Shr 1.52 dlrs vs 1.20 dlrs",
    "    Net 7,980,000 vs 6,310,000",
    "    Note: 1985 restated for an accounting change",
]


def test_earnings_table_after_a_dateline_is_kept() -> None:
    """An earnings report is a dateline and a table of figures: all of it is what people ask
    about, down to the note; only the sign-off goes."""
    cleaned = clean_text("\n".join([*EARNINGS, SIGN_OFF]))
    assert lines_of(cleaned) == [line.strip() for line in EARNINGS]


@pytest.mark.parametrize(
    "dateline",
    [
        "LONDON, 4 March - Shr 12.1p vs 10.4p",
        "KYIV, Ukraine (AP) — Sales rose 3 pct",
        "NEW YORK, Aug 20 (Reuters) - Net up 5 pct",
        "RICHMOND, Va. Feb 26 - Qtly div five cts vs five cts prior",
    ],
)
def test_a_short_dateline_lead_is_prose(dateline: str) -> None:
    rows = ["Pay April One", "Record March 20"]
    assert lines_of(clean_text("\n".join([dateline, *rows, SIGN_OFF]))) == [dateline, *rows]


def test_figures_are_no_table_above_the_story_or_after_a_blank_line() -> None:
    """Dates above the story and a page counter below it, apart, are page furniture."""
    text = "\n".join(["Posted 2 Nov 10:30", P1, P2, "", "Page 1 of 3"])
    assert lines_of(clean_text(text)) == [P1, P2]


def test_long_unwrapped_lines_are_not_joined_to_a_lower_case_link() -> None:
    text = "\n".join([P1, P2, "https://valleynews.example/2024/06/02/floods.jpg"])
    assert lines_of(clean_text(text)) == [P1, P2]


def test_clean_is_idempotent_on_wire_text() -> None:
    for text in ("\n".join([*WIRE, SIGN_OFF]), "\n".join([*EARNINGS, SIGN_OFF])):
        once = clean_text(text)
        assert once
        assert clean_text(once) == once


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Zhao Huanxin in?Washington | chinadaily.com.cn | Updated: 2025-08-20 00:17", True),
        ("By Jane Doe", True),
        ("Updated: 2025-08-20 00:17", True),
        ("Published 20 August 2025", True),
        ("By the end of the year the fighting had stopped", False),
        ("By March 3, 2025, the army had withdrawn.", False),
    ],
)
def test_is_byline(line: str, expected: bool) -> None:
    assert is_byline(line) is expected


def test_is_boilerplate_single_lines() -> None:
    assert is_boilerplate("Most Viewed in 24 Hours")
    assert is_boilerplate("Registration Number: 130349")
    assert not is_boilerplate(P1)
    assert not is_boilerplate("")
