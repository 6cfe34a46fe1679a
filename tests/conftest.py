"""Shared fixtures: the repository's registry, the published book (``_build/html``) served on
localhost, and a real browser.

The browser is Debian's Chromium driven by Playwright; a browser downloaded by Playwright is never used,
so the tests see the same engine a reader of this machine would.
"""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from claimbook.registry import Registry

REPO = Path(__file__).resolve().parent.parent
BOOK_HTML = REPO / "_build" / "html"
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
def registry() -> Registry:
    """The repository's data/, loaded once (no test changes it)."""
    return Registry(REPO / "data")


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


def launch_chromium(browser_type):
    """Debian's Chromium through Playwright's ``chromium`` browser type, headless."""
    return browser_type.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, launched once per session."""
    from playwright.sync_api import sync_playwright  # imported here: only the browser tests need it

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (scripts/install_system_deps.sh).",
                    pytrace=False)
    with sync_playwright() as playwright:
        launched = launch_chromium(playwright.chromium)
        try:
            yield launched
        finally:
            launched.close()


def new_reader_context(chromium):
    """A browser profile as a first-time reader has it: empty storage and cache, a desktop window."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    return context


@pytest.fixture(scope="session")
def reader_context(chromium):
    """One profile shared by the browser tests, so the book's scripts and styles are fetched once."""
    context = new_reader_context(chromium)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def browser_page(reader_context):
    """A fresh tab (own history, focus and pointer), closed after the test."""
    opened = reader_context.new_page()
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def first_time_page(chromium):
    """A tab of a browser launched for this test alone: a reader's first visit, with nothing cached.

    A new context is not enough: Chromium keeps some state (such as a site's favicon) across contexts.
    """
    browser = launch_chromium(chromium.browser_type)
    try:
        yield new_reader_context(browser).new_page()
    finally:
        browser.close()
