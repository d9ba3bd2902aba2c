"""Syndicated copies: found at ingest, recorded without embedding, kept exact as files change."""

from __future__ import annotations

import shutil
from pathlib import Path

from ingest.copies import (
    THRESHOLD,
    CopyFinder,
    decode,
    encode,
    signature,
    similarity,
)
from ingest.store import Index
from ingest.sync import sync_folder
from tests.helpers import SEEDS, CountingEmbeddings, assert_exact
from tests.ingest.syndicated import SOURCE, seed_text, syndicate

# -- signatures -----------------------------------------------------------------------------


def test_a_lightly_edited_copy_is_similar_and_other_stories_are_not() -> None:
    original = signature(seed_text())
    copy = signature(syndicate(seed_text()))
    assert similarity(original, copy) >= THRESHOLD
    for other in sorted(p.name for p in SEEDS.iterdir() if p.name != SOURCE):
        assert similarity(original, signature(seed_text(other))) < 0.2


def test_signatures_are_stable_and_survive_the_manifest() -> None:
    sig = signature("The council voted to build a bridge over the harbour on Tuesday.")
    assert (
        signature("the COUNCIL voted, to build a bridge over the harbour on tuesday") == sig
    ).all()
    restored = decode(encode(sig))
    assert restored is not None and (restored == sig).all()
    assert decode("not base64!") is None and decode(encode(sig)[:-8]) is None


def test_the_finder_names_the_closest_original_above_the_threshold() -> None:
    finder = CopyFinder()
    finder.add("a.txt", signature(seed_text()))
    finder.add("b.txt", signature(seed_text("000_21712fcd5c52477c.txt")))
    assert finder.find(signature(syndicate(seed_text()))) == "a.txt"
    assert finder.find(signature(seed_text("004_c21a65f38bb3e5fc.txt"))) is None
    # a story rewritten a quarter of the way is news of its own
    assert finder.find(signature(syndicate(seed_text(), every=4))) is None


# -- sync -----------------------------------------------------------------------------------


def test_a_copy_is_recorded_against_its_original_and_not_embedded(
    counted_index: Index, counting: CountingEmbeddings, articles_dir: Path
) -> None:
    index = counted_index
    sync_folder(articles_dir, index)
    chunks, embedded = index.count(), counting.embedded
    (articles_dir / "coastal.md").write_text(syndicate(seed_text()), encoding="utf-8")
    (articles_dir / "bay.md").write_text(syndicate(seed_text(), "Bay Herald"), encoding="utf-8")
    report = sync_folder(articles_dir, index)
    assert (report.added, report.copies, report.chunks) == (2, 2, 0)
    assert counting.embedded == embedded and index.count() == chunks
    assert report.new == []  # copies are not news to announce
    manifest = index.manifest()
    assert manifest["coastal.md"].copy_of == manifest["bay.md"].copy_of == SOURCE
    assert [r.outlet for r in index.copies()[SOURCE]] == ["Bay Herald", "Coastal Times"]
    assert_exact(articles_dir, index)
    again = sync_folder(articles_dir, index)
    assert (again.unchanged, again.chunks, again.copies) == (7, 0, 0)


def test_when_the_original_goes_its_copy_is_indexed_in_its_place(
    index: Index, articles_dir: Path
) -> None:
    (articles_dir / "coastal.md").write_text(syndicate(seed_text()), encoding="utf-8")
    sync_folder(articles_dir, index)
    assert index.manifest()["coastal.md"].copy_of == SOURCE
    (articles_dir / SOURCE).unlink()
    report = sync_folder(articles_dir, index)
    assert (report.removed, report.updated, report.copies) == (1, 1, 0)
    assert index.manifest()["coastal.md"].copy_of == ""
    assert index.copies() == {}
    assert_exact(articles_dir, index)


def test_a_renamed_original_keeps_its_vectors_and_its_copies(
    counted_index: Index, counting: CountingEmbeddings, articles_dir: Path
) -> None:
    index = counted_index
    (articles_dir / "coastal.md").write_text(syndicate(seed_text()), encoding="utf-8")
    sync_folder(articles_dir, index)
    counting.embedded = 0
    (articles_dir / SOURCE).rename(articles_dir / "zz_renamed.txt")
    (articles_dir / "coastal.md").rename(articles_dir / "coastal_renamed.md")
    report = sync_folder(articles_dir, index)
    assert counting.embedded == 0  # both moved: nothing embedded again
    assert report.chunks == report.reused > 0
    assert index.manifest()["coastal_renamed.md"].copy_of == "zz_renamed.txt"
    assert_exact(articles_dir, index)


def test_an_index_made_before_copies_were_looked_for_is_signed_without_embedding(
    counted_index: Index, counting: CountingEmbeddings, articles_dir: Path
) -> None:
    index = counted_index
    sync_folder(articles_dir, index)
    records = list(index.manifest().values())
    index.sign(records, [""] * len(records))  # as an older newsbot left them
    counting.embedded = 0
    (articles_dir / "coastal.md").write_text(syndicate(seed_text()), encoding="utf-8")
    report = sync_folder(articles_dir, index)
    assert report.copies == 1 and counting.embedded == 0
    assert all(r.signature for r in index.manifest().values() if not r.copy_of)


def test_copies_in_a_folder_of_copies(index: Index, tmp_path: Path) -> None:
    """New files only, several copies of one story: the first in order is the original."""
    folder = tmp_path / "copies"
    folder.mkdir()
    shutil.copy(SEEDS / SOURCE, folder / "a.txt")
    for n, outlet in enumerate(("Coastal Times", "Bay Herald", "Harbour Gazette")):
        (folder / f"b{n}.md").write_text(syndicate(seed_text(), outlet), encoding="utf-8")
    report = sync_folder(folder, index)
    assert (report.added, report.copies) == (4, 3)
    assert {r.copy_of for r in index.manifest().values()} == {"", "a.txt"}
    assert_exact(folder, index)
