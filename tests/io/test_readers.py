"""Each reader on real data and on files the tests write."""

from __future__ import annotations

import gzip
import io
import json
from datetime import datetime
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import newsfuse
from tests.conftest import AYLIEN, EXAMPLES, TIMELINE17, UCI

ARTICLE_HTML = """<!DOCTYPE html><html><head>
<title>Dam bursts in Ostrava valley | Daily Ostrava</title>
<meta property="og:site_name" content="Daily Ostrava">
<meta property="article:published_time" content="2024-05-02T08:00:00+02:00"></head>
<body><nav>Home | World</nav><article><h1>Dam bursts in Ostrava valley</h1>
<p>A dam burst on Thursday in the upper Ostrava valley, flooding three villages and forcing
hundreds of people from their homes, the regional government said.</p>
<p>Rescue teams used boats to reach families stranded on rooftops, and the army sent two
helicopters to the area by the afternoon, officials said.</p>
<p>Advertisement</p>
<p>The regional governor said an inquiry would examine why warnings about cracks in the dam
wall had not been acted on earlier this year.</p></article>
<footer>Comments are closed.</footer></body></html>"""


def read_all(*paths, **kwargs):
    stream = newsfuse.read(list(paths), **kwargs)
    return list(stream), stream.report


def test_plain_text_header_forms(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Title here\n\n date 2020-01-02 BODY – The body starts "
                                    "here and goes on.\n\nMore text follows here.\n")
    (tmp_path / "b.txt").write_text("date 2021-03-04\nJust a body line without a title.\n")
    (tmp_path / "c.txt").write_text("No marker at all. Only body text here.\n")
    articles, report = read_all(tmp_path)
    by_id = {a.id: a for a in articles}
    assert by_id["a"].title == "Title here"
    assert by_id["a"].date == datetime(2020, 1, 2)
    assert by_id["a"].text.startswith("The body starts here")
    assert by_id["a"].dateline.place == "BODY"
    assert by_id["b"].title is None and by_id["b"].date == datetime(2021, 3, 4)
    assert by_id["c"].date is None and by_id["c"].title is None
    assert report.articles == 3 and report.skipped_total == 0


def test_timeline17_json_array_is_streamed_and_detokenized():
    path = TIMELINE17 / "H1N1_bbc" / "articles.json"
    articles, report = read_all(path)
    raw = json.loads(path.read_text())
    # two records have an empty text: skipped and reported, the rest read in order
    assert report.skipped == {"record without text": 2}
    assert [a.id for a in articles] == [r["uid"] for r in raw if r["text"].strip()]
    first = articles[0]
    assert first.date == datetime(2009, 4, 25)
    assert "-LRB-" not in first.text and "``" not in first.text and " n't" not in first.text
    assert "It's difficult to look on the bright side" in first.text
    assert "don't know" in first.text


def test_aylien_jsonl_title_and_body():
    articles, report = read_all(AYLIEN)
    assert len(articles) == 14 and report.skipped_total == 0
    assert articles[0].id == "articles:1"  # no id field: <stem>:<line>
    assert articles[0].title.startswith("Netanyahu seeks parliamentary immunity")
    assert all(a.sentences for a in articles)


def test_uci_csv_headlines():
    articles, report = read_all(UCI)
    assert report.skipped_total == 0
    assert len(articles) == 2989
    first = articles[0]
    assert first.id == "1"
    assert first.title == "Fed official says weak data caused by weather, should not slow taper"
    assert first.outlet == "Los Angeles Times"
    assert first.date is not None and first.date.year == 2014  # TIMESTAMP in ms
    assert first.text == "" and first.sentences == ()  # headline-only is valid
    assert report.warnings == 0  # short English headlines are not called foreign


