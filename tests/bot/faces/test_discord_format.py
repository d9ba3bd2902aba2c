"""Discord formatting as pure functions: strings in, messages out, no Discord involved.

"Rejoined" means exactly `"".join(parts) == text`: split_message keeps every separator on the
part it ends, so nothing is added, dropped or reordered.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.records import Answer, Citation
from bot.faces.discord_format import (
    MARKER,
    MESSAGE_LIMIT,
    QUESTION_CAP,
    ZWSP,
    compose_answer,
    format_citation,
    format_report,
    format_sources,
    has_ping,
    neutralise_mentions,
    one_line,
    parse_question,
    redact,
    rejection_line,
    render_answer,
    split_message,
)
from ingest.models import Skipped
from ingest.report import SyncReport
from ingest.store import Record

URL = re.compile(r"<https?://[^\s<>]+>")

TOKENS = st.sampled_from(
    [
        "word",
        "Macron",
        "Zelensky's",
        "[1]",
        "[12]",
        "[123456789]",
        "[",
        "]",
        ".",
        "!",
        "?",
        "…",
        "”",
        " ",
        "  ",
        "\t",
        "\n",
        "\n\n",
        "\n \n",
        "@everyone",
        "@here",
        "@Everyone",
        "<@123456789012345678>",
        "<@!42>",
        "<@&42>",
        "<https://example.com/a_b?x=1>",
        "x" * 40,
        "é",
    ]
)
TEXTS = st.lists(st.one_of(TOKENS, st.text(max_size=6)), max_size=120).map("".join)
LIMITS = st.integers(min_value=32, max_value=160)


def cuts_of(parts: list[str]) -> list[int]:
    """Positions in the original text where one part ends and the next begins."""
    positions, total = [], 0
    for part in parts[:-1]:
        total += len(part)
        positions.append(total)
    return positions


def strictly_inside(cut: int, span: tuple[int, int]) -> bool:
    return span[0] < cut < span[1]


@settings(max_examples=300)
@given(TEXTS, LIMITS)
def test_split_rejoins_exactly_within_limits_and_never_cuts_a_marker(text: str, limit: int) -> None:
    parts = split_message(text, limit)
    assert "".join(parts) == text
    assert all(0 < len(part) <= limit for part in parts)
    cuts = cuts_of(parts)
    for marker in MARKER.finditer(text):
        assert not any(strictly_inside(c, marker.span()) for c in cuts), (marker, cuts)
    for url in URL.finditer(text):
        if url.end() - url.start() <= limit:
            assert not any(strictly_inside(c, url.span()) for c in cuts), (url, cuts)


@given(TEXTS, LIMITS)
def test_split_of_neutralised_text_has_no_ping_in_any_part(text: str, limit: int) -> None:
    parts = split_message(neutralise_mentions(text), limit)
    assert not any(has_ping(part) for part in parts)


@st.composite
def text_with_entries(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]], int]:
    """Text interleaved with 'entries' (spans to keep whole), each no longer than the limit."""
    limit = draw(LIMITS)
    text, spans = "", []
    for _ in range(draw(st.integers(0, 8))):
        text += draw(TEXTS)
        entry = draw(TEXTS.filter(lambda t: 0 < len(t) <= limit))
        spans.append((len(text), len(text) + len(entry)))
        text += entry
    return text + draw(TEXTS), spans, limit


@settings(max_examples=200)
@given(text_with_entries())
def test_split_keeps_entries_whole(case: tuple[str, list[tuple[int, int]], int]) -> None:
    text, spans, limit = case
    parts = split_message(text, limit, keep=spans)
    assert "".join(parts) == text
    assert all(len(part) <= limit for part in parts)
    cuts = cuts_of(parts)
    for span in spans:
        assert not any(strictly_inside(c, span) for c in cuts), (span, cuts)


WORDS = st.text(alphabet="abcdefgh", min_size=1, max_size=8)


@given(st.lists(st.lists(WORDS, min_size=1, max_size=8).map(" ".join), min_size=1), LIMITS)
def test_split_cuts_only_between_paragraphs_when_each_fits(
    paragraphs: list[str], limit: int
) -> None:
    paragraphs = [p[: limit - 2].strip() or "a" for p in paragraphs]
    text = "\n\n".join(paragraphs)
    parts = split_message(text, limit)
    assert "".join(parts) == text
    for part in parts[:-1]:
        assert part.endswith("\n\n"), parts


@given(st.lists(st.lists(WORDS, min_size=1, max_size=5), min_size=1), LIMITS)
def test_split_cuts_only_after_sentences_when_each_fits(
    sentences: list[list[str]], limit: int
) -> None:
    """Sentences carry their [n] marker; a cut after "[2]." or after "x. [3]" keeps it along."""
    built = []
    for i, words in enumerate(sentences):
        sentence = " ".join(words)[: limit - 8] + (f" [{i % 10}]." if i % 2 else f". [{i % 10}]")
        built.append(sentence)
    text = " ".join(built)
    parts = split_message(text, limit)
    assert "".join(parts) == text
    for part in parts[:-1]:
        assert re.search(r"(\]\.|\.\s\[\d\])\s?$", part), parts


def test_split_hard_cuts_one_long_run_but_steps_out_of_a_marker() -> None:
    text = "a" * 30 + "[123]" + "b" * 100
    parts = split_message(text, 32)
    assert "".join(parts) == text
    assert parts[0] == "a" * 30  # a cut at 32 would have fallen inside "[123]"
    assert all(len(p) <= 32 for p in parts)


def test_split_prefers_paragraph_over_later_sentence() -> None:
    text = "First paragraph. Short.\n\nSecond one runs on. And on. And on and on."
    assert split_message(text, 50) == [
        "First paragraph. Short.\n\n",
        "Second one runs on. And on. And on and on.",
    ]


def test_split_edges() -> None:
    assert split_message("") == []
    assert split_message("short") == ["short"]
    assert split_message("x" * MESSAGE_LIMIT) == ["x" * MESSAGE_LIMIT]
    assert split_message("x" * (MESSAGE_LIMIT + 1)) == ["x" * MESSAGE_LIMIT, "x"]


@given(TEXTS)
def test_neutralise_is_idempotent_and_only_inserts_zero_width_spaces(text: str) -> None:
    once = neutralise_mentions(text)
    assert neutralise_mentions(once) == once
    assert not has_ping(once)
    if ZWSP not in text:
        assert once.replace(ZWSP, "") == text


def test_neutralise_examples() -> None:
    assert has_ping("hi @everyone") and has_ping("<@&42>") and has_ping("<@!123>")
    assert neutralise_mentions("@everyone @here <@1> <@&2>") == (
        f"@{ZWSP}everyone @{ZWSP}here <@{ZWSP}1> <@{ZWSP}&2>"
    )
    assert neutralise_mentions("mail me at a@example.com") == "mail me at a@example.com"


def citation(n: int, **changes: str) -> Citation:
    values = {
        "article_id": f"00{n}_story.txt",
        "file": f"seeds/00{n}_story.txt",
        "outlet": "Reuters",
        "title": "Leaders meet in Washington",
        "published": "2025-08-18",
        "quote": "Macron said Europe would provide security guarantees.",
        "url": f"https://example.com/story-{n}",
    }
    values.update(changes)
    return Citation(n=n, score=0.5, **values)  # type: ignore[arg-type]


ANY_TEXT = st.text(max_size=3000) | TEXTS


@settings(max_examples=100, deadline=None)
@given(
    question=ANY_TEXT,
    body=ANY_TEXT,
    quotes=st.lists(ANY_TEXT, max_size=12),
    title=ANY_TEXT,
    url=st.sampled_from(["", "https://example.com/a", "https://x.com/" + "p" * 600, "a b"]),
)
def test_render_answer_fits_discord_keeps_sources_whole_and_pings_nobody(
    question: str, body: str, quotes: list[str], title: str, url: str
) -> None:
    cites = [citation(i + 1, quote=q, title=title, url=url) for i, q in enumerate(quotes)]
    answer = Answer(question=question, text=body, citations=cites)
    messages = render_answer(answer)
    assert "".join(messages) == compose_answer(answer)[0]
    assert all(0 < len(m) <= MESSAGE_LIMIT for m in messages)
    assert not any(has_ping(m) for m in messages)
    for c in cites:
        entry = format_citation(c)
        assert sum(entry in m for m in messages) >= 1, entry
    short = " ".join(question.split())
    if short and len(short) <= QUESTION_CAP and ZWSP not in short:
        assert parse_question(messages[0]) == short


def test_render_answer_layout() -> None:
    answer = Answer(
        question="What did Macron say?",
        text="Macron promised guarantees [1]. Others disagreed [2].",
        citations=[citation(1), citation(2, url="", title="")],
    )
    [message] = render_answer(answer)
    assert message == (
        "> **Q:** What did Macron say?\n"
        "Macron promised guarantees [1]. Others disagreed [2].\n\n"
        "**Sources**\n"
        "**[1]** Reuters · *Leaders meet in Washington* · 2025-08-18 · "
        "<https://example.com/story-1>\n"
        "> “Macron said Europe would provide security guarantees.”\n"
        "**[2]** Reuters · 2025-08-18\n"
        "> “Macron said Europe would provide security guarantees.”"
    )


def test_a_source_is_named_by_outlet_domain_or_title_never_its_file() -> None:
    by_domain = format_citation(citation(1, outlet="", url="https://www.aljazeera.com/news/x"))
    assert by_domain.startswith("**[1]** aljazeera.com · *Leaders meet in Washington* · ")
    by_title = format_citation(citation(2, outlet="", url=""))
    assert by_title.startswith("**[2]** *Leaders meet in Washington* · 2025-08-18\n")
    bare = format_citation(citation(3, outlet="", url="", title="", published=""))
    assert bare.startswith("**[3]** untitled article\n")
    for entry in (by_domain, by_title, bare):
        assert "story" not in entry and ".txt" not in entry


def test_long_answer_splits_before_sources_and_between_entries() -> None:
    body = " ".join(f"Sentence number {i} says something [1]." for i in range(60))
    cites = [citation(i, quote="word " * 60) for i in range(1, 10)]
    messages = render_answer(Answer(question="q?", text=body, citations=cites))
    assert len(messages) >= 2
    assert any(m.startswith("**Sources**") for m in messages[1:])
    entries = [format_citation(c) for c in cites]
    for entry in entries:
        assert sum(entry in m for m in messages) == 1


def test_refusal_is_plain_and_cites_nothing() -> None:
    answer = Answer(
        question="What did the Pope say?",
        text="The articles do not say what the Pope said.",
        refused=True,
    )
    assert render_answer(answer) == [
        "> **Q:** What did the Pope say?\nThe articles do not say what the Pope said."
    ]


def test_refusal_quoting_a_story_shows_that_source() -> None:
    """ "they say it was not given: 'No names were given.' [1]" must be checkable too."""
    answer = Answer(
        question="Who was arrested?",
        text="I can't answer that: they say it was not given: “No names were given.” [1]",
        citations=[citation(1)],
        refused=True,
    )
    (message,) = render_answer(answer)
    assert "\n\n**Sources**\n" + format_citation(citation(1)) in message


def test_note_is_shown() -> None:
    answer = Answer(question="q", text="a [1].", citations=[citation(1)], note="OpenAI failed")
    assert "\n\n*OpenAI failed*\n\n**Sources**" in render_answer(answer)[0]


def test_title_markdown_is_escaped_and_long_quote_shortened() -> None:
    entry = format_citation(citation(3, title="*Big* news_today", quote="long " * 100))
    assert "*\\*Big\\* news\\_today*" in entry
    quote_line = entry.split("\n")[1]
    assert quote_line.endswith("…”") and len(quote_line) < 220


def test_parse_question_needs_the_prefix() -> None:
    assert parse_question("Macron said") is None
    assert parse_question(f"> **Q:** What about @{ZWSP}here?\nbody") == "What about @here?"


def record(article_id: str, state: str = "done", chunks: int = 3, title: str = "") -> Record:
    return Record(
        article_id=article_id,
        content_hash="h",
        state=state,
        chunks=chunks,
        file=article_id,
        title=title or f"A <@1> title {article_id[:4]}",
        outlet="AP",
        published="2025-08-18",
    )


def test_format_sources_lists_every_article_within_limits() -> None:
    records = [record(f"{i:04}_article.txt") for i in range(300)]
    records.append(record("zz.txt", "pending", title="A <@1> title"))
    messages = format_sources(records)
    assert len(messages) > 1
    assert all(len(m) <= MESSAGE_LIMIT for m in messages)
    text = "".join(messages)
    assert text.startswith("**300 articles indexed**\n")
    assert all(f"*A <@\u200b1> title {i:04}*" in text for i in range(300))
    assert "\nAP · *A <@\u200b1> title* · 2025-08-18 · 3 chunks (not finished" in text
    assert "_article.txt" not in text and "zz.txt" not in text  # articles named, not files
    assert not any(has_ping(m) for m in messages)
    for message in messages:  # every line whole: each message ends at a line end
        assert message.endswith("\n") or message is messages[-1]


def test_format_sources_empty() -> None:
    assert format_sources([]) == ["Nothing is indexed yet. An admin can run `/reingest`."]


def test_format_report() -> None:
    report = SyncReport(added=2, unchanged=3, chunks=7, seconds=1.25)
    report.skipped = [Skipped(file=f"bad{i}.bin", reason="binary file") for i in range(25)]
    [message] = format_report(report)
    lines = message.split("\n")
    assert lines[0] == f"Re-ingest finished: {report.summary()}."
    assert lines[1] == "- skipped `bad0.bin`: binary file"
    assert lines[-1] == "- … and 5 more skipped"
    assert len(lines) == 22


DELETED = "Sorry, the message I was answering was deleted before I could reply."


@pytest.mark.parametrize(
    ("status", "code", "text", "expected"),
    [
        (400, 200000, "Message was blocked by automatic moderation", "AutoMod blocked"),
        (400, 200001, "Title was blocked by automatic moderation", "AutoMod blocked"),
        # a reply to a deleted message, as discord.py flattens Discord's 50035 body
        (400, 50035, "Invalid Form Body\nIn message_reference: Unknown message", DELETED),
        (404, 10008, "Unknown Message", DELETED),
        (403, 50013, "Missing Permissions", "refused my answer (error 50013). Please ask again."),
        (502, 0, "<html>bad gateway</html>", "refused my answer (error 502)."),
    ],
)
def test_rejection_line_names_the_reason_in_one_fixed_line(
    status: int, code: int, text: str, expected: str
) -> None:
    line = rejection_line(status, code, text)
    assert expected in line and line.startswith("Sorry")
    assert "\n" not in line and not has_ping(line) and text not in line


def test_one_line() -> None:
    assert one_line("\n  first line\nsecond") == "first line"
    assert one_line("x" * 500).endswith("…") and len(one_line("x" * 500)) == 300
    assert one_line("ping @everyone") == f"ping @{ZWSP}everyone"


FAKE_DISCORD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456"


def test_redact_configured_values_and_key_shapes() -> None:
    text = (
        f"secret=hunter2-configured token {FAKE_DISCORD_TOKEN} "
        "key sk-proj-abcdefghijklmnopqrstuvwx Authorization: Bearer abcdefghijklmnopqrstuvwxyz "
        "https://api.example.com/v1?api_key=zzz123&x=1 ghp_abcdefghijklmnopqrstuvwxyz0123456789"
    )
    out = redact(text, ["hunter2-configured"])
    for leaked in (
        "hunter2-configured",
        FAKE_DISCORD_TOKEN,
        "GhIjKl",
        "sk-proj",
        "abcdefghijklmnopqrstuvwxyz",
        "zzz123",
        "ghp_",
    ):
        assert leaked not in out, (leaked, out)
    assert "x=1" in out and "[redacted]" in out


@given(
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", min_size=20)
)
def test_redact_removes_any_openai_style_key(body: str) -> None:
    assert f"sk-{body}" not in redact(f"upstream said: invalid key sk-{body} (401)")


def test_redact_leaves_ordinary_text_alone() -> None:
    text = "Macron met Zelensky in Washington on 18 August 2025 [1]."
    assert redact(text, ["", "abc"]) == text
