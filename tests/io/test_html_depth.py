"""A page nested deeper than the HTML parser reads says so, instead of "no main content":
real news pages (aeb dev pages) with their body wrapped in layers of <div>, read as files
and from a WARC."""

from __future__ import annotations

import gzip
import re

import pytest

from newsfuse import read, settings
from newsfuse.cli import main
from tests.conftest import DATA
from tests.io.test_readers import write_warc

PAGES = sorted((DATA / "aeb-pages" / "html").glob("*.html.gz"))


def page_readable_at_any_depth() -> str:
    """The first dev page newsfuse reads as an article."""
    for path in PAGES:
        stream = read([path])
        if list(stream):
            return gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
    raise AssertionError("no readable page")


def wrapped(page: str, depth: int) -> str:
    """The page with everything inside <body> nested ``depth`` <div>s deeper."""
    match = re.search(r"<body[^>]*>", page, re.I)
    assert match
    end = page.lower().rfind("</body>")
    inner = page[match.end():end if end > 0 else len(page)]
    return page[:match.end()] + "<div>" * depth + inner + "</div>" * depth + "</body></html>"


@pytest.fixture(scope="module")
def page() -> str:
    return page_readable_at_any_depth()


@pytest.mark.parametrize("depth", [settings.HTML_PARSER_DEPTH + 50, 100_000])
def test_a_page_nested_too_deep_is_reported_with_that_reason(tmp_path, capsys, page, depth):
    path = tmp_path / "deep.html"
    path.write_text(wrapped(page, depth), encoding="utf-8")
    assert main(["read", str(path)]) == 2
    err = capsys.readouterr().err
    assert (f"deep.html: HTML nested deeper than {settings.HTML_PARSER_DEPTH} levels "
            "(the parser's limit)") in err
    assert "no main content" not in err
    assert "1 HTML nested too deep" in err
    write_warc(tmp_path / "crawl.warc.gz",
               [("https://news.example/deep", "text/html", wrapped(page, depth))])
    assert main(["read", str(tmp_path / "crawl.warc.gz")]) == 2
    assert "nested deeper than" in capsys.readouterr().err


def test_the_same_page_less_deep_is_read_and_an_empty_page_has_no_main_content(
        tmp_path, capsys, page):
    path = tmp_path / "shallow.html"
    path.write_text(wrapped(page, 100), encoding="utf-8")
    articles = list(read([path]))
    assert len(articles) == 1 and len(articles[0].text.split()) > 50
    nav = tmp_path / "nav.html"
    nav.write_text("<html><body>" + "<div>" * 300 + "<nav><a href='/'>Home</a></nav>"
                   + "</div>" * 300 + "</body></html>")
    # deep, but with nothing to read even at the top: the depth is still what hid it
    assert main(["read", str(nav)]) == 2
    assert "nested deeper than" in capsys.readouterr().err
    (tmp_path / "flat.html").write_text("<html><body><nav><a href='/'>Home</a></nav>"
                                        "</body></html>")
    assert main(["read", str(tmp_path / "flat.html")]) == 2
    assert "flat.html: HTML page has no main content" in capsys.readouterr().err
