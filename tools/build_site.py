#!/usr/bin/env python3
"""Build the lecture site: the 60 steps as a static website, into site/.

    python tools/build_site.py              # what `make site` runs
    python tools/build_site.py --demos 40-42 # run only these demos (quick check)
    python tools/build_site.py --out /tmp/site -j 2

Everything comes from the repository at build time. The Markdown pages and the
MkDocs configuration are generated into build/site/ (git-ignored) and MkDocs with
the Material theme (requirements-site.txt) turns them into HTML in site/:

- index: the 60 steps by stage, one line each, and the step-60 demo;
- steps/stepNN: the lesson, the side-by-side diff from tools/stepdiff.py, the
  demo's output and figures, links to every file of the snapshot (highlighted
  pages under steps/stepNN/src/), to the notebook and to the practice exercise;
- stages/: the stage guides and the notes on where the code differs from the book.

Demos run in a temporary copy of their step (MPLBACKEND=Agg), all cores at once.
Their output and figures are cached in build/site-cache/, keyed by a hash of
every file of the step plus the versions of Python, NumPy and matplotlib: edit
anything in a step and its demo runs again on the next build.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import html
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
sys.path.insert(0, str(TOOLS))

import stepdiff  # noqa: E402  (tools/ is not a package)
from steplib import REPO_ROOT, choose_steps, find_steps  # noqa: E402

ASSETS = TOOLS / "site_assets"
DEFAULT_OUT = REPO_ROOT / "site"
DEFAULT_WORK = REPO_ROOT / "build" / "site"
DEFAULT_CACHE = REPO_ROOT / "build" / "site-cache"
# Bump when the way demos are run or stored changes: every cache entry goes stale.
CACHE_FORMAT = 1
DEMO_TIMEOUT = 600  # seconds for one demo; the slowest takes about 20 s
SKIPPED_PARTS = {"output", "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache"}
FIGURE_SUFFIXES = {".png", ".svg", ".jpg", ".jpeg", ".gif"}
STAGE_TITLE = re.compile(r"^# Stage (\d+) — (.+?)(?: \(steps .*\))?\s*$")
LESSON_TITLE = re.compile(r"^# Step (\d+) — (.+?)\s*$")
ROW = re.compile(r"^\|\s*\[(\d+)\]\([^)]*\)\s*\|\s*([^|]*?)\s*\|\s*(.*?)\s*\|\s*$")
MD_LINK = re.compile(r"(!?\[[^\]]*\]\()([^)\s]*)(\))")
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class SiteError(Exception):
    """A problem that stops the build: missing tools, a failed MkDocs run."""


# --- What the repository holds ---------------------------------------------


@dataclass
class Step:
    number: int
    path: Path
    title: str
    stage: int = 0
    line: str = ""  # the stage guide's "In one line"

    @property
    def name(self) -> str:
        return f"step{self.number:02d}"

    @property
    def page(self) -> str:
        """The step's page, relative to the docs folder."""
        return f"steps/{self.name}.md"


@dataclass
class Stage:
    number: int
    title: str
    guide: Path
    steps: list[int] = field(default_factory=list)

    @property
    def page(self) -> str:
        return f"stages/stage{self.number}.md"


def lesson_title(step: Path) -> str:
    """The title in the lesson's first line, '# Step 42 — Linear regression'."""
    readme = step / "README.md"
    first = (
        readme.read_text(encoding="utf-8").splitlines()[0] if readme.exists() else ""
    )
    match = LESSON_TITLE.match(first)
    if not match:
        raise SiteError(
            f"{readme}: first line should be '# Step NN — Title', got {first!r}"
        )
    return match.group(2)


def read_stages(root: Path) -> list[Stage]:
    """The stage guides stages/stageN/README.md and the steps their tables list."""
    stages = []
    for guide in sorted((root / "stages").glob("stage*/README.md")):
        lines = guide.read_text(encoding="utf-8").splitlines()
        match = STAGE_TITLE.match(lines[0]) if lines else None
        if not match:
            raise SiteError(
                f"{guide}: first line should be '# Stage N — Title (steps ...)'"
            )
        stage = Stage(int(match.group(1)), match.group(2), guide)
        for line in lines:
            row = ROW.match(line)
            if row:
                stage.steps.append(int(row.group(1)))
        stages.append(stage)
    return sorted(stages, key=lambda s: s.number)


