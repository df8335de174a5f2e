"""Canonical URLs, feed lists (OPML, plain files), durations and Retry-After values."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from newsfuse.errors import UsageError
from newsfuse.feeds.cli import duration
from newsfuse.feeds.fetch import retry_after_seconds
from newsfuse.feeds.parse import parse_feed, read_feed_list, read_opml
from newsfuse.feeds.urls import article_id, canonical_url


@pytest.mark.parametrize(("given", "expected"), [
    ("HTTPS://Example.COM:443/a/b?utm_source=rss&id=7&fbclid=x#top",
     "https://example.com/a/b?id=7"),
    ("http://example.com:8080//news//story?UTM_Medium=feed", "http://example.com:8080/news/story"),
    ("http://example.com/caf%C3%A9?q=a+b&gclid=1", "http://example.com/caf%C3%A9?q=a+b"),
    ("http://example.com/café", "http://example.com/caf%C3%A9"),
    ("http://example.com", "http://example.com/"),
    ("http://[::1]:80/x?mc_cid=1&mc_eid=2", "http://[::1]/x"),
])
def test_canonical_urls_drop_tracking_and_normalise(given: str, expected: str) -> None:
    assert canonical_url(given) == expected
    assert canonical_url(expected) == expected  # idempotent


def test_article_ids_are_short_and_stable() -> None:
    url = "https://www.example.com/news/2026/04/03/a-long-slug-about-the-strike"
    assert article_id(url) == article_id(url)
    assert article_id(url).startswith("example.com-") and len(article_id(url)) == 22
    assert article_id(url) != article_id(url + "-2")


def test_opml_nested_outlines(tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text("""<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head>
    <body><outline text="World"><outline type="rss" text="A" xmlUrl="https://a.example/rss"/>
    <outline type="rss" text="B" xmlUrl="https://b.example/atom.xml"/></outline>
    <outline type="rss" text="A again" xmlUrl="https://a.example/rss"/></body></opml>""")
    assert read_opml(str(opml)) == ["https://a.example/rss", "https://b.example/atom.xml"]


@pytest.mark.parametrize(("content", "message"), [
    ("<opml><body><outline xmlUrl='ftp://x/'/></body></opml>", r"not an http\(s\) feed URL"),
    ("<opml><body>", "not an OPML file"),
    ("<!DOCTYPE x [<!ENTITY a 'aaaa'>]><opml/>", "DOCTYPE or entities"),
])
def test_bad_opml_is_one_clear_message(tmp_path: Path, content: str, message: str) -> None:
    opml = tmp_path / "bad.opml"
    opml.write_text(content)
    with pytest.raises(UsageError, match=message):
        read_opml(str(opml))
    with pytest.raises(UsageError, match="cannot read"):
        read_opml(str(tmp_path / "missing.opml"))


def test_feed_list_file(tmp_path: Path) -> None:
    listed = tmp_path / "feeds.txt"
    listed.write_text("# world\nhttps://a.example/rss\n\n  https://b.example/feed  \n")
    assert read_feed_list(str(listed)) == ["https://a.example/rss", "https://b.example/feed"]
    listed.write_text("https://a.example/rss\nnot a url\n")
    with pytest.raises(UsageError, match="not an http"):
        read_feed_list(str(listed))


@pytest.mark.parametrize(("text", "seconds"), [("10m", 600), ("90s", 90), ("1h", 3600),
                                               ("45", 45), ("1.5m", 90), ("2d", 172800)])
def test_durations(text: str, seconds: float) -> None:
    assert duration(text) == seconds


@pytest.mark.parametrize("text", ["", "ten minutes", "1s", "10y", "-5m", "nan"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        duration(text)


def test_retry_after_as_seconds_or_a_date() -> None:
    assert retry_after_seconds("120") == 120
    assert retry_after_seconds("Fri, 03 Apr 2026 10:02:00 GMT",
                               now=1775210400.0) == pytest.approx(120)
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds("999999999999") == 24 * 3600


def test_rss_atom_and_rdf_entries() -> None:
    atom = (b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>T</title>"
            b"<entry><title>One</title><link href='/x/1?utm_campaign=a'/><id>1</id>"
            b"<published>2026-04-03T10:00:00+02:00</published></entry></feed>")
    parsed = parse_feed(atom, "https://news.example/feed", "application/atom+xml")
    (entry,) = parsed.entries
    assert entry.url == "https://news.example/x/1" and entry.title == "One"
    assert entry.date is not None and entry.date.hour == 10  # the source's wall clock
    assert entry.outlet == "T"
    rdf = (b"<?xml version='1.0'?><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax"
           b"-ns#' xmlns='http://purl.org/rss/1.0/'><channel rdf:about='x'><title>R</title>"
           b"</channel><item rdf:about='https://r.example/1'><title>A</title>"
           b"<link>https://r.example/1</link></item></rdf:RDF>")
    assert [e.url for e in parse_feed(rdf, "https://r.example/rdf").entries] == \
        ["https://r.example/1"]
    rss091 = (b"<?xml version='1.0'?><rss version='0.91'><channel><title>Old</title>"
              b"<item><title>B</title><link>https://o.example/b</link></item></channel></rss>")
    parsed = parse_feed(rss091, "https://o.example/rss")
    assert parsed.version == "rss091u" or parsed.version.startswith("rss09")
    assert [e.url for e in parsed.entries] == ["https://o.example/b"]
