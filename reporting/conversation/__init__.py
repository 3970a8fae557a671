"""The conversation on a return: comments, the review decisions beside them, withholding one."""
