"""Every catalog is complete, keeps the source's placeholders, and compiles."""

from __future__ import annotations

import io
import re

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR, available_languages

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
TAG = re.compile(r"</?[a-z]+>")


def _catalog(code: str):
    with (LOCALES_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=code)


def _template_ids() -> set:
    with (LOCALES_DIR / "messages.pot").open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


@pytest.mark.parametrize("code", [code for code in available_languages() if code != "en"])
def test_catalog_is_complete_and_consistent(code):
    catalog = _catalog(code)
    assert {m.id for m in catalog if m.id} >= _template_ids(), "run pybabel update"
    for message in catalog:
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(targets), f"untranslated: {sources[0]!r}"
        assert not message.fuzzy, f"marked fuzzy, so the compiled catalog leaves it out: {sources[0]!r}"
        if isinstance(message.id, tuple):
            assert len(targets) == catalog.num_plurals, f"plural forms: {sources[0]!r}"
        expected = sorted(PLACEHOLDER.findall(sources[-1]))
        for target in targets:
            assert sorted(PLACEHOLDER.findall(target)) == expected, (sources[0], target)
            # Renders: no stray or mirrored brace (a risk in right-to-left text) breaks .format().
            filled = target.format(**{name[1:-1]: "X" for name in expected})
            assert "{" not in filled and "}" not in filled, (sources[0], target)
            assert TAG.findall(target) == TAG.findall(sources[0]), (sources[0], target)
    write_mo(io.BytesIO(), catalog)


def test_template_is_up_to_date_with_the_source(tmp_path):
    """A new message in the code without `pybabel extract` would silently stay English."""
    import subprocess
    import sys

    fresh = tmp_path / "fresh.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_",
            "-k",
            "N_",
            "-k",
            "ngettext:1,2",
            "--no-location",
            "--omit-header",
            "-o",
            str(fresh),
            ".",
        ],
        cwd=LOCALES_DIR.parent,
        check=True,
        capture_output=True,
    )
    with fresh.open("rb") as handle:
        current = {message.id for message in read_po(handle) if message.id}
    assert current == _template_ids(), sorted(map(str, current ^ _template_ids()))[:10]


def test_every_message_is_where_extraction_looks():
    """A package missing from babel.cfg, or a message written inside an f-string (Python 3.11's
    extractor cannot see into one), would stay English in every language."""
    root = LOCALES_DIR.parent
    listed = {
        line.split()[1].split("/")[0]
        for line in (root / "babel.cfg").read_text().splitlines()
        if line.startswith("[python:")
    }
    hidden_in_f_string = re.compile(r"""\bf(["'])[^\n]*?\{[^}\n]*\b(?:_|ngettext)\(\s*["']""")
    unlisted, hidden = set(), []
    for package in (path.parent for path in root.glob("*/__init__.py")):
        if package.name in {"tests", "bench", "emulator"}:
            continue
        for path in package.rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if re.search(r"\b(?:_|ngettext)\(", text) and package.name not in listed:
                unlisted.add(package.name)
            hidden += [f"{path.relative_to(root)}: {match.group(0)}" for match in hidden_in_f_string.finditer(text)]
    assert sorted(unlisted) == [], "add these packages to babel.cfg"
    assert hidden == [], "work the message out before the f-string"
