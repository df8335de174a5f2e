"""The web UI and HTTP API over a store (``newsfuse serve``); see :mod:`newsfuse.web.app`."""

from newsfuse.web.app import create_app

__all__ = ["create_app"]
