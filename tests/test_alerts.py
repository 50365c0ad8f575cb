"""Alerts end to end: the real bot polls FakeBotApi, pages land in a temp corpus folder, and the tests
count what Telegram would have received. Every wait is bounded (tests.rig.WAIT)."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot import corpus_sync, delivery
from bot.loader import Loader
from fakebotapi import Call, FakeBotApi
from tests.loader_hooks import delay_parsing
from tests.rig import (
    ADMIN,
    GROUP,
    MASADIKOV,
    MEMBER,
    TOKEN,
    alerts_sent,
    command,
    drop_page,
    make_corpus,
    running_app,
    seed_bytes,
    sender,
    settings_for,
    settle,
    store_of,
    subscribe,
    sync,
    until,
    wait_alerts,
)

pytestmark = pytest.mark.timeout(60)

PRIVATE, OTHER_PRIVATE = 42, 43
NEW_PAGE = "003_new.txt"


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN) as server:
        server.set_admins(GROUP, [ADMIN])
        yield server


def doc_ids(calls: list[Call]) -> list[int]:
    return [int(n) for c in calls for n in re.findall(r"/doc (\d+)", c.text or "")]


def per_chat(calls: list[Call]) -> Counter[Any]:
    return Counter(c.chat_id for c in calls)


def bot_member_update(chat: dict[str, Any], status: str) -> dict[str, Any]:
    """A my_chat_member update: the bot's own membership in `chat` changed to `status`."""
    bot = {"id": 999, "is_bot": True, "first_name": "CSTO test bot", "username": "csto_test_bot"}
    new: dict[str, Any] = {"status": status, "user": bot}
    if status == "kicked":
        new["until_date"] = 0
    return {
        "my_chat_member": {
            "chat": chat,
            "from": {"id": ADMIN, "is_bot": False, "first_name": "Admin"},
            "date": int(time.time()),
            "old_chat_member": {"status": "member", "user": bot},
            "new_chat_member": new,
        }
    }


# ---------------------------------------------------------------------------------------------- delivery


async def test_admin_group_and_private_chat_get_exactly_one_alert_each(
    api: FakeBotApi, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, api)
    async with running_app(settings) as app:
        refused = await command(api, GROUP, "/subscribe", user_id=MEMBER, chat_type="supergroup")
        assert refused.text == "Only group admins can change the alerts of this group."
        await subscribe(api, GROUP, user_id=ADMIN, chat_type="supergroup")
        await subscribe(api, PRIVATE)
        await command(api, OTHER_PRIVATE, "/subscriptions")  # a chat the bot knows, not subscribed
        mark = api.mark()

        dropped = drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        sent = await wait_alerts(api, 2, after=mark)
        await settle(app)

        sent = alerts_sent(api, mark)
        assert per_chat(sent) == {GROUP: 1, PRIVATE: 1}
        for call in sent:
            assert MASADIKOV in (call.text or "") and NEW_PAGE in (call.text or "")
            assert len(doc_ids([call])) == 1  # the four teasers 003 shares with 000 are not news
            assert call.parse_mode == "HTML" and call.message_thread_id is None
        assert await store_of(app).outbox_states() == {"sent": 2}
        latency = max(c.at for c in sent) - dropped
        assert latency < settings.watch_debounce_ms / 1000 + 2.0
        print(
            f"\nfile renamed in -> last alert sent: {latency * 1000:.0f} ms "
            f"(debounce {settings.watch_debounce_ms} ms)"
        )
    menu = [c["command"] for c in api.calls("setMyCommands")[0].params["commands"]]
    assert {"subscribe", "unsubscribe", "subscriptions"} <= set(menu)


async def test_filters_decide_what_each_chat_gets(api: FakeBotApi, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, api)
    async with running_app(settings) as app:
        await subscribe(api, 51, "person:masadikow")  # fuzzy, as /who: a typo still matches
        await subscribe(api, 52, 'nonexistentzzz "collective security summit in paris" a.*z')
        await subscribe(api, 53, "op:chanel")
        await subscribe(api, 54, "Eurasia")
        mark = api.mark()
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        await wait_alerts(api, 2, after=mark)
        await settle(app)
        assert per_chat(alerts_sent(api, mark)) == {51: 1, 54: 1}

        mark = api.mark()
        drop_page(settings.corpus_dir, "001_new.txt", seed_bytes("001"))  # its article names Channel
        await wait_alerts(api, 1, after=mark, where=lambda c: c.chat_id == 53)
        await settle(app)
        assert 52 not in per_chat(alerts_sent(api))  # a filter that matches nothing sends nothing
        assert 51 not in per_chat(alerts_sent(api, mark))


