"""``python -m swf``: the command line."""

from swf.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
