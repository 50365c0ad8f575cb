"""The text a reader sees in Telegram HTML: tags dropped, entities unescaped.

One home for this, used where a reply is shown outside Telegram (the console) and where a message too
long for Telegram falls back to its bare words (render)."""

from __future__ import annotations

from html.parser import HTMLParser


class _TextParser(HTMLParser):
    """Keeps the text between tags; convert_charrefs turns "&lt;" back into "<"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def strip_tags(markup: str) -> str:
    """The plain text of Telegram HTML markup."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)
