"""The quarterly return: what each agency owes in a period, starting, changing, submitting and
reviewing an update, and its pages."""
