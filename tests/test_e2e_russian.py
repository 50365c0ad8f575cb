"""Replies in the user's language, end to end: the real bot against the fake Bot API, a Russian-speaking
user, a group that chose Russian with /language, the command menu per language_code, and the console."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

import handlers
from bot.config import load_settings
from bot.console import run_console
from bot.i18n import translator
from tests.html_check import assert_telegram_html
from tests.rig import ADMIN, GROUP, MEMBER, SEEDS, BotRig, running_bot, shown, single

pytestmark = pytest.mark.asyncio(loop_scope="module")

RU_MONTH = re.compile(
    r"\d{1,2} (января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря) \d{4}"
)
EN_MONTH = re.compile(r"\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}")
RU_USER = 77  # a private chat with a user whose Telegram speaks Russian


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    async with running_bot(tmp_path_factory.mktemp("ru"), polling=False) as rig:
        rig.api.set_admins(GROUP, [ADMIN])
        yield rig


async def say(bot: BotRig, text: str, *, language_code: str | None = "ru", **where: Any) -> str:
    """Send `text` in-process and return the one reply's HTML, checked as Telegram would."""
    reply = single(await bot.handle(text, language_code=language_code, **{"chat_id": RU_USER, **where}))
    assert reply.text is not None
    assert_telegram_html(reply.text)
    return reply.text


def has_cyrillic_sentence(text: str) -> bool:
    return re.search(r"[А-Яа-яЁё]{3,}", text) is not None


async def test_a_russian_speaking_user_gets_start_and_help_in_russian(bot: BotRig) -> None:
    for command in ("/start", "/help"):
        text = await say(bot, command)
        assert text.startswith("<b>Открытые материалы ОДКБ</b>\n")
        assert "материал" in text and "документ" in text and RU_MONTH.search(text)
        assert "<code>/latest</code> — Сначала новые материалы" in text
        assert "<code>/language</code> — Язык ответов: ru, en или auto" in text
        assert "например <code>/who tasmagambetov</code>" in text
        assert "Commands" not in text and "Newest items first" not in text


async def test_latest_who_and_not_found_in_russian_with_russian_dates(bot: BotRig) -> None:
    latest = await say(bot, "/latest 3")
    assert latest.startswith("<b>Последние 3 из 16 материалов</b> — с датой: 10, без даты: 6")
    assert RU_MONTH.search(latest) and not EN_MONTH.search(latest)

    who = await say(bot, "/who tasmagambetov")
    assert who.startswith("<b>Imangali Tasmagambetov</b>")  # the corpus is not translated
    assert "Упоминается в " in who and "<b>Должности</b>" in who and "<b>Последние упоминания</b>" in who
    assert RU_MONTH.search(who)

    missing = await say(bot, "/who Zzyzxqv")
    assert missing.startswith("В архиве нет никого по имени <b>Zzyzxqv</b>.")

    search = await say(bot, "/search mercenary")
    assert search.startswith("Результаты 1–")
    assert "по запросу <b>mercenary</b>" in search

    assert (await say(bot, "/latest abc")).startswith("Как использовать: /latest [n]")
    assert (await say(bot, "/nonsense")).startswith("Такой команды я не знаю.")


async def test_the_same_commands_in_english_for_everyone_else(bot: BotRig) -> None:
    """The answers are cached per language: a Russian answer is never served to an English user."""
    for language_code in ("ru", "en", None, "de"):
        text = await say(bot, "/latest 3", language_code=language_code, chat_id=RU_USER + 1)
        assert text.startswith("<b>Последние" if language_code == "ru" else "<b>Latest 3 of 16 items</b>")
    assert (await say(bot, "/who Zzyzxqv", language_code="en-GB")).startswith("No one called")


async def test_a_group_that_chose_russian_answers_everyone_in_russian(bot: BotRig) -> None:
    group: dict[str, Any] = {"chat_id": GROUP, "chat_type": "supergroup"}
    assert (await say(bot, "/stats", language_code="en", user_id=MEMBER, **group)).startswith("<b>Corpus</b>")

    refused = await say(bot, "/language ru", language_code="en", user_id=MEMBER, **group)
    assert refused == "Only group admins can change the language of this group."

    chosen = await say(bot, "/language ru", language_code="en", user_id=ADMIN, **group)
    assert chosen.startswith("Язык ответов в этом чате: русский.")

    for user_id, language_code in ((MEMBER, "en"), (ADMIN, None), (MEMBER, "de")):
        stats = await say(bot, "/stats", language_code=language_code, user_id=user_id, **group)
        assert stats.startswith("<b>Архив</b>\nДокументов: 5")
    help_text = await say(bot, "/help", language_code="en", user_id=MEMBER, **group)
    assert help_text.startswith("<b>Открытые материалы ОДКБ</b>")

    # Kept in the store: a new bot process (the cache emptied) still answers in Russian.
    bot.app.bot_data._chat_languages.clear()
    assert await bot.app.bot_data.store.chat_language(GROUP) == "ru"
    assert (await say(bot, "/stats", language_code="en", user_id=MEMBER, **group)).startswith("<b>Архив</b>")

    back = await say(bot, "/language auto", language_code="en", user_id=ADMIN, **group)
    assert back.startswith("Replies in this chat follow each user's Telegram language")
    assert (await say(bot, "/stats", language_code="en", user_id=MEMBER, **group)).startswith("<b>Corpus</b>")
    assert await bot.app.bot_data.store.chat_language(GROUP) is None


