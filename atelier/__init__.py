"""Atelier: a publishing pipeline from Markdown and YAML to PDF and EPUB.

Each module owns one stage; ``build.py`` calls them in sequence.
"""