def stage_lines(stage: Stage) -> dict[int, str]:
    """Step number -> the guide's one-line summary of it."""
    out = {}
    for line in stage.guide.read_text(encoding="utf-8").splitlines():
        row = ROW.match(line)
        if row:
            out[int(row.group(1))] = row.group(3)
    return out


def read_steps(root: Path, stages: list[Stage]) -> dict[int, Step]:
    steps = {
        n: Step(n, path, lesson_title(path)) for n, path in find_steps(root).items()
    }
    for stage in stages:
        lines = stage_lines(stage)
        for n in stage.steps:
            if n in steps:
                steps[n].stage = stage.number
                steps[n].line = lines.get(n, "")
    return steps


def snapshot_files(step: Path) -> list[str]:
    """Every file of a snapshot that git would track, as paths relative to it."""
    files = []
    for path in sorted(step.rglob("*")):
        parts = path.relative_to(step).parts
        if any(p in SKIPPED_PARTS or p.startswith(".") for p in parts):
            continue
        if path.is_file() and path.suffix != ".pyc":
            files.append("/".join(parts))
    return files


# --- Demos, run once per version of a step -----------------------------------


def versions() -> str:
    """What else decides a demo's output: the interpreter and the libraries."""
    parts = [f"python {sys.version.split()[0]}"]
    for dist in ("numpy", "matplotlib"):
        try:
            parts.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{dist} missing")
    return ", ".join(parts)


def step_hash(step: Path) -> str:
    """A hash of every file of the step, the cache format and versions()."""
    digest = hashlib.sha256(f"format {CACHE_FORMAT}; {versions()}\n".encode())
    for rel in snapshot_files(step):
        digest.update(rel.encode() + b"\0")
        digest.update((step / rel).read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


@dataclass
class DemoRun:
    step: str
    stdout: str
    returncode: int
    seconds: float
    output: Path  # the folder the demo's output/ was kept in
    cached: bool

    @property
    def files(self) -> list[Path]:
        """What the demo wrote into output/, relative to it."""
        found = self.output.rglob("*") if self.output.is_dir() else []
        return sorted(p.relative_to(self.output) for p in found if p.is_file())


def clean_output(text: str) -> str:
    """Terminal output as the last state of each line (progress bars use \\r)."""
    text = ANSI_ESCAPE.sub("", text.replace("\r\n", "\n"))
    return "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n")).rstrip()


def run_demo(step: Path, cache: Path, python: str) -> DemoRun:
    """The demo's output and files: from the cache, or run now and cached."""
    key = step_hash(step)
    entry = cache / step.name / key
    meta = entry / "run.json"
    if meta.exists():
        data = json.loads(meta.read_text(encoding="utf-8"))
        return DemoRun(
            step.name,
            data["stdout"],
            data["returncode"],
            data["seconds"],
            entry / "output",
            True,
        )
    with tempfile.TemporaryDirectory(prefix="site-demo-") as tmp:
        copy = Path(tmp) / step.name
        shutil.copytree(
            step, copy, ignore=shutil.ignore_patterns(*SKIPPED_PARTS, "*.ipynb")
        )
        env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
        env.update(PYTHONDONTWRITEBYTECODE="1", COLUMNS="80", TQDM_DISABLE="")
        start = time.monotonic()
        try:
            proc = subprocess.run(
                [python, "demo.py"],
                cwd=copy,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=DEMO_TIMEOUT,
            )
            stdout, returncode = proc.stdout + proc.stderr, proc.returncode
        except subprocess.TimeoutExpired as error:
            out = error.stdout or b""
            stdout = out.decode(errors="replace") if isinstance(out, bytes) else out
            stdout += f"\n(stopped after {DEMO_TIMEOUT} s)"
            returncode = -1
        seconds = time.monotonic() - start
        # The demos print absolute paths; show them as the reader would see them.
        stdout = clean_output(stdout).replace(f"{tmp}{os.sep}", "")
        staging = cache / step.name / f".{key}.{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        (staging / "output").mkdir(parents=True)
        if (copy / "output").is_dir():
            shutil.copytree(copy / "output", staging / "output", dirs_exist_ok=True)
        record = {
            "stdout": stdout,
            "returncode": returncode,
            "seconds": round(seconds, 2),
        }
        (staging / "run.json").write_text(
            json.dumps(record, indent=1), encoding="utf-8"
        )
    if returncode == 0:  # a failure is not cached: the next build tries again
        for old in (cache / step.name).iterdir():
            if old.name != staging.name:
                shutil.rmtree(old, ignore_errors=True)
        staging.rename(entry)
        kept = entry / "output"
    else:
        kept = staging / "output"
    return DemoRun(step.name, stdout, returncode, seconds, kept, False)


