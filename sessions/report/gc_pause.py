"""Python's cyclic garbage collector paused for one heavy render (no Django needed).

A WeasyPrint render builds hundreds of thousands of objects that all live until it
ends, and the collector scans them again and again: about a third of the render
time of the 30-organisation report (bench/report.py). Reference counting still
frees everything else. Another thread that renders at the same time may find the
collector back on early; that only costs it speed.
"""

import gc
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
