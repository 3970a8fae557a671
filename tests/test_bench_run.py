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
