"""The layers hold: core ← agencies ← actions ← reporting ← tsoc_tracker. An app imports only
from the layers to its left (function-local imports too), and its templates load no template
tags of an app to its right."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "agencies", "actions", "reporting", "tsoc_tracker"]


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", LAYERS[:-1])
def test_a_layer_imports_nothing_to_its_right(layer):
    above = set(LAYERS[LAYERS.index(layer) + 1 :])
    offending = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & above)
        for path in (ROOT / layer).rglob("*.py")
        if imported_packages(path) & above
    }
    assert offending == {}


@pytest.mark.parametrize("app", ["actions"])
def test_an_apps_templates_load_no_tags_of_the_apps_to_its_right(app):
    offending = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates" / app).rglob("*.html")
        if re.search(r"{%\s*load\s[^%]*reporting_tags", path.read_text(encoding="utf-8"))
        or re.search(r"""{%\s*url\s+["']reporting:""", path.read_text(encoding="utf-8"))
    ]
    assert offending == []
