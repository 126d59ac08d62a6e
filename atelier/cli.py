"""The command line: arguments, the build's frame, and how every ending is reported.

Exit statuses: 0 success, 1 problems in the content, 2 a command written
wrong or an environment that stands in the way (output folder, disk),
3 an internal error of the pipeline, 130 interrupted with Ctrl-C. A Python
traceback is shown only with ``--debug``.
"""
from __future__ import annotations

import argparse
import dataclasses
import errno
import sys
import time
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from . import apart, arguments, cache, freshness
from .errors import Collector, ContentError, EnvironmentProblem, Problem
from .labels import labels_for
from .outputs import pdfwriter
from .outputs.layout import Trees
from .outputs.publish import check_output_folder, exclusive, publish, staging, sweep
from .targets import Target, checks_first, run

CLI = labels_for("fr")  # the command speaks to the foundation's editors, in French


@dataclass
class Context:
    """What every target may read besides the values of the targets it needs."""

    trees: Trees
    strict: bool
    report: Collector = field(default_factory=Collector)   # warnings, shown at the end
    names: dict = field(default_factory=dict)              # for progress labels, such as {slug}
    cache: object = None                                   # the build cache (atelier.cache.Cache), if any
    made: list = field(default_factory=list)               # targets made in this build
    reused: list = field(default_factory=list)             # targets taken from the cache


def main(argv: list[str] | None, targets: dict[str, Target], outputs: dict[str, str], checks: list[str],
         project: Path, parallel: bool = False) -> int:
    """Run the command line over ``targets``.

    ``outputs`` maps each command-line output to its target; ``checks`` are
    the targets ``check`` runs. With ``parallel`` (on two cores), the targets marked ``fork``
    (the printer's PDF, the press kit's pages cut from the book) are made in forked processes.
    """
    try:
        args = arguments.parser(project, list(outputs)).parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except argparse.ArgumentError as error:
        print(CLI["cli.usage_prefix"] + arguments.french(str(error)), file=sys.stderr)
        return 2
    try:
        return _guarded(args, targets, outputs, checks, project, parallel)
    except ContentError as error:
        _show_problems(error.problems)
        errors = [p for p in error.problems if p.severity == "error"]
        print(CLI.plural("cli.problems", len(errors)), file=sys.stderr)
        if args.debug:
            raise
        return 1
    except EnvironmentProblem as problem:
        print(CLI["cli.usage_prefix"] + str(problem), file=sys.stderr)
        return 2
    except OSError as error:
        if error.errno not in _ENVIRONMENT_ERRNOS or args.debug:
            raise
        print(CLI["cli.usage_prefix"] + _environment_words(error), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\n" + CLI.get("cli.interrupted", out=args.out), file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001  (the one place that turns a bug into a clear message)
        if args.debug:
            raise
        print(CLI.get("cli.internal", error=f"{type(error).__name__}: {error}"), file=sys.stderr)
        return 3


#: Failures of the machine rather than of the pipeline.
_ENVIRONMENT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EMFILE}


def _environment_words(error: OSError) -> str:
    where = f" ({error.filename})" if error.filename else ""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"le disque est plein{where} : rien n'a été publié."
    return f"{error.strerror}{where} : rien n'a été publié."


def _guarded(args, targets: dict[str, Target], outputs: dict[str, str], checks: list[str], project: Path,
             parallel: bool = False) -> int:
    usage = _usage_problem(args, outputs)
    if usage:
        raise EnvironmentProblem(usage)
    content = Path(args.content)
    if not (content / "book.yaml").is_file():
        raise EnvironmentProblem(f"« {content} » n'est pas un dossier de contenu (book.yaml introuvable).")
    trees = Trees(content=content, templates=project / "templates", styles=project / "styles")
    context = Context(trees=trees, strict=args.strict)
    if args.watch:
        return _watch(targets, trees, args, project)
    if args.targets == ["check"]:
        return _check(targets, checks, context)
    out = Path(args.out)
    check_output_folder(out, [content, trees.templates, trees.styles])
    with exclusive(out):
        return _build(args, targets, outputs, project, context, content, out, parallel)


def _build(args, targets: dict[str, Target], outputs: dict[str, str], project: Path, context: Context,
           content: Path, out: Path, parallel: bool) -> int:
    """Build the outputs asked for and publish them into ``out``, which this build holds alone."""
    sweep(out)
    wanted = [name for name in outputs if name in args.targets] or list(outputs)
    started = time.perf_counter()
    # Taken before the build reads anything, so that an edit made during the build makes it stale.
    key = freshness.input_key(project, content, args.strict)
    folder = cache.folder_for(project)
    context.cache = cache.Cache(folder, project, content, args.strict) if folder else None
    with staging(out) as stage, pdfwriter.corrected():
        # The content is read and checked first, always: its problems are never hidden by the cache.
        asked = [outputs[name] for name in wanted]
        # The content's checks (and the kit's readiness) before any layout: a strict build stops there.
        values = run(targets, asked, context, _progress, context.cache, fork=parallel and apart.cores() >= 2,
                     first=["book", *checks_first(targets, asked)],
                     checkpoint=lambda: _stop_on_strict_warnings(context))
        _stop_on_strict_warnings(context)
        artifacts = [a for name in wanted for a in values[outputs[name]]]
        manifest = publish(artifacts, out, stage, rebuilt=set(wanted), inputs=(key, list(outputs)))
    _show_problems(context.report.problems)
    if context.cache is not None:
        print(CLI.get("cli.summary", made=", ".join(context.made) or "—", reused=", ".join(context.reused) or "—"))
    print(CLI.get("cli.total", seconds=f"{time.perf_counter() - started:.2f}".replace(".", ",")), flush=True)
    _show_written(manifest, wanted, out)
    return 0


