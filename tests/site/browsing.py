"""Helpers for the browser tests: serve a built site under /nskb/ (as on GitHub Pages) and watch
a page for console errors and for requests that leave the machine."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


class _Handler(http.server.SimpleHTTPRequestHandler):
    def translate_path(self, path):
        path = urlsplit(path).path
        if not path.startswith("/nskb/"):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path(path[len("/nskb"):])

    def log_message(self, *args):
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """The browser may close a connection before a file is sent (a page navigated away): that
        is no test failure, and its traceback would only bury the real output."""


def serve(site: Path):
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/nskb/"


class Watched:
    """A page that records console errors, page errors and requests leaving the machine."""

    def __init__(self, browser, **context_options):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, **context_options)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(f"console {m.text} {m.location}")
                     if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror {e}"))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog {d.message}"), d.dismiss()))
        self.page.route("**/*", self._route)

    def _route(self, route):
        url = urlsplit(route.request.url)
        if url.hostname == "127.0.0.1":
            return route.continue_()
        self.outside.append(route.request.url)
        return route.abort()

    def open(self, url: str):
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self):
        self.context.close()


