"""The browser-test kit: Debian's Chromium driven by Playwright against the live server.

Each `Session` is one person at their own computer: a browser context of its own (its own
cookies, so its own Django session and CSRF token). On every screen a test calls
`session.screen(name)`, which keeps a screenshot in test-results/e2e/ and runs axe-core
(`session.check(name)` runs axe-core alone, for a test that visits many pages).
Throughout, every console error, uncaught script error, Content-Security-Policy violation and
HTTP error response (but one the test said it expects) is collected; at the end of the test
any of them, or any axe violation of any rule and impact, fails the test. Every axe violation
is written to test-results/e2e/axe.json and summarised at the end of the run
(WORKUP_E2E_RESULTS names another folder, so two runs at once keep their own files).

Where Chromium is not installed the browser tests are skipped, except in CI (CI=true), where
they must run.
"""

import json
import os
import shutil
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

from tests.factories import PASSWORD


class OneRequestAtATime(ThreadedWSGIServer):
    """The live server still accepts connections on threads (a browser opens several and
    keeps them), but runs the application for one request at a time: its threads share the
    in-memory SQLite test database, which refuses a second writer at once ("database table is
    locked") when the browser asks for two things together (a PDF opening while its page
    polls). Production runs on PostgreSQL; tests/services exercises concurrency there."""

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


LiveServerThread.server_class = OneRequestAtATime


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
RESULTS = Path(
    os.environ.get("WORKUP_E2E_RESULTS")
    or Path(__file__).resolve().parents[2] / "test-results" / "e2e"
)
AXE_REPORT = RESULTS / "axe.json"

# Every axe-core violation fails the test, whatever its impact (WCAG 2.2 AA and axe's best
# practices: the product has no known exception).

# Browser errors not failed on yet (none: /favicon.ico now redirects to the static icon).
KNOWN_BROWSER_ERRORS = ()

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Reports every CSP violation of the page to the test (Chromium also logs most of them to
# the console; this catches those it does not). Injected by Playwright, so the page's own
# Content-Security-Policy does not apply to it.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || location.pathname}:${e.lineNumber} ${e.sample || ""}`);
});
"""

_axe_results = {}  # "module-session-NN-screen" -> that screen's URL and axe violations
_run = {"started": False}
_axe_cache = {}


@dataclass
class Session:
    """One person's browser context and page on the live server."""

    name: str
    base_url: str
    context: object
    page: object
    prefix: str
    problems: list = field(default_factory=list)
    axe: dict = field(default_factory=dict)  # screen label -> its axe violations

    expected_errors: set = field(default_factory=set)  # (status, path) not to fail on

    def goto(self, path, *, expect_status=None):
        """Open `path`; `expect_status` (403, 404): the error page is what the test wants."""
        if expect_status is not None:
            self.expected_errors.add((expect_status, path))
        return self.page.goto(self.base_url + path)

    def login(self, username, password=PASSWORD):
        """Log in through the login page, as a person does."""
        if "/accounts/login/" not in self.page.url:
            self.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.screen("login")
        self.page.click("button:has-text('Log in')")
        self.page.wait_for_url(lambda url: "/accounts/login/" not in url)

    def logout(self):
        with self.page.expect_navigation():
            self.page.click("nav button:has-text('Log out')")

    def session_cookie(self):
        return next((c["value"] for c in self.context.cookies() if c["name"] == "sessionid"), None)

    def screen(self, name):
        """A screenshot and an axe-core run of the screen as it is now."""
        label = self._label(name)
        self.page.screenshot(path=str(RESULTS / f"{label}.png"), full_page=True)
        self._axe(label)

    def check(self, name):
        """An axe-core run of the screen as it is now, without a screenshot."""
        self._axe(self._label(name))

    def _label(self, name):
        label = f"{self.prefix}-{self.name}-{len(self.axe) + 1:02d}-{name}"
        assert label not in _axe_results, f"two sessions named {self.prefix}-{self.name}"
        return label

    def _axe(self, label):
        # preload=False: axe would otherwise copy each stylesheet into an inline <style> of
        # the page (for css-orientation-lock, a rule no stylesheet of ours or the admin's
        # gives any work to), which the Content-Security-Policy rightly blocks
        response = (
            _axe_runner()
            .run(self.page, options={"resultTypes": ["violations"], "preload": False})
            .response
        )
        _axe_cache["version"] = response["testEngine"]["version"]
        violations = response["violations"]
        self.axe[label] = _axe_results[label] = {
            "url": self.page.url,
            "violations": [
                {
                    "id": v["id"],
                    "impact": v["impact"],
                    "help": v["help"],
                    "helpUrl": v["helpUrl"],
                    "nodes": [
                        {
                            "target": n["target"],
                            "html": n["html"],
                            "summary": n.get("failureSummary", ""),
                        }
                        for n in v["nodes"]
                    ],
                }
                for v in violations
            ],
        }
        _write_axe_report()

    def blocking_axe_violations(self):
        return [
            f"{label}: {v['id']} ({v['impact']}) on {len(v['nodes'])} element(s): "
            f"{v['help']}; first: {v['nodes'][0]['html'][:160]}"
            for label, result in self.axe.items()
            for v in result["violations"]
        ]

    def _watch(self):
        """Collect what a person would not see but that means something is broken."""
        page = self.page
        page.on("console", lambda msg: self._console(msg))
        page.on(
            "pageerror",
            lambda error: self._problem(
                f"{self.name}: uncaught script error on {page.url}: {error}"
            ),
        )
        page.on("response", lambda response: self._response(response))

    def _problem(self, text):
        if not any(known in text for known in KNOWN_BROWSER_ERRORS):
            self.problems.append(text)

    def _response(self, response):
        path = response.url.removeprefix(self.base_url)
        if response.status >= 400 and (response.status, path) not in self.expected_errors:
            self._problem(
                f"{self.name}: HTTP {response.status} for {response.request.method} {path}"
            )

    def _console(self, msg):
        text = msg.text
        where = msg.location.get("url", "") if msg.location else ""
        expected = {path for _, path in self.expected_errors}
        if text.startswith("Failed to load resource") and (
            where.removeprefix(self.base_url) in expected
        ):
            return  # the error page the test asked for
        if msg.type == "error" or "Content Security Policy" in text:
            self._problem(
                f"{self.name}: console {msg.type} on {self.page.url}: {text}"
                + (f" ({where})" if where else "")
            )


