"""Real processes for the production tests: the app's own commands run with production settings,
servers started as subprocesses and stopped afterwards, and an HTTP client that talks to them as
the TLS-terminating proxy in front of them would."""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url: str, redis_url: str, workdir: Path, **overrides: str) -> dict:
    """The environment of a production deployment behind a proxy, on loopback."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="tsoc_tracker.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        TRUST_X_FORWARDED_PROTO="1",
        STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        EMAIL_URL="consolemail://",
        LOG_FORMAT="json",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def manage(env: dict, *args: str, timeout: float = 120) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


class Service:
    """A server run as a subprocess in its own process group, its output kept in a log file."""

    def __init__(self, name: str, args: Sequence[str], env: dict, log_dir: Path):
        self.name = name
        self.args = list(args)
        self.env = env
        self.log_path = log_dir / f"{name}.log"
        self.process: subprocess.Popen | None = None
        self._log_start = 0

    def start(self) -> "Service":
        self._log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.args,
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def log(self) -> str:
        """What the process has written since it was last started."""
        with self.log_path.open("rb") as log:
            log.seek(self._log_start)
            return log.read().decode(errors="replace")

    def wait_for_log(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.log:
            assert self.process.poll() is None, f"{self.name} exited early:\n{self.log}"
            assert time.monotonic() < deadline, f"{self.name} never logged {text!r}:\n{self.log}"
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def gunicorn(env: dict, port: int, log_dir: Path, workers: int = 2) -> Service:
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)}
    args = [str(BIN / "gunicorn"), "-c", "python:tsoc_tracker.gunicorn_conf", "tsoc_tracker.wsgi"]
    return Service("gunicorn", args, env, log_dir)


class BehindProxy(requests.Session):
    """An HTTP client for a server on loopback that acts as the TLS-terminating proxy would:
    every request says it arrived over HTTPS, and the app's HTTPS-only cookies go back to it
    (requests itself never sends a Secure cookie over plain HTTP)."""

    def __init__(self, base_url: str):
        super().__init__()
        self.base_url = base_url
        self.headers["X-Forwarded-Proto"] = "https"

    def request(self, method, url, *args, headers=None, **kwargs):
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.cookies)
        headers = {**(headers or {}), **({"Cookie": cookies} if cookies else {})}
        kwargs.setdefault("timeout", 15)
        kwargs["allow_redirects"] = False  # a redirect is to https://, which only the proxy speaks
        return super().request(method, self.base_url + url, *args, headers=headers, **kwargs)

    def sign_in(self, username: str, password: str) -> None:
        page = self.get("/accounts/login/")
        token = self.cookies["csrftoken"]
        response = self.post(
            "/accounts/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": token},
            headers={"Referer": f"https://{self.base_url.split('://')[1]}/accounts/login/"},
        )
        assert page.status_code == 200
        assert response.status_code == 302, response.text
        if response.headers["Location"] == "/accounts/two-step/set-up/":  # the secretariat's
            self.set_up_two_step_sign_in(username)
        elif response.headers["Location"] == "/accounts/login/code/":
            self.give_code(username)

    def set_up_two_step_sign_in(self, username: str) -> None:
        """Add the site to an authenticator app (here, the test computing its codes) and turn on
        two-step sign-in, as the secretariat must at their first sign-in."""
        page = self.get("/accounts/two-step/set-up/")
        [key] = re.findall(r'<code id="totp-secret">([^<]+)</code>', page.text)
        APP_KEYS[username] = key
        USED_STEPS.pop(username, None)  # a new key: no code of it has been used
        response = self.post(
            "/accounts/two-step/set-up/",
            data={"code": self._code(username), "csrfmiddlewaretoken": self.cookies["csrftoken"]},
            headers={"Referer": f"https://{self.base_url.split('://')[1]}/accounts/two-step/"},
        )
        assert response.headers.get("Location") == "/accounts/two-step/recovery-codes/", (
            response.text
        )

    def give_code(self, username: str) -> None:
        response = self.post(
            "/accounts/login/code/",
            data={"code": self._code(username), "csrfmiddlewaretoken": self.cookies["csrftoken"]},
            headers={"Referer": f"https://{self.base_url.split('://')[1]}/accounts/login/code/"},
        )
        assert response.status_code == 302, response.text

    @staticmethod
    def _code(username: str) -> str:
        """The app's code now, or the next one if this one was used (a code works once)."""
        from tests.agencies.two_step import code_from_key

        step = max(int(time.time()) // 30, USED_STEPS.get(username, -1) + 1)
        # The server takes the code of this step or the next (django-otp's tolerance): wait
        # until a later step's code is within that, as someone with the app would.
        while step > int(time.time()) // 30 + 1:
            time.sleep(max(0.1, (step - 1) * 30 - time.time() + 0.5))
        USED_STEPS[username] = step
        return code_from_key(APP_KEYS[username], at=step * 30)


# What the secretariat's authenticator app holds, per username, and the last code step used.
APP_KEYS: dict[str, str] = {}
USED_STEPS: dict[str, int] = {}


def _postgres_program(name: str) -> str | None:
    found = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3])
    )
    return str(found[-1]) if found else None


class PostgresCluster:
    """A PostgreSQL server of the test's own, in a temporary directory, that the test may stop
    and start at will (the shared server on 5432 is never touched). Run as the ``postgres``
    user when the tests run as root, since PostgreSQL refuses to run as root."""

    def __init__(self, root: Path, port: int):
        self.root = root
        self.data = root / "data"
        self.port = port
        self.url = f"postgres://postgres@127.0.0.1:{port}/tsoc"
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @staticmethod
    def missing() -> str | None:
        if _postgres_program("initdb") is None:
            return "needs PostgreSQL's server programs in /usr/lib/postgresql/*/bin (initdb)"
        return None

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self._as, _postgres_program(program), *args],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def create(self) -> "PostgresCluster":
        if self._as:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self.start()
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "tsoc")
        return self

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options,
                  "-w", "start")  # fmt: skip

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def redis_server(port: int, log_dir: Path) -> Service:
    """A Redis server of the test's own, in memory only."""
    args = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no"]  # fmt: skip
    return Service(f"redis-{port}", args, {}, log_dir)
