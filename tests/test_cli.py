"""The command line as a user runs it: `csto-bot` without a token, `csto-bot load`, config precedence."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import NO_TOKEN, parse_args
from tests.rig import SEEDS

pytestmark = pytest.mark.timeout(60)

PROJECT = Path(__file__).resolve().parent.parent
SETTING_VARS = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL", "CSTO_CORPUS_DIR", "CSTO_DB_PATH", "CSTO_CONFIG")


def csto_bot(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` (what the `csto-bot` script runs) in a clean environment plus ``env``."""
    clean = {k: v for k, v in os.environ.items() if k not in SETTING_VARS}
    clean["PTB_TIMEDELTA"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, **(env or {})},
        cwd=PROJECT,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("args", [(), ("run",)])
def test_no_token_is_one_clear_line_and_exit_code_2(args: tuple[str, ...]) -> None:
    result = csto_bot(*args)
    assert result.returncode == 2
    assert result.stderr.strip() == NO_TOKEN
    assert "TELEGRAM_BOT_TOKEN" in NO_TOKEN and "csto-bot console" in NO_TOKEN and "\n" not in NO_TOKEN
    assert result.stdout == ""


def test_load_prints_what_was_loaded_then_nothing_new(tmp_path: Path) -> None:
    db = tmp_path / "csto.sqlite3"
    first = csto_bot("load", "--db", str(db))
    assert first.returncode == 0, first.stderr
    line = first.stdout.strip()
    counts = re.fullmatch(
        r"Loaded (.+): 5 files read, 0 unchanged, 0 skipped, 0 removed; (\d+) items \(\+(\d+) -0\), "
        r"(\d+) people, 4 operations in [\d.]+s -> (.+)",
        line,
    )
    assert counts, line
    assert Path(counts.group(1)) == SEEDS and Path(counts.group(5)) == db
    assert int(counts.group(2)) == int(counts.group(3)) >= 10 and int(counts.group(4)) >= 10

    again = csto_bot("load", "--db", str(db))
    assert again.returncode == 0
    assert "0 files read, 5 unchanged, 0 skipped, 0 removed" in again.stdout
    assert f"{counts.group(2)} items (+0 -0)" in again.stdout
    assert "parsed again" not in again.stdout

    edited = tmp_path / "corpus.yaml"  # a curator's copy of the lexicon
    edited.write_text((PROJECT / "config" / "corpus.yaml").read_text("utf-8") + "\n# reviewed\n", "utf-8")
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus:\n  lexicon: {edited}\n", "utf-8")
    commented = csto_bot("load", "--db", str(db), env={"CSTO_CONFIG": str(config)})
    assert commented.returncode == 0, commented.stderr
    assert "0 files read, 5 unchanged" in commented.stdout  # a comment changes nothing the rules use

    lexicon = edited.read_text("utf-8").replace(
        "navigation_lines:\n", "navigation_lines:\n  - Print version\n"
    )
    edited.write_text(lexicon, "utf-8")
    reparsed = csto_bot("load", "--db", str(db), env={"CSTO_CONFIG": str(config)})
    assert reparsed.returncode == 0, reparsed.stderr
    assert "5 files read, 0 unchanged" in reparsed.stdout and "(+0 -0)" in reparsed.stdout
    assert "the rules or the lexicon changed: every page parsed again" in reparsed.stdout


def test_flags_beat_environment_variables_which_beat_the_config_file(tmp_path: Path) -> None:
    one_page, two_pages = tmp_path / "one", tmp_path / "two"
    one_page.mkdir()
    two_pages.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    shutil.copy(seeds[0], one_page)
    for seed in seeds[1:3]:
        shutil.copy(seed, two_pages)
    config = tmp_path / "mine.yaml"
    config.write_text(f"corpus:\n  dir: {SEEDS}\ndatabase:\n  path: {tmp_path / 'yaml.sqlite3'}\n")

    from_yaml = csto_bot("load", env={"CSTO_CONFIG": str(config)})
    assert "5 files read" in from_yaml.stdout and from_yaml.stdout.strip().endswith("yaml.sqlite3")

    env = {
        "CSTO_CONFIG": str(config),
        "CSTO_CORPUS_DIR": str(one_page),
        "CSTO_DB_PATH": str(tmp_path / "env.db"),
    }
    from_env = csto_bot("load", env=env)
    assert "1 files read" in from_env.stdout and from_env.stdout.strip().endswith("env.db")

    flags = csto_bot("load", "--corpus", str(two_pages), "--db", str(tmp_path / "flag.db"), env=env)
    assert flags.returncode == 0, flags.stderr
    assert "2 files read" in flags.stdout and flags.stdout.strip().endswith("flag.db")


def test_a_database_that_is_not_ours_is_refused_not_overwritten(tmp_path: Path) -> None:
    foreign = tmp_path / "notes.sqlite3"
    foreign.write_bytes(b"these are my notes, not a database" * 10)
    result = csto_bot("load", "--db", str(foreign))
    assert result.returncode == 1
    assert "is not a usable SQLite database" in result.stderr and "Traceback" not in result.stderr
    assert foreign.read_bytes().startswith(b"these are my notes")


def test_a_broken_config_file_is_exit_code_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("corpus: [unclosed\n")
    result = csto_bot("load", "--config", str(bad), "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"csto-bot: cannot read config file {bad}")


def test_the_commands_and_flags() -> None:
    assert parse_args([]).command == "run"
    assert parse_args(["rebuild"]).command == "rebuild"
    args = parse_args(
        ["console", "--db", "x.db", "--corpus", "c", "--config", "y.yaml", "--log-level", "DEBUG"]
    )
    assert (args.command, args.db, args.corpus, args.config, args.log_level) == (
        "console",
        "x.db",
        "c",
        "y.yaml",
        "DEBUG",
    )
    with pytest.raises(SystemExit):
        parse_args(["serve"])
