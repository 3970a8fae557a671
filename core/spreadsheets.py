"""Text in CSV files that a spreadsheet must show as text, never run as a formula (CSV injection).

OWASP's rule: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
prefixed with a single quote. A cell that already starts with quotes before such a character
gets one more, so ``unguard_formula`` undoes exactly what ``guard_formula`` did and a file
exported and imported again holds the same text. (XLSX exports don't need this: their cells are
typed as text, which a spreadsheet never evaluates.)
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_guarded_form(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_STARTS)


def guard_formula(text: str) -> str:
    """``=SUM(A1)`` → ``'=SUM(A1)``; text a spreadsheet wouldn't run is unchanged."""
    return "'" + text if _is_guarded_form(text) else text


def unguard_formula(text: str) -> str:
    """The text ``guard_formula`` was given: ``'=SUM(A1)`` → ``=SUM(A1)``."""
    return text[1:] if text.startswith("'") and _is_guarded_form(text) else text
