#!/usr/bin/env bash
# Check (and, where possible, install) what the pipeline needs from the system:
# Pango >= 1.44 and HarfBuzz-Subset for WeasyPrint, Ghostscript's CMYK ICC profile (libgs-common) for
# the printer's PDF, Java >= 17 for EPUBCheck. Python packages are installed by the Makefile into .venv.
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
# The printer's PDF converts its colours through this profile and carries it as its output intent
# (atelier/palette.py). Licence: AGPL-3+ (Artifex), see /usr/share/doc/libgs-common/copyright.
if [ ! -f /usr/share/color/icc/ghostscript/default_cmyk.icc ]; then
  missing+=(libgs-common)
fi
if [ "$need_java" = 1 ]; then
  java_major=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1 || true)
  if [ -z "${java_major}" ] || [ "${java_major}" -lt 17 ]; then
    missing+=(openjdk-17-jre-headless)
  fi
fi

# Headless Chromium, for the tests that open the HTML the build makes (the press page) in a browser.
# Needed with the tests only (NEED_BROWSER, by default as NEED_JAVA); installing it twice is harmless.
need_browser=${NEED_BROWSER:-$need_java}
if [ "$need_browser" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  missing+=(chromium)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Prérequis système manquants : ${missing[*]}" >&2
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installation avec apt-get…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi
echo "Installez-les avec votre gestionnaire de paquets (Debian/Ubuntu : sudo apt-get install ${missing[*]})," >&2
echo "puis relancez la commande." >&2
exit 1
