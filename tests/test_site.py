"""The lecture site: tools/build_site.py builds it, checked on disk and in Chromium.

The whole site is built once per session (demos come from build/site-cache/ when
their step has not changed). The static checks (tools/site_check.py) run over
every page; the browser tests drive Debian's headless Chromium through Selenium
and its chromedriver, with every host name resolving to nothing, and save
screenshots to site-screenshots/ (or $SITE_SCREENSHOTS) for a person to look at.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from helpers import ROOT, load_tool

site_check = load_tool("site_check")

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
SCREENSHOTS = Path(os.environ.get("SITE_SCREENSHOTS", ROOT / "site-screenshots"))
VIEWPORT = (1280, 720)  # a projector's resolution: the diff must be readable there
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # Nothing may leave the machine: every host but the test server resolves to
    # nothing, so a request to another host fails at once (and is still logged).
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
# Requests that could leave the site; the browser's own (chrome://, data:, blob:,
# about:) cannot. A file:// request outside the site's folder counts too.
NETWORK_SCHEMES = ("http:", "https:", "ws:", "wss:", "ftp:", "file:")


# --- building ----------------------------------------------------------------


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The whole site, built into a temporary folder."""
    pytest.importorskip("mkdocs", reason="site requirements missing: make site-deps")
    pytest.importorskip("material", reason="site requirements missing: make site-deps")
    prebuilt = os.environ.get("SITE_PREBUILT")  # a site already built, when iterating
    if prebuilt:
        return Path(prebuilt).resolve()
    build_site = load_tool("build_site")
    base = tmp_path_factory.mktemp("site")
    cache = Path(os.environ.get("SITE_CACHE", build_site.DEFAULT_CACHE))
    out = base / "site"
    runs = build_site.build(
        ROOT, out, base / "work", cache, None, os.cpu_count() or 1, _python(), log=None
    )
    failed = {r.step: r.stdout[-2000:] for r in runs if r.returncode != 0}
    assert not failed, f"demos failed while building the site: {failed}"
    return out


def _python() -> str:
    import sys

    return sys.executable


def test_home_lists_every_step(site):
    steps = sorted(p.name for p in ROOT.glob("step[0-9][0-9]"))
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.count('class="step-item"') == len(steps) == 60
    for name in steps:
        assert f'href="steps/{name}.html"' in home


def test_every_step_has_a_page_with_lesson_diff_and_files(site):
    for step in sorted(ROOT.glob("step[0-9][0-9]")):
        page = (site / "steps" / f"{step.name}.html").read_text(encoding="utf-8")
        title = step.joinpath("README.md").read_text(encoding="utf-8").split("\n")[0]
        assert html.escape(title.removeprefix("# "), quote=False) + "<" in page, (
            step.name
        )
        assert page.count('id="diff"') == 1, step.name
        assert "GOES-HERE" not in page, step.name
        for rel in ("demo.py", "README.md"):
            assert f'href="{step.name}/src/{rel}.html"' in page, (step.name, rel)
        assert f'href="{step.name}/{step.name}.ipynb"' in page, step.name
        # Once tools/practice.py exists, every step says how to practise it.
        practice = f"<code>make practice STEP={int(step.name[4:])}</code>"
        assert (practice in page) == (ROOT / "tools" / "practice.py").exists(), step


def test_step42_diff_adds_mean_squared_error(site):
    page = (site / "steps" / "step42.html").read_text(encoding="utf-8")
    diff = page[page.index('id="diff"') :]
    rows = diff[: diff.index("</table>")].split("<tr")[1:]  # the framework's table
    added = [row for row in rows if '<td class="code ins"' in row]
    assert any('<span class="t-def">mean_squared_error</span>(' in row for row in added)
    # A hunk that only adds lines spans the table's full width (stepdiff's tr.one).
    assert all('class="one"' in row and 'colspan="3"' in row for row in added), added[
        :2
    ]
    # 'Start here' links to the row that defines it, and the demo tells the story.
    assert 'href="#d-dezero-functions-py--mean_squared_error"' in diff
    assert 'id="d-dezero-functions-py--mean_squared_error"' in diff
    assert '<details class="demo" open>' in diff


def test_internal_links_resolve(site):
    assert site_check.broken_links(site) == []


def test_nothing_loads_from_outside(site):
    assert site_check.outside_resources(site) == []


# --- the checkers catch what they are for -------------------------------------


def _tiny_site(tmp_path: Path, body: str, css: str = "") -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.css").write_text(css, encoding="utf-8")
    (tmp_path / "fig.png").write_bytes(b"\x89PNG")
    (tmp_path / "other.html").write_text('<h2 id="there">x</h2>', encoding="utf-8")
    page = (
        '<html><head><link rel="stylesheet" href="assets/a.css"></head>'
        f'<body><h1 id="top">t</h1><a href="#top">up</a>{body}</body></html>'
    )
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    return tmp_path


