"""Reading the next chunk of a list and writing the last one while this one is scored.

pyarrow parses and writes CSV and Parquet without holding Python's lock, so on two cores a thread
that reads chunk k+1, and one that writes chunk k-1, while chunk k is scored take most of the input
and output off the critical path. At most one chunk waits on each side (memory stays at about three
chunks); an error in either thread is raised in the caller's (where that chunk would have been
read, or at the next write), and stopping early stops the threads.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
_END = object()


def read_ahead(items: Iterator[T]) -> Iterator[T]:
    """Yield what `items` yields, one item read ahead in a thread."""
    box: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    thread = threading.Thread(target=_produce, args=(items, box, stop), daemon=True, name="leadsift-read-ahead")
    thread.start()
    try:
        while True:
            item, error = box.get()
            if error is not None:
                raise error
            if item is _END:
                return
            yield item
    finally:
        stop.set()
        thread.join(timeout=5)


def _produce(items: Iterator[T], box: queue.Queue, stop: threading.Event) -> None:
    try:
        for item in items:
            if not _put(box, (item, None), stop):
                return
        _put(box, (_END, None), stop)
    except BaseException as exc:  # noqa: BLE001 - handed to the reading thread, which raises it
        _put(box, (None, exc), stop)


def _put(box: queue.Queue, entry: tuple, stop: threading.Event) -> bool:
    """Put `entry` unless the reader has stopped; False when it has."""
    while not stop.is_set():
        try:
            box.put(entry, timeout=0.05)
            return True
        except queue.Full:
            continue
    return False


class WriteBehind:
    """Runs `write(item)` in a thread, one item at a time, while the caller goes on. As a context manager, the
    last write has finished (or its error has been raised) when the block ends."""

    def __init__(self, write: Callable[[T], None]) -> None:
        self._write = write
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="leadsift-write-behind")
        self._pending: Future | None = None

    def __call__(self, item: T) -> None:
        """Hand `item` to the writer, once the previous one is written (raising that one's error, if any)."""
        self.wait()
        self._pending = self._pool.submit(self._write, item)

    def wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def __enter__(self) -> WriteBehind:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        try:
            if exc_type is None:
                self.wait()
            elif self._pending is not None:
                self._pending.exception()  # finish it before the file is closed; the first error is the one raised
        finally:
            self._pool.shutdown(wait=True)