async def test_the_language_command_in_a_private_chat(bot: BotRig) -> None:
    chat: dict[str, Any] = {"chat_id": RU_USER + 2}
    status = await say(bot, "/language", **chat)
    assert status.startswith("Ответы в этом чате — на языке Telegram каждого пользователя")
    assert "<code>/language ru</code>" in status

    english = await say(bot, "/language EN", **chat)  # a Russian speaker may choose English
    assert english.startswith("Replies in this chat are in English.")
    assert (await say(bot, "/who Zzyzxqv", **chat)).startswith("No one called")

    assert (await say(bot, "/language fr", **chat)).startswith("Usage: /language ru | en | auto")
    assert (await say(bot, "/language ru", language_code="en", **chat)).startswith(
        "Язык ответов в этом чате: русский."
    )


async def test_the_command_menu_is_set_in_english_and_in_russian(bot: BotRig) -> None:
    menus = {c.params.get("language_code"): c.params["commands"] for c in bot.api.calls("setMyCommands")}
    assert set(menus) == {None, "ru"}
    names = [c.name for m in handlers.MODULES for c in m.COMMANDS if c.in_menu]
    ru = translator("ru")
    for menu in menus.values():
        assert [c["command"] for c in menu] == names
    english = {c["command"]: c["description"] for c in menus[None]}
    russian = {c["command"]: c["description"] for c in menus["ru"]}
    assert english["latest"] == "Newest items first" and russian["latest"] == "Сначала новые материалы"
    assert russian["language"] == "Язык ответов: ru, en или auto"
    assert all(has_cyrillic_sentence(text) for text in russian.values())
    assert all(russian[name] == ru._(english[name]) != english[name] for name in names)


async def test_a_button_press_answers_in_the_presser_s_language(bot: BotRig) -> None:
    choices = single(await bot.handle("/who Sa", language_code="ru"))
    assert choices.text is not None and choices.text.startswith("Под запрос <b>Sa</b> подходят несколько")
    data = choices.buttons()[0][0][1]
    edited = single(await bot.handle_press(choices, data=data, language_code="ru"), "editMessageText")
    assert "Упоминается в 1 материале" in shown(edited)
    expired = single(
        await bot.handle_press(choices, data="who:999999", language_code="ru"), "answerCallbackQuery"
    )
    assert expired.params["text"] == "Эта кнопка устарела — отправьте команду ещё раз."


async def test_a_russian_console_session_end_to_end(tmp_path: Path) -> None:
    settings = dataclasses.replace(
        load_settings(env={}, corpus=SEEDS, db=tmp_path / "console.sqlite3"), watch=False
    )
    out = io.StringIO()
    session = io.StringIO("/help\n/latest 2\n/who tasmagambetov\n/who Zzyzxqv\n/who Sa\n9\n1\n/stats\nquit\n")
    assert await run_console(settings, session, out, language="ru") == 0
    transcript = out.getvalue()
    banner, *said = [part.strip() for part in transcript.split("\n> ")]
    assert banner.startswith("Консоль csto-bot: введите /help")
    help_text, latest, who, missing, choices, no_button, chosen, stats, _ = said
    assert help_text.startswith("Открытые материалы ОДКБ\n")
    assert latest.startswith(
        "Последние 2 из 16 материалов — с датой: 10, без даты: 6\nМатериалы без даты: /latest undated\n\n1. 31 октября 2025"
    )
    assert who.startswith("Imangali Tasmagambetov\n") and "Упоминается в" in who
    assert missing.startswith("В архиве нет никого по имени Zzyzxqv.")
    assert choices.startswith("Под запрос Sa подходят несколько человек — выберите одного:")
    assert no_button.startswith("(кнопки 9 нет: у последнего сообщения кнопки 1–")
    assert chosen.startswith("(edited)\n") and "Упоминается в 1 материале" in chosen
    assert stats.startswith("Архив\nДокументов: 5")