def test_checkers_pass_a_clean_site(tmp_path):
    body = '<a href="other.html#there">o</a><img src="fig.png"><a href="https://x.org">x</a>'
    site = _tiny_site(tmp_path, body, "a { background: url(../fig.png) }")
    assert site_check.broken_links(site) == []
    assert site_check.outside_resources(site) == []


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            '<a href="nowhere.html">n</a>',
            "index.html: a.href nowhere.html (no such file)",
        ),
        ('<img src="missing.png">', "index.html: img.src missing.png (no such file)"),
        (
            '<a href="other.html#gone">g</a>',
            "index.html: a.href other.html#gone (no id 'gone' there)",
        ),
        (
            '<a href="#nothing">n</a>',
            "index.html: a.href #nothing (no id 'nothing' there)",
        ),
        ('<a href="../../etc/passwd">p</a>', "(leaves the site folder)"),
    ],
)
def test_broken_links_are_found(tmp_path, body, expected):
    problems = site_check.broken_links(_tiny_site(tmp_path, body))
    assert len(problems) == 1 and expected in problems[0], problems


@pytest.mark.parametrize(
    "body, css, expected",
    [
        ('<script src="https://cdn.example/x.js"></script>', "", "script.src https://"),
        ('<link rel="stylesheet" href="//fonts.example/css">', "", "link.href //fonts"),
        ('<img src="http://example.org/a.png">', "", "img.src http://example.org"),
        (
            "<style>@import 'https://fonts.example/f.css';</style>",
            "",
            "css url https://",
        ),
        ('<p style="background:url(https://t.example/p.gif)">', "", "css url https://"),
        (
            "",
            "body { font: url(https://fonts.example/f.woff2) }",
            "assets/a.css: css url",
        ),
    ],
)
def test_outside_resources_are_found(tmp_path, body, css, expected):
    problems = site_check.outside_resources(_tiny_site(tmp_path, body, css))
    assert len(problems) == 1 and expected in problems[0], problems


# --- in a real browser -------------------------------------------------------


def _selenium():
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip(
            "no chromium/chromedriver: apt-get install chromium chromium-driver"
        )
    return pytest.importorskip(
        "selenium.webdriver", reason="selenium missing: make site-deps"
    )


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    webdriver = _selenium()
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"
    )
    options.add_argument(f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}")
    options.set_capability(
        "goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"}
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        # The window size includes no browser chrome in headless mode; make the
        # page's viewport exactly the projector's.
        inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        driver.set_window_size(
            2 * VIEWPORT[0] - inner[0] if inner[0] else VIEWPORT[0],
            2 * VIEWPORT[1] - inner[1] if inner[1] else VIEWPORT[1],
        )
        yield driver
    finally:
        driver.quit()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(site):
    """`python -m http.server -d site`, on a free port of 127.0.0.1."""
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def open_page(driver, url: str) -> None:
    """Load a page and wait until its images have finished (or failed) loading."""
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(url)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        done = driver.execute_script(
            "return document.readyState === 'complete' && "
            "Array.from(document.images).every(i => i.complete)"
        )
        if done:
            return
        time.sleep(0.05)


def page_problems(driver, own: str) -> list[str]:
    """Console errors, requests to anything but `own`, and images that did not load."""
    problems = []
    for entry in driver.get_log("browser"):
        if entry.get("level") == "SEVERE":
            problems.append(f"console: {entry.get('message')}")
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") != "Network.requestWillBeSent":
            continue
        url = message["params"]["request"]["url"]
        if not url.startswith(own) and url.lower().startswith(NETWORK_SCHEMES):
            problems.append(f"request outside the site: {url}")
    broken = driver.execute_script(
        "return Array.from(document.images)"
        ".filter(i => !(i.complete && i.naturalWidth > 0))"
        ".map(i => i.getAttribute('src'))"
    )
    problems += [f"image did not load: {src}" for src in broken]
    return problems


