"""The versions of WeasyPrint and pydyf this package was written and checked against.

The page model reads WeasyPrint's laid-out boxes and edits a few of them; those are not a
public API, and another version may lay its boxes out differently. Rather than draw a wrong book
quietly, a build with another version stops at once, and says what to install.
"""
from __future__ import annotations

from ..errors import EnvironmentProblem

#: The versions the page model and its edits were checked against (pyproject.toml pins the same).
TESTED = {"weasyprint": "70.0", "pydyf": "0.13.0"}


def check_versions(found: dict[str, str] | None = None) -> None:
    """Refuse an untested WeasyPrint or pydyf, with words an editor can act on."""
    found = found if found is not None else installed()
    wrong = [f"{name} {found.get(name, 'absent')} (attendu : {version})" for name, version in TESTED.items()
             if found.get(name) != version]
    if wrong:
        raise EnvironmentProblem(
            "la chaîne a été vérifiée avec d'autres versions de ses bibliothèques de mise en pages : "
            + ", ".join(wrong) + ". Réinstallez l'environnement (make, ou "
            ".venv/bin/pip install -e .) ; une autre version pourrait imprimer un livre faux sans le dire.")


def installed() -> dict[str, str]:
    """The installed versions of WeasyPrint and pydyf."""
    import pydyf
    import weasyprint

    return {"weasyprint": weasyprint.__version__, "pydyf": pydyf.__version__}
