"""Start ``build.py`` as a process without paying for its libraries' imports each time.

The tests start ``build.py`` some eighty times, as a user does, and about half of a small build's
processor time is Python importing WeasyPrint, ebooklib, fontTools, pydantic and the rest (0.6 s of
1.5 s). Each test worker therefore keeps one *starter* process that has imported those libraries
(never the project's own modules: a test may run a copy of the project) and forks it for each build.
The forked process then does what ``python build.py ARGS`` does: the script's folder first on
``sys.path``, ``sys.argv``, the current folder and the environment the test asked for, the three
standard streams it was given, and ``build.py`` run as ``__main__`` (its own ``__main__`` block, its
signal handlers, its forked children, its exit status). :func:`run` and :class:`Popen` take the same
arguments as :mod:`subprocess`'s and answer the same way (``returncode``, ``stdout``, ``pid``,
``kill``, a negative status for a signal).

What differs from a new interpreter, and which tests therefore keep :mod:`subprocess`: every build
forked from one starter has the same string hashing seed (a test comparing two builds' bytes compares
one of them made in another process: the test worker itself or a new interpreter), and the libraries'
import-time state is shared (a test of what happens *while* ``build.py`` imports its pipeline starts
a new interpreter).

Run as a script (``python starter.py SOCKET``), this module is the starter itself.
"""
from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

#: The libraries a build imports (measured with ``-X importtime`` on a build of every output):
#: imported once by the starter, shared by every build it forks.
LIBRARIES = (
    "weasyprint", "weasyprint.pdf", "weasyprint.pdf.fonts", "weasyprint.text.fonts", "weasyprint.layout",
    "weasyprint.html", "weasyprint.document", "weasyprint.css", "pydyf",
    "fontTools.ttLib", "fontTools.subset", "fontTools.ttLib.tables.otTables", "fontTools.ttLib.woff2",
    "uharfbuzz", "pyphen", "tinyhtml5", "cssselect2", "tinycss2",
    "ebooklib", "ebooklib.epub", "lxml.etree", "lxml.html",
    "jinja2", "markdown", "markdown.extensions.footnotes", "markdown.extensions.attr_list",
    "markdown.extensions.tables", "markdown.extensions.toc", "markdown.extensions.smarty",
    "pydantic", "yaml", "num2words", "PIL.Image", "pypdfium2", "pikepdf", "brotli", "zoneinfo",
    "email.message", "email.policy", "email.generator", "argparse", "zipfile", "difflib", "uuid",
    "decimal", "fractions", "csv", "pickle", "http.server", "urllib.request", "gettext",
)

_HEADER = struct.Struct("!I")
#: What the watcher sends when the build ends: its wait status, and the processor seconds it and the
#: processes it waited for used (``pytest --processor`` adds them to the test's own).
_END = struct.Struct("!idd")
#: The processor seconds of every build this worker's starter ran and that has ended.
processor = [0.0]


# --- the test's side -------------------------------------------------------------------------------

def run(command, *, input=None, capture_output=False, text=False, cwd=None, env=None, timeout=None,
        check=False, stdout=None, stderr=None) -> subprocess.CompletedProcess:
    """:func:`subprocess.run` for ``[python, script.py, …]`` or ``[python, "-c", code, …]``, forked
    from this worker's starter; any other command goes to :mod:`subprocess` itself."""
    if not _startable(command):
        return subprocess.run(command, input=input, capture_output=capture_output, text=text, cwd=cwd,
                              env=env, timeout=timeout, check=check, stdout=stdout, stderr=stderr)
    if capture_output:
        stdout = stderr = subprocess.PIPE
    with Popen(command, stdin=subprocess.PIPE if input is not None else None, stdout=stdout, stderr=stderr,
               text=text, cwd=cwd, env=env) as process:
        try:
            out, err = process.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
    done = subprocess.CompletedProcess(command, process.returncode, out, err)
    if check:
        done.check_returncode()
    return done


