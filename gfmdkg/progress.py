"""Progress bars for long loads, validations, exports and pushes: shown on a terminal only."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from collections.abc import Iterator


class _Quiet:
    def update(self, n: int = 1) -> None:
        """Do nothing: no terminal to draw on."""


@contextmanager
def progress_bar(total: int, label: str, *, enabled: bool = True) -> Iterator:
    """A click progress bar on stderr when it is a terminal and ``enabled``; a silent stand-in otherwise."""
    if not enabled or not sys.stderr.isatty() or total <= 1:
        yield _Quiet()
        return
    import click
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar
