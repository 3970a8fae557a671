"""The steering group's governance: the risk register, meetings with their decisions and
follow-up actions, and "depends on" links between actions."""