class Popen:
    """:class:`subprocess.Popen` for a Python command, forked from this worker's starter."""

    def __init__(self, command, *, stdin=None, stdout=None, stderr=None, text=False, cwd=None, env=None):
        if not _startable(command):
            raise ValueError(f"not a Python script or -c command: {command!r}")
        self.args, self.returncode = command, None
        ours, theirs, self._close = {}, [], []
        for name, wanted in (("stdin", stdin), ("stdout", stdout), ("stderr", stderr)):
            theirs.append(self._stream(name, wanted, ours, text))
        self.stdin, self.stdout, self.stderr = ours.get("stdin"), ours.get("stdout"), ours.get("stderr")
        request = {"argv": list(command[1:]), "cwd": str(cwd or os.getcwd()),
                   "env": dict(os.environ if env is None else env)}
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._socket.connect(_starter())
        body = json.dumps(request).encode()
        socket.send_fds(self._socket, [_HEADER.pack(len(body)) + body], theirs)
        for fd in self._close:
            os.close(fd)
        self.pid = _HEADER.unpack(_receive(self._socket, _HEADER.size))[0]

    def _stream(self, name: str, wanted, ours: dict, text: bool) -> int:
        """The descriptor the child gets for one standard stream; a pipe's other end kept as a file."""
        if wanted is None:
            return {"stdin": 0, "stdout": 1, "stderr": 2}[name]
        if wanted == subprocess.DEVNULL:
            fd = os.open(os.devnull, os.O_RDWR)
            self._close.append(fd)
            return fd
        if wanted == subprocess.STDOUT:
            return self._theirs_stdout
        if wanted == subprocess.PIPE:
            read, write = os.pipe()
            mine, theirs = (write, read) if name == "stdin" else (read, write)
            mode = ("w" if name == "stdin" else "r") + ("" if text else "b")
            ours[name] = os.fdopen(mine, mode, **({"encoding": "utf-8"} if text else {}))
            self._close.append(theirs)
            if name == "stdout":
                self._theirs_stdout = theirs
            return theirs
        fd = wanted if isinstance(wanted, int) else wanted.fileno()
        if name == "stdout":
            self._theirs_stdout = fd
        return fd

    def poll(self):
        self._ended(0)
        return self.returncode

    def wait(self, timeout=None):
        if not self._ended(timeout):
            raise subprocess.TimeoutExpired(self.args, timeout)
        return self.returncode

    def _ended(self, timeout) -> bool:
        """Whether the build has ended, waiting ``timeout`` seconds at most (None: until it ends) for the
        watcher's word: its status and its processor time."""
        if self.returncode is None:
            self._socket.settimeout(timeout)
            try:
                end = _receive(self._socket, _END.size)
            except (BlockingIOError, TimeoutError):   # not yet (0 makes the socket non-blocking)
                self._socket.settimeout(None)
                return False
            status, user, system = _END.unpack(end)
            self.returncode = os.waitstatus_to_exitcode(status)
            processor[0] += user + system
            self._socket.close()
        return True

    def communicate(self, input=None, timeout=None):
        """Write ``input``, read both pipes to their end and wait, as :meth:`subprocess.Popen.communicate`."""
        read = {}
        readers = [threading.Thread(target=lambda n=n, f=f: read.__setitem__(n, f.read()), daemon=True)
                   for n, f in (("out", self.stdout), ("err", self.stderr)) if f is not None]
        for reader in readers:
            reader.start()
        if self.stdin is not None:
            if input:
                self.stdin.write(input)
            self.stdin.close()
        deadline = None if timeout is None else time.monotonic() + timeout
        for reader in readers:
            reader.join(None if deadline is None else max(0, deadline - time.monotonic()))
            if reader.is_alive():
                raise subprocess.TimeoutExpired(self.args, timeout)
        self.wait(None if deadline is None else max(0, deadline - time.monotonic()))
        for stream in (self.stdout, self.stderr):
            if stream is not None:
                stream.close()
        return read.get("out"), read.get("err")

    def send_signal(self, number: int) -> None:
        """Signal the build, unless it has ended (the watcher reaps it at once: no zombie to signal)."""
        if self.poll() is None:
            try:
                os.kill(self.pid, number)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for stream in (self.stdin, self.stdout, self.stderr):
            if stream is not None and not stream.closed:
                stream.close()
        self.wait()


