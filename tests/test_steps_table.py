"""tools/steps_table.py: the README's step table follows the lesson READMEs."""

from helpers import load_tool

steps_table = load_tool("steps_table")


def make_step(root, n, title=None):
    d = root / f"step{n:02d}"
    d.mkdir()
    if title:
        (d / "README.md").write_text(f"# Step {n:02d} — {title}\n\nbody\n")


def test_rows_come_from_the_lesson_titles_grouped_by_stage(tmp_path):
    make_step(tmp_path, 1, "A box")
    make_step(tmp_path, 11, "Many inputs")
    make_step(tmp_path, 12)
    text = steps_table.table(tmp_path)
    assert "| [step01](step01/README.md) | A box |" in text
    assert "| [step12](step12/README.md) | (no lesson yet) |" in text
    assert text.index("### Stage 1") < text.index("step01") < text.index("### Stage 2")
    assert "Stage 3" not in text


def test_replace_block_keeps_the_text_around_the_markers():
    text = f"intro\n{steps_table.BEGIN}\nold\n{steps_table.END}\noutro\n"
    new = steps_table.replace_block(text, "new\n")
    assert new == f"intro\n{steps_table.BEGIN}\nnew\n{steps_table.END}\noutro\n"


def test_readme_table_is_up_to_date():
    assert steps_table.main(["--check"]) == 0, (
        "run: python tools/steps_table.py --write"
    )