#: Past this many files, an output is listed as its folder, its count of files and its size.
LISTED_FILES = 60


def _show_written(manifest: list[dict], wanted: list[str], out: Path) -> None:
    for output in wanted:
        entries = [e for e in manifest if e["kind"] != "html" and e.get("output") == output]
        if len(entries) > LISTED_FILES:
            folder = entries[0]["path"].split("/", 1)[0]
            print(CLI.get("cli.written_folder", kind=output, path=out / folder, files=len(entries),
                          megabytes=sum(e["bytes"] for e in entries) / 1e6))
            continue
        for entry in entries:
            pages = CLI.plural("cli.pages", entry["pages"]) if "pages" in entry else ""
            print(CLI.get("cli.written", kind=entry["kind"], path=out / entry["path"],
                          megabytes=entry["bytes"] / 1e6, pages=pages))


def _watch(targets: dict[str, Target], trees: Trees, args, project: Path) -> int:
    """The live preview (:mod:`atelier.preview`): the print HTML and the web edition's pages, made again on
    every save; the web pages take their « p. N » from the last build's page map, with no layout."""
    from . import preview

    folder = cache.folder_for(project)
    web = "html.web" in targets

    def make_html() -> tuple[str, Mapping]:
        from .outputs import web as site_files

        # A cache of its own for each save: a cache reads the digest of each folder once (a build's
        # files do not change under it), and the preview's files change at every save. The page map is
        # the latest one, which the screen PDF following the preview may have just made.
        kept = cache.Cache(folder, project, trees.content, args.strict) if folder else None
        previewed = without_layout(targets, kept.latest("pages") if kept else None)
        context = Context(trees=trees, strict=args.strict)
        values = run(previewed, ["html.print", *(["html.web"] if web else [])], context, lambda *_: None, kept)
        _show_problems(context.report.problems)
        if not web:
            return values["html.print"].html, {}
        site = {d.name: d.html.encode("utf-8") for d in values["html.web"]}
        # The stylesheet and scripts are read on every save; the font subsets are made when first asked for.
        return values["html.print"].html, ChainMap({**site_files.stylesheet_and_scripts(trees.styles), **site},
                                                   site_files.FontsOnDemand(trees.styles))

    def report(problem: Exception):
        if not isinstance(problem, ContentError):
            return None
        _show_problems(problem.problems)
        return "\n".join(dict.fromkeys(str(p) for p in problem.problems))

    def make_pdf():
        import subprocess

        return subprocess.Popen(apart.command(project, ["pdf"], trees.content, Path(args.out), args.strict),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    return preview.watch(make_html, report, [trees.content, trees.templates, trees.styles], trees.styles,
                         trees.content, args.port, make_pdf, Path(args.out))


def without_layout(targets: dict[str, Target], pages=None) -> dict[str, Target]:
    """``targets`` with the book's page map given (``pages``: the last build's, or None) instead of made
    from a layout: what ``check`` and the preview run, since neither lays the book out."""
    if "pages" not in targets:
        return targets
    return {**targets, "pages": dataclasses.replace(targets["pages"], needs=(), make=lambda context: pages,
                                                    keep=False, by_value=False)}


def _check(targets: dict[str, Target], checks: list[str], context: Context) -> int:
    values = run(without_layout(targets), checks, context, _progress)
    _stop_on_strict_warnings(context)
    _show_problems(context.report.problems)
    book = values["book"]
    print(CLI.get("cli.valid", proposals=CLI.plural("cli.proposals", len(book.proposals)),
                  chapters=CLI.plural("cli.chapters", len(book.chapters))))
    return 0


def _stop_on_strict_warnings(context: Context) -> None:
    if context.strict and context.report.warnings:
        raise ContentError([Problem(p.path, p.line, p.column, p.code, p.message)
                            for p in context.report.warnings])


def _show_problems(problems: list[Problem]) -> None:
    shown = list(dict.fromkeys(str(p) for p in sorted(problems, key=lambda p: (p.path, p.line, p.column))))
    for line in shown:
        print(line, file=sys.stderr)
    warnings = [p for p in problems if p.severity == "warning"]
    if warnings and len(warnings) == len(problems):
        print(CLI.plural("cli.warnings", len({str(p) for p in warnings})), file=sys.stderr)


def _progress(label: str, seconds: float | None) -> None:
    """One step of the build; ``seconds`` None when the step was taken from the cache."""
    done = CLI["cli.cached"] if seconds is None else f"{seconds:6.2f} s"
    print(f"{label:<48} {done:>8}", flush=True)


def _usage_problem(args: argparse.Namespace, outputs: dict[str, str]) -> str:
    unknown = [t for t in args.targets if t not in ("check", *outputs)]
    if unknown:
        return f"cible inconnue « {unknown[0]} » ; cibles possibles : check, {', '.join(outputs)}."
    if "check" in args.targets and len(args.targets) > 1:
        return "« check » valide le contenu seulement et ne se combine pas avec d'autres cibles."
    return ""
