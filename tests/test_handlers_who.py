"""/who <name> on the seed corpus: typo-tolerant lookup, titles over time, latest mentions, choices."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.matching import CLOSE_MARGIN, PERSON_CUTOFF, SURE_MATCH, fold
from tests.rig import BotRig, running_bot, shown, single

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.timeout(60)]


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def bot(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotRig]:
    async with running_bot(tmp_path_factory.mktemp("who"), polling=False) as rig:
        yield rig


async def test_who_tasmagambetow_names_the_secretary_general(bot: BotRig) -> None:
    reply = single(await bot.handle("/who tasmagambetow"))
    assert reply.parse_mode == "HTML"
    assert reply.text and reply.text.startswith("<b>Imangali Tasmagambetov</b>\n")
    text = shown(reply)
    mentioned = re.search(r"Mentioned in (\d+) items", text)
    assert mentioned and int(mentioned.group(1)) >= 5

    titles = text.split("Titles\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert titles and all("Secretary General" in line for line in titles)
    assert titles[0].startswith("• CSTO Secretary General — 31 Oct 2025 · /doc ")
    title_days = re.findall(r" — (\d{1,2} \w{3} \d{4}) · /doc \d+$", "\n".join(titles), re.MULTILINE)
    assert len(title_days) == len(titles)  # each title with its date

    latest = text.split("Latest mentions\n", 1)[1]
    dated = re.findall(r"^• (\d{1,2} \w{3} \d{4}) · ", latest, re.MULTILINE)
    assert dated == ["31 Oct 2025", "23 Oct 2025", "30 Jun 2025"]  # three, newest first
    assert "«On October 31, 2025, in Astana, the CSTO Secretary General Imangali Tasmagambetov met" in latest
    assert latest.count("000_d0de08699f229ee4.txt") == 2  # each excerpt names its source
    assert re.findall(r"/doc \d+", latest)[0] in titles[0]  # the title links the item it is from


async def test_titles_link_the_item_they_come_from(bot: BotRig) -> None:
    """The newest title's /doc is the 31 October meeting, not some later-loaded item."""
    text = shown(single(await bot.handle("/who Tasmagambetov")))
    doc_id = re.search(r"• CSTO Secretary General — 31 Oct 2025 · /doc (\d+)", text)
    assert doc_id
    item = shown(single(await bot.handle(f"/doc {doc_id.group(1)}")))
    assert "31 Oct 2025" in item.splitlines()[1]
    assert "Kassym-Jomart Tokayev" in item


async def test_mention_count_is_the_same_in_the_list_and_the_profile(bot: BotRig) -> None:
    listing = shown(single(await bot.handle("/who")))
    profile = shown(single(await bot.handle("/who Imangali Tasmagambetov")))
    count = re.search(r"Mentioned in (\d+) items", profile)
    assert count and f"• Imangali Tasmagambetov — in {count.group(1)} items" in listing


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("tasmagambetow", "Imangali Tasmagambetov"),  # a typo
        ("TASMAGAMBETOV", "Imangali Tasmagambetov"),  # case
        ("Tasmagambétov", "Imangali Tasmagambetov"),  # an accent
        ("Tasmagambetov", "Imangali Tasmagambetov"),  # surname only
        ("imangali tasmagambetov", "Imangali Tasmagambetov"),
        ("Sergey Kuzhugetovich", "Sergey Shoigu"),  # first name + patronymic
        ("Nikolai Platonovich", "Nikolai Patrushev"),
        ("shoigu", "Sergey Shoigu"),
        ("Sergei Shoygu", "Sergey Shoigu"),  # another transliteration
        ("Tokaev", "Kassym-Jomart Tokayev"),
        ("Rakhmon", "Emomali Rahmon"),
        ("semerikov", "Valery Semerikov"),
        ("Тасмагамбетов", "Imangali Tasmagambetov"),  # Cyrillic
        ("Т" + "a" + "смaгaмбeтoв", "Imangali Tasmagambetov"),  # Latin a, e, o typed in it
    ],
)
async def test_spellings_find_their_person(bot: BotRig, query: str, name: str) -> None:
    reply = single(await bot.handle(f"/who {query}"))
    assert shown(reply).startswith(f"{name}\n")
    assert [label for row in reply.buttons() for label, _ in row] == ["Timeline"]  # no choice to make


