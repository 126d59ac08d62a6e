"""WeasyPrint 70.0: each font of each PDF costs cffi two parses of a new C type.

``Font._harfbuzz_subset`` (weasyprint/pdf/fonts.py) hands HarfBuzz its glyphs in arrays typed by
their length, ``ffi.new(f'hb_codepoint_t[{len(glyphs)}]', glyphs)``: cffi keeps parsed types by
their string, so nearly every font of every file is a new type to parse, and each parse runs
pycparser over every type WeasyPrint declared. An open array (``'hb_codepoint_t[]'``) holds the
same values and is parsed once.

Run: python reproduce.py — writes one small PDF in 40 sizes of the same text (40 glyph counts),
and counts the array types cffi had to parse; exits 1 while a type is parsed per length.
"""
import sys
import time

from weasyprint import HTML
from weasyprint.text.ffi import ffi

parsed = ffi._parsed_types   # cffi's cache of parsed type strings (private: read only to count)
before = {name for name in parsed if name.startswith("hb_codepoint_t[")}
started = time.perf_counter()
for count in range(1, 41):
    text = "".join(chr(ord("a") + i % 26) + chr(ord("A") + i // 26) for i in range(count))
    HTML(string=f"<p style='font-family: sans-serif'>{text}</p>").write_pdf()
seconds = time.perf_counter() - started
sized = {name for name in parsed if name.startswith("hb_codepoint_t[")} - before
print(f"40 PDFs in {seconds:.2f} s; array types parsed for the subsetting: {len(sized)}")
sys.exit(1 if len(sized) > 2 else 0)
