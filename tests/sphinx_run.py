"""The small test books over tests/fixtures/mini, and Sphinx run on them in a subprocess with this
repository's claimbook importable."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from claimbook.chapter import Chapter

REPO = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "fixtures" / "mini"

CONF = """\
extensions = ["myst_nb", "claimbook.sphinxext"]
claimbook_data_dir = "data"
nb_execution_mode = "off"
nb_render_markdown_format = "myst"
project = "mini"
latex_engine = "xelatex"
"""
SOURCE_PAGE = "# Source text\n\n```{source-text} mini\n```\n"
DERIVED_PAGE = "# Derived figures\n\n```{derived-figures}\n```\n"


def write_mini_book(root: Path, pages: dict[str, str], toc: list[str] | None = None, conf: str = CONF) -> Path:
    """The sources of a book in ``root/src``: the mini data beside ``conf.py``, each page of ``pages``
    (name → Markdown) and an index whose toctree lists ``toc`` (by default the pages, in order)."""
    src = root / "src"
    shutil.copytree(MINI, src / "data")
    (src / "conf.py").write_text(conf, encoding="utf-8")
    for name, text in pages.items():
        (src / f"{name}.md").parent.mkdir(parents=True, exist_ok=True)
        (src / f"{name}.md").write_text(text, encoding="utf-8")
    listed = "".join(f"{name}\n" for name in (toc if toc is not None else pages))
    (src / "index.md").write_text(f"# Mini book\n\n```{{toctree}}\n{listed}```\n", encoding="utf-8")
    return src


def write_table_notebook(path: Path, data: Path) -> None:
    """An executed notebook as papermill leaves it: a group chapter's tables and a chart, each output
    with its book side (MyST, figure) and its Jupyter side (text, HTML, images)."""
    chapter = Chapter("mini", "business", data_dir=data)
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells.append(nbformat.v4.new_markdown_cell("# Tables"))
    for source, shown in [("chapter.claims_table()", chapter.claims_table()),
                          ("chapter.derived_table()", chapter.derived_table()),
                          ("chapter.figure(...)", leverage_figure(chapter))]:
        cell = nbformat.v4.new_code_cell(source)
        cell.outputs = [nbformat.v4.new_output("display_data", data=shown._repr_mimebundle_())]
        notebook.cells.append(cell)
    nbformat.write(notebook, path)


def leverage_figure(chapter: Chapter):
    from claimbook.charts import interval_chart

    bars = [chapter.bar("px-seed", "Seed money"), chapter.bar("px-leveraged", "Project investment")]
    return chapter.figure("mini-leverage", interval_chart(bars, "Yuan"), alt=chapter.alt_text("Leverage", bars, "yuan"),
                          caption="Seed money {claim}`px-seed` against {claim}`px-leveraged` of projects.", data=bars)


def sphinx(src: Path, out: Path, builder: str = "html", *options: str, check: bool = True):
    """Build as the book does, warnings (nitpicky ones too) as errors; ``check``: it must succeed."""
    command = [sys.executable, "-m", "sphinx", "-b", builder, "-q", "-W", "-n", "--keep-going", *options]
    result = subprocess.run(command + [str(src), str(out)], capture_output=True, text=True, cwd=src,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result
