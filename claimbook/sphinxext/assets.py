"""The HTML's own CSS and JavaScript (``static/``: the tooltip, the traced numbers), and one fix of
the pages' script list.

The files ship inside the package, beside this module, so an installed book finds them.
"""
from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).resolve().parent / "static"


def add_static_files(app) -> None:
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC_DIR))


def drop_duplicate_scripts(app, pagename, templatename, context, doctree) -> None:
    """Sphinx 7.4 registers some inline scripts twice (sphinx-thebe's ``const THEBE_JS_URL``), and
    the second copy throws in the browser; keep the first of each (fixed upstream in Sphinx 8)."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, kept = set(), []
    for script in scripts:
        key = (getattr(script, "filename", str(script)) or "", getattr(script, "priority", 0),
               tuple(sorted((getattr(script, "attributes", {}) or {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    scripts[:] = kept


def setup_assets(app) -> None:
    app.add_css_file("claimbook.css")
    app.add_js_file("claimbook.js", loading_method="defer")
    app.connect("builder-inited", add_static_files)
    app.connect("html-page-context", drop_duplicate_scripts)