# --- Markdown of the pages ---------------------------------------------------


class Linker:
    """Rewrites a lesson's relative links to the pages of the site."""

    def __init__(self, root: Path, steps: dict[int, Step], stages: list[Stage]):
        self.root = root
        self.pages: dict[Path, str] = {}
        for step in steps.values():
            self.pages[(step.path / "README.md").resolve()] = step.page
        for stage in stages:
            self.pages[stage.guide.resolve()] = stage.page
        for extra in sorted((root / "stages").glob("*.md")):
            self.pages[extra.resolve()] = f"stages/{extra.name}"
        self.pages[(root / "README.md").resolve()] = "repository.md"
        self.pages[(root / "CONTRIBUTING.md").resolve()] = "contributing.md"
        self.sources: set[tuple[str, str]] = set()  # (step name, file) pages to write

    def target(self, source: Path, link: str, page: str) -> str | None:
        """The link as seen from `page` (relative to docs/), or None to drop it."""
        if not link or link.startswith(("#", "mailto:")) or re.match(r"^[a-z]+:", link):
            return link
        path_part, _, fragment = link.partition("#")
        resolved = (source.parent / path_part).resolve()
        anchor = f"#{fragment}" if fragment else ""
        if resolved in self.pages:
            return relative(page, self.pages[resolved]) + anchor
        try:
            rel = resolved.relative_to(self.root.resolve())
        except ValueError:
            return None
        parts = rel.parts
        if (
            len(parts) > 1
            and re.fullmatch(r"step\d\d", parts[0])
            and resolved.is_file()
        ):
            rest = "/".join(parts[1:])
            if rest in snapshot_files(self.root / parts[0]):
                self.sources.add((parts[0], rest))
                return relative(page, f"steps/{parts[0]}/src/{rest}.html") + anchor
        return None

    def rewrite(self, text: str, source: Path, page: str) -> str:
        """Every [text](link) of a Markdown file, pointed at the site's pages."""

        def replace(match: re.Match) -> str:
            new = self.target(source, match.group(2), page)
            if new is None:  # nothing on the site to point at: keep the words
                return (
                    match.group(0)
                    if match.group(1).startswith("!")
                    else match.group(1)[1:-2]
                )
            return f"{match.group(1)}{new}{match.group(3)}"

        out, fenced = [], False
        for line in text.split("\n"):
            if line.lstrip().startswith(("```", "~~~")):
                fenced = not fenced
            out.append(line if fenced else MD_LINK.sub(replace, line))
        # A dropped link leaves "[words](" unbalanced only if it was ours: see replace.
        return "\n".join(out)


def relative(page: str, target: str) -> str:
    """The path from docs/page to docs/target, both relative to docs/."""
    return os.path.relpath(target, os.path.dirname(page) or ".").replace(os.sep, "/")


def step_link(page: str, step: Step) -> str:
    return relative(page, step.page)


def nav_bar(step: Step, steps: dict[int, Step], where: str) -> str:
    """Previous / stage guide / next, as HTML; the keys ← → follow these links."""
    prev, nxt = steps.get(step.number - 1), steps.get(step.number + 1)
    page = step.page

    def href(target: str) -> str:
        return html.escape(relative(page, target).removesuffix(".md") + ".html")

    parts = []
    if prev:
        label = f"← {prev.number:02d} {html.escape(prev.title)}"
        rel = ' rel="prev"' if where == "top" else ""
        parts.append(
            f'<a class="step-prev" data-key="prev"{rel} href="{href(prev.page)}" '
            f'title="previous step (key ←)">{label}</a>'
        )
    else:
        parts.append(f'<a class="step-prev" href="{href("index.md")}">← All steps</a>')
    if step.stage:
        guide = href(f"stages/stage{step.stage}.md")
        parts.append(
            f'<a class="step-stage" href="{guide}">Stage {step.stage} guide</a>'
        )
    if where == "top":
        parts.append(
            '<button type="button" class="projector-toggle" title="Projector view: the '
            'diff alone in large type (key D; Esc leaves)">Projector view (D)</button>'
        )
    if nxt:
        label = f"{nxt.number:02d} {html.escape(nxt.title)} →"
        rel = ' rel="next"' if where == "top" else ""
        parts.append(
            f'<a class="step-next" data-key="next"{rel} href="{href(nxt.page)}" '
            f'title="next step (key →)">{label}</a>'
        )
    else:
        after = href("stages/next.md")
        parts.append(f'<a class="step-next" href="{after}">Where to go next →</a>')
    return f'<nav class="step-nav step-nav-{where}">' + "".join(parts) + "</nav>"


