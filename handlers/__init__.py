"""One module per command; only bot.app registers them (and the console, through bot.app)."""

from handlers import (
    doc,
    exercises,
    inline,
    language,
    latest,
    operations,
    search,
    start,
    stats,
    subscribe,
    timeline,
    who,
)

# Order matters only for /help and the command menu.
MODULES = (
    start,
    latest,
    who,
    search,
    operations,
    exercises,
    doc,
    stats,
    subscribe,
    language,
    inline,
    timeline,
)
