"""``newsfuse watch`` against a local server: new articles/s, and memory over a long run.

The server (``http.server`` on 127.0.0.1, in this process's threads) serves ``FEEDS`` RSS
feeds of ``PER_FEED`` items each. Every item is a teaser linking to an article page built
from a Timeline17 dev article (its text in paragraphs, title and date in the page's meta
tags), so each new article costs the whole path: fetch the page, read it with the HTML
reader, clean it, cluster it into the store.

* **Throughput.** One ``watch --once`` into a fresh store, median of ``RUNS``. The peer, in
  the same run: the same pages as ``.html`` files, read by ``newsfuse.read`` and added by
  ``Store.ingest`` (what ``newsfuse ingest pages/`` does), so the ratio is the cost of the
  feeds and HTTP on top of reading and clustering. Every feed is on one host (127.0.0.1),
  so the per-host limits are raised to the global ones for this run (8 requests in flight,
  no spacing); against real outlets the limits, not the machine, set the pace.
* **Memory over a long run.** One watcher polls the same feeds for ``CYCLES`` cycles after
  the first (which stores everything): half the feeds answer 304 to the ETag they gave, half
  send the same body again, and every ``NEW_EVERY`` cycles one feed gains an article. The
  process's resident memory (``/proc/self/statm``) is read after each cycle; the slope of a
  least-squares line over the last half of the cycles is the growth per cycle.

Run: ``python -m benchmarks.watch`` (about a minute).
"""

from __future__ import annotations

import io
import json
import os
import statistics
import tempfile
import threading
import time
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from benchmarks.common import TIMELINE17, machine, median_seconds, read_result, write_result


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # the default 5 drops connections of a busy client for 1 s
    daemon_threads = True


FEEDS = 50
PER_FEED = 6
RUNS = 3
CYCLES = 40
NEW_EVERY = 4
MAX_GROWTH_KB_PER_CYCLE = 64.0  # the target: no growth beyond noise


def _articles(count: int) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted(TIMELINE17.glob("*/articles.json")):
        for record in json.loads(path.read_text(encoding="utf-8")):
            text = str(record.get("text") or "")
            if len(text.split()) >= 120:
                found.append({"id": f"{path.parent.name}-{record['uid']}", "text": text,
                              "date": record.get("dct"), "topic": path.parent.name})
            if len(found) >= count:
                return found
    return found


def _page(article: dict[str, Any]) -> bytes:
    words = article["text"].split()
    title = " ".join(words[:12])
    paragraphs = [" ".join(words[i:i + 60]) for i in range(0, len(words), 60)]
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    date = f'<meta property="article:published_time" content="{article["date"]}">' \
        if article["date"] else ""
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>"
            f"{date}</head><body><nav><a href='/'>Home</a></nav><article><h1>{escape(title)}"
            f"</h1>{body}</article><footer>All rights reserved.</footer></body></html>"
            ).encode()


def _rss(name: str, items: list[tuple[str, str]]) -> bytes:
    entries = "".join(f"<item><title>{escape(t)}</title><link>{escape(u)}</link>"
                      f"<description>{escape(t)}</description></item>" for t, u in items)
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{name}"
            f"</title><link>http://127.0.0.1/</link><description>{name}</description>"
            f"{entries}</channel></rss>").encode()