def scope_css(css: str, scope: str) -> str:
    """Prefix every rule of a stylesheet with `scope` (:root and body become it)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out, i = [], 0
    while i < len(css):
        brace = css.find("{", i)
        if brace < 0:
            break
        prelude = css[i:brace].strip()
        depth, j = 1, brace + 1
        while depth and j < len(css):
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        body = css[brace + 1 : j - 1]
        if prelude.startswith("@media") or prelude.startswith("@supports"):
            out.append(f"{prelude} {{\n{scope_css(body, scope)}}}\n")
        elif prelude.startswith("@"):
            out.append(f"{prelude} {{{body}}}\n")
        else:
            selectors = []
            for sel in prelude.split(","):
                sel = sel.strip()
                if sel in (":root", "body", "html"):
                    selectors.append(scope)
                else:
                    selectors.append(f"{scope} {sel}")
            out.append(f"{', '.join(selectors)} {{{body}}}\n")
        i = j
    return "".join(out)


def diff_section(previous: Path | None, step: Step, empty: Path) -> str:
    """The side-by-side diff of the framework, then the demo's, as stepdiff draws them.

    The pieces are stepdiff's own (its HTML page without the header: the page's
    title and lesson are right above): 'Start here', the folded summary, each
    file's table, and demo.py open when it tells the step's story (41 -> 42),
    folded otherwise.
    """
    old = previous if previous is not None else empty
    framework = stepdiff.compare(old, step.path)
    files = [stepdiff.file_html(framework, change) for change in framework.files]
    story = None
    for change in framework.left_out():
        carries = stepdiff.demo_carries_story(framework, change)
        files.append(stepdiff.demo_html(framework, change, carries))
        story = change if carries else None
    body = "\n".join(files)
    against = previous.name if previous is not None else "an empty folder"
    parts = [
        '<div class="stepdiff" id="diff">',
        f'<p class="diff-head"><strong>{html.escape(framework.header)}</strong> '
        f'<span class="diff-note">the framework against {html.escape(against)}; '
        "left: before, right: after; a full-width line was only added (green) or "
        "only removed (red)</span></p>",
        stepdiff.start_html(framework, body, story),
    ]
    if framework.files:
        parts.append(stepdiff.summary_html(framework, collapsed=True))
    else:
        parts.append(
            '<p class="diff-none">This step leaves the framework as it was.</p>'
        )
    parts += [body, "</div>"]
    return "\n".join(part for part in parts if part)


def demo_section(step: Step, run: DemoRun | None, docs: Path) -> str:
    """The demo's output and figures, copied next to the page."""
    lines = ["## The demo, as it ran for this site", ""]
    if run is None:
        lines += [
            "*The demo was not run in this build* (`tools/build_site.py --demos` chose "
            f"other steps). Run it with `make demo STEP={step.number}`.",
            "",
        ]
        return "\n".join(lines)
    when = f"{run.seconds:.1f} s"
    lines.append(
        f'<p class="demo-meta"><code>python {step.name}/demo.py</code> took {when}'
        f"{' (cached)' if run.cached else ''}; {html.escape(versions())}.</p>"
    )
    if run.returncode != 0:
        status = run.returncode
        lines.append(
            f'<p class="demo-failed">The demo failed (exit status {status}).</p>'
        )
    lines.append(
        f'<pre class="demo-output"><code>{html.escape(run.stdout)}</code></pre>'
    )
    target = docs / "steps" / step.name / "output"
    figures, others = [], []
    for rel in run.files:
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(run.output / rel, dest)
        url = f"{step.name}/output/{rel.as_posix()}"
        (figures if rel.suffix.lower() in FIGURE_SUFFIXES else others).append(
            (rel, url)
        )
    for rel, url in figures:
        name = html.escape(rel.as_posix())
        lines.append(
            f'<figure class="demo-figure"><a href="{html.escape(url)}">'
            f'<img src="{html.escape(url)}" alt="{name}, drawn by the demo"></a>'
            f"<figcaption>output/{name}</figcaption></figure>"
        )
    if others:
        links = ", ".join(
            f'<a href="{html.escape(url)}">output/{html.escape(rel.as_posix())}</a>'
            for rel, url in others
        )
        lines.append(f'<p class="demo-files">Also written: {links}.</p>')
    lines.append("")
    return "\n".join(lines)


