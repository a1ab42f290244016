"""parse_byte_range reads one Range header against a file's size (RFC 9110 §14)."""

import pytest

from casspath.core.ranges import RangeNotSatisfiable, parse_byte_range


@pytest.mark.parametrize(("header", "expected"), [
    ("bytes=0-99", (0, 99)),            # the first bytes
    ("bytes=100-199", (100, 199)),      # the middle
    ("bytes=900-999", (900, 999)),      # the last bytes
    ("bytes=900-", (900, 999)),         # open-ended: to the end
    ("bytes=-100", (900, 999)),         # suffix: the last 100
    ("bytes=-5000", (0, 999)),          # a suffix longer than the file is the file
    ("bytes=950-5000", (950, 999)),     # a last byte past the end is the end
    ("Bytes = 10 - 20", (10, 20)),
    ("bytes=0-0", (0, 0)),
])
def test_it_reads_a_single_range(header, expected):
    assert parse_byte_range(header, 1000) == expected


@pytest.mark.parametrize("header", [None, "", "bytes=", "bytes=-", "items=0-5", "bytes=5-1", "bytes=a-b",
                                    "bytes=0-1,5-6"])
def test_it_sends_the_whole_file_for_what_it_does_not_read(header):
    assert parse_byte_range(header, 1000) is None


@pytest.mark.parametrize(("header", "size"), [("bytes=1000-", 1000), ("bytes=1000-2000", 1000),
                                              ("bytes=-0", 1000), ("bytes=0-", 0), ("bytes=-5", 0)])
def test_it_refuses_a_range_past_the_end(header, size):
    with pytest.raises(RangeNotSatisfiable):
        parse_byte_range(header, size)
