"""Cells safe to open in a spreadsheet: CSV formula injection neutralised by the OWASP rule.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by Excel,
LibreOffice and Google Sheets (``=HYPERLINK(...)``, ``@SUM(...)``, ``-2+3+cmd|...``). Such a cell is written with a
leading single quote, which spreadsheets show as text and do not evaluate. A cell that is just a number (``-12``,
``+3.5``, ``-1.2e3``) is kept as it is: a spreadsheet reads it as that number, never as a formula, and a negative
budget or coordinate stays a number. Every CSV and TSV gfmdkg writes goes through :func:`neutralise`; programs that
need the exact value read the RDF exports (or strip a leading ``'`` followed by one of those characters).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def is_formula(cell: str) -> bool:
    """True when a spreadsheet could run ``cell`` as a formula (see the module docstring)."""
    return cell.startswith(TRIGGERS) and not _NUMBER.fullmatch(cell)


def neutralise(cell: str) -> str:
    """``cell``, with a leading ``'`` when a spreadsheet could run it as a formula."""
    return "'" + cell if is_formula(cell) else cell


def csv_text(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """CSV text (RFC 4180, CRLF line ends) of ``header`` and ``rows``, every cell of the rows as text through
    :func:`neutralise` (the header is ours and is written as it is)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([neutralise(str(cell)) for cell in row] for row in rows)
    return buf.getvalue()