def files_section(step: Step, linker: Linker, practice: bool) -> str:
    """Links to every file of the snapshot, the notebook and the exercise."""
    files = snapshot_files(step.path)
    items = []
    notebook = None
    for rel in files:
        if rel.endswith(".ipynb"):
            notebook = rel
            continue
        linker.sources.add((step.name, rel))
        url = f"{step.name}/src/{rel}.html"
        items.append(
            f'<li><a href="{html.escape(url)}"><code>{html.escape(rel)}</code></a></li>'
        )
    lines = ["## Files of this snapshot", ""]
    lines.append(f'<ul class="snapshot-files">{"".join(items)}</ul>')
    lines.append("")
    if notebook:
        lines.append(
            f'<p class="notebook">The notebook: '
            f'<a href="{step.name}/{notebook}" download>'
            f"<code>{notebook}</code></a> (the lesson, and the demo in cells; open it "
            f"with <code>make notebook STEP={step.number}</code>).</p>"
        )
    if practice:
        lines.append(
            '<p class="practice">Practice: '
            f"<code>make practice STEP={step.number}</code> "
            "sets up this step's exercise; see "
            '<a href="../repository.html#using-it">Using it</a>.</p>'
        )
    lines.append(
        '<p class="run-it">Run it yourself: '
        + ", ".join(
            f"<code>make {t} STEP={step.number}</code>"
            for t in ("demo", "test", "diff")
        )
        + ".</p>"
    )
    lines.append("")
    return "\n".join(lines)


def placeholder(step: Step) -> str:
    """A paragraph that inject_diffs() replaces with the step's diff."""
    return f"STEPDIFF-{step.name}-GOES-HERE"


def inject_diffs(out: Path, diffs: dict[str, str]) -> None:
    """Put each step's diff HTML into its built page, in place of placeholder()."""
    for name, diff in diffs.items():
        page = out / "steps" / f"{name}.html"
        text = page.read_text(encoding="utf-8")
        mark = f"<p>STEPDIFF-{name}-GOES-HERE</p>"
        if text.count(mark) != 1:
            raise SiteError(f"build_site: {page} should hold {mark} once")
        page.write_text(text.replace(mark, diff), encoding="utf-8")


def step_page(
    step: Step,
    steps: dict[int, Step],
    linker: Linker,
    run: DemoRun | None,
    docs: Path,
    practice: bool,
) -> str:
    text = (step.path / "README.md").read_text(encoding="utf-8")
    text = linker.rewrite(text, step.path / "README.md", step.page)
    head, _, body = text.partition("\n")
    parts = [
        # No table of contents beside a step: the diff needs the width.
        f"---\ntitle: Step {step.number:02d} — {step.title}\nhide:\n  - toc\n---\n",
        head,
        "",
        nav_bar(step, steps, "top"),
        "",
        body.strip("\n"),
        "",
        "## What changed in the code",
        "",
        # The diff is HTML; MkDocs would parse all of it, so it goes in afterwards.
        placeholder(step),
        "",
        demo_section(step, run, docs),
        files_section(step, linker, practice),
        nav_bar(step, steps, "bottom"),
        "",
    ]
    notebook = step.path / f"{step.name}.ipynb"
    if notebook.exists():
        dest = docs / "steps" / step.name / notebook.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(notebook, dest)
    return "\n".join(parts)


