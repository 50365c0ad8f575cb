"""CI: the wheel works outside the checkout, and carries the bot and nothing else.

    python .ci/check_wheel.py      (from any environment with pip; the project's .venv in .ci/run)

Builds the wheel from this tree, checks its file list (every package of bot/ and handlers/, the shipped
settings, lexicon and seed corpus; no bench/, tests/ or fake Bot API), installs it into a fresh virtual
environment, and in an empty folder runs `csto-bot load` and a scripted `csto-bot console` session,
as someone who ran `pipx install .` would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_DATA = (
    {"bot/_data/config/default.yaml", "bot/_data/config/corpus.yaml"}
    | {f"bot/_data/seeds/{page.name}" for page in (ROOT / "seeds").glob("*.txt")}
    | {mo.relative_to(ROOT).as_posix() for mo in (ROOT / "bot" / "locale").rglob("*.mo")}  # the catalogs
)
TOP_LEVEL = {"bot", "handlers"}  # besides the .dist-info folder
CONSOLE_SESSION = "/latest 1\n/who tasmagambetov\nquit\n"
CONSOLE_ANSWERS = ("Latest 1 of ", "Tasmagambetov")
RUSSIAN_ANSWERS = ("Последние 1 из ", "Упоминается в")  # `csto-bot console --lang ru`: the catalog


def fail(message: str) -> None:
    sys.exit(f"check_wheel: {message}")


def run(command: list[str], cwd: Path, env: dict[str, str], stdin: str = "") -> str:
    done = subprocess.run(
        command, check=False, cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=120
    )
    if done.returncode != 0:
        fail(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def build_wheel(out: Path) -> Path:
    """pip wheel from this tree; setuptools' build/ folder is removed before and after, or files of an
    earlier build could slip into this one."""
    for leftover in (ROOT / "build", ROOT / "csto_bot.egg-info"):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", ".", "-w", str(out)],
            ROOT,
            dict(os.environ),
        )
    finally:
        shutil.rmtree(ROOT / "build", ignore_errors=True)
    (wheel,) = out.glob("csto_bot-*.whl")
    return wheel


def source_packages() -> set[str]:
    """Every package folder of bot/ and handlers/ in the checkout, as a path in the wheel."""
    return {
        init.parent.relative_to(ROOT).as_posix()
        for top in TOP_LEVEL
        for init in (ROOT / top).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }


def check_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {name.split("/", 1)[0] for name in names if not name.split("/", 1)[0].endswith(".dist-info")}
    if tops != TOP_LEVEL:
        fail(
            f"the wheel's top level is {sorted(tops)}, expected {sorted(TOP_LEVEL)} (no bench, tests, fakebotapi)"
        )
    missing = sorted(SHIPPED_DATA - names) + sorted(
        f"{package}/__init__.py" for package in source_packages() if f"{package}/__init__.py" not in names
    )
    if missing:
        fail(f"missing from the wheel (a new package goes in pyproject.toml's list): {missing}")


def check_installed(wheel: Path, work: Path) -> None:
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    python = venv / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", str(wheel)]
    run(install, work, dict(os.environ))
    folder = work / "empty"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CSTO_", "TELEGRAM_", "PYTHON"))}
    csto_bot = str(venv / "bin" / "csto-bot")

    loaded = run([csto_bot, "load"], folder, env | {"CSTO_DB_PATH": str(folder / "loaded.sqlite3")})
    if "5 files read" not in loaded or not (folder / "loaded.sqlite3").is_file():
        fail(f"`csto-bot load` did not load the shipped seed corpus:\n{loaded}")

    said = run([csto_bot, "console"], folder, env, stdin=CONSOLE_SESSION)  # the default database path
    if not all(answer in said for answer in CONSOLE_ANSWERS):
        fail(f"`csto-bot console` did not answer {CONSOLE_ANSWERS}:\n{said}")
    said = run([csto_bot, "console", "--lang", "ru"], folder, env, stdin=CONSOLE_SESSION)
    if not all(answer in said for answer in RUSSIAN_ANSWERS):
        fail(f"`csto-bot console --lang ru` did not answer {RUSSIAN_ANSWERS}:\n{said}")
    if not (folder / "data" / "csto.sqlite3").is_file():
        fail("the default database is not in the working directory (data/csto.sqlite3)")
    written = list((venv / "lib").rglob("*.sqlite3*"))
    if written:
        fail(f"the bot wrote inside its installation: {written}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="csto-wheel-") as temp:
        work = Path(temp)
        wheel = build_wheel(work / "dist")
        check_contents(wheel)
        check_installed(wheel, work)
        print(f"check_wheel: {wheel.name} carries the bot only, and runs installed (load, console)")


if __name__ == "__main__":
    main()
