"""WeasyPrint 70.0: a link's annotation stays on its box after write_pdf, and leaks into the next PDF.

Run: python reproduce.py — writes a tagged PDF, then a second tagged PDF of the same page with its
links left out (an extract that drops a citation); the second file's structure tree still refers
to the first file's annotation object, so its bytes depend on whether the first was written.
"""
import copy
import sys

from weasyprint import HTML

HTML_TEXT = '<p><a href="#b">un lien</a></p><p id="b">la cible</p>'


def without_links(document):
    page = copy.copy(document.pages[0])
    page.links = []
    return document.copy([page]).write_pdf(pdf_variant="pdf/ua-1")


alone = without_links(HTML(string=HTML_TEXT).render())
reused = HTML(string=HTML_TEXT).render()
reused.write_pdf(pdf_variant="pdf/ua-1")   # the book
second = without_links(reused)              # an extract of it

print("the second PDF is the same as when written alone:", second == alone)
sys.exit(0 if second == alone else 1)
