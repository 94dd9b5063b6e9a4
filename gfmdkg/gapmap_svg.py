"""The evidence gap map as an SVG image: the PNG's layout, colours and texts as scalable, searchable vector text,
with each cell's words as its <title> and, given the address of a ``gfmdkg serve``, links to the served pages."""

from __future__ import annotations

from html import escape

from gfmdkg.gapmap import LEGEND, TONES, GapMap, _shade, cell_href, page_href, title_of, top_weight
from gfmdkg.gapmap_png import CELL_W, LABEL_W, PAD, ROW_H
from gfmdkg.serve.i18n import _

CHAR_W = 7  # average width of a 13px sans-serif character, to cut labels that would overflow


def _cut(text: str, width: int) -> str:
    n = max(1, width // CHAR_W)
    return text if len(text) <= n else text[: n - 1] + "…"


def _wrap(text: str, width: int) -> list[str]:
    """``text`` on at most two lines of ``width`` pixels, the second cut with an ellipsis if need be."""
    first, words = "", text.split()
    while words and len(first + " " + words[0]) * CHAR_W <= width + CHAR_W:
        first = (first + " " + words.pop(0)).strip()
    if not first:
        return [_cut(text, width)]
    return [first, _cut(" ".join(words), width)] if words else [first]


def _link(body: str, url: str | None) -> str:
    return f'<a href="{escape(url)}">{body}</a>' if url else body


def to_svg(gm: GapMap, *, base: str | None = None) -> str:
    """SVG text of the map; rows, columns and non-gap cells link to the pages under ``base`` when it is given."""
    e = escape
    top = top_weight(gm)
    width = PAD * 2 + LABEL_W + CELL_W * len(gm.columns)
    height = PAD * 2 + ROW_H * (len(gm.rows) + 4) + 30
    title = _("%(title)s: %(rows)s recommendations by %(columns)s outcome domains, %(gaps)s gaps") % {
        "title": title_of(gm), "rows": len(gm.rows), "columns": len(gm.columns), "gaps": gm.gaps}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="t" font-family="sans-serif" font-size="13">',
           f'<title id="t">{e(title)}</title>',
           '<defs><pattern id="gap" width="12" height="12" patternUnits="userSpaceOnUse" '
           'patternTransform="rotate(45)"><rect width="12" height="12" fill="#ffffff"/>'
           '<rect width="6" height="12" fill="#e6e6e6"/></pattern></defs>',
           f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
           f'<text x="{PAD}" y="{PAD + 15}" font-size="15" font-weight="bold">{e(title)}</text>']
    y0 = PAD + ROW_H + 6
    for j, col in enumerate(gm.columns):
        x = PAD + LABEL_W + j * CELL_W
        label = "".join(f'<text x="{x + 4}" y="{y0 + 18 + k * (ROW_H - 8)}">{e(line)}</text>'
                        for k, line in enumerate(_wrap(col.label, CELL_W - 8)))
        out.append(f'<rect x="{x}" y="{y0}" width="{CELL_W}" height="{2 * ROW_H}" fill="#eeeeee" stroke="#777777"/>'
                   + _link(label, page_href(col.iri, base) if base is not None else None))
    y0 += ROW_H
    for i, row in enumerate(gm.rows):
        y = y0 + ROW_H * (i + 1)
        label = f'<text x="{PAD + 4}" y="{y + 17}">{e(_cut(row.label, LABEL_W - 8))}</text>'
        out.append(f'<rect x="{PAD}" y="{y}" width="{LABEL_W}" height="{ROW_H}" fill="#fafafa" stroke="#777777"/>'
                   + _link(label, page_href(row.iri, base) if base is not None else None))
        for j, col in enumerate(gm.columns):
            cell = gm.cell(row, col)
            x = PAD + LABEL_W + j * CELL_W
            bg, fg = ("url(#gap)", "#6b0000") if cell.gap else _shade(cell.weight, top)
            tone = "" if cell.gap else (f'<rect x="{x}" y="{y}" width="6" height="{ROW_H}" '
                                        f'fill="{TONES[cell.tone]}"/>')
            body = (f'<g><title>{e(cell.spoken())}</title>'
                    f'<rect x="{x}" y="{y}" width="{CELL_W}" height="{ROW_H}" fill="{bg}" stroke="#777777"/>{tone}'
                    f'<text x="{x + CELL_W / 2}" y="{y + 17}" text-anchor="middle" fill="{fg}">'
                    f'{e(cell.shown())}</text></g>')
            out.append(_link(body, cell_href(gm, row, col, base) if base is not None else None))
    out.append(f'<text x="{PAD}" y="{y0 + ROW_H * (len(gm.rows) + 1) + 20}">{e(_(LEGEND))}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
