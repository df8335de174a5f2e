"""Following news feeds: ``newsfuse watch`` and ``newsfuse feeds``.

* :mod:`newsfuse.feeds.urls`: canonical article URLs (tracking parameters dropped).
* :mod:`newsfuse.feeds.fetch`: polite, bounded HTTP (robots.txt, per-host limits,
  conditional GET, size caps, gzip/deflate, back-off).
* :mod:`newsfuse.feeds.parse`: RSS/Atom/RDF through feedparser; OPML and plain feed lists.
* :mod:`newsfuse.feeds.state`: per-feed and per-URL state in the store's SQLite file.
* :mod:`newsfuse.feeds.watch`: the polling loop that adds new articles to the store.
"""
