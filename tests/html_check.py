"""Is this text a message Telegram would accept with parse_mode=HTML? A strict, shared check for tests.

    problems = html_problems(text)      # [] when Telegram would accept it
    assert_telegram_html(text)          # the same, as an assertion that lists what is wrong

Stricter than Telegram where our renderer promises more: the whole markup (not only the text a client
shows) fits in 4,096 UTF-16 code units, and no control character but \\t and \\n appears.
Telegram's HTML: https://core.telegram.org/bots/api#html-style — these tags, these attributes, nothing
else; tags balanced and properly nested; < > & escaped as &lt; &gt; &amp; (and &quot;, numeric refs).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from bot.html_text import strip_tags
from bot.render import Reply

MAX_MESSAGE = 4096  # UTF-16 code units

# Tag -> the attributes it may carry.
ALLOWED_TAGS: dict[str, frozenset[str]] = {
    "b": frozenset(),
    "strong": frozenset(),
    "i": frozenset(),
    "em": frozenset(),
    "u": frozenset(),
    "ins": frozenset(),
    "s": frozenset(),
    "strike": frozenset(),
    "del": frozenset(),
    "span": frozenset({"class"}),  # only class="tg-spoiler"
    "tg-spoiler": frozenset(),
    "a": frozenset({"href"}),
    "code": frozenset({"class"}),  # only class="language-…" inside <pre>
    "pre": frozenset(),
    "blockquote": frozenset({"expandable"}),
    "tg-emoji": frozenset({"emoji-id"}),
}
_BARE_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot);|#\d+;|#x[0-9a-fA-F]+;)")
_FORBIDDEN_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.shown: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = ALLOWED_TAGS.get(tag)
        if allowed is None:
            self.problems.append(f"tag <{tag}> is not Telegram HTML")
        else:
            for name, value in attrs:
                if name not in allowed:
                    self.problems.append(f"attribute {name!r} on <{tag}>")
                elif tag == "span" and value != "tg-spoiler":
                    self.problems.append(f"<span class={value!r}>")
                elif tag == "code" and (
                    not (value or "").startswith("language-") or self.stack[-1:] != ["pre"]
                ):
                    self.problems.append(f"<code class={value!r}> outside <pre>")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            self.problems.append(f"</{tag}> closes nothing")
        elif self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1]}>")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self.problems.append(f"unescaped bracket in {data[:40]!r}")
        self.shown.append(data)

    def handle_entityref(self, name: str) -> None:
        self.shown.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.shown.append(html.unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        self.problems.append("an HTML comment")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"a declaration <!{decl[:20]}>")

    def handle_pi(self, data: str) -> None:
        self.problems.append("a processing instruction")

    def unknown_decl(self, data: str) -> None:
        self.problems.append("an unknown declaration")


def html_problems(text: str) -> list[str]:
    """Everything Telegram (or our stricter renderer contract) would reject in ``text``; [] if none."""
    problems: list[str] = []
    if not isinstance(text, str) or not text.strip():
        return ["empty message"]
    if utf16_length(text) > MAX_MESSAGE:
        problems.append(f"{utf16_length(text)} UTF-16 units, over {MAX_MESSAGE}")
    if match := _FORBIDDEN_CHARS.search(text):
        problems.append(f"control character or lone surrogate {match.group()!r}")
    if match := _BARE_AMPERSAND.search(text):
        problems.append(f"bare & in {text[match.start() : match.start() + 20]!r}")
    checker = _Checker()
    checker.feed(text)
    checker.close()
    problems += checker.problems
    if checker.stack:
        problems.append(f"unclosed {checker.stack}")
    if not "".join(checker.shown).strip():
        problems.append("no visible text")
    return problems


def assert_telegram_html(text: str | None) -> None:
    problems = html_problems(text or "")
    assert not problems, f"not valid Telegram HTML: {problems}; text starts {(text or '')[:300]!r}"


__all__ = ["ALLOWED_TAGS", "MAX_MESSAGE", "assert_telegram_html", "html_problems", "utf16_length"]


def to_plain_text(reply: Reply) -> str:
    """A reply as a reader sees it: tags stripped, entities unescaped, buttons as numbered choices."""
    text = strip_tags(reply.text)
    rows: list[str] = []
    number = 0
    for row in reply.buttons:
        labels = []
        for button in row:
            number += 1
            labels.append(f"[{number}] {button.label}")
        rows.append("  ".join(labels))
    return f"{text}\n\n" + "\n".join(rows) if rows else text
