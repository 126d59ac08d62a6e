"""Targets: every artifact and every intermediate value, with what it needs.

A :class:`Target` has a name, the names of the targets it needs, and a
function from their values to its own. :func:`run` resolves the targets a
build asks for, runs each needed one exactly once in dependency order, and
reports each step with its time. The registry in ``build.py`` is the one
declaration that the order, the cache, parallel builds and the watcher read.

With a :class:`~atelier.cache.Cache`, :func:`run` first asks for what is wanted and
goes back only as far as it must: a target marked ``keep`` whose key is in the cache
is reused, and what it needs is not made at all (a reused PDF needs no layout).
"""
from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Target:
    """One thing the build can make."""

    name: str
    needs: tuple[str, ...]
    make: Callable[..., Any]   # called as make(context, *values of needs)
    label: str = ""            # what the progress line says; silent when empty
    reads: tuple[str, ...] = ()  # files it reads itself: project parts ("styles/print"), or "content"
    keep: bool = False         # its value is kept in the cache (bytes, plain data, documents)
    by_value: bool = False     # its digest is its value's, so an unchanged value stops a rebuild there
    fork: bool = False         # on two cores, made in a forked process as soon as what it needs is there
    checked_by: tuple[str, ...] = ()  # targets whose warnings concern it, made before anything is laid out
    kept_with: tuple[str, ...] = ()   # kept targets made from it whenever it is made with a cache (a guess
                                      # the next build starts from), even when no output asks for them
    release: bool = False      # its value is dropped once every target that needs it is made or started,
                               # unless it is asked for (a long book's layout is a gigabyte: the site's
                               # pages and the publication need not hold it, nor the children forked then)


def order(targets: dict[str, Target], wanted: list[str]) -> list[Target]:
    """The targets ``wanted`` and everything they need, each once, dependencies first."""
    ordered: list[Target] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if any(t.name == name for t in ordered):
            return
        if name in visiting:
            raise ValueError(f"targets depend on each other in a cycle through {name}")
        visiting.add(name)
        for need in targets[name].needs:
            visit(need)
        visiting.discard(name)
        ordered.append(targets[name])

    for name in wanted:
        visit(name)
    return ordered


def checks_first(targets: dict[str, Target], wanted: list[str]) -> list[str]:
    """The checks the targets ``wanted`` (and what they need) declare in ``checked_by``, each once."""
    return list(dict.fromkeys(check for target in order(targets, wanted) for check in target.checked_by))


def run(targets: dict[str, Target], wanted: list[str], context, progress: Callable[[str, float], None],
        cache=None, fork: bool = False, first: list[str] = (), checkpoint: Callable[[], None] = None) -> dict:
    """Make ``wanted`` and what they need; return every value made (or reused), by target name.

    ``progress(label, seconds)`` is told of each step; a step served by ``cache`` is told with
    ``seconds`` None. ``context.made`` and ``context.reused``, when present, list the targets of each
    kind. With ``fork``, targets marked ``fork`` are made in a child process (see :class:`_Forked`).
    The targets ``first`` are made before any other, then ``checkpoint()`` is called, which may
    stop the build (a strict build stops there on the content's warnings, before any layout).
    """
    if cache is not None or fork:
        return _Lazy(targets, context, progress, cache, fork).run(wanted, first, checkpoint)
    values: dict[str, Any] = {}
    early = order(targets, list(first))
    made_early = {target.name for target in early}
    for stage in (early, [target for target in order(targets, wanted) if target.name not in made_early]):
        for target in stage:
            started = time.perf_counter()
            values[target.name] = target.make(context, *(values[need] for need in target.needs))
            if target.label:
                progress(target.label.format(**context.names), time.perf_counter() - started)
        if stage is early and checkpoint is not None:
            checkpoint()
    return values


