#!/usr/bin/env bash
# Check (and, where possible, install) what the pipeline needs from the system:
# Pango >= 1.44 and HarfBuzz-Subset for WeasyPrint (the printer's CMYK profiles are shipped in styles/icc);
# for the tests only, Java >= 17 for EPUBCheck, and for Ace by DAISY (the EPUB accessibility
# checker, an npm package pinned in tools/ace) Node.js >= 20 with npm and Debian's chromium as its browser,
# Debian's poppler-utils (pdftotext, the PDFs' text as a reader copies it),
# and Debian's calibre, whose ebook-convert turns the EPUB into AZW3 (Kindle) and EPUB 2 in the tests;
# for the build too, Node.js and npm, which run Pagefind (the web edition's search index, tools/pagefind).
# Python packages are installed by the Makefile into .venv, Ace and Pagefind by `npm ci` in tools/.
set -euo pipefail

need_java=${NEED_JAVA:-1}
missing=()

if ! ldconfig -p 2>/dev/null | grep -q 'libpango-1.0.so.0' || ! ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0'; then
  missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fi
# Font subsetting: WeasyPrint falls back to slower, heavier code without it.
if ! ldconfig -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0'; then
  missing+=(libharfbuzz-subset0)
fi
if [ "$need_java" = 1 ]; then
  java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1 || true)
  if [ -z "${java_major}" ] || [ "${java_major}" -lt 17 ]; then
    missing+=(openjdk-17-jre-headless)
  fi
  # Ace (and the press page test) drive a headless browser; puppeteer's own download is skipped
  # (PUPPETEER_SKIP_DOWNLOAD=1 in the Makefile) and Debian's chromium is used instead.
  if [ ! -x /usr/bin/chromium ]; then
    missing+=(chromium)
  fi
  # pdftotext, the text a reader copies or searches from the PDFs (tests/test_pdf_tags.py, test_print_cover.py).
  if ! command -v pdftotext >/dev/null 2>&1; then
    missing+=(poppler-utils)
  fi
  # The conversions a reader or a distributor makes of the EPUB (tests/test_epub_calibre.py).
  if ! command -v ebook-convert >/dev/null 2>&1; then
    missing+=(calibre)
  fi
fi
# Pagefind (the web edition's search index) is run through npm's wrapper, for the build as for the tests.
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs)
fi
if ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi

# Ace by DAISY 1.4 needs Node.js 20 or later (Debian 12's own package is 18).
check_node() {
  if [ "$need_java" != 1 ]; then
    return 0
  fi
  local node_major
  node_major=$(node --version 2>/dev/null | sed -n 's/^v\([0-9]*\).*/\1/p' || true)
  if [ -z "${node_major}" ] || [ "${node_major}" -lt 20 ]; then
    echo "Ace by DAISY (contrôle d'accessibilité de l'EPUB, pour les tests) demande Node.js 20 ou plus récent," >&2
    echo "avec npm ; la version trouvée est « ${node_major:-aucune} ». Installez Node.js 20 (paquet nodejs de" >&2
    echo "Debian 13, ou https://nodejs.org/), puis relancez la commande." >&2
    exit 1
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  check_node
  exit 0
fi

echo "Prérequis système manquants : ${missing[*]}" >&2
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installation avec apt-get…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  check_node
  exit 0
fi
echo "Installez-les avec votre gestionnaire de paquets (Debian/Ubuntu : sudo apt-get install ${missing[*]})," >&2
echo "puis relancez la commande." >&2
exit 1