async def test_no_backlog_and_a_repeated_teaser_is_not_news(api: FakeBotApi, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, api, corpus=make_corpus(tmp_path, "000", "001"))
    async with running_app(settings) as app:
        await subscribe(api, PRIVATE)
        await until(lambda: sync(app).loads >= 1, what="the start-up load (the watcher was up before it)")
        await settle(app)
        assert alerts_sent(api) == []  # nine items already in the corpus: none is sent

        drop_page(settings.corpus_dir, "004_new.txt", seed_bytes("004"))  # 001's teasers + a new article
        [alert] = await wait_alerts(api, 1)
        assert len(doc_ids([alert])) == 1 and "Cronos.Asia" not in (alert.text or "")

        await subscribe(api, OTHER_PRIVATE)  # subscribes after the item arrived: never sees it
        loads = sync(app).loads
        drop_page(settings.corpus_dir, "004_copy.txt", seed_bytes("004"))  # the same page again
        await until(lambda: sync(app).loads > loads, what="the copy's load")
        await settle(app)
        assert per_chat(alerts_sent(api)) == {PRIVATE: 1}
        assert await store_of(app).outbox_states() == {"sent": 1}


async def test_the_operations_summary_is_built_after_start_up_and_after_a_new_file_unasked(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 100k pages the summary is seconds of SQL: the watcher's warmer pays it, not the next user."""
    settings = settings_for(tmp_path, api, corpus=make_corpus(tmp_path, "002"))
    async with running_app(settings) as app:
        store, summary = store_of(app), app.bot_data._operations
        await until(  # start-up leaves the summary to the warmer: it is built with no one asking
            lambda: summary.value is not None and summary.version == store._version,
            what="the operations summary at start-up",
        )
        assert "Mercenary" not in (await command(api, PRIVATE, "/operations")).text  # type: ignore[operator]
        loads = sync(app).loads
        drop_page(settings.corpus_dir, "001_new.txt", seed_bytes("001"))  # names the four operations
        await until(lambda: sync(app).loads > loads, what="the new file's load")
        await until(
            lambda: summary.value is not None and summary.version == store._version,
            what="the operations summary to be rebuilt",
        )

        async def no_sql(sql: str, *args: object) -> list[tuple[object, ...]]:
            raise AssertionError(f"/operations queried the database: {sql}")

        monkeypatch.setattr(store, "_fetchall", no_sql)
        listing = (await command(api, PRIVATE, "/operations")).text or ""
    assert all(name in listing for name in ("Channel", "Illegal", "Mercenary", "Proxy"))


async def test_stopping_does_not_wait_for_the_warmer(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Rebuilding caches can take seconds at 100k pages; a stop cancels it instead of waiting it out."""
    started = asyncio.Event()

    async def slow_warm_up(self: object) -> None:
        started.set()
        await asyncio.sleep(60)

    monkeypatch.setattr("bot.services.Services.warm_up", slow_warm_up)
    with caplog.at_level(logging.WARNING):
        async with running_app(settings_for(tmp_path, api)):
            await asyncio.wait_for(started.wait(), 8)
    assert not [r for r in caplog.records if "did not finish" in r.getMessage()]  # not waited out
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_restart_sends_nothing_twice_and_a_file_added_while_down_is_alerted_once(
    api: FakeBotApi, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, api)
    async with running_app(settings) as app:
        await subscribe(api, PRIVATE)
        await subscribe(api, GROUP, user_id=ADMIN, chat_type="supergroup")
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        first = await wait_alerts(api, 2)
        await settle(app)

    (settings.corpus_dir / "002_while_down.txt").write_bytes(seed_bytes("002"))  # the bot is down
    mark = api.mark()
    async with running_app(settings) as app:
        await until(lambda: any(c.chat_id == PRIVATE for c in alerts_sent(api, mark)), what="catch-up")
        await settle(app)
        caught_up = alerts_sent(api, mark)
        assert per_chat(caught_up) == {PRIVATE: 1, GROUP: 1}  # 002's five items batched in one message
        for chat in (PRIVATE, GROUP):
            ids = doc_ids([c for c in caught_up if c.chat_id == chat])
            assert len(ids) == len(set(ids)) == 5 and not set(ids) & set(doc_ids(first))

    mark = api.mark()
    async with running_app(settings) as app:
        await until(lambda: sync(app).loads >= 1, what="the start-up load (the watcher was up before it)")
        await settle(app)
        assert alerts_sent(api, mark) == []


async def test_killed_between_ingest_and_send_delivers_each_pending_alert_once(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path, api)

    async def sender_never_runs(self: delivery.Delivery) -> int:
        return 0

    monkeypatch.setattr(delivery.Delivery, "deliver_due", sender_never_runs)
    async with running_app(settings) as app:
        await subscribe(api, PRIVATE)
        await subscribe(api, GROUP, sender_chat=GROUP, chat_type="supergroup")  # an anonymous admin
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        await until(lambda: _pending_is(app, 2), what="two queued alerts")
    assert alerts_sent(api) == []  # "killed": ingested and queued, nothing sent

    monkeypatch.undo()
    async with running_app(settings) as app:
        await wait_alerts(api, 2)
        await settle(app)
        assert per_chat(alerts_sent(api)) == {PRIVATE: 1, GROUP: 1}

    async with running_app(settings) as app:
        await settle(app)
    assert per_chat(alerts_sent(api)) == {PRIVATE: 1, GROUP: 1}


async def test_offline_pages_load_and_their_alerts_wait_for_the_real_bot(
    api: FakeBotApi, tmp_path: Path
) -> None:
    """The console runs the bot with no Updater: the corpus is still watched and loaded and the alerts
    queued, but nothing is sent until `csto-bot run` starts; then each alert goes out once."""
    settings = settings_for(tmp_path, api)
    async with running_app(settings, polling=False) as app:
        await store_of(app).subscribe(PRIVATE, None, ())
        assert app.bot_data.delivery is None and app.bot_data.corpus_sync is not None
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        await until(lambda: _pending_is(app, 1), what="a queued alert")
    assert alerts_sent(api) == [] and app.bot_data.corpus_sync is None  # stopped with the bot

    async with running_app(settings) as app:
        [alert] = await wait_alerts(api, 1)
        await settle(app)
    assert MASADIKOV in (alert.text or "") and per_chat(alerts_sent(api)) == {PRIVATE: 1}


async def _pending_is(app: Any, count: int) -> bool:
    return await store_of(app).pending_alert_count() == count


async def test_an_item_removed_before_its_alert_is_dropped_not_sent(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path, api)

    async def sender_paused(self: delivery.Delivery) -> int:
        return 0

    async with running_app(settings) as app:
        await subscribe(api, PRIVATE)
        monkeypatch.setattr(delivery.Delivery, "deliver_due", sender_paused)
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        await until(lambda: _pending_is(app, 1), what="a queued alert")
        (settings.corpus_dir / NEW_PAGE).unlink()
        await until(lambda: _stats_items(app, 5), what="the item's removal")
        monkeypatch.undo()
        sender(app).wake()
        await settle(app)
        assert alerts_sent(api) == []
        assert await store_of(app).outbox_states() == {"dropped": 1}


async def _stats_items(app: Any, count: int) -> bool:
    return (await store_of(app).stats()).items == count


async def test_many_chats_are_served_under_the_rate_limit(api: FakeBotApi, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, api)
    chats = range(1001, 1041)
    async with running_app(settings) as app:
        for chat in chats:
            await store_of(app).subscribe(chat, None, ())
        api.limit_rate(per_second=30)
        started = drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        sent = await wait_alerts(api, len(chats), timeout=15)
        await settle(app)
        assert per_chat(alerts_sent(api)) == dict.fromkeys(chats, 1)
        print(
            f"\n{len(chats)} chats served in {max(c.at for c in sent) - started:.2f}s, "
            f"{api.rate_limited} answered 429 by the fake"
        )


# ---------------------------------------------------------------------------------------------- failures


async def test_a_blocked_chat_is_unsubscribed_and_the_others_still_receive(
    api: FakeBotApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.delivery")
    settings = settings_for(tmp_path, api)
    async with running_app(settings) as app:
        for chat in (PRIVATE, OTHER_PRIVATE):
            await subscribe(api, chat)
        await subscribe(api, GROUP, user_id=ADMIN, chat_type="supergroup")
        api.fail_next("sendMessage", 403, chat_id=OTHER_PRIVATE)
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        await wait_alerts(api, 2)
        await until(lambda: _unsubscribed(app, OTHER_PRIVATE), what="the blocked chat's removal")
        await settle(app)
        assert per_chat(alerts_sent(api)) == {PRIVATE: 1, GROUP: 1}
        refused = [c for c in api.calls("sendMessage") if not c.ok]
        assert [(c.chat_id, c.error_code) for c in refused] == [(OTHER_PRIVATE, 403)]
        removed = [r for r in caplog.records if "subscription removed" in r.getMessage()]
        assert len(removed) == 1 and str(OTHER_PRIVATE) in removed[0].getMessage()

        mark = api.mark()
        drop_page(settings.corpus_dir, "002_new.txt", seed_bytes("002"))
        await wait_alerts(api, 2, after=mark)
        await settle(app)
        assert OTHER_PRIVATE not in per_chat(alerts_sent(api, mark))


async def test_a_chat_that_no_longer_exists_is_unsubscribed(api: FakeBotApi, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, api)
    async with running_app(settings) as app:
        await subscribe(api, PRIVATE)
        await store_of(app).subscribe(-4444, None, ())  # a group deleted since it subscribed
        api.fail_next("sendMessage", 400, "Bad Request: chat not found", chat_id=-4444)
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        await wait_alerts(api, 1)
        await until(lambda: _unsubscribed(app, -4444), what="the dead chat's removal")
        await settle(app)
        assert per_chat(alerts_sent(api)) == {PRIVATE: 1}
        assert await store_of(app).outbox_states() == {"sent": 1, "dropped": 1}


async def _unsubscribed(app: Any, chat_id: int) -> bool:
    return await store_of(app).subscription(chat_id) is None


@pytest.mark.parametrize("times", [1, 3], ids=["limiter-retries", "sender-postpones"])
async def test_flood_control_is_waited_out_then_delivered(
    api: FakeBotApi, tmp_path: Path, times: int
) -> None:
    """One 429 is retried by PTB's AIORateLimiter; three exhaust its retries and reach the sender,
    which postpones the rows by retry_after. Either way: delivered once, after the wait."""
    settings = settings_for(tmp_path, api)
    async with running_app(settings) as app:
        await subscribe(api, PRIVATE)
        api.fail_next("sendMessage", 429, retry_after=1, chat_id=PRIVATE, times=times)
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        [alert] = await wait_alerts(api, 1)
        await settle(app)
        limited = [c for c in api.calls("sendMessage") if c.error_code == 429]
        assert len(limited) == times
        assert alert.at - limited[-1].at >= 0.95
        assert per_chat(alerts_sent(api)) == {PRIVATE: 1}


async def test_a_migrated_group_gets_its_alert_at_the_new_id(api: FakeBotApi, tmp_path: Path) -> None:
    old, new = -4001, -1004001
    api.set_admins(old, [ADMIN])
    settings = settings_for(tmp_path, api)
    async with running_app(settings) as app:
        await subscribe(api, old, "person:Masadikov", user_id=ADMIN, chat_type="group")
        api.fail_next("sendMessage", 400, migrate_to_chat_id=new, chat_id=old)
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        [alert] = await wait_alerts(api, 1)
        await settle(app)
        assert alert.chat_id == new and MASADIKOV in (alert.text or "")
        store = store_of(app)
        moved = await store.subscription(new)
        assert await store.subscription(old) is None
        assert moved is not None and moved.filters == ("person:Masadikov",)
        assert per_chat(alerts_sent(api)) == {new: 1}


@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_are_retried_then_delivered(api: FakeBotApi, tmp_path: Path, status: int) -> None:
    settings = settings_for(tmp_path, api)
    async with running_app(settings) as app:
        await subscribe(api, PRIVATE)
        api.fail_next("sendMessage", status, chat_id=PRIVATE, times=2)
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        await wait_alerts(api, 1)
        await settle(app)
        refused = [c.error_code for c in api.calls("sendMessage") if c.chat_id == PRIVATE and not c.ok]
        assert refused == [status] * 2
        assert per_chat(alerts_sent(api)) == {PRIVATE: 1}
        assert await store_of(app).outbox_states() == {"sent": 1}


async def test_an_outage_of_many_attempts_loses_nothing_and_delivers_once(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Telegram outage (5xx) then a network cut, far longer than the 8 attempts after which alerts
    used to be dropped for good: the alert waits, retried with capped backoff, and goes out once."""
    monkeypatch.setattr(delivery, "MAX_BACKOFF", 0.05)  # the cap, shrunk so many attempts fit in a test
    settings = settings_for(tmp_path, api, sender_interval=0.01)
    async with running_app(settings) as app:
        await subscribe(api, PRIVATE)
        api.fail_next("sendMessage", 502, chat_id=PRIVATE, times=12)
        api.fail_next("sendMessage", 500, chat_id=PRIVATE, times=8)
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        await until(lambda: _refused(api) == 20, what="twenty refused attempts")
        await api.refuse_for(0.5)  # then no server at all for a while
        await wait_alerts(api, 1)
        await settle(app, extra=0.3)
        assert per_chat(alerts_sent(api)) == {PRIVATE: 1}
        assert await store_of(app).outbox_states() == {"sent": 1}
    with sqlite3.connect(settings.db_path) as db:
        [(attempts,)] = db.execute("SELECT attempts FROM outbox").fetchall()
    assert attempts >= 20


def _refused(api: FakeBotApi) -> int:
    return len([c for c in api.calls("sendMessage") if c.chat_id == PRIVATE and not c.ok])


async def test_a_bad_request_ends_the_alert_with_one_log_line(
    api: FakeBotApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A 400 is Telegram's final word on a message: it is not sent again and again; other chats get theirs."""
    settings = settings_for(tmp_path, api)
    async with running_app(settings) as app:
        await subscribe(api, PRIVATE)
        await subscribe(api, OTHER_PRIVATE)
        api.fail_next(
            "sendMessage", 400, "Bad Request: not enough rights to send text messages", chat_id=PRIVATE
        )
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        await wait_alerts(api, 1)
        await until(lambda: _failed(app, 1), what="the failed row")
        await settle(app, extra=0.5)
        assert _refused(api) == 1 and len([c for c in api.calls("sendMessage") if c.chat_id == PRIVATE]) == 2
        assert per_chat(alerts_sent(api)) == {OTHER_PRIVATE: 1}
        assert await store_of(app).outbox_states() == {"sent": 1, "failed": 1}
        assert await store_of(app).subscription(PRIVATE) is not None  # only this message failed
    refused = [r for r in caplog.records if "refused" in r.getMessage() and str(PRIVATE) in r.getMessage()]
    assert len(refused) == 1 and refused[0].levelno == logging.ERROR


async def _failed(app: Any, count: int) -> bool:
    return (await store_of(app).outbox_states()).get("failed", 0) == count


async def test_alerts_go_to_the_forum_topic_and_fall_back_when_it_is_deleted(
    api: FakeBotApi, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, api)
    async with running_app(settings) as app:
        reply = await subscribe(api, GROUP, user_id=ADMIN, chat_type="supergroup", thread_id=77)
        assert reply.message_thread_id == 77 and "this topic" in (reply.text or "")
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        [alert] = await wait_alerts(api, 1)
        assert alert.message_thread_id == 77

        api.fail_next("sendMessage", 400, "Bad Request: message thread not found", chat_id=GROUP)
        mark = api.mark()
        drop_page(settings.corpus_dir, "002_new.txt", seed_bytes("002"))
        [fallback] = await wait_alerts(api, 1, after=mark)
        await settle(app)
        assert fallback.message_thread_id is None
        subscription = await store_of(app).subscription(GROUP)
        assert subscription is not None and subscription.thread_id is None


# ---------------------------------------------------------------------------------------------- commands


@pytest.mark.parametrize(
    ("push", "allowed", "member_lookups"),
    [
        ({"user_id": MEMBER}, False, 1),
        ({"user_id": ADMIN, "forward": True}, False, 0),  # an admin's command, forwarded by anyone
        ({"sender_chat": -1009999}, False, 0),  # a channel posting: another chat's sender_chat
        ({"sender_chat": GROUP}, True, 0),  # an anonymous admin posts as the group itself
        ({"user_id": ADMIN}, True, 1),
    ],
    ids=["member", "forwarded", "channel", "anonymous-admin", "admin"],
)
async def test_only_admins_manage_group_alerts(
    api: FakeBotApi, tmp_path: Path, push: dict[str, Any], allowed: bool, member_lookups: int
) -> None:
    settings = settings_for(tmp_path, api, watch=False)
    async with running_app(settings) as app:
        store = store_of(app)
        reply = await command(api, GROUP, "/subscribe drug", chat_type="supergroup", **push)
        assert (await store.subscription(GROUP) is not None) is allowed
        assert ("Subscribed" in (reply.text or "")) is allowed
        assert len(api.calls("getChatMember")) == member_lookups

        await store.subscribe(GROUP, None, ())
        reply = await command(api, GROUP, "/unsubscribe", chat_type="supergroup", **push)
        assert (await store.subscription(GROUP) is None) is allowed
        assert reply.text == ("Unsubscribed: no more alerts in this chat." if allowed else reply.text)
        assert len(api.calls("getChatMember")) == member_lookups  # the answer is cached


async def test_a_forwarded_command_is_refused_in_a_private_chat_too(api: FakeBotApi, tmp_path: Path) -> None:
    async with running_app(settings_for(tmp_path, api, watch=False)) as app:
        reply = await command(api, PRIVATE, "/subscribe", forward=True)
        assert reply.text == "Forwarded commands don't count: send the command yourself."
        assert await store_of(app).subscription(PRIVATE) is None


async def test_subscribing_twice_updates_the_filters_and_never_duplicates(
    api: FakeBotApi, tmp_path: Path
) -> None:
    async with running_app(settings_for(tmp_path, api, watch=False)) as app:
        assert (await command(api, PRIVATE, "/subscriptions")).text == (
            "This chat is not subscribed. Send <code>/subscribe</code> to get new items here."
        )
        first = await subscribe(api, PRIVATE)
        assert (first.text or "").startswith("Subscribed:") and "No filters" in (first.text or "")
        again = await subscribe(api, PRIVATE, 'drug "collective security" person:Tasmagambetov op:<Channel>')
        assert (again.text or "").startswith("Already subscribed: filters updated.")
        assert "<code>op:&lt;Channel&gt;</code>" in (again.text or "")  # escaped, as typed
        assert await store_of(app).subscription_count() == 1
        listed = await command(api, PRIVATE, "/subscriptions")
        assert "This chat is subscribed since" in (listed.text or "")
        assert "<code>collective security</code>" in (listed.text or "")
        unsubscribed = await command(api, PRIVATE, "/unsubscribe")
        assert unsubscribed.text == "Unsubscribed: no more alerts in this chat."
        assert (await command(api, PRIVATE, "/unsubscribe")).text == "This chat is not subscribed."


@pytest.mark.parametrize(
    ("chat", "status"),
    [
        ({"id": PRIVATE, "type": "private", "first_name": "Tester"}, "kicked"),  # the user blocked the bot
        ({"id": GROUP, "type": "supergroup", "title": "G"}, "kicked"),
        ({"id": GROUP, "type": "supergroup", "title": "G"}, "left"),
    ],
    ids=["blocked", "kicked", "left"],
)
async def test_removing_the_bot_removes_the_subscription(
    api: FakeBotApi, tmp_path: Path, chat: dict[str, Any], status: str
) -> None:
    async with running_app(settings_for(tmp_path, api, watch=False)) as app:
        await store_of(app).subscribe(chat["id"], None, ())
        api.push_update(bot_member_update(chat, status))
        await until(lambda: _unsubscribed(app, chat["id"]), what="the subscription's removal")


async def test_a_group_upgraded_to_a_supergroup_keeps_its_subscription(
    api: FakeBotApi, tmp_path: Path
) -> None:
    old, new = -4002, -1004002
    async with running_app(settings_for(tmp_path, api, watch=False)) as app:
        store = store_of(app)
        await store.subscribe(old, None, ("drug",))
        api.push_update(
            {
                "message": {
                    "message_id": 9,
                    "date": int(time.time()),
                    "chat": {"id": old, "type": "group", "title": "G"},
                    "from": {"id": ADMIN, "is_bot": False, "first_name": "Admin"},
                    "migrate_to_chat_id": new,
                }
            }
        )
        await until(lambda: _unsubscribed(app, old), what="the move")
        moved = await store.subscription(new)
        assert moved is not None and moved.filters == ("drug",)


# ---------------------------------------------------------------------------------------------- watcher


async def test_a_file_written_in_two_chunks_is_read_once_complete(api: FakeBotApi, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, api, watch_debounce_ms=400)
    data = seed_bytes("003")
    cut = int(len(data) * 0.8)  # inside the article: read early, it would be a different (truncated) item
    async with running_app(settings) as app:
        await subscribe(api, PRIVATE)
        await until(lambda: sync(app).loads >= 1, what="the start-up load (the watcher was up before it)")
        loads = sync(app).loads
        with (settings.corpus_dir / NEW_PAGE).open("wb") as page:
            page.write(data[:cut])
            page.flush()
            await asyncio.sleep(0.15)  # a slow writer: well past watchfiles' own 50 ms step
            page.write(data[cut:])
        [alert] = await wait_alerts(api, 1)
        await settle(app, extra=0.5)
        assert sync(app).loads == loads + 1
        [item_id] = doc_ids([alert])
        item = await store_of(app).item(item_id)
        assert item is not None and MASADIKOV in item.headline
        assert item.body.endswith(data.decode("utf-8").rstrip().splitlines()[-1].strip()[-40:])
        assert per_chat(alerts_sent(api)) == {PRIVATE: 1}


async def test_temporary_and_hidden_files_do_not_trigger_loads(api: FakeBotApi, tmp_path: Path) -> None:
    settings = settings_for(tmp_path, api, watch_debounce_ms=200)
    corpus = settings.corpus_dir
    async with running_app(settings) as app:
        await subscribe(api, PRIVATE)
        await until(lambda: sync(app).loads >= 1, what="the start-up load (the watcher was up before it)")
        loads = sync(app).loads
        for n in range(5):  # a scraper writing its temp file bit by bit, an editor's swap files
            with (corpus / f"{NEW_PAGE}.part").open("ab") as part:
                part.write(seed_bytes("003")[n * 1000 : (n + 1) * 1000])
            (corpus / ".003_new.txt.swp").write_bytes(b"x" * n)
            (corpus / "notes.tmp").write_bytes(b"y" * n)
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.6)  # three debounce periods: a load would have started by now
        assert sync(app).loads == loads
        (corpus / f"{NEW_PAGE}.part").write_bytes(seed_bytes("003"))
        os.replace(corpus / f"{NEW_PAGE}.part", corpus / NEW_PAGE)
        await wait_alerts(api, 1)
        await settle(app)
        assert sync(app).loads == loads + 1


async def test_a_failing_load_never_stops_the_watcher(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(tmp_path, api, watch_debounce_ms=150)
    async with running_app(settings) as app:
        await subscribe(api, PRIVATE)
        await until(lambda: sync(app).loads >= 1, what="the start-up load (the watcher was up before it)")
        real_load_paths, real_load = Loader.load_paths, Loader.load
        failures = 0
        full_loads = 0

        async def broken_once(self: Loader, paths: Any, **kwargs: Any) -> Any:
            nonlocal failures
            if failures == 0:
                failures += 1
                raise sqlite3.OperationalError("database is locked")
            return await real_load_paths(self, paths, **kwargs)

        async def counted(self: Loader, **kwargs: Any) -> Any:
            nonlocal full_loads
            full_loads += 1
            return await real_load(self, **kwargs)

        monkeypatch.setattr(Loader, "load_paths", broken_once)
        monkeypatch.setattr(Loader, "load", counted)
        drop_page(settings.corpus_dir, "002_new.txt", seed_bytes("002"))
        await until(lambda: failures == 1, what="the failed load")
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))  # the next change loads both
        await wait_alerts(api, 1, where=lambda c: MASADIKOV in (c.text or ""))
        await settle(app)
        assert len(doc_ids(alerts_sent(api))) == 6  # 002's five items and 003's article, once each
        assert full_loads == 1  # after a failure the watcher no longer trusts its list of paths
    assert any("loading the corpus failed" in r.getMessage() for r in caplog.records)


async def test_a_load_that_failed_on_a_full_disk_is_retried_until_space_is_back_then_alerted_once(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The disk fills up (SQLite's max_page_count on the writer stands in for it) as a page lands: the
    load fails with one clear line and is tried again, with backoff, without waiting for another file
    or the hourly rescan; once space is back the page is loaded and alerted, once."""
    monkeypatch.setattr(corpus_sync, "LOAD_RETRY_FIRST", 0.1)
    monkeypatch.setattr(corpus_sync, "LOAD_RETRY_MAX", 0.4)
    settings = settings_for(tmp_path, api, watch_debounce_ms=100)
    async with running_app(settings) as app:
        await subscribe(api, PRIVATE)
        await until(lambda: sync(app).loads >= 1, what="the start-up load")
        writer = store_of(app)._writer
        [(pages,)] = await writer.execute_fetchall("PRAGMA page_count")
        await writer.execute(f"PRAGMA max_page_count = {pages}")
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        await until(lambda: len(_load_failures(caplog)) >= 3, what="the load failing, then failing again")
        assert alerts_sent(api) == []
        await writer.execute("PRAGMA max_page_count = 1073741823")  # space is back
        [alert] = await wait_alerts(api, 1)
        await settle(app, extra=0.5)
        assert MASADIKOV in (alert.text or "") and per_chat(alerts_sent(api)) == {PRIVATE: 1}
    failures = _load_failures(caplog)
    assert all(
        r.levelno == logging.ERROR and r.exc_info is None and "\n" not in r.getMessage() for r in failures
    )
    delays = [float(m) for r in failures for m in re.findall(r"trying again in ([\d.]+)s", r.getMessage())]
    assert delays[:3] == sorted(delays[:3]) and len(set(delays[:3])) > 1  # backing off


def _load_failures(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if "loading the corpus failed" in r.getMessage()]


async def test_a_corpus_folder_that_appears_later_is_watched(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(corpus_sync, "WATCH_RETRY", 0.1)
    corpus = tmp_path / "not-yet"
    async with running_app(settings_for(tmp_path, api, corpus=corpus)) as app:
        await subscribe(api, PRIVATE)
        corpus.mkdir()
        drop_page(corpus, NEW_PAGE, seed_bytes("003"))
        [alert] = await wait_alerts(api, 1)
        await settle(app)
        assert len(doc_ids([alert])) == 5  # an empty corpus before: every item of the page is new


# ---------------------------------------------------------------------------------------------- digests


async def test_a_bulk_of_new_pages_reaches_a_chat_as_one_digest_not_a_flood(
    api: FakeBotApi, tmp_path: Path
) -> None:
    """Pages copied in bulk (here while the bot was down) can mean thousands of new items: a chat with
    more than alerts.digest_from waiting gets one message saying how many, the newest few and where
    to read the rest. A chat whose filter matches a few gets them as usual."""
    settings = settings_for(tmp_path, api, alert_digest_from=3)
    async with running_app(settings):
        await subscribe(api, PRIVATE)
        await subscribe(api, 51, "person:masadikow")
    for prefix in ("001", "002", "003", "004"):
        drop_page(settings.corpus_dir, f"{prefix}_bulk.txt", seed_bytes(prefix))
    mark = api.mark()
    async with running_app(settings) as app:
        await wait_alerts(api, 1, after=mark, where=lambda c: c.chat_id == PRIVATE)
        await wait_alerts(api, 1, after=mark, where=lambda c: c.chat_id == 51)
        await settle(app)
        states = await store_of(app).outbox_states()
    with sqlite3.connect(settings.db_path) as db:
        queued = dict(db.execute("SELECT chat_id, count(*) FROM outbox GROUP BY chat_id").fetchall())
    sent = alerts_sent(api, mark)
    assert per_chat(sent) == {PRIVATE: 1, 51: 1}
    assert states == {"sent": queued[PRIVATE] + queued[51]}  # every row went, in one message per chat

    [digest] = [c for c in sent if c.chat_id == PRIVATE]
    text = digest.text or ""
    assert queued[PRIVATE] > 3
    assert text.startswith(
        f"<b>New in the corpus</b>\n{queued[PRIVATE]} new items, too many to send one by one."
    )
    assert len(doc_ids([digest])) == delivery.DIGEST_NEWEST and text.endswith("/latest or /search.")
    [usual] = [c for c in sent if c.chat_id == 51]
    assert queued[51] <= 3 and len(doc_ids([usual])) == queued[51] and "Too many" not in (usual.text or "")


async def test_a_digest_that_telegram_refuses_for_a_while_is_retried_whole(
    api: FakeBotApi, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, api, alert_digest_from=3)
    async with running_app(settings):
        await subscribe(api, PRIVATE)
    for prefix in ("001", "002", "004"):
        drop_page(settings.corpus_dir, f"{prefix}_bulk.txt", seed_bytes(prefix))
    api.fail_next("sendMessage", 500, "Internal Server Error", chat_id=PRIVATE)
    mark = api.mark()
    async with running_app(settings) as app:
        await wait_alerts(api, 1, after=mark, where=lambda c: c.chat_id == PRIVATE)
        await settle(app)
        states = await store_of(app).outbox_states()
    refused = [
        c for c in api.calls()[mark:] if c.method == "sendMessage" and c.chat_id == PRIVATE and not c.ok
    ]
    assert len(refused) == 1 and "too many to send one by one" in str(refused[0].params.get("text"))
    [digest] = alerts_sent(api, mark)  # the retry: one message again, not the items one by one
    assert "too many to send one by one" in (digest.text or "")
    with sqlite3.connect(settings.db_path) as db:
        [(queued,)] = db.execute("SELECT count(*) FROM outbox").fetchall()
    assert states == {"sent": queued} and f"\n{queued} new items" in (digest.text or "")


async def test_alerts_wait_for_a_long_load_so_a_bulk_copy_makes_one_digest(
    api: FakeBotApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start-up load after a bulk copy writes batch after batch for minutes at 100k pages; a sender
    pass every second would otherwise send a digest (or alerts) per pass."""
    settings = settings_for(tmp_path, api, alert_digest_from=3, batch_files=1)
    async with running_app(settings):
        await subscribe(api, PRIVATE)
    for prefix in ("001", "002", "003", "004"):
        drop_page(settings.corpus_dir, f"{prefix}_bulk.txt", seed_bytes(prefix))
    delay_parsing(monkeypatch, lambda: asyncio.sleep(0.3))  # many sender passes (every 0.05 s) per batch
    mark = api.mark()
    async with running_app(settings) as app:
        await wait_alerts(api, 1, after=mark, where=lambda c: c.chat_id == PRIVATE)
        await settle(app, extra=0.5)
    [digest] = alerts_sent(api, mark)
    assert "too many to send one by one" in (digest.text or "")


# ---------------------------------------------------------------------------------------------- one send per row


async def test_two_bots_on_one_database_send_each_alert_once(api: FakeBotApi, tmp_path: Path) -> None:
    """Two `csto-bot run` on one database used to send every alert twice. Each sender claims the rows
    it sends, so whichever takes a row is the only one to send it."""
    settings = settings_for(tmp_path, api, sender_interval=0.01)
    async with running_app(settings) as first, running_app(settings) as second:
        for chat in (PRIVATE, OTHER_PRIVATE, 51, 52):
            await store_of(first).subscribe(chat, None, ())
        for prefix in ("001", "002", "003"):
            drop_page(settings.corpus_dir, f"{prefix}_new.txt", seed_bytes(prefix))
        await until(lambda: sync(first).loads + sync(second).loads >= 4, what="both watchers loading")
        await settle(first, extra=0.5)
        await settle(second)
        sent = alerts_sent(api)
        ids = [(c.chat_id, n) for c in sent for n in doc_ids([c])]
        assert len(ids) == len(set(ids)) and {chat for chat, _ in ids} == {PRIVATE, OTHER_PRIVATE, 51, 52}
        assert (await store_of(first).outbox_states()).keys() == {"sent"}


async def test_a_pruned_outbox_sends_nothing_twice_even_for_a_page_removed_and_added_again(
    api: FakeBotApi, tmp_path: Path
) -> None:
    """Finished outbox rows older than alerts.keep_days go (the outbox no longer grows for good). No
    alert comes twice all the same: an item is alerted only when the corpus never held it before,
    which a page removed and later added again does not change."""
    settings = settings_for(tmp_path, api, watch_debounce_ms=100)
    async with running_app(settings) as app:
        await subscribe(api, PRIVATE)
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        [alert] = await wait_alerts(api, 1)
        await settle(app)
        store = store_of(app)
        await store._writer.execute("UPDATE outbox SET created_at = '2000-01-01T00:00:00+00:00'")
        sender(app)._last_prune = -delivery.PRUNE_EVERY
        sender(app).wake()
        await until(lambda: _outbox_empty(app), what="the old rows pruned")

        (settings.corpus_dir / NEW_PAGE).unlink()
        await until(lambda: _stats_items(app, 5), what="the page's removal")
        drop_page(settings.corpus_dir, NEW_PAGE, seed_bytes("003"))
        await until(lambda: _stats_items(app, 6), what="the page back")
        await settle(app, extra=0.5)
        assert alerts_sent(api) == [alert]


async def _outbox_empty(app: Any) -> bool:
    return await store_of(app).outbox_states() == {}
