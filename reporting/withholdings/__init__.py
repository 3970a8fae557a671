"""Withholding text from proactive release: the secretariat's page and form."""
