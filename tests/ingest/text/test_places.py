"""The gazetteer: places and peoples known as wholes, names of people and firms not."""

from __future__ import annotations

import pytest

from ingest.text.places import fold_place, is_place, regions_in


@pytest.mark.parametrize(
    "name",
    [
        "U.S.",
        "U.S",
        "Britain",
        "Tokyo",
        "Stockholm",
        "São Paulo",
        "Iranians",
        "Iraqi",
        "N.Y.",
        "Calif.",
        "West Germany",
        "Persian Gulf",
        "Akron",
        "Sweden's",
    ],
)
def test_places_and_peoples_are_known(name: str) -> None:
    assert is_place(name)


@pytest.mark.parametrize(
    "name", ["Kabivitrum", "Charles Sporck", "Reagan", "Federal Express", "Haj Omran Inc", ""]
)
def test_people_and_firms_are_not_places(name: str) -> None:
    assert not is_place(name)


def test_folding_drops_accents_dots_case_and_the_possessive() -> None:
    assert fold_place("São  Paulo’s") == "sao paulo"
    assert fold_place("N.Y.") == "ny"


def test_a_region_named_in_a_question_holds_its_countries() -> None:
    assert {"bangladesh", "india", "nepal"} <= regions_in("rinderpest in south Asia?")["south asia"]
    assert "saudi arabia" in regions_in("Which Middle East producers?")["middle east"]
    assert "japan" in regions_in("What do Asian buyers pay?")["asian"]
    assert regions_in("Where is Kabivitrum?") == {}