class _Lazy:
    """One build that makes only what is asked for and not in the cache, each target's key, digest
    and value worked out once; targets marked ``fork`` start in a child process as early as they can."""

    def __init__(self, targets: dict[str, Target], context, progress, cache, fork: bool):
        self.targets, self.context, self.progress, self.cache, self.fork = targets, context, progress, cache, fork
        self.values: dict[str, Any] = {}
        self.keys: dict[str, str] = {}
        self.digests: dict[str, bytes] = {}
        self.forked: dict[str, _Forked] = {}
        self.wanted: set[str] = set()
        self.needed: set[str] = set()     # what this build may make: the wanted targets, their needs, companions
        self.released: set[str] = set()
        self.freed = False   # a released value's memory is still to give back (see _release_spent)

    def run(self, wanted: list[str], first: list[str] = (), checkpoint: Callable[[], None] = None) -> dict:
        needed = order(self.targets, wanted)  # the same checks (unknown names, cycles) as without a cache
        self.wanted = set(wanted)
        self.needed = {target.name for target in order(self.targets, [*wanted, *first])}
        if self.cache is not None:
            self.needed |= {companion for name in self.needed for companion in self.targets[name].kept_with}
        for name in first:
            self.value(name)
        if checkpoint is not None:
            checkpoint()
        try:
            if self.fork:
                # Those that need least first: the share cards need no layout, and are made on the
                # second core while this process lays the book out (started after the layout, they
                # competed with the PDFs for it).
                forked = [target for target in needed if target.fork]
                for target in sorted(forked, key=lambda t: len(order(self.targets, [t.name]))):
                    self.start(target.name)
            # This process makes its own targets while the children make theirs; it waits for a child
            # only when it needs its value (taking the screen PDF first, it sat idle while it was drawn).
            # The target that needs most comes first: every need it can make here (the site's pages and
            # search index) is made before the first wait, not after the children's drawings.
            for name in sorted(wanted, key=lambda name: (self.targets[name].fork,
                                                         -len(order(self.targets, [name])))):
                self.value(name)
        except BaseException:
            for child in self.forked.values():
                child.stop()
            raise
        return self.values

    def key(self, name: str) -> str:
        """The hash of everything ``name`` is made from."""
        if name not in self.keys:
            target = self.targets[name]
            digest = hashlib.sha256(name.encode() + b"\0" + self.cache.code)
            for part in target.reads:
                digest.update(self.cache.files(part))
            for need in target.needs:
                digest.update(need.encode() + b"\0" + self.digest(need))
            self.keys[name] = digest.hexdigest()
        return self.keys[name]

    def digest(self, name: str) -> bytes:
        """What ``name`` contributes to the keys of the targets that need it (worked out once)."""
        if name not in self.digests:
            from .cache import fingerprint

            by_value = self.targets[name].by_value
            self.digests[name] = (fingerprint(self.value(name), self.cache.content) if by_value
                                  else self.key(name).encode())
        return self.digests[name]

    def start(self, name: str) -> None:
        """Make ``name`` in a child process, once what it needs is made (unless the cache has it)."""
        if name in self.values or name in self.forked or self._reused(self.targets[name]):
            return
        target = self.targets[name]
        make = functools.partial(target.make, self.context, *[self.value(need) for need in target.needs])
        self.forked[name] = _Forked(make, self.context.report)
        del make   # the child has its own copy of what it needs
        self._release_spent()

    def value(self, name: str) -> Any:
        if name in self.values:
            return self.values[name]
        if name in self.released:
            raise RuntimeError(f"target {name!r} asked for after its value was released (Target.release)")
        target = self.targets[name]
        if name in self.forked:
            self._give_back_freed()   # while the child still works, this process would only wait
            value, problems, seconds = self.forked.pop(name).result()
            self.context.report.extend(problems)
            self._made(target, value, problems, seconds)
            return value
        if any(need in self.forked for need in target.needs):
            # A child still makes one of its needs, and the cache key waits for its value: this process
            # makes its own needs meanwhile (the kit's layout, while the extracts are cut in a child).
            for need in target.needs:
                if need not in self.forked:
                    self.value(need)
        if self._reused(target):
            return self.values[name]
        needed = [self.value(need) for need in target.needs]
        before = len(self.context.report.problems)
        started = time.perf_counter()
        value = target.make(self.context, *needed)
        del needed
        self._made(target, value, self.context.report.problems[before:], time.perf_counter() - started)
        if self.cache is not None:
            for companion in target.kept_with:
                self.value(companion)
        if not target.release:   # its own frame holds it until it returns: released by the next target
            self._release_spent()
        return value

    def _release_spent(self) -> None:
        """Drop the values marked ``release`` that no target still to make or start needs.

        Their memory is given back at once without children; with them, when this process first waits
        for one (collecting a long book's layout takes seconds, which this process has then)."""
        for name in [name for name in self.values if self.targets[name].release and name not in self.wanted]:
            users = [user for user in self.needed if name in self.targets[user].needs]
            if all(user in self.values or user in self.forked for user in users):
                if self.cache is not None:
                    self.digest(name)   # the keys of the targets still to make are worked out without it
                del self.values[name]
                self.released.add(name)
                self.freed = True
        if not self.forked:
            self._give_back_freed()

    def _give_back_freed(self) -> None:
        from .apart import give_back_memory

        if self.freed:
            self.freed = False
            give_back_memory()

    def _reused(self, target: Target) -> bool:
        if self.cache is None or not target.keep:
            return False
        found = self.cache.load(target.name, self.key(target.name))
        if found is None:
            return False
        self.values[target.name], problems = found
        self.context.report.extend(problems)
        self._tell(target, None, "reused")
        return True

    def _made(self, target: Target, value: Any, problems: list, seconds: float) -> None:
        self.values[target.name] = value
        self._tell(target, seconds, "made")
        if self.cache is not None and target.keep:
            self.cache.store(target.name, self.key(target.name), value, problems)

    def _tell(self, target: Target, seconds, kind: str) -> None:
        getattr(self.context, kind, []).append(target.name)
        if target.label:
            self.progress(target.label.format(**self.context.names), seconds)


