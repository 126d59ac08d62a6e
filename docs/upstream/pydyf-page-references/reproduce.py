"""pydyf 0.13.0: PDF.page_references builds a new tuple at every read (quadratic in pages × reads).

Run: python reproduce.py — prints how many tuples were built for 200 pages read 200 times each.
"""
import sys
import time

import pydyf

pdf = pydyf.PDF()
for _ in range(200):
    page = pydyf.Dictionary({"Type": "/Page"})
    pdf.add_object(page)
    pdf.add_page(page)
started = time.perf_counter()
for _ in range(200 * 200):
    pdf.page_references  # noqa: B018  (what WeasyPrint does once per link, anchor and tagged box)
seconds = time.perf_counter() - started
same = pdf.page_references is pdf.page_references
print(f"40,000 reads of page_references: {seconds:.2f} s; the same object each time: {same}")
sys.exit(0 if same else 1)
