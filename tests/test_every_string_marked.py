"""Every word a person reads in a template is marked for translation.

A template's text is read the way Django's template engine reads it: what is inside
``{% translate %}`` or ``{% blocktranslate %}`` is marked, template variables and tags are not
text, and everything else is. In an HTML template the text is what the browser shows or reads out:
text between tags (not scripts or styles) and the attributes people read (``aria-label``,
``title``, ``alt``, ``placeholder``, a button's ``value``). A plain-text template (an email's
text part) is all text.

What is left may hold no letters, or only acronyms (PDF, CSV, API), the product's name and the
languages' own names, which are not translated.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATES = Path(settings.BASE_DIR) / "templates"
HOLE = "\x00"  # where a variable, a tag or marked text was

# Not words to translate: the product's name, and the language switch's names of each language
# in itself (docs/te-reo.md).
NOT_TRANSLATED = ("TSOC Tracker", "Te reo Māori", "English", "Kia ora")
READ_ATTRIBUTES = {"aria-label", "aria-description", "title", "alt", "placeholder"}
OPENS_MARKED = re.compile(r"^(blocktranslate|blocktrans)\b")
CLOSES_MARKED = re.compile(r"^(endblocktranslate|endblocktrans)\b")
SKIPPED_BLOCKS = {"comment": "endcomment", "verbatim": "endverbatim"}


def skeleton(source: str) -> str:
    """The template's own text, every tag, variable and marked text a hole, lines kept."""
    pieces = []
    inside = None
    for token in Lexer(source).tokenize():
        content = token.contents.strip()
        hole = HOLE + "\n" * token.contents.count("\n")
        if inside:
            if token.token_type is TokenType.BLOCK and re.match(inside, content):
                inside = None
            pieces.append(hole)
        elif token.token_type is TokenType.TEXT:
            pieces.append(token.contents)
        elif token.token_type is TokenType.BLOCK and OPENS_MARKED.match(content):
            inside = CLOSES_MARKED.pattern
            pieces.append(hole)
        elif token.token_type is TokenType.BLOCK and content.split()[0] in SKIPPED_BLOCKS:
            inside = "^" + SKIPPED_BLOCKS[content.split()[0]]
            pieces.append(hole)
        else:
            pieces.append(hole)
    # A tag named from a variable (``<h{{ level }}>``) is still a tag.
    return re.sub(r"(</?[A-Za-z][A-Za-z0-9]*)" + HOLE, r"\1", "".join(pieces))


def unmarked(words: str) -> str | None:
    """The words, if a person would read them and they are not marked; else None."""
    text = words.replace(HOLE, " ")
    for name in NOT_TRANSLATED:
        text = text.replace(name, " ")
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text)
    text = re.sub(r"\b[A-Z][A-Z0-9]+s?\b", " ", text)  # acronyms: PDF, CSV, XLSX, APIs
    if re.search(r"[^\W\d_]", text):
        return " ".join(words.replace(HOLE, "…").split())
    return None


class ReadText(HTMLParser):
    """Collects the text a browser shows or reads out, with the line it is on."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.found = []
        self.in_code = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.in_code += 1
        button = tag == "input" and dict(attrs).get("type") in ("submit", "button")
        for name, value in attrs:
            readable = name in READ_ATTRIBUTES or (name == "value" and button)
            if readable and value and (words := unmarked(value)):
                self.found.append((self.getpos()[0], f'{name}="{words}"'))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.in_code = max(0, self.in_code - 1)

    def handle_data(self, data):
        if not self.in_code and (words := unmarked(data)):
            lead = len(data) - len(data.lstrip("\n"))
            self.found.append((self.getpos()[0] + lead, words))


def unmarked_text(template: Path) -> list[tuple[int, str]]:
    """Each piece of unmarked text in the template, with its line."""
    text = skeleton(template.read_text(encoding="utf-8"))
    if template.suffix == ".txt":
        return [
            (number, words)
            for number, line in enumerate(text.split("\n"), start=1)
            if (words := unmarked(line))
        ]
    reader = ReadText()
    reader.feed(text)
    reader.close()
    return reader.found


def templates() -> list[Path]:
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in (".html", ".txt"))


@pytest.mark.parametrize("template", templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_word_a_person_reads_is_marked_for_translation(template):
    found = unmarked_text(template)

    assert not found, "\n".join(f"{template.name}:{line}: {words}" for line, words in found)


def test_the_check_finds_text_outside_translate_tags(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}<h1>{% translate "Returns" %}</h1>\n'
        '<p title="Due soon">{{ count }} returns are late</p>\n'
        "{% blocktranslate %}Due {{ date }}{% endblocktranslate %} <abbr>PDF</abbr>\n"
        "{# a note #}{% comment %}Not shown{% endcomment %}<script>let late = 1;</script>\n"
    )

    assert unmarked_text(page) == [(2, 'title="Due soon"'), (2, "… returns are late")]