def home_page(
    stages: list[Stage], steps: dict[int, Step], run60: DemoRun | None, docs: Path
) -> str:
    last = steps[max(steps)]
    lines = [
        "---",
        "title: DeZero in 60 steps",
        "hide:",
        "  - navigation",
        "  - toc",
        "---",
        "",
        "# DeZero in 60 steps",
        "",
        '<p class="lead">A deep-learning framework grown one step at a time, from a '
        "three-line <code>Variable</code> to CNNs and LSTMs, after the book "
        "<em>Deep Learning from Scratch 3</em>. Each step below is one page: the "
        "lesson, exactly what the code changed (side by side), and the demo as it "
        "ran. On a step's page, <kbd>←</kbd> <kbd>→</kbd> go to the previous and "
        "next step and <kbd>D</kbd> shows the diff alone in large type, for a "
        "projector.</p>",
        "",
        f'<div class="journey" data-steps="{len(steps)}">',
    ]
    for stage in stages:
        lines.append(
            f'<section class="stage"><h2><a href="{stage.page[:-3]}.html">'
            f"Stage {stage.number}</a> — {html.escape(stage.title)}</h2><ol>"
        )
        for n in stage.steps:
            step = steps.get(n)
            if step is None:
                continue
            one = md_inline(step.line)
            lines.append(
                f'<li class="step-item"><a href="{step.page[:-3]}.html">'
                f'<span class="num">{n:02d}</span> {html.escape(step.title)}</a>'
                f'<span class="one">{one}</span></li>'
            )
        lines.append("</ol></section>")
    lines.append("</div>")
    lines += ["", f"## Where you are going: step {last.number}", ""]
    if run60 is not None:
        figure = next(
            (f for f in run60.files if f.suffix.lower() in FIGURE_SUFFIXES), None
        )
        lines.append(
            "The last step trains an LSTM on a sine wave, batches of sequences at a "
            "time, and predicts a cosine it never saw. Its demo, as it ran for this "
            f"site ([the step]({last.page})):"
        )
        lines.append("")
        if figure is not None:
            url = f"steps/{last.name}/output/{figure.as_posix()}"
            lines.append(
                f'<figure class="demo-figure home-figure"><img src="{url}" '
                f'alt="{figure.name}, drawn by the step {last.number} demo">'
                f"<figcaption>{last.name}/output/{figure.name}</figcaption></figure>"
            )
        tail = "\n".join(run60.stdout.splitlines()[-8:])
        lines.append(f'<pre class="demo-output"><code>{html.escape(tail)}</code></pre>')
    lines += [
        "",
        "After it: [where to go next](stages/next.md), and "
        "[where the code differs from the book](stages/book.md).",
        "",
    ]
    return "\n".join(lines)


def md_inline(text: str) -> str:
    """The guide's one-liners use `code` and *emphasis* only: as HTML."""
    out = html.escape(text, quote=False)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    return re.sub(r"\*([^*]+)\*", r"<em>\1</em>", out)


def book_page(root: Path, stages: list[Stage], linker: Linker) -> str:
    """The book-compatibility notes: the README's promise and every guide's list."""
    lines = [
        "# Differences from the book",
        "",
        "The public names are the book's (`Variable`, `Function`, "
        "`dezero.functions as F`, `dezero.layers as L`, `Model`, `optimizers`, "
        "`DataLoader`, ...), so a reader who types the book's listing for step N can "
        "run it against `stepNN/`. `tests/test_book_api.py` checks every step's names "
        "and signatures against the book's. Where a step deliberately differs, its "
        "lesson says so; the stage guides collect those choices:",
        "",
    ]
    found = False
    for stage in stages:
        text = stage.guide.read_text(encoding="utf-8")
        match = re.search(
            r"^## (Where we differ from the book.*?)$(.*?)(?=^## |\Z)",
            text,
            re.M | re.S,
        )
        if not match:
            continue
        found = True
        section = linker.rewrite(match.group(2).strip(), stage.guide, "stages/book.md")
        lines += [
            f"## Stage {stage.number} — {stage.title}",
            "",
            f"From the [stage {stage.number} guide](stage{stage.number}.md):",
            "",
            section,
            "",
        ]
    if not found:
        lines.append("No stage guide lists a difference yet.")
    return "\n".join(lines) + "\n"


@functools.cache
def highlighted(text: str, filename: str) -> str:
    """Pygments' HTML for a file; most files recur unchanged in many steps."""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_for_filename
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_for_filename(filename, text)
    except ClassNotFound:
        lexer = TextLexer()
    return highlight(text, lexer, HtmlFormatter(linenos="table", wrapcode=True))


