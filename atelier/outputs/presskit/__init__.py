"""The press kit: the dossier, the release in three forms, visuals, audience extracts, a press page, a zip.

One module per stage, each a function in and a value out:

- :mod:`.figures`: the key figures, computed from the book (the one place they are counted);
- :mod:`.documents`: the kit's HTML documents, rendered from ``templates/presskit/`` (release, dossier,
  e-mail, extract covers, cards, charts, the foot of an extract's pages, the press page);
- :mod:`.placeholders`: what is still to be given (contacts, the embargo's hour), never invented;
- :mod:`.visuals`: pages of a layout as images (cover, charts, social cards), with their metadata;
- :mod:`.extracts`: an audience's or a part's proposals, as pages copied from the book's own layout;
- :mod:`.release`: the release as an e-mail body and as plain text, read from its finished HTML;
- :mod:`.package`: every file of the kit, the press page that lists them, and the zip.
"""
