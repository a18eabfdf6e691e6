"""A one-line progress bar for management commands, redrawn in place on standard error."""

import time


class ProgressBar:
    """Call with (done, total) as work advances; ``unit`` names what is counted."""

    def __init__(self, stream, unit, width=30):
        self.stream = stream
        self.unit = unit
        self.width = width
        self.started = time.monotonic()

    def __call__(self, done, total):
        share = done / total if total else 1
        filled = int(self.width * share)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {share:4.0%} "
            f"{done:,}/{total:,} {self.unit}, {elapsed:.1f} s"
        )
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