# axe-core from the npm registry, as `make install` puts it (tests/e2e/package-lock.json)
NPM_AXE = Path(__file__).with_name("node_modules") / "axe-core" / "axe.min.js"


def _axe_runner():
    """The axe.min.js that WORKUP_AXE_JS names, else npm's (`make install`), else the copy
    axe-playwright-python bundles (4.12.1 with 0.1.8) where npm was missing. The summary at
    the end of the run names the version that ran."""
    from axe_playwright_python.sync_playwright import Axe

    if "runner" not in _axe_cache:
        path = os.environ.get("WORKUP_AXE_JS") or (NPM_AXE if NPM_AXE.is_file() else None)
        _axe_cache["runner"] = Axe.from_file(path) if path else Axe()
    return _axe_cache["runner"]


def _write_axe_report():
    RESULTS.mkdir(parents=True, exist_ok=True)
    AXE_REPORT.write_text(json.dumps(_axe_results, indent=2))


def axe_summary_lines():
    lines = []
    for label, result in _axe_results.items():
        counts = Counter(
            f"{v['id']} ({v['impact']}, {len(v['nodes'])})" for v in result["violations"]
        )
        lines.append(f"{label}: " + (", ".join(sorted(counts)) if counts else "no violations"))
    return lines


def pytest_terminal_summary(terminalreporter):
    if _axe_results:
        terminalreporter.section(
            f"axe-core {_axe_cache.get('version', '')}: violations per screen "
            "(rule, impact, elements)"
        )
        for line in axe_summary_lines():
            terminalreporter.write_line(line)
        terminalreporter.write_line(f"Full report: {AXE_REPORT}")


@pytest.fixture
def chromium(live_server, settings, tmp_path):
    """A headless Chromium for one test, with the rendered-fragment cache emptied first (so
    the first session to open a page is the one whose rendering is cached)."""
    in_ci = os.environ.get("CI") == "true"
    if not Path(CHROMIUM).exists():
        if in_ci:
            raise RuntimeError("CI must run the browser tests: install Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    if in_ci:
        from playwright import sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    settings.DOCUMENT_ROOT = tmp_path / "documents"
    caches["local"].clear()
    if not _run["started"]:  # the first browser test of this run: drop the last run's files
        shutil.rmtree(RESULTS, ignore_errors=True)
        _run["started"] = True
    RESULTS.mkdir(parents=True, exist_ok=True)
    # Playwright's sync API runs an event loop in this thread; the Django calls made by the
    # test itself (fixtures, assertions) are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


TABLET = (768, 1024)  # a tablet held upright (iPad)


@pytest.fixture
def new_session(chromium, live_server, request):
    """new_session(name) -> a Session in a browser context of its own. After the test, fails
    on any console error, CSP violation, HTTP error or axe violation in any session."""
    sessions = []
    prefix = request.node.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")

    def _new(name, viewport=(1366, 768)):
        """`viewport`: (width, height); a tablet is TABLET."""
        context = chromium.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        context.set_default_timeout(15000)
        session = Session(
            name=name, base_url=live_server.url, context=context, page=None, prefix=prefix
        )
        context.expose_binding(
            "__reportCspViolation",
            lambda source, text: session._problem(
                f"{name}: CSP violation on {source['page'].url}: {text}"
            ),
        )
        context.add_init_script(CSP_LISTENER)
        session.page = context.new_page()
        session._watch()
        sessions.append(session)
        return session

    yield _new
    for session in sessions:
        session.page.wait_for_timeout(100)  # let a last console message or CSP report arrive
        session.context.close()
    problems = [p for s in sessions for p in s.problems]
    blocking = [v for s in sessions for v in s.blocking_axe_violations()]
    assert not problems, "Errors in the browser:\n" + "\n".join(problems)
    assert not blocking, "Accessibility violations (axe-core):\n" + "\n".join(blocking)


@pytest.fixture
def expect(chromium):
    """Playwright's expect (web-first assertions that wait)."""
    from playwright.sync_api import expect

    return expect
