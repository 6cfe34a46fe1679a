"""The ``claimbook`` command line: one program, every subcommand with its help, the book found from
the working directory."""
from __future__ import annotations

import shutil

import pytest

from claimbook.bookroot import ENV_VAR, BookNotFound, find_book_root
from claimbook.cli import COMMANDS, make_parser

from tools import CONSOLE_SCRIPT, REPO, claimbook, console_claimbook, env_without_book_root

SUBCOMMANDS = ("build", "verify", "audit", "validate", "extract", "new-chapter", "add-source", "bench", "bench-extract")


def test_the_help_lists_every_subcommand():
    listing = claimbook("--help")
    assert listing.returncode == 0
    for name in SUBCOMMANDS:
        assert name in listing.stdout, name
    assert set(COMMANDS) == set(SUBCOMMANDS)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_each_subcommand_explains_itself(name, capsys):
    with pytest.raises(SystemExit) as exit_:
        make_parser().parse_args([name, "--help"])
    assert exit_.value.code == 0
    shown = capsys.readouterr().out
    assert shown.startswith(f"usage: claimbook {name}") and COMMANDS[name][0] in " ".join(shown.split())


def test_the_console_script_is_installed_beside_python():
    assert CONSOLE_SCRIPT.is_file(), "pip install -e . declares the console script (pyproject.toml)"
    assert console_claimbook("validate").returncode == 0


def test_the_book_is_found_from_a_folder_inside_it():
    assert find_book_root(start=REPO / "chapters") == REPO
    assert claimbook("validate", cwd=REPO / "chapters").returncode == 0


def test_outside_a_book_the_command_says_how_to_name_one(tmp_path):
    result = claimbook("validate", cwd=tmp_path, env=env_without_book_root())
    assert result.returncode == 2
    assert f"error: no book at or above {tmp_path.resolve()}" in result.stderr
    assert "pass --root, or set CLAIMBOOK_ROOT" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_explicit_root_or_the_environment_wins_over_the_working_directory(tmp_path, monkeypatch):
    book = tmp_path / "book"
    (book / "data").mkdir(parents=True)
    shutil.copy2(REPO / "_config.yml", book / "_config.yml")
    shutil.copy2(REPO / "data" / "sources.csv", book / "data" / "sources.csv")
    assert find_book_root(book, start=REPO) == book.resolve()
    monkeypatch.setenv(ENV_VAR, str(book))
    assert find_book_root(start=REPO) == book.resolve()
    monkeypatch.delenv(ENV_VAR)
    with pytest.raises(BookNotFound, match="is not a book"):
        find_book_root(tmp_path)
