"""The source report in a real browser: headless Chromium, driven over the DevTools protocol.

Chromium talks the protocol over a pipe (`--remote-debugging-pipe`: commands on fd 3, replies on
fd 4, NUL-separated JSON), so the standard library is enough: no websocket, no Selenium. The test
records every console message, exception and network request while the report loads, checks that
every section and every source is on the page, and keeps a screenshot and a PDF print beside it.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest

from leadsift.params import load_params
from leadsift.pipeline.demo.simulator import write_demo_data
from leadsift.pipeline.sources.command import run_sources
from leadsift.pipeline.sources.html import SECTION_IDS

ROOT = Path(__file__).resolve().parents[2]
EVIL = "<script>alert(1)</script>"

pytestmark = pytest.mark.browser


def _chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip("chromium not installed: apt-get install chromium")


class DevTools:
    """A tiny Chrome DevTools Protocol client over Chromium's debugging pipe."""

    def __init__(self, binary: str, profile: Path, log: Path, timeout: float = 30.0) -> None:
        self.timeout = timeout
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # Keep the child's ends away from 3 and 4, so that moving them there cannot clobber one another.
        child_in = fcntl.fcntl(to_child_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(from_child_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_child_r)
        os.close(from_child_w)

        def wire() -> None:  # in the child, before exec: fd 3 reads commands, fd 4 writes replies
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self.log = open(log, "wb")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--remote-debugging-pipe",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-default-apps",
                "--mute-audio",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=self.log,
            preexec_fn=wire,
            close_fds=False,
        )
        os.close(child_in)
        os.close(child_out)
        self.write, self.read = to_child_w, from_child_r
        self.buffer = b""
        self.events: list[dict] = []
        self.next_id = 0

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer in time")
            ready, _, _ = select.select([self.read], [], [], left)
            if ready:
                chunk = os.read(self.read, 1 << 20)
                if not chunk:
                    raise EOFError("chromium closed the debugging pipe")
                self.buffer += chunk
        raw, _, self.buffer = self.buffer.partition(b"\0")
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.next_id += 1
        message: dict = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, session: str) -> dict:
        deadline = time.monotonic() + self.timeout
        for event in self.events:
            if event.get("method") == method and event.get("sessionId") == session:
                return event
        while True:
            event = self._message(deadline)
            self.events.append(event)
            if event.get("method") == method and event.get("sessionId") == session:
                return event

    def open(self, url: str) -> str:
        """A new page with console, log and network events on; navigate to `url` and wait for load."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 4000, "deviceScaleFactor": 1, "mobile": False},
            session,
        )
        nav = self.send("Page.navigate", {"url": url}, session)
        assert "errorText" not in nav, nav
        self.wait_for("Page.loadEventFired", session)
        return session

    def evaluate(self, expression: str, session: str):  # noqa: ANN201 - any JSON value
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def problems(self, session: str, page_url: str) -> tuple[list[str], list[str]]:
        """Console errors and exceptions, and requests for anything but the page itself."""
        errors, requests = [], []
        for event in self.events:
            if event.get("sessionId") != session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                errors.append(f"console.{params['type']}: {[a.get('value') for a in params.get('args', [])]}")
            elif method == "Runtime.exceptionThrown":
                errors.append(f"exception: {params.get('exceptionDetails', {}).get('text')}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                errors.append(f"log: {params['entry'].get('text')}")
            elif method == "Network.requestWillBeSent":
                url = params.get("request", {}).get("url", "")
                if url != page_url and not url.startswith("data:"):
                    requests.append(url)
        return errors, requests

    def close(self) -> None:
        with contextlib.suppress(EOFError, TimeoutError, OSError, RuntimeError):
            self.send("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self.write, self.read):
            os.close(fd)
        self.log.close()


@pytest.fixture()
def browser(tmp_path: Path):
    devtools = DevTools(_chromium(), tmp_path / "profile", tmp_path / "chromium.log")
    try:
        yield devtools
    finally:
        devtools.close()


@pytest.fixture()
def report(tmp_path: Path) -> tuple[Path, list[str]]:
    paths = write_demo_data(tmp_path / "demo", n_leads=2500, seed=5)
    leads = pd.read_csv(paths["leads"], dtype="str", keep_default_na=False, na_values=[""])
    # A source name that would run as a script if the report did not escape it.
    hostile = leads.head(40).assign(lead_id=lambda f: "X" + f["lead_id"], source=EVIL, source_type="other")
    history = paths["leads"].with_name("history.csv")
    pd.concat([leads, hostile], ignore_index=True).to_csv(history, index=False)
    run = run_sources(
        history,
        tmp_path / "out" / "report.html",
        load_params(ROOT / "params.yaml"),
        spend=paths["source_spend"],
        csv=tmp_path / "out" / "table.csv",
        use_model=False,
        params_source="params.yaml",
    )
    table = run.report.table
    return run.html, [str(n) for n in table.loc[table["level"] == "source", "name"]]


def test_report_renders_in_chromium_without_errors_or_requests(browser: DevTools, report, tmp_path: Path):
    html_path, sources = report
    url = html_path.resolve().as_uri()
    session = browser.open(url)

    sections = browser.evaluate("[...document.querySelectorAll('section[id]')].map(s => s.id)", session)
    assert sections == list(SECTION_IDS)
    heights = browser.evaluate(
        "Object.fromEntries([...document.querySelectorAll('section[id]')]"
        ".map(s => [s.id, s.getBoundingClientRect().height]))",
        session,
    )
    assert all(h > 20 for h in heights.values()), heights
    text = browser.evaluate("document.body.innerText", session)
    league = browser.evaluate("document.getElementById('league').innerText", session)
    for name in sources:
        assert name in league, f"source {name!r} missing from the league table"
    assert EVIL in text  # shown as text ...
    assert browser.evaluate("document.scripts.length", session) == 0  # ... and never run
    assert browser.evaluate("document.querySelectorAll('#charts svg').length", session) >= 4
    link = browser.evaluate("document.querySelector('#disputed a.file').getAttribute('href')", session)
    assert link == "report.disputed.csv" and (html_path.parent / link).exists()
    review = browser.evaluate("document.querySelector('#review a.file').getAttribute('href')", session)
    assert review == "report.review.csv" and (html_path.parent / review).exists()
    assert "Patterns" in browser.evaluate("document.getElementById('review').innerText", session)
    follow = browser.evaluate("document.getElementById('follow-up').innerText", session)
    for name in sources:
        assert name in follow, f"source {name!r} missing from the follow-up section"
    header = browser.evaluate("document.querySelector('header').innerText", session)
    assert "Params: " in header and "Model: none" in header and "Data: history.csv" in header
    # The trend stays readable: all sources, the five largest types and "other types" at most.
    lines = browser.evaluate("document.querySelectorAll('#charts svg[aria-label=\"Acceptance rate by quarter\"] polyline').length",
                             session)
    assert 2 <= lines <= 7

    shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session)
    (tmp_path / "report.png").write_bytes(base64.b64decode(shot["data"]))
    pdf = browser.send("Page.printToPDF", {"landscape": True, "printBackground": True}, session)
    (tmp_path / "report.pdf").write_bytes(base64.b64decode(pdf["data"]))
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert (tmp_path / "report.pdf").read_bytes()[:4] == b"%PDF"

    errors, requests = browser.problems(session, url)
    assert errors == [], errors
    assert requests == [], requests


def test_the_browser_checks_do_catch_errors_and_requests(browser: DevTools, tmp_path: Path):
    """The harness itself: a page with a console error and an outside image must be caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><body><script>console.error("boom")</script>'
        '<img src="https://example.invalid/pixel.png"></body></html>',
        encoding="utf-8",
    )
    url = page.resolve().as_uri()
    session = browser.open(url)
    errors, requests = browser.problems(session, url)
    assert any("boom" in e for e in errors), errors
    assert any(r.startswith("https://example.invalid/") for r in requests), requests