async def test_first_name_and_patronymic_are_shown_as_another_spelling(bot: BotRig) -> None:
    text = shown(single(await bot.handle("/who Sergey Kuzhugetovich")))
    assert text.splitlines()[:3] == [
        "Sergey Shoigu",
        "Also written: Sergey Kuzhugetovich",
        "Mentioned in 1 item",
    ]
    assert "«Dear Sergey Kuzhugetovich!»" in text


async def test_close_candidates_become_buttons(bot: BotRig) -> None:
    reply = single(await bot.handle("/who Sa"))
    assert shown(reply).startswith("Several people match Sa — pick one:")
    buttons = [button for row in reply.buttons() for button in row]
    labels = [label for label, _ in buttons]
    assert {"Sadyr Japarov", "Safar Umarzoda"} <= set(labels)
    assert all(re.fullmatch(r"who:\d+", data or "") for _, data in buttons)

    edited = single(await bot.handle_press(reply, "Safar Umarzoda"), "editMessageText")
    assert edited.message_id == reply.response["message_id"]  # the choice becomes the profile in place
    assert shown(edited).startswith("Safar Umarzoda\n")
    assert "Head of the Department for Countering Challenges and Threats" in shown(edited)


async def test_no_match_says_so_and_offers_the_nearest_names(bot: BotRig) -> None:
    reply = single(await bot.handle("/who Zbigniew Brzezinski"))
    text = shown(reply)
    assert text.startswith("No one called Zbigniew Brzezinski in the corpus.\nClosest names:\n• ")
    assert 1 <= len(reply.buttons()) <= 5


async def test_a_title_finds_its_holders_newest_first(bot: BotRig) -> None:
    """Analysts ask for the post, not the name: the current holder comes first."""
    reply = single(await bot.handle("/who Secretary General"))
    text = shown(reply)
    assert text.startswith("No one is called Secretary General; people with that title, newest first:\n")
    lines = text.splitlines()[1:]
    assert lines[0].startswith("• Imangali Tasmagambetov — CSTO Secretary General — 31 Oct 2025 · /doc ")
    assert any(
        line.startswith("• Valery Semerikov — CSTO Deputy Secretary General — 14 Sep 2020") for line in lines
    )
    dates = [re.search(r" — (\d{1,2} \w{3} \d{4}) · /doc", line) for line in lines]
    days = [dt.datetime.strptime(found.group(1), "%d %b %Y") for found in dates if found]
    assert len(days) == len(lines)
    assert days == sorted(days, reverse=True)
    assert reply.buttons()[0][0][0] == "Imangali Tasmagambetov"
    profile = single(await bot.handle_press(reply, "Valery Semerikov"), "editMessageText")
    assert shown(profile).startswith("Valery Semerikov\n")


async def test_title_words_must_all_be_words_of_the_title(bot: BotRig) -> None:
    deputies = shown(single(await bot.handle("/who deputy secretary")))
    assert "Taalatbek Masadikov" in deputies and "Imangali Tasmagambetov" not in deputies
    hyphenated = shown(single(await bot.handle("/who secretary-general")))
    assert hyphenated.splitlines()[1].startswith("• Imangali Tasmagambetov")
    inside_a_word = shown(single(await bot.handle("/who eneral")))  # in "General", but not a word's start
    assert inside_a_word.startswith("No one called eneral in the corpus.")


async def test_who_alone_gives_the_usage_and_the_most_mentioned(bot: BotRig) -> None:
    reply = single(await bot.handle("/who"))
    text = shown(reply)
    assert text.startswith("Usage: /who <name>, e.g. /who Imangali Tasmagambetov\n\nMentioned most\n")
    assert text.split("Mentioned most\n", 1)[1].startswith("• Imangali Tasmagambetov — in ")
    assert reply.buttons()[0][0] == ("Imangali Tasmagambetov", reply.buttons()[0][0][1])


