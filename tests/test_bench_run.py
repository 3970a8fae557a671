"""``make bench`` reports what it could not measure rather than stopping part-way."""

import copy

from benchmarks import run


def test_with_no_data_set_built_the_timings_are_skipped_and_the_errors_kept():
    results = {
        size: {"figures": {}, "missing": {}, "errors": {"data set": "exited with status 1"}}
        for size in run.SIZES
    }
    before = copy.deepcopy(results)

    run.interleaved_timings(results, "postgres://postgres@127.0.0.1:5432/tsoc_bench")

    assert results == before


def test_the_api_page_and_its_floor_are_timed_in_the_same_rounds():
    keys = ["time: API list of 1,000", "time: dashboard", "time: plan page", "time: raw floor"]

    groups = run.timing_groups(keys)

    assert groups == [
        ["time: API list of 1,000", "time: raw floor"],
        ["time: dashboard"],
        ["time: plan page"],
    ]


def test_each_round_starts_one_place_further_on():
    assert [run.rotated(["a", "b", "c"], turn) for turn in range(4)] == [
        ["a", "b", "c"],
        ["b", "c", "a"],
        ["c", "a", "b"],
        ["a", "b", "c"],
    ]