def test_jsonl_field_aliases(tmp_path: Path):
    records = [
        {"uid": "u1", "headline": "H1", "content": "Body one is here.", "publish_date": 1577836800},
        {"id": 7, "title": "H2", "text": "Body two.", "time": 1577836800000, "url": "http://x"},
        {"title": "H3", "maintext": "Body three.", "date_publish": "2020-01-01 10:00:00",
         "source_domain": "example.org"},
        {"headline": "Only a headline", "publisher": "Wire"},
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    articles, _ = read_all(path)
    assert [a.id for a in articles] == ["u1", "7", "feed:3", "feed:4"]
    assert articles[0].date == articles[1].date == datetime(2020, 1, 1)
    assert articles[1].url == "http://x"
    assert articles[2].outlet == "example.org"
    assert articles[3].title == "Only a headline" and articles[3].outlet == "Wire"


def test_json_wrapper_object_and_gzip(tmp_path: Path):
    doc = {"articles": [{"id": "a", "text": "One."}, {"id": "b", "text": "Two."}]}
    (tmp_path / "w.json").write_text(json.dumps(doc))
    with gzip.open(tmp_path / "z.jsonl.gz", "wt") as f:
        f.write(json.dumps({"id": "g", "text": "Gzipped."}) + "\n")
    articles, report = read_all(tmp_path)
    assert sorted(a.id for a in articles) == ["a", "b", "g"]
    assert report.files == 2


def test_html_page(tmp_path: Path):
    (tmp_path / "dam.html").write_text(ARTICLE_HTML)
    (article,), _report = read_all(tmp_path / "dam.html")
    assert article.title == "Dam bursts in Ostrava valley"
    assert article.outlet == "Daily Ostrava"
    assert article.date is not None and article.date.date().isoformat() == "2024-05-02"
    assert "Advertisement" not in article.text and "Comments" not in article.text
    assert article.text.startswith("A dam burst on Thursday")
    assert len(article.sentences) == 3


def write_warc(path: Path, pages: list[tuple[str, str, str]], gz: bool = True) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        for uri, content_type, body in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)],
                                       protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body.encode()), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-05-03T10:00:00Z"})
            writer.write_record(record)


def test_warc_keeps_html_responses_with_uri_and_date(tmp_path: Path):
    page_without_date = ARTICLE_HTML.replace('<meta property="article:published_time" '
                                             'content="2024-05-02T08:00:00+02:00">', "")
    write_warc(tmp_path / "crawl.warc.gz", [
        ("https://news.example/dam", "text/html; charset=utf-8", page_without_date),
        ("https://news.example/logo.png", "image/png", "PNG"),
        ("https://news.example/dam2", "text/html", ARTICLE_HTML),
    ])
    articles, report = read_all(tmp_path / "crawl.warc.gz")
    assert [a.url for a in articles] == ["https://news.example/dam", "https://news.example/dam2"]
    assert [a.id for a in articles] == ["crawl:1", "crawl:3"]  # record numbers
    assert articles[0].date == datetime(2024, 5, 3, 10, 0)  # from WARC-Date
    assert articles[1].date.date().isoformat() == "2024-05-02"  # from the page
    assert report.skipped_total == 0


def test_examples_corpus(examples):
    assert len(examples) == 10
    ids = {a.id for a in examples}
    assert {"meridian-post-varnholt", "civic-radio-0310", "valley-courier-varnholt-return",
            "continental-varnholt-translated"} <= ids
    undated = [a.id for a in examples if a.date is None]
    assert undated == ["valley-courier-varnholt-return"]
    for article in examples:
        assert "Advertisement" not in article.text
        assert "Comments are closed" not in article.text
        assert "Read more" not in article.text
    translated = next(a for a in examples if a.id == "continental-varnholt-translated")
    assert "UU." not in translated.text and ". ," not in translated.text
    assert "«" not in translated.text


def test_stdin_jsonl(monkeypatch):
    payload = b'{"id": "s1", "text": "From stdin."}\n{"broken\n'
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(payload)))
    articles, report = read_all("-")
    assert [a.id for a in articles] == ["s1"]
    assert report.skipped == {"invalid JSON line": 1}


def test_directory_order_and_hidden_files(tmp_path: Path):
    """Names starting with "." or "_" are hidden, as Spark's file listing hides them (a
    job's _SUCCESS marker, a benchmark's _complete): read and spark read the same files."""
    for name in ("b.txt", "a.txt", ".hidden.txt", "_SUCCESS", "_complete"):
        (tmp_path / name).write_text(f"Body of {name}.\n")
    for folder in ("sub", "_temporary", ".git"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "c.txt").write_text("Body of c.\n")
    articles, _ = read_all(tmp_path)
    assert [a.id for a in articles] == ["a", "b", "c"]
    # named explicitly, such a file is read
    assert [a.id for a in read_all(tmp_path / "_complete")[0]] == ["_complete"]


def test_example_corpus_lives_in_repo():
    assert EXAMPLES.is_dir()


def test_timeline17_cleaning_keeps_every_article_and_drops_site_furniture():
    stream = newsfuse.read(sorted(TIMELINE17.glob("*/articles.json")))
    articles = list(stream)
    assert stream.report.skipped == {"record without text": 8}  # empty records only
    assert len(articles) == 2000
    furniture = ("We welcome comments", "Views expressed in the comments", "Page last updated",
                 "processing this directive", "This discussion is now closed",
                 "contributed to this report", "All materials herein are protected")
    for article in articles:
        for phrase in furniture:
            assert phrase not in article.text, (article.id, phrase)
    headers = [a for a in articles if any(r.reason == "page header" for r in a.removed)]
    assert len(headers) > 100
    assert all(a.text[:1].isupper() or a.text[:1] in "\"“'" for a in headers)
