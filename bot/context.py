"""A typed CallbackContext: handlers reach the store as `context.store`, not through a dict."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.services import Services
from bot.store import Store


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], Services]):
    @property
    def services(self) -> Services:
        return self.bot_data

    @property
    def store(self) -> Store:
        return self.bot_data.store


CONTEXT_TYPES = ContextTypes(context=BotContext, bot_data=Services)

BotApplication = Application[ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], Services, Any]
