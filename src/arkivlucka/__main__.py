"""Entry point for ``python -m arkivlucka``."""

from arkivlucka.cli import main

if __name__ == "__main__":
    main()
