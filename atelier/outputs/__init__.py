"""The products made from finished HTML: layout, PDF, cover image, EPUB, and publishing."""
