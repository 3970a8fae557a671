"""The secretariat's people pages: inviting people, their memberships and groups, deactivating
and reactivating them, and the agencies they belong to."""
