"""Alerts across languages, end to end through the fake Bot API: a person: filter written in one script
alerts about mentions in the other (one person key across spellings and scripts, as /who), and an
alert or a digest is written in the language the chat chose with /language (English without a choice).
The pages are made up."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from fakebotapi import Call, FakeBotApi
from tests.rig import (
    ADMIN,
    GROUP,
    TOKEN,
    command,
    drop_page,
    running_app,
    settings_for,
    settle,
    subscribe,
)

pytestmark = pytest.mark.timeout(60)

ENGLISH_PAGE = """News of the Alliance

12.03.2024
The Chief of the Joint Staff of the Alliance Andrei Serdyukov held a briefing on joint training in Minsk.
"""
RUSSIAN_PAGE = """Новости Союза

15.03.2024
Начальник Объединенного штаба Союза Андрей Сердюков провел совещание с офицерами в Ереване.
"""
NEIGHBOUR_PAGE = """News of the Alliance

18.03.2024
The Deputy Secretary General of the Alliance Irina Serdyukova visited the headquarters in Astana.
"""
BASE_PAGE = """News of the Alliance

01.03.2024
The Secretary General of the Alliance Viktor Zorin met the ambassadors in Dushanbe.
"""
HEADERS = {"en": "<b>New in the corpus</b>", "ru": "<b>Новое в архиве</b>"}
CYRILLIC_FILTER, LATIN_FILTER, EVERY_ITEM, RUSSIAN_CHAT, ENGLISH_CHAT = 61, 62, 63, 64, 65


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN) as server:
        server.set_admins(GROUP, [ADMIN])
        yield server


def alerts(api: FakeBotApi, after: int) -> list[Call]:
    """Alert messages in either language sent since `after`."""
    return [
        c
        for c in api.calls()[after:]
        if c.method == "sendMessage" and c.ok and (c.text or "").startswith(tuple(HEADERS.values()))
    ]


async def wait_for_alerts(api: FakeBotApi, chats: set[int], after: int) -> dict[int | str | None, str]:
    """Wait until each of `chats` got an alert since `after`; the text each chat got."""
    await api.wait_for(
        "sendMessage",
        lambda c: c.chat_id in chats and (c.text or "").startswith(tuple(HEADERS.values())),
        count=len(chats),
        after=after,
    )
    return {c.chat_id: c.text or "" for c in alerts(api, after)}


async def test_a_person_filter_in_one_script_alerts_about_mentions_in_the_other(
    api: FakeBotApi, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "000_base.txt").write_text(BASE_PAGE, "utf-8")
    settings = settings_for(tmp_path, api, corpus=corpus)
    async with running_app(settings) as app:
        await subscribe(api, CYRILLIC_FILTER, "person:Сердюков")
        await subscribe(api, LATIN_FILTER, "person:Serdyukov")
        await subscribe(api, EVERY_ITEM)  # tells when a page was loaded

        mark = api.mark()
        drop_page(corpus, "001_en.txt", ENGLISH_PAGE.encode())
        got = await wait_for_alerts(api, {CYRILLIC_FILTER, LATIN_FILTER, EVERY_ITEM}, mark)
        await settle(app)
        assert set(got) == {CYRILLIC_FILTER, LATIN_FILTER, EVERY_ITEM}
        assert all("Minsk" in text for text in got.values())

        mark = api.mark()
        drop_page(corpus, "002_ru.txt", RUSSIAN_PAGE.encode())
        got = await wait_for_alerts(api, {CYRILLIC_FILTER, LATIN_FILTER, EVERY_ITEM}, mark)
        await settle(app)
        assert set(got) == {CYRILLIC_FILTER, LATIN_FILTER, EVERY_ITEM}
        assert all("Ереване" in text for text in got.values())

        # A woman of a near surname is someone else: /who Serdyukov answers him, and so does the filter.
        mark = api.mark()
        drop_page(corpus, "003_neighbour.txt", NEIGHBOUR_PAGE.encode())
        await wait_for_alerts(api, {EVERY_ITEM}, mark)
        await settle(app)
        assert {c.chat_id for c in alerts(api, mark)} == {EVERY_ITEM}


async def test_alerts_and_digests_are_written_in_the_language_the_chat_chose(
    api: FakeBotApi, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "000_base.txt").write_text(BASE_PAGE, "utf-8")
    settings = settings_for(tmp_path, api, corpus=corpus, alert_digest_from=1)
    async with running_app(settings) as app:
        await subscribe(api, RUSSIAN_CHAT, "person:Serdyukov", language_code="en")
        chosen = await command(api, RUSSIAN_CHAT, "/language ru", language_code="en")
        assert "ru" in (chosen.text or "") or "рус" in (chosen.text or "").casefold()
        # No choice: English, even for a user whose Telegram speaks Russian (a chat has no one language).
        subscribed = await command(api, ENGLISH_CHAT, "/subscribe person:Serdyukov", language_code="ru")
        assert (subscribed.text or "").startswith("Подписка оформлена")

        mark = api.mark()
        drop_page(corpus, "001_en.txt", ENGLISH_PAGE.encode())
        got = await wait_for_alerts(api, {RUSSIAN_CHAT, ENGLISH_CHAT}, mark)
        await settle(app)
        assert got[RUSSIAN_CHAT].startswith(HEADERS["ru"] + "\n")
        assert got[ENGLISH_CHAT].startswith(HEADERS["en"] + "\n")

        # Two new items at once pass alerts.digest_from = 1: one digest, in the chat's language.
        mark = api.mark()
        drop_page(
            corpus, "002_ru.txt", (RUSSIAN_PAGE + "\n" + ENGLISH_PAGE.replace("Minsk", "Bishkek")).encode()
        )
        got = await wait_for_alerts(api, {RUSSIAN_CHAT, ENGLISH_CHAT}, mark)
        await settle(app)
        assert got[RUSSIAN_CHAT].startswith(HEADERS["ru"] + "\n2 новых материала")
        assert got[ENGLISH_CHAT].startswith(HEADERS["en"] + "\n2 new items")
