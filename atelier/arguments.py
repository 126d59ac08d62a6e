"""The command line's one parser: what ``build.py`` accepts, for the build and for the fast answer.

Only the standard library is used here, so that :mod:`atelier.freshness` can read a command line
the same way the build does before it even imports the pipeline.
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path


def parser(project: Path, outputs=(), add_help: bool = True) -> argparse.ArgumentParser:
    """The parser of ``build.py`` (``outputs``: the names of the outputs, for the help text; without
    ``add_help``, ``--help`` is left to the full command line, which prints it once)."""
    made = _Parser(
        prog="build.py", description="Construit les éditions d'une publication à partir de content/.",
        exit_on_error=False, add_help=False, formatter_class=_French)
    made._positionals.title, made._optionals.title = "cibles", "options"
    if add_help:
        made.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")
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


#: argparse's own messages (English), as the command says them to the editors.
_MESSAGES = (
    (r"unrecognized arguments: (.+)", "option inconnue : {0} (python build.py --help les énumère)."),
    (r"argument (\S+): expected one argument", "l'option {0} attend une valeur."),
    (r"argument (\S+): invalid int value: '(.*)'", "l'option {0} attend un nombre entier, pas « {1} »."),
    (r"argument (\S+): ignored explicit argument '(.*)'", "l'option {0} ne prend pas de valeur (« {1} »)."),
    (r"ambiguous option: (\S+) could match (.+)", "l'option {0} est ambiguë : {1}."),
)


def french(message: str) -> str:
    """One of argparse's messages in the editors' words (as it is when it is not one of the known ones)."""
    for pattern, words in _MESSAGES:
        match = re.fullmatch(pattern, message)
        if match:
            return words.format(*match.groups())
    return message


class _Parser(argparse.ArgumentParser):
    """A parser that prints nothing when a command is written wrong: it raises, and the command line
    says it in French (:func:`french`) with the status of a command written wrong (2)."""

    def error(self, message: str):
        raise argparse.ArgumentError(None, message)


class _French(argparse.HelpFormatter):
    """argparse's help in the editors' language (its own words are English)."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="utilisation : ")


def plain_build(argv: list[str], project: Path):
    """(targets, content, out, strict) when ``argv`` asks for a plain build, else None (``check``,
    ``--watch``, ``--debug``, a command written wrong: the full command line answers those)."""
    try:
        args, unknown = parser(project, add_help=False).parse_known_args(argv)
    except (argparse.ArgumentError, SystemExit):
        return None
    if unknown or args.watch or args.debug or "check" in args.targets:
        return None
    return args.targets, Path(args.content), Path(args.out), args.strict