class Site:
    """Feeds and pages on 127.0.0.1; ``feeds[n]`` lists its items (changeable)."""

    def __init__(self, articles: list[dict[str, Any]]) -> None:
        self.pages = {f"/a/{a['id']}": _page(a) for a in articles}
        self.titles = {f"/a/{a['id']}": " ".join(a["text"].split()[:12]) for a in articles}
        self.items: dict[int, list[str]] = {}
        self.version: dict[int, int] = {}
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                status, headers, body = site.answer(self.path, self.headers.get(
                    "If-None-Match"))
                self.send_response(status)
                for name, value in {"Content-Length": str(len(body)), **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def answer(self, path: str, etag: str | None) -> tuple[int, dict[str, str], bytes]:
        if path.startswith("/a/") and path in self.pages:
            return 200, {"Content-Type": "text/html; charset=utf-8"}, self.pages[path]
        if path.startswith("/feed/"):
            n = int(path.rsplit("/", 1)[1])
            tag = f'"{self.version.get(n, 0)}"'
            if n % 2 == 0 and etag == tag:
                return 304, {"ETag": tag}, b""
            body = _rss(f"feed {n}", [(self.titles[p], self.url(p)) for p in self.items[n]])
            headers = {"Content-Type": "application/rss+xml"}
            if n % 2 == 0:
                headers["ETag"] = tag
            return 200, headers, body
        return 404, {}, b""

    def add(self, feed: int, path: str) -> None:
        self.items[feed].append(path)
        self.version[feed] = self.version.get(feed, 0) + 1

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _options(**extra: Any) -> Any:
    from newsfuse.feeds.watch import WatchOptions

    return WatchOptions(**{"once": True, "host_concurrency": 8, "host_interval": 0.0,
                           **extra})


def _watch_once(site: Site, feeds: list[str]) -> int:
    from newsfuse.feeds.watch import Log, Watcher

    with tempfile.TemporaryDirectory() as folder:
        watcher = Watcher(str(Path(folder) / "news.db"), feeds, _options(),
                          Log(io.StringIO(), quiet=True))
        code = watcher.run()
        assert code == 0, "the benchmark feeds must all be read"
        return watcher.total.new_articles


def _ingest_files(folder: Path) -> int:
    import newsfuse
    from newsfuse.corpus.store import Store

    with tempfile.TemporaryDirectory() as store_folder, \
            Store(Path(store_folder) / "news.db") as store:
        report = store.ingest(newsfuse.read([folder]))
        return report.added


def _rss_kb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024


def _slope(values: list[float]) -> float:
    n = len(values)
    mean_x, mean_y = (n - 1) / 2, statistics.fmean(values)
    num = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
    den = sum((i - mean_x) ** 2 for i in range(n))
    return num / den if den else 0.0


def _long_run(site: Site, feeds: list[str], spare: list[str]) -> dict[str, Any]:
    from newsfuse.feeds.watch import Log, Watcher

    memory: list[float] = []
    seconds: list[float] = []
    with tempfile.TemporaryDirectory() as folder:

        class Measured(Watcher):
            def cycle(self, number: int):  # type: ignore[no-untyped-def]
                if number > 1 and number % NEW_EVERY == 0 and spare:
                    site.add(number % FEEDS, spare.pop())
                start = time.perf_counter()
                stats = super().cycle(number)
                seconds.append(time.perf_counter() - start)
                memory.append(_rss_kb())
                return stats

        watcher = Measured(str(Path(folder) / "news.db"), feeds,
                           _options(once=False, every=0.01, cycles=CYCLES + 1),
                           Log(io.StringIO(), quiet=True))
        watcher.run()
        total = watcher.total
    steady = memory[1:]
    half = steady[len(steady) // 2:]
    return {"cycles": len(steady),
            "new_articles_after_first": total.new_articles - FEEDS * PER_FEED,
            "rss_mb_after_first": round(memory[0] / 1024, 1),
            "rss_mb_last": round(memory[-1] / 1024, 1),
            "growth_kb_per_cycle_last_half": round(_slope(half), 1),
            "median_cycle_s": round(statistics.median(seconds[1:]), 3),
            "target_kb_per_cycle": MAX_GROWTH_KB_PER_CYCLE,
            "met": abs(_slope(half)) <= MAX_GROWTH_KB_PER_CYCLE}


def main() -> None:
    articles = _articles(FEEDS * PER_FEED + CYCLES)
    base, spare_articles = articles[:FEEDS * PER_FEED], articles[FEEDS * PER_FEED:]
    site = Site(articles)
    for n in range(FEEDS):
        site.items[n] = [f"/a/{a['id']}" for a in base[n * PER_FEED:(n + 1) * PER_FEED]]
    feeds = [site.url(f"/feed/{n}") for n in range(FEEDS)]
    with tempfile.TemporaryDirectory() as folder:
        pages = Path(folder)
        for path, body in site.pages.items():
            if path in {p for items in site.items.values() for p in items}:
                (pages / f"{path.rsplit('/', 1)[1]}.html").write_bytes(body)
        rows = []
        for name, run in (("newsfuse watch --once (fetch + read + ingest)",
                           lambda: _watch_once(site, feeds)),
                          ("peer: newsfuse ingest of the same pages as files",
                           lambda: _ingest_files(pages))):
            wall, cpu, added = median_seconds(run, RUNS)
            rows.append({"tool": name, "articles": added, "seconds": round(wall, 2),
                         "cpu_seconds": round(cpu, 2),
                         "articles_per_s": round(added / wall, 1)})
    long_run = _long_run(site, feeds, [f"/a/{a['id']}" for a in spare_articles])
    site.close()
    write_result("watch", {
        "feeds": FEEDS, "per_feed": PER_FEED, "runs": RUNS, "rows": rows,
        "ratio_to_peer": round(rows[0]["articles_per_s"] / rows[1]["articles_per_s"], 2),
        "long_run": long_run, "machine": machine()})
    print_table()


def print_table() -> None:
    result = read_result("watch")
    print(f"newsfuse watch: {result['feeds']} feeds x {result['per_feed']} new articles on "
          f"127.0.0.1 (median of {result['runs']})")
    print(f"{'tool':52} {'articles':>8} {'wall s':>7} {'art/s':>7}")
    for r in result["rows"]:
        print(f"{r['tool']:52} {r['articles']:>8} {r['seconds']:>7} {r['articles_per_s']:>7}")
    print(f"watch / peer: {result['ratio_to_peer']}")
    long_run = result["long_run"]
    print(f"long run: {long_run['cycles']} cycles, RSS {long_run['rss_mb_after_first']} MB "
          f"after the first, {long_run['rss_mb_last']} MB at the end; growth over the last "
          f"half {long_run['growth_kb_per_cycle_last_half']} KB/cycle (target: at most "
          f"{long_run['target_kb_per_cycle']}); median cycle {long_run['median_cycle_s']} s")


if __name__ == "__main__":
    main()
