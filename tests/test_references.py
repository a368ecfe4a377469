"""Sources are cited by name and linked to stages/references.md, never by file name.

The lessons compare DeZero with Andrew Trask's *Grokking Deep Learning* and a
Medium tutorial. A reader must be able to look them up, so every page that names
one links to the references page, and no page names a source by an internal label
("seed 002", "in the seeds") that a reader has never seen.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = ROOT / "stages" / "references.md"
STEPS = sorted(p for p in ROOT.glob("step??") if re.fullmatch(r"step\d\d", p.name))

# A source named by a file label instead of its title.
LABEL = re.compile(r"\bseeds? \d{3}\b|\bseeds \d{3}/\d{3}|\bthe seeds\b|seeds/", re.I)
# A page that names one of the two tutorials (the book is named in every lesson).
CITES = re.compile(r"Grokking|Trask|Medium tutorial|Deep Learning from scratch\"")
LINK = re.compile(r"\]\(([^)\s]*references\.md)(?:#([^)\s]*))?\)")


def prose_pages() -> list[Path]:
    """Lessons, stage guides, the README and CONTRIBUTING."""
    pages = [ROOT / "README.md", ROOT / "CONTRIBUTING.md"]
    pages += sorted((ROOT / "stages").rglob("*.md"))
    pages += [step / "README.md" for step in STEPS]
    return [p for p in pages if p.is_file()]


def step_files() -> list[Path]:
    """Every text file of every snapshot: lesson, notebook, demo, code, tests."""
    files = []
    for step in STEPS:
        for path in step.rglob("*"):
            parts = set(path.relative_to(step).parts)
            if parts & {"output", "__pycache__", ".pytest_cache", "data"}:
                continue
            if path.suffix in {".md", ".py", ".ipynb", ".ini", ".txt"}:
                files.append(path)
    return files


def slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, no punctuation, '-' for spaces."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors() -> set[str]:
    lines = REFERENCES.read_text(encoding="utf-8").splitlines()
    return {slug(line.lstrip("#")) for line in lines if line.startswith("#")}


def test_the_references_page_cites_the_three_sources_in_full():
    text = " ".join(REFERENCES.read_text(encoding="utf-8").split())
    for fact in [
        # the book and its code
        "Koki Saitoh",
        "Deep Learning from Scratch 3",
        "O'Reilly Japan, 2020",
        "github.com/oreilly-japan/deep-learning-from-scratch-3",
        # Grokking, with the chapter the lessons compare against
        "Andrew W. Trask, *Grokking Deep Learning*",
        "Manning, 2019",
        'Chapter 13, "Introducing automatic optimization: '
        "let's build a deep learning framework\"",
        # the Medium tutorial
        '"Deep Learning from scratch", a tutorial published on Medium',
    ]:
        assert fact in text, f"stages/references.md lacks {fact!r}"


def test_no_page_names_a_source_by_a_file_label():
    found = []
    for path in prose_pages() + step_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if LABEL.search(line) or "grokking_seed" in line:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:80]}")
    assert found == [], "sources named by a label:\n" + "\n".join(found)


@pytest.mark.parametrize("page", prose_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_page_that_names_a_tutorial_links_to_the_references(page):
    text = page.read_text(encoding="utf-8")
    links = LINK.findall(text)
    if page != REFERENCES and CITES.search(text):
        assert links, f"{page.relative_to(ROOT)} names a source but never links to it"
    known = anchors()
    for target, anchor in links:
        resolved = (page.parent / target).resolve()
        assert resolved == REFERENCES, (
            f"{page.relative_to(ROOT)}: link {target} does not reach "
            "stages/references.md"
        )
        assert not anchor or anchor in known, (
            f"{page.relative_to(ROOT)}: #{anchor} is no heading of "
            f"stages/references.md (headings: {sorted(known)})"
        )


def test_the_readme_links_the_references_page():
    assert "](stages/references.md)" in (ROOT / "README.md").read_text()
