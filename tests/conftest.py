"""Shared fixtures: the published book (``_build/html``), served on localhost, and a real browser.

The browser is Debian's Chromium driven by Playwright; a browser downloaded by Playwright is never used,
so the tests see the same engine a reader of this machine would.
"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

BOOK_HTML = Path(__file__).resolve().parent.parent / "_build" / "html"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # no calls home: a test must not depend on (or wait for) the network
    "--disable-background-networking",
    "--disable-component-update",
]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files without logging each request to stderr."""

    def log_message(self, format, *args):  # noqa: A002 - the signature is the base class's
        pass

    def handle(self):
        # A browser may drop a connection it no longer needs (a prefetch, a page left early).
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture(scope="session")
def book_html() -> Path:
    """The published HTML book; the browser tests read it as a reader would."""
    if not (BOOK_HTML / "chapters" / "source-text.html").is_file():
        pytest.fail(f"{BOOK_HTML} has no built book: run `make book` first (`make test` builds it for you).",
                    pytrace=False)
    return BOOK_HTML


@pytest.fixture(scope="session")
def book_url(book_html):
    """Base URL of the book, served from 127.0.0.1 on a free port for the whole session."""
    handler = functools.partial(QuietHandler, directory=str(book_html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, launched once per session."""
    from playwright.sync_api import sync_playwright  # imported here: only the browser tests need it

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (scripts/install_system_deps.sh).",
                    pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def browser_page(chromium):
    """A fresh page in its own context (no shared history, storage or focus), closed after the test."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    opened = context.new_page()
    try:
        yield opened
    finally:
        context.close()
