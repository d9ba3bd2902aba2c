"""A deterministic synthetic news corpus for benchmarks and fault tests.

Articles are built from templates over varied places, people and topics, so chunks differ and
retrieval has real work to do; each has a headline, a byline with outlet and date, and some of
the boilerplate the cleaner must drop.
"""

from __future__ import annotations

import random
from pathlib import Path

PLACES = [
    "Lisbon",
    "Nairobi",
    "Osaka",
    "Quito",
    "Tallinn",
    "Perth",
    "Accra",
    "Lyon",
    "Hanoi",
    "Bergen",
    "Cusco",
    "Tbilisi",
    "Dakar",
    "Malmo",
    "Leeds",
    "Pune",
    "Cebu",
    "Graz",
]
TOPICS = [
    ("port strike", "dockworkers", "wages"),
    ("flood", "residents", "levees"),
    ("election", "voters", "turnout"),
    ("rail project", "engineers", "tunnels"),
    ("drought", "farmers", "reservoirs"),
    ("vaccine rollout", "clinics", "doses"),
    ("budget vote", "lawmakers", "taxes"),
    ("wildfire", "firefighters", "evacuations"),
    ("tech layoffs", "workers", "severance"),
    ("museum reopening", "curators", "tickets"),
    ("bridge collapse", "inspectors", "repairs"),
    ("teachers strike", "unions", "pay"),
]
PEOPLE = [
    "Amara Okafor",
    "Jonas Lindqvist",
    "Mei Tanaka",
    "Luis Andrade",
    "Priya Raman",
    "Tomasz Nowak",
    "Elena Petrova",
    "Kwame Mensah",
    "Sofia Rossi",
    "Omar Haddad",
]
OUTLETS = ["dailyledger.com", "worldwire.net", "metro-times.org", "coastpost.com"]
SENTENCES = [
    "Officials in {place} said the {topic} had affected {n} {group} by Tuesday.",
    "{person}, a spokesperson, told reporters that {issue} would be reviewed within {m} days.",
    "Critics argued that the response to the {topic} came too late for many {group}.",
    "The city council of {place} approved an emergency fund of {n} million for {issue}.",
    "According to local media, {group} gathered outside the town hall on {day}.",
    "{person} warned that {issue} could take until {year} to resolve fully.",
    "Analysts noted that similar events in {other} led to lasting changes in {issue}.",
    "Residents described the mood in {place} as tense but hopeful after the {topic}.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def article_text(i: int, sentences: int = 14) -> str:
    """The i-th synthetic article; the same i always gives the same text."""
    rng = random.Random(i)
    place, other = rng.sample(PLACES, 2)
    topic, group, issue = rng.choice(TOPICS)
    outlet = rng.choice(OUTLETS)
    date = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    body = []
    for _ in range(sentences):
        body.append(
            rng.choice(SENTENCES).format(
                place=place,
                other=other,
                topic=topic,
                group=group,
                issue=issue,
                person=rng.choice(PEOPLE),
                n=rng.randint(2, 900),
                m=rng.randint(2, 60),
                day=rng.choice(DAYS),
                year=rng.randint(2026, 2031),
            )
        )
    paragraphs = [" ".join(body[k : k + 3]) for k in range(0, len(body), 3)]
    return (
        f"{topic.title()} hits {place} (report {i})\n\n"
        f"By Staff | {outlet} | Updated: {date} 10:00\n\n"
        + "\n\n".join(paragraphs)
        + "\n\nShare\nCopyright 2025. All rights reserved.\n"
    )


def write_corpus(folder: Path, count: int, start: int = 0, sentences: int = 14) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + count):
        path = folder / f"gen_{i:05d}.txt"
        path.write_text(article_text(i, sentences), encoding="utf-8")
        paths.append(path)
    return paths
