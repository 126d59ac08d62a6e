"""A library's warnings, captured for the build to report with a file and a line.

WeasyPrint logs what it ignores (a CSS rule, an image) through Python's logging; left alone, a
warning would reach the terminal without a place, or not at all. Inside :func:`captured`, the
messages of one logger are collected instead, and not passed on (the build shows each once).
"""
from __future__ import annotations

import logging
from contextlib import contextmanager


@contextmanager
def captured(name: str = "weasyprint"):
    """Collect the warnings of logger ``name`` into the yielded list, for the time of the block."""
    messages: list[str] = []

    class Handler(logging.Handler):
        def emit(self, record):
            messages.append(record.getMessage())

    handler = Handler(level=logging.WARNING)
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False  # shown once, by the build, with a file and a line
    try:
        yield messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous
