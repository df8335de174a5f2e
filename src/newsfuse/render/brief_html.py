"""The brief as one self-contained HTML file; every piece of article text is escaped."""

from __future__ import annotations

from functools import cache
from typing import Any

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


def source_view(data: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], int]:
    """The sources of a brief (its JSON data) as a page shows them, by id: each with its
    number ``n``, a ``label`` (outlet, agency or id) and the ids that ``copies`` it; and the
    number of independent sources (copies not counted)."""
    sources = {s["id"]: {**s, "n": n, "label": s["outlet"] or s["agency"] or s["id"],
                         "copies": []} for n, s in enumerate(data["sources"], 1)}
    for s in data["sources"]:
        if s["copy_of"] in sources:
            sources[s["copy_of"]]["copies"].append(s["id"])
    return sources, len({s["copy_of"] or s["id"] for s in data["sources"]})


def brief_to_html(brief: Brief) -> str:
    data = brief_to_dict(brief)
    sources, independent = source_view(data)
    return environment().get_template("brief.html").render(
        brief=data, number={i: s["n"] for i, s in sources.items()},
        label={i: s["label"] for i, s in sources.items()}, independent=independent)
