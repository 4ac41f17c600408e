"""Entry points: the command line, settings, the container and the Python facade."""
