"""csto-bot: a Telegram bot over the public record of the CSTO."""
