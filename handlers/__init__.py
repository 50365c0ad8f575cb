"""One module per command; only bot.app registers them (and the console, through bot.app)."""

from handlers import doc, latest, operations, search, start, stats, subscribe, timeline, who

# Order matters only for /help and the command menu.
MODULES = (start, latest, who, search, operations, doc, stats, subscribe, timeline)
