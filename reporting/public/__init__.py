"""The public progress pages: anonymous and read-only, built only from released reports."""