async def test_hostile_name_is_escaped(bot: BotRig) -> None:
    reply = single(await bot.handle("/who <b>&amp; Tasmagambetov</i>"))
    assert reply.ok  # the fake refuses malformed HTML like Telegram does


async def test_a_forged_person_button_has_expired(bot: BotRig) -> None:
    reply = single(await bot.handle("/who Sa"))
    calls = await bot.handle_press(reply, data="who:999999")
    answer = single(calls, "answerCallbackQuery")
    assert answer.params["text"] == "This button has expired — send the command again."
    assert not [c for c in calls if c.method in ("sendMessage", "editMessageText")]


async def test_an_exact_name_or_word_is_answered_as_the_fuzzy_search_would(bot: BotRig) -> None:
    """The shortcut for a name or word only one person has gives the same person as the full fuzzy
    resolution, for every name, alias and word of the seed corpus's people."""
    index = await bot.app.bot_data.people()
    queries = {
        q for p in index.people for written in (p.name, *p.aliases) for q in (written, *written.split())
    }
    shortcut_used = 0
    for query in sorted(queries):
        person, _ = index.resolve(query)
        matches = index.lookup(query)
        good = [m for m in matches if m.score >= PERSON_CUTOFF]
        close = [m for m in good if good[0].score - m.score <= CLOSE_MARGIN] if good else []
        fuzzy = (
            good[0].person
            if good and (len(close) == 1 or good[0].score >= SURE_MATCH > close[1].score)
            else None
        )
        assert person == fuzzy, query
        shortcut_used += person is not None and index._sole_owner.get(fold(query)) is not None
    assert shortcut_used >= len(index.people)  # every full name at least


async def test_a_name_or_word_shared_by_two_people_is_never_answered_by_the_shortcut() -> None:
    from bot.people_index import PeopleIndex
    from bot.records import PersonName

    people = [
        PersonName(1, "Ivan Petrov", (), 5),
        PersonName(2, "Oleg Petrov", ("Petrov",), 3),  # a one-word alias equal to a shared surname
        PersonName(3, "Anna Sidorova", (), 1),
    ]
    index = PeopleIndex(people)
    assert index.resolve("Petrov")[0] is None  # two people: offered as choices, not guessed
    assert index.resolve("petrov")[1] and len(index.resolve("petrov")[1]) >= 2
    assert index.resolve("Ivan Petrov")[0] == people[0]
    assert index.resolve("Sidorova")[0] == people[2]


async def test_two_lookups_during_a_rebuild_share_one_build(
    bot: BotRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warmer and a user's /who asking at once: the people are read once (seconds at 100k pages)."""
    services = bot.app.bot_data
    store = services.store
    real = store.person_names
    reads = 0

    async def counted() -> list:
        nonlocal reads
        reads += 1
        return await real()

    monkeypatch.setattr(store, "person_names", counted)
    services._people.forget()  # as after a load
    first, second = await asyncio.gather(services.people(), services.people())
    assert first is second and reads == 1
    assert "Imangali Tasmagambetov" in shown(single(await bot.handle("/who tasmagambetov")))


async def test_during_a_load_the_people_index_is_not_rebuilt_for_every_batch(
    bot: BotRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A long load changes the corpus every second or so; rebuilding the index (1.8 s at 100k pages) or
    the operations summary (3.4 s) for each /who or /operations would make every one of them during the
    start-up load wait for a rebuild."""
    services = bot.app.bot_data
    index, operations = await services.people(), await services.operations()
    monkeypatch.setattr(services, "loading", lambda: 1200)  # 1,200 documents read so far
    services.store._version += 1  # a batch was written
    assert await services.people() is index
    assert await services.operations() is operations
    assert "Imangali Tasmagambetov" in shown(single(await bot.handle("/who tasmagambetov")))
    monkeypatch.setattr("bot.services.REUSE_WHILE_LOADING", 0.0)
    rebuilt = await services.people()  # an index old enough is rebuilt, load or not
    assert rebuilt is not index
    monkeypatch.setattr("bot.services.REUSE_WHILE_LOADING", 60.0)
    monkeypatch.setattr(services, "loading", lambda: None)  # the load is over
    services.store._version += 1
    assert await services.people() is not rebuilt  # no load: the index follows the corpus at once
