"""The README's path for running the notebooks works in the environment requirements.txt builds.

The README tells a learner to install ``requirements.txt`` and run ``jupyter lab notebooks/``.
These tests start that very server (on the loopback address, for a few seconds) and check that
it serves JupyterLab with the widget extension the explorers need and a Python kernel.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _readme_notebook_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Running the notebooks yourself", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, flags=re.S).group(1)
    return [line.strip() for line in block.splitlines() if line.strip()]


def test_readme_names_jupyter_lab_and_the_requirements():
    commands = " && ".join(_readme_notebook_commands())
    assert "pip install -r requirements.txt" in commands
    assert "jupyter lab notebooks/" in commands


def test_requirements_pin_what_the_notebook_path_needs():
    pinned = {line.split("==")[0].lower().replace("_", "-")
              for line in (ROOT / "requirements.txt").read_text().splitlines() if "==" in line}
    assert {"jupyterlab", "ipywidgets", "jupyterlab-widgets", "ipykernel", "nbconvert"} <= pinned


def test_widget_extension_is_enabled_in_jupyterlab():
    listed = subprocess.run([str(BIN / "jupyter"), "labextension", "list"],
                            capture_output=True, text=True, timeout=120)
    text = listed.stdout + listed.stderr
    line = next((x for x in text.splitlines() if "@jupyter-widgets/jupyterlab-manager" in x), "")
    assert "enabled" in line and "OK" in line, text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The server is on the loopback address: never send these requests through a proxy.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _get(url: str) -> tuple[int, str]:
    with _OPENER.open(url, timeout=5) as response:
        return response.status, response.read().decode()


def test_jupyter_lab_serves_the_notebooks(tmp_path):
    port, token = _free_port(), secrets.token_hex(16)
    command = [str(BIN / "jupyter"), "lab", "notebooks/", "--no-browser", "--ip=127.0.0.1",
               f"--port={port}", f"--IdentityProvider.token={token}"]
    if os.geteuid() == 0:  # CI runs as root; JupyterLab refuses root unless told
        command.append("--allow-root")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path)}
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):  # up to about a minute for the server to come up
            try:
                status, _body = _get(f"{base}/api/status?token={token}")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if server.poll() is not None:
                    pytest.fail("jupyter lab exited:\n" + server.stdout.read())
                time.sleep(0.5)
        else:
            pytest.fail("jupyter lab did not answer within a minute")
        status, page = _get(f"{base}/lab?token={token}")
        assert status == 200 and "JupyterLab" in page
        _, specs = _get(f"{base}/api/kernelspecs?token={token}")
        assert "python3" in json.loads(specs)["kernelspecs"]
        _, listing = _get(f"{base}/api/contents?token={token}")
        names = {item["name"] for item in json.loads(listing)["content"]}
        assert "03_chinchilla.ipynb" in names
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