def source_page(step: Step, rel: str, steps_title: str) -> str:
    """A highlighted, line-numbered page of one file of a snapshot."""
    # Keyed by content and suffix, not name: tests keep their text but not their name.
    text = (step.path / rel).read_text(encoding="utf-8", errors="replace")
    code = highlighted(text, "file" + Path(rel).suffix if Path(rel).suffix else rel)
    depth = rel.count("/") + 3  # steps/stepNN/src/<rel>
    up = "../" * depth
    title = f"{step.name}/{rel}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title>"
        f'<link rel="stylesheet" href="{up}assets/source.css"></head><body>'
        f'<nav class="source-nav"><a href="{up}steps/{step.name}.html">'
        f"← {html.escape(steps_title)}</a>"
        f' · <a href="{up}index.html">All steps</a></nav>'
        f"<h1>{html.escape(title)}</h1>{code}</body></html>\n"
    )


def source_css() -> str:
    from pygments.formatters import HtmlFormatter

    base = (ASSETS / "source.css").read_text(encoding="utf-8")
    return (
        base + "\n" + HtmlFormatter(style="default").get_style_defs(".highlight") + "\n"
    )


def mkdocs_config(
    stages: list[Stage], steps: dict[int, Step], docs: Path, out: Path
) -> dict:
    nav: list = [{"Home": "index.md"}]
    for stage in stages:
        items: list = [{"Stage guide": stage.page}]
        items += [
            {f"{n:02d} {steps[n].title}": steps[n].page}
            for n in stage.steps
            if n in steps
        ]
        nav.append({f"Stage {stage.number} — {stage.title}": items})
    nav.append(
        {
            "After step 60": [
                {"Where to go next": "stages/next.md"},
                {"Differences from the book": "stages/book.md"},
            ]
        }
    )
    nav.append(
        {
            "The repository": [
                {"README": "repository.md"},
                {"Contributing": "contributing.md"},
            ]
        }
    )
    return {
        "site_name": "DeZero in 60 steps",
        "docs_dir": str(docs),
        "site_dir": str(out),
        # Pages work from file:// as well as from a web server.
        "use_directory_urls": False,
        "theme": {
            "name": "material",
            "font": False,  # no Google Fonts: system fonts only
            "features": ["navigation.footer", "navigation.top", "toc.follow"],
            "palette": {"primary": "indigo", "accent": "indigo"},
        },
        # No search: Material's runs in a web worker, which browsers refuse on file://.
        "plugins": [],
        "markdown_extensions": [
            "tables",
            "attr_list",
            "admonition",
            {"toc": {"permalink": True}},
            {"pymdownx.highlight": {"use_pygments": True}},
            "pymdownx.superfences",
            "pymdownx.inlinehilite",
        ],
        "extra_css": ["assets/stepdiff.css", "assets/site.css"],
        "extra_javascript": ["assets/site.js"],
        "validation": {
            "nav": {"omitted_files": "ignore"},
            "links": {
                "not_found": "warn",
                "anchors": "warn",
                "unrecognized_links": "warn",
            },
        },
        "nav": nav,
    }


# --- The build ---------------------------------------------------------------


