"""The README stays a front page: what the bot is, its two commands, and links into docs/."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
MAX_LINES = 80


def test_the_readme_stays_short():
    lines = README.count("\n")
    assert lines <= MAX_LINES, f"README.md has {lines} lines; move long sections into docs/"


def test_the_readme_gives_its_two_commands():
    blocks = "\n".join(re.findall(r"```sh\n(.*?)```", README, re.S))
    commands = [line.split()[0] for line in blocks.splitlines() if line.strip()]
    assert "./run.sh" in commands and "./test.sh" in commands


def test_every_link_in_the_readme_and_docs_reaches_a_file():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    broken = [f"{page.name}: {target}" for page in pages
              for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text())
              if not target.startswith(("http://", "https://")) and not (page.parent / target).exists()]
    assert not broken
