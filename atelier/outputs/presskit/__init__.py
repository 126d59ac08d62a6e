"""The press kit: the dossier, the release in three forms, visuals, audience extracts, a press page, a zip.

One module per stage, each a function in and a value out:

- :mod:`.figures`: the key figures, computed from the book (the one place they are counted);
- :mod:`.documents`: the kit's HTML documents, rendered from ``templates/presskit/``;
- :mod:`.visuals`: pages of a layout as images (cover, charts, social cards);
- :mod:`.extracts`: an audience's proposals, as pages copied from the book's own layout;
- :mod:`.release`: the release as plain text, read from its finished HTML;
- :mod:`.package`: every file of the kit, the press page that lists them, and the zip.
"""