def shot(driver, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def scroll_to(driver, css: str) -> None:
    """Scroll an element to the top of the window, below Material's fixed header."""
    driver.execute_script(
        "const e = document.querySelector(arguments[0]); e.scrollIntoView();"
        "const bar = document.querySelector('.md-header');"
        "window.scrollBy(0, -(bar ? bar.getBoundingClientRect().height : 0));",
        css,
    )


def press(driver, key: str) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(driver).send_keys(key).perform()


def wait_for(driver, condition, what: str, seconds: float = 15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition(driver)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what} (at {driver.current_url})")


def test_page_problems_catches_outside_requests_errors_and_missing_figures(
    browser, tmp_path
):
    """The runtime checker fails a page that reaches out, throws or loses a figure."""
    page = tmp_path / "bad.html"
    page.write_text(
        "<html><body><h1>bad</h1>"
        '<img src="http://outside.example/track.png">'
        '<img src="missing.png">'
        '<script>throw new Error("boom")</script></body></html>',
        encoding="utf-8",
    )
    open_page(browser, page.as_uri())
    problems = page_problems(browser, tmp_path.as_uri())
    text = "\n".join(problems)
    assert "request outside the site: http://outside.example/track.png" in text
    assert "image did not load: missing.png" in text
    assert "boom" in text


def test_home_in_browser(browser, served):
    open_page(browser, served + "index.html")
    items = browser.find_elements("css selector", ".journey li.step-item")
    assert len(items) == 60
    assert items[41].text.startswith("42 Linear regression")
    shot(browser, "home")
    scroll_to(browser, ".home-figure")
    shot(browser, "home-step60")
    assert page_problems(browser, served) == []


def test_step_page_lesson_diff_figure(browser, served):
    open_page(browser, served + "steps/step42.html")
    assert "Linear regression" in browser.find_element("css selector", "h1").text
    article = browser.find_element("css selector", "article").text
    assert "The mean squared error" in article  # the lesson
    added = browser.execute_script(
        "return Array.from(document.querySelectorAll('#diff table.diff td.code.ins'))"
        ".map(td => td.textContent).join('\\n')"
    )
    assert "def mean_squared_error(x0, x1):" in added
    assert "class MeanSquaredError(Function):" in added
    sizes = browser.execute_script(
        "return Array.from(document.querySelectorAll('figure.demo-figure img'))"
        ".map(i => i.naturalWidth)"
    )
    assert sizes and all(w > 0 for w in sizes), sizes
    assert page_problems(browser, served) == []
    assert browser.execute_script(LAYOUT)["bad"] == []  # the hanging indent holds
    shot(browser, "step42-stage4")
    scroll_to(browser, "#diff")
    shot(browser, "step42-stage4-diff")
    # 41 -> 42 is told by its demo: stepdiff's demo section is there, open
    assert browser.execute_script(
        "return document.querySelector('#diff details.demo').open"
    )
    scroll_to(browser, "#diff details.demo")
    shot(browser, "step42-stage4-demo-diff")
    scroll_to(browser, "figure.demo-figure")
    shot(browser, "step42-stage4-demo")


def test_arrow_keys_move_between_steps(browser, served):
    open_page(browser, served + "steps/step42.html")
    press(browser, "\ue014")  # ArrowRight
    wait_for(browser, lambda d: d.current_url.endswith("steps/step43.html"), "step 43")
    press(browser, "\ue012")  # ArrowLeft
    wait_for(browser, lambda d: d.current_url.endswith("steps/step42.html"), "step 42")
    press(browser, "\ue012")
    wait_for(browser, lambda d: d.current_url.endswith("steps/step41.html"), "step 41")
    open_page(browser, served + "steps/step01.html")
    press(browser, "\ue012")  # nothing before step 1: stays
    time.sleep(0.3)
    assert browser.current_url.endswith("steps/step01.html")
    assert page_problems(browser, served) == []


# What the projector shows, measured in the page: code rows wholly on screen (and
# the lines of code they hold, wrapped lines counted once per screen line), the
# widths of a full-width (added-only) row's code and of the table, and every code
# cell whose first line does not start at the cell's left padding (the hanging
# indent pulls the first line back by exactly what the padding adds).
LAYOUT = """
const t = document.querySelector('#diff table.diff');
const rows = Array.from(document.querySelectorAll('#diff table.diff tbody tr'));
const onScreen = rows.filter(r => r.querySelector('td.code') && (b =>
  b.top >= 0 && b.bottom <= window.innerHeight)(r.getBoundingClientRect()));
const one = document.querySelector('#diff tr.one td.code');
const bad = [];
for (const td of document.querySelectorAll('#diff td.code')) {
  const s = getComputedStyle(td), em = parseFloat(s.fontSize);
  const start = parseFloat(s.paddingLeft) + parseFloat(s.textIndent);
  const indent = parseInt(td.style.getPropertyValue('--i') || '0');
  // 0.4em of padding; a 'ch' is at least half an em in every monospace font
  if (Math.abs(start - 0.4 * em) > 1 ||
      parseFloat(s.paddingLeft) < 0.4 * em + (indent + 2) * 0.5 * em) {
    bad.push(td.textContent.slice(0, 40));
  }
}
const line = parseFloat(getComputedStyle(t.querySelector('td.code')).lineHeight);
const high = onScreen.reduce((sum, r) => sum + r.getBoundingClientRect().height, 0);
return {rows: onScreen.length, lines: Math.round(high / line),
        all: rows.filter(r => r.querySelector('td.code')).length,
        table: t.getBoundingClientRect().width,
        one: one ? one.getBoundingClientRect().width : 0, bad: bad.slice(0, 5),
        font: parseFloat(getComputedStyle(t.querySelector('td.code')).fontSize)};
"""


def projector_on(browser) -> None:
    press(browser, "d")
    wait_for(
        browser,
        lambda d: d.execute_script(
            "return document.documentElement.classList.contains('projector')"
        ),
        "the projector view",
    )


def test_projector_view(browser, served):
    open_page(browser, served + "steps/step42.html")
    projector_on(browser)
    state = browser.execute_script(
        "const t = document.querySelector('#diff table.diff');"
        "const cell = t.querySelector('td.code');"
        "const shown = (css) => getComputedStyle(document.querySelector(css)).display;"
        "return {header: shown('.md-header'),"
        " lesson: shown('article > p:not(.diff-head)'),"
        " font: parseFloat(getComputedStyle(cell).fontSize),"
        " right: t.getBoundingClientRect().right, width: window.innerWidth,"
        " top: t.getBoundingClientRect().top, height: window.innerHeight}"
    )
    assert state["header"] == "none" and state["lesson"] == "none", state
    assert state["font"] >= 16, state  # readable from the back of a room
    assert state["right"] <= state["width"], state  # no sideways scrolling
    assert state["top"] < state["height"] / 2, state  # the diff starts on screen
    layout = browser.execute_script(LAYOUT)
    assert layout["rows"] >= 20, layout  # 20+ code lines at 1280x720
    # step 42 only adds to functions.py: its lines use the whole width
    assert layout["one"] > 0.9 * layout["table"], layout
    assert layout["bad"] == [], layout  # wrapped lines hang under their code
    shot(browser, "projector-step42")
    press(browser, "\ue014")  # the view survives moving on
    wait_for(browser, lambda d: "steps/step43.html" in d.current_url, "step 43")
    wait_for(
        browser,
        lambda d: d.execute_script(
            "return document.documentElement.classList.contains('projector')"
        ),
        "the projector view on step 43",
    )
    press(browser, "\ue00c")  # Escape leaves it
    assert not browser.execute_script(
        "return document.documentElement.classList.contains('projector')"
    )
    assert page_problems(browser, served) == []


def test_projector_view_of_a_loop_replacing_recursion(browser, served):
    """Step 8 turns backward's recursion into a loop: the projector shows it."""
    open_page(browser, served + "steps/step08.html#projector")
    wait_for(
        browser,
        lambda d: d.execute_script(
            "return document.documentElement.classList.contains('projector')"
        ),
        "the projector view from the address",
    )
    shot(browser, "projector-step08")
    layout = browser.execute_script(LAYOUT)
    # the whole diff is on screen, or at least 20 lines of it
    assert layout["rows"] == layout["all"] or layout["lines"] >= 20, layout
    assert layout["lines"] >= 20 and layout["font"] >= 16, layout
    assert layout["bad"] == [], layout
    assert page_problems(browser, served) == []


@pytest.mark.parametrize("step, name", [(7, "step07-stage1"), (57, "step57-stage5")])
def test_screenshots_of_other_stages(browser, served, step, name):
    open_page(browser, served + f"steps/step{step:02d}.html")
    shot(browser, name)
    scroll_to(browser, "#diff")
    shot(browser, f"{name}-diff")
    assert page_problems(browser, served) == []


def test_every_page_loads_cleanly(browser, served, site):
    """No console error, no outside request, no missing image on any page."""
    # The site's own pages; the highlighted source files load no script or image.
    found = [*site.glob("*.html"), *site.glob("*/*.html")]
    pages = sorted(p.relative_to(site).as_posix() for p in found)
    pages = [p for p in pages if not p.startswith("assets/")]
    assert "index.html" in pages and len(pages) > 60
    problems = {}
    for page in pages:
        open_page(browser, served + page)
        found = page_problems(browser, served)
        if found:
            problems[page] = found
    assert problems == {}


def test_works_from_file_urls(browser, site):
    """Opened straight from disk (file://), without a server."""
    own = site.as_uri() + "/"
    open_page(browser, own + "steps/step42.html")
    sizes = browser.execute_script(
        "return Array.from(document.querySelectorAll('figure.demo-figure img'))"
        ".map(i => i.naturalWidth)"
    )
    assert sizes and all(w > 0 for w in sizes), sizes
    press(browser, "\ue014")
    wait_for(browser, lambda d: d.current_url.endswith("steps/step43.html"), "step 43")
    assert page_problems(browser, own) == []
    open_page(browser, own + "index.html")
    assert len(browser.find_elements("css selector", ".journey li.step-item")) == 60
    assert page_problems(browser, own) == []
