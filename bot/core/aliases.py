"""Names a question may use for what a story writes otherwise: "America" for "U.S.", "Bob
Dole" for "Robert Dole". Read by the question's intent and by the evidence that must mention
its names."""

from __future__ import annotations

from ingest.text.words import terms

# Names a question may use for what a story writes otherwise ("America" for "U.S.").
_ALIAS_GROUPS = (
    "america,american,us,usa,united states,washington",
    "britain,british,uk,united kingdom,england,english,london",
    "china,chinese,beijing,prc",
    "france,french,paris",
    "soviet,soviets,ussr,soviet union,moscow",
    "netherlands,dutch,holland",
    "switzerland,swiss",
    "spain,spanish",
    "mexico,mexican",
    "eu,european union,ec,european community",
    "opec,organization of petroleum exporting countries",
    "amex,american express",
    "tv,television",
    # given names and the nicknames questions use for them: "Bob Dole" is "Robert Dole"
    "bob,robert",
    "bill,william",
    "jim,james",
    "dick,richard",
    "mike,michael",
    "tom,thomas",
    "ted,edward",
    "joe,joseph",
    "ron,ronald",
    "jerry,gerald",
    "dave,david",
    "dan,daniel",
    "chuck,charles",
    "tony,anthony",
    "steve,stephen,steven",
    "andy,andrew",
    "larry,lawrence",
)
ALIASES = tuple(
    frozenset(tuple(terms(alias)) for alias in group.split(",")) for group in _ALIAS_GROUPS
)


def alias_forms(term: str) -> list[tuple[str, ...]]:
    """Other ways a story may write a name of the question, as stem tuples: "America" ->
    ("us",), ("unit", "state"), ...; none for a name outside the table."""
    return [alias for group in ALIASES if (term,) in group for alias in group]
