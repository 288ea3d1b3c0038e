"""A throwaway Label Studio on loopback, for the test that imports our tasks into the real tool.

Label Studio is not a dependency of the project (it pins its own numpy, Django and much
else): install it in a venv of its own and point ``IMR_LABEL_STUDIO`` at its
``label-studio`` executable (or have one on ``PATH``). The server gets a fresh data
folder and user, listens on 127.0.0.1 only, and is stopped when the ``with`` block ends.
The API is used through a logged-in session (recent versions turn legacy tokens off).
"""
from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

EMAIL, PASSWORD = "annotator@example.com", "imr-test-password-1"


def find_label_studio() -> str | None:
    return os.environ.get("IMR_LABEL_STUDIO") or shutil.which("label-studio")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LabelStudio:
    def __init__(self, executable: str, data_dir: Path, start_timeout: float = 300.0):
        self.executable, self.data_dir, self.start_timeout = executable, Path(data_dir), start_timeout
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def __enter__(self) -> "LabelStudio":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, LABEL_STUDIO_BASE_DATA_DIR=str(self.data_dir), LABEL_STUDIO_USERNAME=EMAIL,
                   LABEL_STUDIO_PASSWORD=PASSWORD, LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK="true")
        self.log = open(self.data_dir / "server.log", "w")
        self.process = subprocess.Popen([self.executable, "start", "--host", "127.0.0.1", "--port", str(self.port),
                                         "--no-browser", "--data-dir", str(self.data_dir)],
                                        stdout=self.log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + self.start_timeout  # a start-up bound, not a performance check
        while True:
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__(None, None, None)
                raise RuntimeError(f"Label Studio did not start; see {self.data_dir / 'server.log'}")
            time.sleep(1)
        self._login()
        return self

    def __exit__(self, *exc) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()

    def _csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def _login(self) -> None:
        self.opener.open(self.base + "/user/login/").read()
        form = urllib.parse.urlencode({"email": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": self._csrf()})
        self.opener.open(urllib.request.Request(self.base + "/user/login/", data=form.encode(),
                                                headers={"Referer": self.base + "/user/login/"})).read()

    def api(self, method: str, path: str, body=None):
        request = urllib.request.Request(self.base + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"X-CSRFToken": self._csrf(), "Content-Type": "application/json",
                                                  "Referer": self.base + "/"})
        with self.opener.open(request) as response:
            return json.loads(response.read() or b"null")

    def export(self, project: int) -> list:
        """The project's tasks as the UI's "Export > JSON" gives them."""
        return self.api("GET", f"/api/projects/{project}/export?exportType=JSON&download_all_tasks=true")
