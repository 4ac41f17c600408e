"""`python -m arandu`: the same command as `arandu`."""

from arandu.entrypoints.cli.app import main

if __name__ == "__main__":
    main()
