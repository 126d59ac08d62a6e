"""WeasyPrint 70.0: target-counter() costs repeated layout passes over the pages that hold one.

Run: python reproduce.py — lays out a 60-page document whose contents print each section's page,
and counts the page layouts WeasyPrint made (one per page would be enough when the numbers are
known).
"""
import sys

import weasyprint.layout.page as page_layout
from weasyprint import HTML

calls = 0
make_page = page_layout.make_page


def counted(*args, **kwargs):
    global calls
    calls += 1
    return make_page(*args, **kwargs)


page_layout.make_page = counted
sections = "".join(f'<h1 id="s{n}" style="break-before: page">Section {n}</h1>' for n in range(60))
contents = "".join(f'<a href="#s{n}">Section {n}</a><br>' for n in range(60))
style = "a::after { content: ' ' target-counter(attr(href), page) }"
document = HTML(string=f"<style>{style}</style>{contents}{sections}").render()
print(f"{len(document.pages)} pages, {calls} page layouts")
sys.exit(0 if calls <= len(document.pages) else 1)
