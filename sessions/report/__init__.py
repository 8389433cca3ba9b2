"""The joint PDF report: rendered by WeasyPrint (pdf) with the garbage collector paused (gc_pause)."""
