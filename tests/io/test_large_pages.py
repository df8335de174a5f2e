"""No silent loss on large or thin pages: the whole page is read in bounded memory, a thin
extraction gets a recall-oriented second try, and a warning when that fails too."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import newsfuse
from newsfuse.io import html as html_reader
from newsfuse.io.stream import MarkupReader
from newsfuse.model import Origin

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
AEB = SHARED / "aeb-pages"
MULTINEWS = SHARED / "multinews-dev" / "c154.json"
# A 1.4 MB news page (mostly style sheets) whose article a byte cap used to cut away.
BIG_PAGE = "d605bdef2cde7308a9f2fbd1484d4a9c3da0167177245d346da61e455f42208d"


def _paragraphs() -> list[str]:
    """Real article paragraphs (Multi-News dev, cluster c154, first article)."""
    text = json.loads(MULTINEWS.read_text())[0]["text"]
    return [p.strip() for p in text.split("\n") if len(p.split()) > 25][:6]


def _padded_page(paragraphs: list[str]) -> str:
    """The paragraphs inside an article, behind 3 MB of styles, 1 MB of script and a menu."""
    style = "<style>" + ".nav-item{color:#333;margin:0 4px}\n" * 90_000 + "</style>"
    script = "<script>var config = " + json.dumps({"k": "v" * 1_000_000}) + ";</script>"
    menu = "<nav><ul>" + "".join(f'<li><a href="/s/{i}">Section {i}</a></li>'
                                 for i in range(400)) + "</ul></nav>"
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><title>Power cuts</title>{style}{script}</head>"
            f"<body>{menu}<article><h1>Power cuts</h1>{body}</article></body></html>")


def _warc(path: Path, pages: list[tuple[str, bytes]]) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for uri, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers))


def _read(path: Path) -> tuple[list[newsfuse.Article], list[newsfuse.Problem]]:
    problems: list[newsfuse.Problem] = []
    return list(newsfuse.read([path], on_problem=problems.append)), problems


@pytest.mark.parametrize("through", ["file", "warc"])
def test_padded_page_keeps_every_paragraph(tmp_path: Path, through: str) -> None:
    paragraphs = _paragraphs()
    page = _padded_page(paragraphs).encode()
    assert len(page) > 4_000_000
    if through == "file":
        path = tmp_path / "page.html"
        path.write_bytes(page)
    else:
        path = tmp_path / "crawl.warc.gz"
        _warc(path, [("https://example.org/power", page)])
    articles, problems = _read(path)
    assert len(articles) == 1 and not problems
    for paragraph in paragraphs:
        assert paragraph[:80] in articles[0].text


@pytest.mark.parametrize("through", ["file", "warc"])
def test_big_real_page_keeps_its_article(tmp_path: Path, through: str) -> None:
    gold = json.loads((AEB / "ground-truth.json").read_text())[BIG_PAGE]["articleBody"]
    first, last = gold.strip().split("\n")[0], gold.strip().split("\n")[-1]
    path = AEB / "html" / f"{BIG_PAGE}.html.gz"
    if through == "warc":
        path = tmp_path / "cnn.warc.gz"
        _warc(path, [("https://edition.cnn.com/page", gzip.decompress(
            (AEB / "html" / f"{BIG_PAGE}.html.gz").read_bytes()))])
    articles, _ = _read(path)
    assert len(articles) == 1
    squeezed = "".join(articles[0].text.split())  # inline tags may join or split words
    assert "".join(first.split())[:60] in squeezed and "".join(last.split())[:60] in squeezed


def test_markup_reader_drops_styles_and_large_scripts_across_chunks() -> None:
    text = "<p>Reporting that must stay.</p>"
    small = '<script type="application/ld+json">{"datePublished": "2020-01-02"}</script>'
    page = ("x" * 65_530 + "<style media='all'>" + "a{b:c}" * 50_000 + "</style>" + small
            + "<script>" + "1;" * 200_000 + "</script>" + text).encode()
    data, truncated = MarkupReader(1_000_000, 10_000).read(io.BytesIO(page), "page")
    assert not truncated
    assert text.encode() in data and small.encode() in data
    assert b"a{b:c}" not in data and b"1;1;" not in data
    data, truncated = MarkupReader(1_000, 10_000).read(io.BytesIO(page), "page")
    assert truncated and len(data) == 1_000


def test_thin_extraction_gets_a_recall_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    paragraphs = _paragraphs()
    menu = "".join(f'<li><a href="/s/{i}">Section {i}</a></li>' for i in range(400))
    page = (f"<html><body><ul>{menu}</ul><article>" + "".join(f"<p>{p}</p>" for p in paragraphs)
            + "</article></body></html>")
    real = html_reader._extract

    def precise_but_thin(data: bytes | str, url: str | None, origin: Origin,
                         favor_recall: bool = False) -> dict[str, object]:
        doc = real(data, url, origin, favor_recall)
        return doc if favor_recall else {**doc, "text": " ".join(paragraphs[0].split()[:12])}

    monkeypatch.setattr(html_reader, "_extract", precise_but_thin)
    article = html_reader.extract_html(page, Origin("page.html"), "page")
    assert paragraphs[-1][:80] in article.text and not article.warnings


def test_thin_extraction_that_stays_thin_is_reported(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    paragraphs = _paragraphs()
    page = "<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</body></html>"
    lead = " ".join(paragraphs[0].split()[:12])
    monkeypatch.setattr(html_reader, "_extract", lambda *a, **k: {"text": lead})
    monkeypatch.setattr(html_reader, "_fallbacks", lambda *a: iter([lead]))
    (tmp_path / "page.html").write_text(page)
    articles, problems = _read(tmp_path / "page.html")
    assert len(articles) == 1
    assert any("may be incomplete" in p.reason and p.severity == "warning" for p in problems)
