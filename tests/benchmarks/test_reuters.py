"""benchmarks.reuters on a tiny SGML sample written here: the files it writes are read back by
the real loader, so title, outlet, date and body must survive front matter and cleaning."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from benchmarks import reuters
from ingest.load import read_article
from ingest.models import Article

SAMPLE = """<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5544" NEWID="7">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<TOPICS><D>cocoa</D></TOPICS>
<UNKNOWN> &#5;&#5;&#5;C T
&#22;&#22;&#1;f0704&#31;reute
u f BC-BAHIA-COCOA-REVIEW   02-26 0105</UNKNOWN>
<TEXT>&#2;
<TITLE>AT&amp;T &lt;T> SAYS:  PRICES
 TO RISE</TITLE>
<DATELINE>    NEW YORK, Feb 26 - </DATELINE><BODY>&lt;American Telephone and Telegraph Co&gt; said
long-distance prices will rise 4.5 pct from March 1, the first
increase since the break-up of the Bell system.
    The company said costs at A&amp;T rose.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5545" NEWID="8">
<DATE>26-FEB-1987 15:02:20.00</DATE>
<TEXT TYPE="BRIEF">&#2;
<TITLE>******STANDARD OIL SAYS IT REJECTS OFFER</TITLE>
&#3;</TEXT>
</REUTERS>
<REUTERS TOPICS="NO" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5546" NEWID="12">
<DATE> 2-MAR-1987 09:11:56.20</DATE>
<TEXT>&#2;
<TITLE>BAKER SAYS REAGAN TO MEET PRESS "VERY SOON"</TITLE>
<BODY>Treasury Secretary James Baker said President Reagan would
meet the press very soon to answer questions on the Iran affair.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
"""


def sample(tmp_path: Path, name: str = "reut2-900.sgm", text: str = SAMPLE) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="latin-1")
    return path


def load(path: Path) -> Article:
    article = read_article(path, path.parent)
    assert isinstance(article, Article), article
    return article


def test_build_writes_stories_with_a_body_that_the_loader_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    written = reuters.build([sample(tmp_path)], out)

    assert [p.name for p in written] == ["reuters-00007.md", "reuters-00012.md"]
    att = load(out / "reuters-00007.md")
    assert att.title == "AT&T <T> SAYS: PRICES TO RISE"
    assert att.outlet == reuters.OUTLET
    assert att.published == "1987-02-26"
    assert att.url == ""
    assert att.text.startswith("NEW YORK, Feb 26 - <American Telephone and Telegraph Co> said")
    assert "rise 4.5 pct from March 1" in att.text
    assert "costs at A&T rose" in att.text
    assert not any(ord(c) < 32 and c not in "\n\t" for c in att.text)

    baker = load(out / "reuters-00012.md")
    assert baker.title == 'BAKER SAYS REAGAN TO MEET PRESS "VERY SOON"'
    assert baker.published == "1987-03-02"
    assert "meet the press very soon to answer questions" in baker.text


def test_the_wire_text_is_kept_as_sent(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    reuters.build([sample(tmp_path)], out)
    raw = (out / "reuters-00007.md").read_text(encoding="utf-8")
    body = raw.split("---\n", 2)[2]
    assert body.startswith("\nNEW YORK, Feb 26 - <American Telephone")
    assert "the first\nincrease since" in body  # the wire's line breaks
    assert body.rstrip().endswith("Reuter")  # the sign-off is ingest's to drop
    assert "&lt;" not in raw and "\x03" not in raw and "\x02" not in raw


def test_rebuild_is_identical_and_removes_stale_articles(tmp_path: Path) -> None:
    out = tmp_path / "corpus"
    first = reuters.build([sample(tmp_path)], out)
    before = {p.name: p.read_bytes() for p in first}
    (out / "reuters-99999.md").write_text("stale", encoding="utf-8")
    (out / "notes.md").write_text("mine", encoding="utf-8")

    second = reuters.build([sample(tmp_path)], out)

    assert {p.name: p.read_bytes() for p in second} == before
    assert not (out / "reuters-99999.md").exists()
    assert (out / "notes.md").read_text(encoding="utf-8") == "mine"


def test_cli_reads_the_original_tar_gz(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = SAMPLE.encode("latin-1")
    archive = tmp_path / "reuters21578.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("reut2-000.sgm")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    out = tmp_path / "corpus"

    assert reuters.main([str(archive), str(out), "--files", "reut2-000.sgm"]) == 0

    captured = capsys.readouterr()
    assert captured.out.strip() == f"wrote 2 articles to {out} from reut2-000.sgm"
    # a sample is not the Distribution 1.0 file: one warning line
    assert captured.err.count("\n") == 1 and "reut2-000.sgm sha256" in captured.err
    assert load(out / "reuters-00012.md").published == "1987-03-02"


def test_hash_warning_only_for_a_known_name_with_other_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert "reut2-000.sgm" in reuters.hash_warning("reut2-000.sgm", b"x")
    assert reuters.hash_warning("reut2-999.sgm", b"x") == ""
    monkeypatch.setitem(reuters.SHA256, "reut2-000.sgm", hashlib.sha256(b"x").hexdigest())
    assert reuters.hash_warning("reut2-000.sgm", b"x") == ""


def test_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sample(tmp_path, "reut2-000.sgm")
    (tmp_path / "reut2-001.sgm").write_text("just some text\n", encoding="utf-8")
    out = tmp_path / "corpus"

    assert reuters.main([str(tmp_path), str(out), "--files", "reut2-000.sgm,reut2-002.sgm"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "reut2-002.sgm: no such file" in err
    assert err.count("\n") == 1

    assert reuters.main([str(tmp_path), str(out), "--files", "reut2-001.sgm"]) == 2
    err = capsys.readouterr().err
    assert "reut2-001.sgm: not Reuters-21578 SGML" in err and err.count("\n") == 1

    assert reuters.main([str(tmp_path / "nowhere"), str(out)]) == 2
    assert "no such folder or file" in capsys.readouterr().err
    assert not list(out.glob("reuters-*.md"))
