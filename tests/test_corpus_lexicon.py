"""The curated lexicon file and its loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.lexicon import DEFAULT_LEXICON_PATH, LexiconError, load_lexicon


def test_shipped_lexicon_loads_with_its_sections() -> None:
    lex = load_lexicon(DEFAULT_LEXICON_PATH)
    assert "Go back" in lex.navigation_lines
    assert {"President", "Secretary", "Minister", "Head", "Deputy"} <= set(lex.title_words)
    assert {"Organization", "Republic", "Federation"} <= set(lex.non_name_words)
    assert all(isinstance(v, str) for v in lex.aliases.values())


def test_default_path_is_the_project_config() -> None:
    assert DEFAULT_LEXICON_PATH == Path(__file__).resolve().parent.parent / "config" / "corpus.yaml"


def test_minimal_file_loads(tmp_path: Path) -> None:
    path = tmp_path / "corpus.yaml"
    path.write_text("title_words: [Governor]\naliases:\n  Ivan Ivanovich: Ivan Ivanov\n", encoding="utf-8")
    lex = load_lexicon(path)
    assert lex.title_words == ("Governor",)
    assert lex.navigation_lines == ()
    assert lex.aliases == {"Ivan Ivanovich": "Ivan Ivanov"}


def test_empty_file_is_an_empty_lexicon(tmp_path: Path) -> None:
    path = tmp_path / "corpus.yaml"
    path.write_text("", encoding="utf-8")
    assert load_lexicon(path).title_words == ()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("title_words: President\n", "list of strings"),
        ("aliases: [a, b]\n", "aliases"),
        ("titles: [President]\n", "unknown keys"),
        ("- just\n- a list\n", "mapping"),
        ("title_words: [unclosed\n", "invalid YAML"),
    ],
)
def test_malformed_files_raise_lexicon_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "corpus.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LexiconError, match=message):
        load_lexicon(path)


def test_missing_file_raises_lexicon_error(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="cannot read"):
        load_lexicon(tmp_path / "absent.yaml")
