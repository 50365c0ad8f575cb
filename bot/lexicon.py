"""Load the curated corpus lexicon (config/corpus.yaml) into a bot.corpus Lexicon."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.config import DATA_ROOT
from bot.corpus.model import Lexicon

DEFAULT_LEXICON_PATH = DATA_ROOT / "config" / "corpus.yaml"
_LIST_KEYS = ("navigation_lines", "title_words", "non_name_words")
_FAMILY_KEYS = ("operation_families", "exercise_families")


class LexiconError(ValueError):
    """The lexicon file is missing, not YAML, or has the wrong shape."""


def _string_list(data: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = data.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise LexiconError(f"{path}: {key!r} must be a list of strings")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _families(data: dict[str, Any], key: str, path: Path) -> dict[str, tuple[str, ...]]:
    """canonical name -> other spellings: a mapping of names to lists of names (or to nothing)."""
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise LexiconError(f"{path}: {key!r} must map names to lists of spellings")
    out: dict[str, tuple[str, ...]] = {}
    for name, spellings in value.items():
        if not isinstance(name, str) or not name.strip():
            raise LexiconError(f"{path}: {key!r} has an empty or non-text name")
        out[name.strip()] = _string_list({key: spellings}, key, path)
    return out


def lexicon_from_mapping(data: dict[str, Any], source: Path = Path("<memory>")) -> Lexicon:
    """Build a Lexicon from parsed YAML, checking the shape."""
    if not isinstance(data, dict):
        raise LexiconError(f"{source}: the lexicon must be a mapping")
    unknown = set(data) - {*_LIST_KEYS, "aliases", *_FAMILY_KEYS}
    if unknown:
        raise LexiconError(f"{source}: unknown keys {sorted(unknown)}")
    aliases = data.get("aliases") or {}
    if not isinstance(aliases, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in aliases.items()
    ):
        raise LexiconError(f"{source}: 'aliases' must map names to names")
    return Lexicon(
        navigation_lines=_string_list(data, "navigation_lines", source),
        title_words=_string_list(data, "title_words", source),
        non_name_words=_string_list(data, "non_name_words", source),
        aliases={k.strip(): v.strip() for k, v in aliases.items() if k.strip() and v.strip()},
        operation_families=_families(data, "operation_families", source),
        exercise_families=_families(data, "exercise_families", source),
    )


def load_lexicon(path: Path = DEFAULT_LEXICON_PATH) -> Lexicon:
    """Read and validate the lexicon YAML; errors become LexiconError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LexiconError(f"{path}: cannot read lexicon: {exc}") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: invalid YAML: {exc}") from exc
    return lexicon_from_mapping(data or {}, path)
