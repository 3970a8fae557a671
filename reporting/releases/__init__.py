"""The proactive release of reports: approval, release, the release pack and the register."""
