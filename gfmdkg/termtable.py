"""Tables for the terminal: boxed grids that fit the terminal's width (``$COLUMNS``, else the terminal's own size,
else 80), long cells wrapped over a few lines and cut with an ellipsis; ``wide`` keeps every cell whole on one line.
"""

from __future__ import annotations

import shutil
import textwrap

#: lines one cell may take before it is cut with an ellipsis
MAX_LINES = 3
ELLIPSIS = "…"


def terminal_width(default: int = 80) -> int:
    """Columns of the terminal: ``$COLUMNS`` when set, else the terminal's size, else ``default``."""
    return max(20, shutil.get_terminal_size((default, 24)).columns)


def wrapped(text: str, width: int, *, indent: str = "", hang: str | None = None) -> str:
    """``text`` wrapped to ``width`` columns, its first line indented by ``indent``, the others by ``hang``
    (default: ``indent``)."""
    return textwrap.fill(" ".join(text.split()), width, initial_indent=indent,
                         subsequent_indent=indent if hang is None else hang, break_long_words=True,
                         break_on_hyphens=False)


def clip(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis when longer."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + ELLIPSIS


def _lines(text: str, width: int, max_lines: int) -> list[str]:
    """One cell as at most ``max_lines`` lines of at most ``width`` characters, the last cut with an ellipsis."""
    lines = textwrap.wrap(" ".join(text.split()), width, break_long_words=True, break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        lines = lines[: max_lines - 1] + [last + ELLIPSIS if len(last) < width else last[: width - 1] + ELLIPSIS]
    return lines


def _widths(natural: list[int], room: int) -> list[int]:
    """Column widths that fit ``room`` characters: narrow columns keep their width, the rest share what is left."""
    if sum(natural) <= room:
        return natural
    widths = [0] * len(natural)
    left = room
    order = sorted(range(len(natural)), key=lambda i: natural[i])
    for k, i in enumerate(order):
        widths[i] = max(1, min(natural[i], left // (len(order) - k)))
        left -= widths[i]
    return widths


def _need(column: list[str]) -> int:
    """Width a column needs: its longest cell on one line, but a heading (``column[0]``) may wrap at its words."""
    return max([len(c) for c in column[1:]] + [max((len(w) for w in column[0].split()), default=0)])


def grid(head: list[str], body: list[list[str]], *, width: int | None = None, wide: bool = False,
         max_lines: int = MAX_LINES) -> list[str]:
    """The lines of a boxed table of ``head`` and ``body``: fitted to ``width`` (default: the terminal's), or with
    every cell whole when ``wide``."""
    one_line = [[" ".join(c.split()) for c in row] for row in [head, *body]]
    columns = [[row[i] for row in one_line] for i in range(len(head))]
    natural = [max(len(c) for c in column) for column in columns]
    room = (width or terminal_width()) - (3 * len(head) + 1)
    if wide:
        widths = natural
    elif sum(natural) <= room:
        widths = natural
    else:
        widths = _widths([_need(column) for column in columns], room)
    sep = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def rows(cells: list[str], depth: int) -> list[str]:
        parts = [[c] if wide else _lines(c, w, depth) for c, w in zip(cells, widths, strict=True)]
        height = max(len(p) for p in parts)
        return ["| " + " | ".join((p[n] if n < len(p) else "").ljust(w) for p, w in zip(parts, widths, strict=True))
                + " |" for n in range(height)]

    rendered = [rows(row, max_lines) for row in one_line[1:]]
    spacer = [sep] if any(len(r) > 1 for r in rendered) else []
    out = [sep, *rows(one_line[0], max_lines + 2), sep]
    for n, lines in enumerate(rendered):
        out += (spacer if n else []) + lines  # rows of several lines are ruled apart
    out.append(sep)
    return out


def panels(head: list[str], body: list[list[str]], *, width: int | None = None, wide: bool = False,
           first: int = 20, max_lines: int = 4) -> list[str]:
    """A wide table as grids stacked one under the other, each repeating the first column (at least ``first``
    characters wide) with as many of the other columns as fit ``width`` whole: no cell of them is wrapped or cut."""
    if wide:
        return grid(head, body, wide=True)
    width = width or terminal_width()
    columns = [[row[i] for row in [head, *body]] for i in range(len(head))]
    label = min(first, max(len(c) for c in columns[0]))
    groups: list[list[int]] = [[]]
    for i in range(1, len(head)):
        used = label + sum(_need(columns[j]) for j in groups[-1]) + 3 * (len(groups[-1]) + 2) + 1
        if groups[-1] and used + _need(columns[i]) > width:
            groups.append([])
        groups[-1].append(i)
    out: list[str] = []
    for group in groups:
        out += grid([head[0], *(head[i] for i in group)], [[row[0], *(row[i] for i in group)] for row in body],
                    width=width, max_lines=max_lines)
    return out


def notes(lines: list[str], *, width: int | None = None, wide: bool = False) -> list[str]:
    """Lines of text under a table, wrapped to ``width`` unless ``wide``."""
    if wide:
        return lines
    w = width or terminal_width()
    return [wrapped(line, w) for line in lines]
