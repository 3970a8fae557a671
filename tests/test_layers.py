"""The layers hold in templates too: core ← agencies ← actions ← reporting. (Python imports are
checked by import-linter's contracts in pyproject.toml, which `make test` runs.) An app's templates
load no template tags of an app to its right and link to none of its pages."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("app", ["actions"])
def test_an_apps_templates_load_no_tags_of_the_apps_to_its_right(app):
    offending = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates" / app).rglob("*.html")
        if re.search(r"{%\s*load\s[^%]*reporting_tags", path.read_text(encoding="utf-8"))
        or re.search(r"""{%\s*url\s+["']reporting:""", path.read_text(encoding="utf-8"))
    ]
    assert offending == []
