"""`python -m bot`: the `newsbot` command."""

from bot.faces.cli import main

raise SystemExit(main())
