"""The tests' starter (tests/starter.py) answers as a new interpreter would, for what the build tests read."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import starter

SCRIPT = textwrap.dedent("""
    import json, os, signal, sys
    print(json.dumps({"argv": sys.argv, "path0": sys.path[0], "cwd": os.getcwd(),
                      "mark": os.environ.get("STARTER_MARK"), "sigint": signal.getsignal(signal.SIGINT) is signal.default_int_handler,
                      "main": __name__, "file": __file__}))
    print("à l'erreur", file=sys.stderr)
    sys.exit(int(sys.argv[1]))
""")


def test_a_script_gets_its_arguments_folder_environment_streams_and_status(tmp_path):
    script = tmp_path / "scripts" / "probe.py"
    script.parent.mkdir()
    script.write_text(SCRIPT, encoding="utf-8")
    done = starter.run([sys.executable, str(script), "3", "deux"], capture_output=True, text=True, cwd=tmp_path,
                       env={"STARTER_MARK": "ici", "PATH": "/usr/bin"})
    expected = subprocess.run([sys.executable, str(script), "3", "deux"], capture_output=True, text=True,
                              cwd=tmp_path, env={"STARTER_MARK": "ici", "PATH": "/usr/bin"})
    assert (done.returncode, done.stderr) == (expected.returncode, expected.stderr) == (3, "à l'erreur\n")
    seen, fresh = json.loads(done.stdout), json.loads(expected.stdout)
    assert seen == fresh
    assert seen["argv"] == [str(script), "3", "deux"] and seen["path0"] == str(script.parent)
    assert seen["cwd"] == str(tmp_path) and seen["mark"] == "ici" and seen["sigint"] and seen["main"] == "__main__"


def test_a_command_string_and_an_exception_end_as_in_python(tmp_path):
    done = starter.run([sys.executable, "-c", "import sys; print(sys.argv, repr(sys.path[0])); 1/0", "a"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == "['-c', 'a'] ''\n"
    assert "ZeroDivisionError" in done.stderr and "Traceback" in done.stderr


def test_a_killed_build_reports_its_signal_and_its_processor_time_is_counted(tmp_path):
    before = starter.processor[0]
    busy = starter.run([sys.executable, "-c", "sum(range(3_000_000))"], cwd=tmp_path)
    assert busy.returncode == 0 and starter.processor[0] > before
    process = starter.Popen([sys.executable, "-c", "import time; print('prêt', flush=True); time.sleep(60)"],
                            stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "prêt\n" and process.poll() is None
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == -signal.SIGINT
    process.kill()   # it has ended: nothing to signal, and no error
    process.stdout.close()


def test_only_python_commands_are_forked():
    assert not starter._startable(["node", "x.js"]) and not starter._startable([sys.executable, "-m", "pytest"])
    assert starter.run(["true"]).returncode == 0
    assert Path(starter._starter()).is_socket()
