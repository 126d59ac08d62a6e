"""The e-reader edition as its readers' tools see it: Ace by DAISY, the page list, night themes.

Ace (npm ``@daisy/ace-cli``, pinned in ``tools/ace``, installed by ``make test``)
runs its axe-core rules in Debian's chromium on the EPUB of the session's
real build; the page list is compared with the layout the printer's pages
come from.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ACE = ROOT / "tools" / "ace" / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def ace_report(real_build, tmp_path_factory) -> tuple[int, dict]:
    """Ace's exit status and its JSON report on the real EPUB."""
    assert ACE.exists(), f"Ace by DAISY n'est pas installé ({ACE}) : lancez `make test`, qui l'installe."
    report_dir = tmp_path_factory.mktemp("ace")
    environment = dict(os.environ)
    environment.setdefault("PUPPETEER_EXECUTABLE_PATH", CHROMIUM)
    result = subprocess.run([str(ACE), "--exit", "--silent", "--force", "--outdir", str(report_dir),
                             str(real_build.path("epub"))], capture_output=True, text=True, timeout=600,
                            env=environment)
    report = report_dir / "report.json"
    assert report.exists(), result.stdout + result.stderr
    return result.returncode, json.loads(report.read_text())


def _violations(report: dict) -> list[str]:
    return [f"{document['earl:testSubject']['url']}: {found['earl:test']['dct:title']} "
            f"({found['earl:test']['earl:impact']})"
            for document in report.get("assertions", []) for found in document.get("assertions", [])]


def test_ace_passes_with_no_violation_of_any_impact(ace_report):
    status, report = ace_report
    assert _violations(report) == []
    assert report["earl:result"]["earl:outcome"] == "pass"
    assert status == 0