def build(
    root: Path,
    out: Path,
    work: Path,
    cache: Path,
    demos: set[int] | None,
    jobs: int,
    python: str,
    log=print,
) -> list[DemoRun]:
    """Generate the Markdown, run (or reuse) the demos and run MkDocs."""
    log = log or (lambda *args: None)
    try:
        import material  # noqa: F401
        import mkdocs  # noqa: F401
    except ImportError as error:
        raise SiteError(
            f"build_site: {error.name} is not installed; run `make site`, which "
            "installs requirements-site.txt into .venv"
        ) from None
    start = time.monotonic()
    stages = read_stages(root)
    steps = read_steps(root, stages)
    if not steps:
        raise SiteError(f"build_site: no step directories under {root}")
    docs = work / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    (docs / "steps").mkdir(parents=True)
    (docs / "stages").mkdir()
    (docs / "assets").mkdir()

    chosen = [s for n, s in steps.items() if demos is None or n in demos]
    log(f"build_site: {len(chosen)} demos ({jobs} at a time, cached in {cache})")
    cache.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = pool.map(lambda s: run_demo(s.path, cache, python), chosen)
        runs = {step.number: run for step, run in zip(chosen, results, strict=True)}
    ran = sum(not r.cached for r in runs.values())
    took = time.monotonic() - start
    log(f"build_site: demos done in {took:.0f} s ({ran} ran, {len(runs) - ran} cached)")

    linker = Linker(root, steps, stages)
    practice = (root / "tools" / "practice.py").exists()
    diffs = {}
    with tempfile.TemporaryDirectory(prefix="site-empty-") as tmp:
        empty = Path(tmp) / "nothing"
        empty.mkdir()
        for step in steps.values():
            page = step_page(step, steps, linker, runs.get(step.number), docs, practice)
            (docs / step.page).write_text(page, encoding="utf-8")
            previous = steps.get(step.number - 1)
            diffs[step.name] = diff_section(
                previous.path if previous else None, step, empty
            )
    log(f"build_site: pages and diffs generated at {time.monotonic() - start:.0f} s")
    last = max(steps)
    (docs / "index.md").write_text(
        home_page(stages, steps, runs.get(last), docs), encoding="utf-8"
    )
    for stage in stages:
        text = linker.rewrite(
            stage.guide.read_text(encoding="utf-8"), stage.guide, stage.page
        )
        (docs / stage.page).write_text(text, encoding="utf-8")
    for extra in sorted((root / "stages").glob("*.md")):
        page = f"stages/{extra.name}"
        (docs / page).write_text(
            linker.rewrite(extra.read_text(encoding="utf-8"), extra, page),
            encoding="utf-8",
        )
    if not (root / "stages" / "book.md").exists():
        (docs / "stages" / "book.md").write_text(
            book_page(root, stages, linker), encoding="utf-8"
        )
    for name, page in (
        ("README.md", "repository.md"),
        ("CONTRIBUTING.md", "contributing.md"),
    ):
        source = root / name
        (docs / page).write_text(
            linker.rewrite(source.read_text(encoding="utf-8"), source, page),
            encoding="utf-8",
        )
    took = time.monotonic() - start
    log(f"build_site: {len(linker.sources)} source pages at {took:.0f} s")
    for step_name, rel in sorted(linker.sources):
        step = steps[int(step_name[4:])]
        dest = docs / "steps" / step_name / "src" / f"{rel}.html"
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_text(
            source_page(step, rel, f"Step {step.number:02d} — {step.title}"),
            encoding="utf-8",
        )

    (docs / "assets" / "stepdiff.css").write_text(
        scope_css(stepdiff.CSS_PATH.read_text(encoding="utf-8"), ".stepdiff"),
        encoding="utf-8",
    )
    (docs / "assets" / "source.css").write_text(source_css(), encoding="utf-8")
    for name in ("site.css", "site.js"):
        shutil.copy2(ASSETS / name, docs / "assets" / name)

    import yaml

    config = work / "mkdocs.yml"
    config.write_text(
        yaml.safe_dump(mkdocs_config(stages, steps, docs, out), sort_keys=False),
        encoding="utf-8",
    )
    log(f"build_site: mkdocs build -> {out} at {time.monotonic() - start:.0f} s")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [
            python,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--clean",
            "-q",
            "-f",
            str(config),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    if proc.returncode != 0:
        raise SiteError(f"build_site: mkdocs build failed:\n{proc.stdout}{proc.stderr}")
    inject_diffs(out, diffs)
    log(f"build_site: wrote {out} in {time.monotonic() - start:.0f} s")
    return list(runs.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="build_site", description=__doc__.split("\n")[0]
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="site folder (default site/)"
    )
    parser.add_argument(
        "--work", type=Path, default=DEFAULT_WORK, help="generated Markdown"
    )
    parser.add_argument(
        "--cache", type=Path, default=DEFAULT_CACHE, help="demo outputs"
    )
    parser.add_argument(
        "--demos", metavar="STEPS", help="run only these demos, e.g. 40-42"
    )
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    demos = None
    try:
        if args.demos is not None:
            demos = set(choose_steps(find_steps(REPO_ROOT), args.demos, REPO_ROOT))
        runs = build(
            REPO_ROOT,
            args.out.resolve(),
            args.work.resolve(),
            args.cache.resolve(),
            demos,
            args.jobs,
            sys.executable,
        )
    except (SiteError, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    failed = [r for r in runs if r.returncode != 0]
    for run in failed:
        print(
            f"build_site: {run.step}/demo.py failed (exit {run.returncode}):",
            file=sys.stderr,
        )
        print("\n".join(run.stdout.splitlines()[-15:]), file=sys.stderr)
    where = os.path.relpath(args.out)
    print(f"build_site: serve it with: python -m http.server -d {where}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
