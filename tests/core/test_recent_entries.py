"""Each process keeps the plan pages it read last (``core.page_cache.RecentEntries``): copies no
caller can change for another (pages' bytes, which no one can change, as they are), within a
limit of bytes, the least recently read dropped first."""

import pickle

from core.page_cache import RecentEntries


def test_each_read_is_a_copy_of_its_own():
    recent = RecentEntries(limit=1_000)
    recent.put("dashboard", {"counts": [1, 2]})
    recent.get("dashboard")["counts"].append(3)
    assert recent.get("dashboard") == {"counts": [1, 2]}


def test_past_the_limit_the_least_recently_read_goes_first():
    recent = RecentEntries(limit=300)
    for key in ("a", "b", "c"):
        recent.put(key, b"x" * 80)
    recent.get("a")
    recent.put("d", b"x" * 80)
    assert [key for key in "abcd" if recent.get(key) is not None] == ["a", "c", "d"]
    assert recent.size <= 300


def test_an_entry_larger_than_the_limit_is_not_kept():
    recent = RecentEntries(limit=100)
    recent.put("plan page", b"x" * 200)
    assert recent.get("plan page") is None and recent.size == 0


def test_putting_a_key_again_replaces_it():
    recent = RecentEntries(limit=1_000)
    recent.put("plan page", b"old")
    recent.put("plan page", b"new, longer")
    assert recent.get("plan page") == b"new, longer"
    assert recent.size == len(b"new, longer")


def test_a_page_kept_as_bytes_is_handed_out_as_it_is_not_copied():
    body = b"<section>" * 1_000
    recent = RecentEntries(limit=100_000)
    recent.put("plan page", body)
    assert recent.get("plan page") is body


def test_a_value_is_counted_at_its_pickled_size():
    recent = RecentEntries(limit=1_000)
    recent.put("dashboard", {"counts": [1, 2]})
    assert recent.size == len(pickle.dumps({"counts": [1, 2]}, pickle.HIGHEST_PROTOCOL))
