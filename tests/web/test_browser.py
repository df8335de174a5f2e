"""End to end in headless Chromium (Debian's, driven by Playwright): the real `newsfuse serve`
on a store of the seeds, the examples and hostile articles. Screenshots are saved in
``test-artifacts/`` for a person to look at."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.web.conftest import ENCODER

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]
ARTIFACTS = ROOT / "test-artifacts" / "web"
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# Records what a payload would do if it ran: alert() and friends, window.__xss, and any
# Content-Security-Policy violation (an inline script or handler that reached the DOM).
WATCH = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')));
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("served") / "news.db"
    shutil.copy(store_path, db)
    port = free_port()
    log = open(db.parent / "serve.log", "w+b")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "newsfuse.cli", "serve", "--db", str(db), "--port", str(port),
         "--encoder", ENCODER], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            pytest.fail(f"newsfuse serve did not start: {log.read().decode()[-2000:]}")
        time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), "Chromium is installed by scripts/setup-system.sh"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, tmp_path):
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(WATCH)
    opened = context.new_page()
    opened.dialogs = []
    opened.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
    yield opened
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def api(url: str, path: str) -> dict:
    import json

    with urllib.request.urlopen(url + path, timeout=30) as response:
        return json.loads(response.read())


def test_events_page_search_and_date_filter(server, page):
    page.goto(server + "/")
    assert page.locator("li.event").count() == 4
    first = page.locator("li.event").first.inner_text()
    assert "2026-05-04" in first and "2 independent sources" in first
    shot(page, "events")
    page.fill("header input[name=q]", "ambassador evacuated")
    page.press("header input[name=q]", "Enter")
    page.wait_for_load_state()
    assert "q=ambassador+evacuated" in page.url
    assert page.locator("li.event").count() == 1
    assert page.locator("li.event").inner_text().count("5 independent sources") == 1
    assert page.locator(".hits li").count() >= 2
    assert page.locator(".hits mark").count() >= 2
    shot(page, "search")
    page.goto(server + "/")
    page.fill("input[name=since]", "2026-04-01")
    page.click("form.filter button")
    page.wait_for_load_state()
    days = [t.inner_text() for t in page.locator("li.event time").all()]
    assert days and all(d >= "2026-04-01" for d in days)
    assert page.locator("li.event").count() == 2  # the Calder strike, the bridge


def test_clicking_a_citation_shows_its_sentence_and_outlet(server, page):
    page.goto(server + "/?q=embassy+Baghdad")
    page.locator("li.event a.headline").first.click()
    page.wait_for_load_state()
    event = int(page.url.rsplit("/", 1)[1])
    brief = api(server, f"/api/events/{event}")
    first = brief["summary"][0]
    cite = page.locator("#summary li").first.locator(".cite").first
    pop = cite.locator(".pop")
    assert not pop.is_visible()
    cite.hover()
    assert pop.is_visible()  # hover shows it
    page.mouse.move(0, 0)
    assert not pop.is_visible()
    cite.click()
    assert pop.is_visible()  # click keeps it open
    shown = pop.inner_text()
    evidence = first["evidence"][0]
    assert evidence["text"] in shown
    outlet = next(s for s in brief["sources"] if s["id"] == evidence["article"])
    label = outlet["outlet"] or outlet["agency"] or outlet["title"] or outlet["id"]
    assert label[:20] in shown
    shot(page, "event-citation")
    page.mouse.move(0, 0)
    assert pop.is_visible()  # still open: it was clicked
    page.keyboard.press("Escape")
    assert not pop.is_visible()
    # the disagreement is shown with both sides
    conflict = page.locator("#conflicts .conflict").first
    assert conflict.locator(".side").count() >= 2
    assert conflict.locator(".cite").count() >= 2
    assert page.locator("#sources li").count() == 5
    # follow the citation into the article: the cited sentence is highlighted there
    cite.click()
    pop.locator("a").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"#s-{evidence['sentence']}")
    target = page.locator(f"mark#s-{evidence['sentence']}")
    assert target.is_visible() and target.inner_text() == evidence["text"]
    used = api(server, "/api/articles/" + evidence["article"])["used"]
    assert page.locator("mark.used").count() == len(used)
    shot(page, "article")
    assert page.evaluate("window.__violations") == [] and page.dialogs == []


def test_story_page_shows_a_timeline_across_events(server, page):
    story = api(server, "/api/events?q=Varnholt+blaze")["events"][0]["story"]
    page.goto(f"{server}/stories/{story}")
    assert page.locator("#story-timeline li").count() >= 2
    assert page.locator("li.event").count() == 1  # the fire is one event
    cite = page.locator("#story-timeline .cite").first
    cite.click()
    assert cite.locator(".pop").is_visible()
    cite.locator(".pop a").click()
    page.wait_for_load_state()
    assert "/articles/" in page.url and page.locator("mark.used, :target").count() >= 1
    page.goto(f"{server}/stories/{story}")
    shot(page, "story")


@pytest.mark.parametrize("path", ["/", "/?q=embassy", "EVENT", "ARTICLE", "STORY"])
def test_pages_fit_a_phone_screen(server, browser, path):
    seeds = api(server, "/api/events?q=embassy+Baghdad")["events"][0]
    article = api(server, f"/api/events/{seeds['id']}")["sources"][0]["id"]
    path = {"EVENT": f"/events/{seeds['id']}", "ARTICLE": f"/articles/{article}",
            "STORY": f"/stories/{seeds['story']}"}.get(path, path)
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(server + path)
    width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{path} scrolls sideways at phone width: {width}"
    if path.startswith("/events/"):
        cite = phone.locator(".cite").first
        cite.tap()
        box = cite.locator(".pop").bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["y"] + box["height"] <= PHONE["height"]
        phone.screenshot(path=str(ARTIFACTS / "phone-event-citation.png"))
    context.close()


def test_hostile_articles_never_run_script(server, page):
    event = api(server, "/api/events?q=girder")["events"][0]
    paths = ["/", "/?q=girder", f"/events/{event['id']}", f"/stories/{event['story']}",
             "/articles/hostile-1", "/articles/hostile-2", "/?q=%3Cscript%3Ealert(1)%3C/script%3E"]
    for path in paths:
        page.goto(server + path)
        for cite in page.locator(".cite").all():
            cite.click()  # open every popover: their text is article text too
        page.keyboard.press("Escape")
        page.mouse.move(0, 0)
        for element in page.locator("li, mark, blockquote, h1").all()[:60]:
            if element.is_visible():  # forced: an open popover may cover the next one
                element.hover(timeout=5000, force=True)
        assert page.evaluate("typeof window.__xss") == "undefined", path
        assert page.dialogs == [], path
        assert page.evaluate("window.__violations") == [], path
        markup = page.evaluate("""() => ({
            scripts: [...document.scripts].map(s => s.getAttribute('src')),
            handlers: [...document.querySelectorAll('*')].flatMap(e =>
                [...e.attributes].filter(a => a.name.startsWith('on')).map(a => a.name)),
            bad: document.querySelectorAll('iframe, object, embed, svg, img, style').length,
            links: [...document.querySelectorAll('[href], [src], [action]')].map(e =>
                e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))
        })""")
        assert markup["scripts"] == ["/static/newsfuse.js"], path
        assert markup["handlers"] == [], path
        assert markup["bad"] == 0, path
        assert not [u for u in markup["links"]
                    if u.strip().lower().startswith(("javascript:", "data:", "vbscript:"))]
    # the payloads are shown as text, not dropped
    page.goto(server + "/articles/hostile-1")
    text = page.locator("main").inner_text()
    assert "<img src=x onerror=" in text and "javascript:window.__xss='url'" in text
    assert page.locator("a.external").count() == 0  # a javascript: URL is never a link
    page.goto(f"{server}/events/{event['id']}")
    assert "<script>window.__xss='title'" in page.locator("h1").inner_text()
    shot(page, "hostile-event")
