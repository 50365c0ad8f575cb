"""`python -m bot` is `csto-bot`."""

from bot.cli import main

raise SystemExit(main())