def _startable(command) -> bool:
    return (isinstance(command, (list, tuple)) and len(command) >= 2 and command[0] == sys.executable
            and (command[1] == "-c" or str(command[1]).endswith(".py")))


def _receive(connection: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError("the starter closed the connection")
        data += chunk
    return data


_started: dict = {}


def _starter() -> str:
    """The socket of this worker's starter, started on first use and stopped when the worker ends."""
    if "socket" not in _started:
        folder = tempfile.mkdtemp(prefix="atelier-starter-")
        path = os.path.join(folder, "socket")
        # Its standard input is this worker's pipe: it ends with the worker, however the worker ends.
        process = subprocess.Popen([sys.executable, __file__, path], stdout=subprocess.PIPE,
                                   stdin=subprocess.PIPE)
        assert process.stdout.readline() == b"ready\n", "the test starter did not start"
        _started.update(socket=path, process=process)
        atexit.register(_stop, process, folder)
    return _started["socket"]


def _stop(process: subprocess.Popen, folder: str) -> None:
    process.kill()
    process.wait()
    import shutil

    shutil.rmtree(folder, ignore_errors=True)


# --- the starter's side ----------------------------------------------------------------------------

def serve(path: str) -> None:
    """Import the libraries, then fork a build for each connection until killed."""
    import importlib

    threading.Thread(target=_end_with_the_worker, daemon=True).start()
    for name in LIBRARIES:
        importlib.import_module(name)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(16)
    # The watchers (one per build, below) end on their own; the starter never waits for them.
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        connection, _ = listener.accept()
        if os.fork() == 0:
            listener.close()
            _watch(connection)
        connection.close()


def _end_with_the_worker() -> None:
    while os.read(0, 4096):   # no buffered reader: its lock would stay taken in every forked build
        pass
    os._exit(0)


def _watch(connection: socket.socket) -> None:
    """In a forked watcher: fork the build, send its pid, wait for it and send its status."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    message, fds, _, _ = socket.recv_fds(connection, 1 << 20, 3)
    size = _HEADER.unpack(message[:_HEADER.size])[0]
    body = message[_HEADER.size:]
    while len(body) < size:
        body += connection.recv(size - len(body))
    request = json.loads(body)
    child = os.fork()
    if child == 0:
        connection.close()
        _become(request, fds)
    for fd in fds:
        os.close(fd)
    connection.sendall(_HEADER.pack(child))
    _, status, usage = os.wait4(child, 0)
    try:
        connection.sendall(_END.pack(status, usage.ru_utime, usage.ru_stime))
    except OSError:
        pass
    os._exit(0)


def _become(request: dict, fds: list) -> None:
    """In the forked build: the streams, folder, environment and arguments of ``python ARGV``, then run it."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
    for fd in fds:
        if fd > 2:
            os.close(fd)
    sys.stdin = open(0, "r", closefd=False)
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    argv = request["argv"]
    status = 0
    try:
        if argv[0] == "-c":
            sys.argv, sys.path[0] = ["-c", *argv[2:]], ""
            exec(compile(argv[1], "<string>", "exec"), {"__name__": "__main__"})
        else:
            import runpy

            script = os.path.abspath(argv[0])
            sys.argv, sys.path[0] = list(argv), os.path.dirname(script)
            runpy.run_path(script, run_name="__main__")
    except SystemExit as end:
        status = end.code if isinstance(end.code, int) else (0 if end.code is None else 1)
        if end.code is not None and not isinstance(end.code, int):
            print(end.code, file=sys.stderr)
    except KeyboardInterrupt:
        # As Python does when Ctrl-C is not caught: end by the signal itself.
        sys.stdout.flush()
        sys.stderr.flush()
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    except BaseException:
        import traceback

        traceback.print_exc()
        status = 1
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


if __name__ == "__main__":
    serve(sys.argv[1])
