"""The brief as one self-contained HTML file; every piece of article text is escaped."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from newsfuse.model import Brief
from newsfuse.render.brief_json import brief_to_dict


@cache
def environment() -> Environment:
    """The Jinja2 environment of every HTML page: package templates, autoescaped."""
    return Environment(loader=PackageLoader("newsfuse.render", "templates"),
                       autoescape=select_autoescape(default=True, default_for_string=True))


def safe_url(url: str | None) -> str | None:
    """Only http(s) URLs become links; ``javascript:`` and the like never do."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def brief_to_html(brief: Brief) -> str:
    data = brief_to_dict(brief)
    number = {s["id"]: i + 1 for i, s in enumerate(data["sources"])}
    label = {s["id"]: s["outlet"] or s["agency"] or s["id"] for s in data["sources"]}
    independent = len({s["copy_of"] or s["id"] for s in data["sources"]})
    return environment().get_template("brief.html").render(
        brief=data, number=number, label=label, independent=independent)