class _Forked:
    """A target made in a forked child process, which sends its value back through a pipe.

    The child shares the parent's memory as it was (the book's layout is not copied), makes the
    value, pickles it with the warnings it reported and its time, and leaves with ``os._exit``: it
    prints nothing and runs none of the parent's clean-up.
    """

    def __init__(self, make: Callable[[], Any], report):
        import os
        import sys

        from .apart import interrupts_held

        sys.stdout.flush()
        sys.stderr.flush()
        reading, writing = os.pipe()
        # Ctrl-C during the fork would interrupt the logging module's own fork hooks, which print
        # a traceback; held back here, it reaches the parent just after, where the build handles it.
        with interrupts_held():
            self.pid = os.fork()
        if self.pid == 0:  # the child
            os.close(reading)
            self._child(make, report, writing)
        os.close(writing)
        self.reading = reading

    @staticmethod
    def _child(make, report, writing: int) -> None:
        import os
        import pickle

        status = 0
        try:
            before = len(report.problems)
            started = time.perf_counter()
            value = make()
            data = pickle.dumps(("value", value, report.problems[before:], time.perf_counter() - started))
        except BaseException as error:  # noqa: BLE001  (sent to the parent, which raises it)
            status = 1
            try:
                data = pickle.dumps(("error", error))
            except Exception:  # noqa: BLE001
                data = pickle.dumps(("error", RuntimeError(f"{type(error).__name__}: {error}")))
        try:
            with os.fdopen(writing, "wb") as pipe:
                pipe.write(data)
        finally:
            os._exit(status)

    def result(self) -> tuple[Any, list, float]:
        """Wait for the child: its value, its warnings and its time; its error is raised here."""
        import os
        import pickle

        with os.fdopen(self.reading, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        if os.WIFSIGNALED(status):
            from .errors import EnvironmentProblem

            # Killed from outside, perhaps halfway through sending its value: nothing of it is published.
            raise EnvironmentProblem(f"le processus qui fabriquait une sortie a été arrêté "
                                     f"(signal {os.WTERMSIG(status)}) : rien n'a été publié.")
        if not data:
            raise RuntimeError("le processus de construction parallèle s'est arrêté sans réponse")
        answer = pickle.loads(data)
        if answer[0] == "error":
            raise answer[1]
        return answer[1], answer[2], answer[3]

    def stop(self) -> None:
        """End the child (the build failed or was interrupted)."""
        import os
        import signal

        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        try:
            os.close(self.reading)
        except OSError:
            pass
