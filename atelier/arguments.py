"""The command line's one parser: what ``build.py`` accepts, for the build and for the fast answer.

Only the standard library is used here, so that :mod:`atelier.freshness` can read a command line
the same way the build does before it even imports the pipeline.
"""
from __future__ import annotations

import argparse
from pathlib import Path


def parser(project: Path, outputs=()) -> argparse.ArgumentParser:
    """The parser of ``build.py`` (``outputs``: the names of the outputs, for the help text)."""
    made = argparse.ArgumentParser(
        prog="build.py", description="Construit les éditions d'une publication à partir de content/.",
        exit_on_error=False)
    made.add_argument("targets", nargs="*", metavar="cible",
                      help=f"check (valider seulement), {', '.join(outputs)} ; toutes les sorties par défaut")
    made.add_argument("--content", default=str(project / "content"), help="dossier de contenu (content/)")
    made.add_argument("--out", default=str(project / "output"), help="dossier de sortie (output/)")
    made.add_argument("--strict", action="store_true", help="les avertissements deviennent des erreurs")
    made.add_argument("--debug", action="store_true", help="afficher la trace Python des erreurs")
    made.add_argument("--watch", action="store_true",
                      help="aperçu en direct : refaire le HTML à chaque enregistrement et le servir en local")
    made.add_argument("--port", type=int, default=8000, help="port de l'aperçu (--watch), 8000 par défaut")
    return made


def plain_build(argv: list[str], project: Path):
    """(targets, content, out, strict) when ``argv`` asks for a plain build, else None (``check``,
    ``--watch``, ``--debug``, a command written wrong: the full command line answers those)."""
    try:
        args, unknown = parser(project).parse_known_args(argv)
    except (argparse.ArgumentError, SystemExit):
        return None
    if unknown or args.watch or args.debug or "check" in args.targets:
        return None
    return args.targets, Path(args.content), Path(args.out), args.strict
