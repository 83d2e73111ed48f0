"""Reading ahead and writing behind in threads: the same items in the same order, errors where they happen, an early stop."""

from __future__ import annotations

import threading
import time

import pytest

from leadsift.errors import ContractError
from leadsift.pipeline.overlap import WriteBehind, read_ahead


def test_yields_every_item_in_order() -> None:
    assert list(read_ahead(iter(range(1000)))) == list(range(1000))
    assert list(read_ahead(iter([]))) == []


def test_an_error_is_raised_after_the_items_before_it() -> None:
    def items():
        yield 1
        yield 2
        raise ContractError("list.csv, line 9: 3 fields where the header has 4")

    got = []
    with pytest.raises(ContractError, match="line 9"):
        for item in read_ahead(items()):
            got.append(item)
    assert got == [1, 2]


def test_reads_at_most_one_item_ahead_and_stops_with_the_reader() -> None:
    read = []

    def items():
        for i in range(100):
            read.append(i)
            yield i

    ahead = read_ahead(items())
    assert next(ahead) == 0
    time.sleep(0.2)
    assert len(read) <= 3  # the item taken, the one waiting, the one being put
    ahead.close()
    time.sleep(0.2)
    assert len(read) <= 3
    assert not any(t.name == "leadsift-read-ahead" for t in threading.enumerate())


def test_write_behind_writes_every_item_in_order_before_the_block_ends() -> None:
    written = []

    def slow_write(item: int) -> None:
        time.sleep(0.001)
        written.append(item)

    with WriteBehind(slow_write) as write:
        for i in range(50):
            write(i)
    assert written == list(range(50))


def test_a_write_error_is_raised_in_the_caller() -> None:
    def write(item: int) -> None:
        if item == 3:
            raise ContractError("column 'x' holds double in the first rows and string later")

    with pytest.raises(ContractError, match="column 'x'"):
        with WriteBehind(write) as behind:
            for i in range(10):
                behind(i)


def test_an_error_in_the_caller_waits_for_the_write_under_way() -> None:
    finished = []

    def write(item: int) -> None:
        time.sleep(0.1)
        finished.append(item)

    with pytest.raises(KeyboardInterrupt):
        with WriteBehind(write) as behind:
            behind(1)
            raise KeyboardInterrupt
    assert finished == [1], "the file is closed only after the write under way"
