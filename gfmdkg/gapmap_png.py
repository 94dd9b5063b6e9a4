"""The evidence gap map as a PNG heat map, drawn with Pillow when it is installed (an optional dependency)."""

from __future__ import annotations

import io

from gfmdkg.errors import GfmdkgError
from gfmdkg.gapmap import LEGEND, TONES, GapMap, _shade

PAD, ROW_H, CELL_W, LABEL_W = 8, 26, 118, 330


def to_png(gm: GapMap) -> bytes:
    """PNG bytes of the map: same colours, direction bars, numbers and gap marks as the HTML page."""
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:
        raise GfmdkgError("--format png needs Pillow, which is not installed",
                          hint="pip install Pillow, or use --format html (a self-contained page that prints well)"
                          ) from None
    font = ImageFont.load_default(size=13)
    bold = ImageFont.load_default(size=15)
    width = PAD * 2 + LABEL_W + CELL_W * len(gm.columns)
    height = PAD * 2 + ROW_H * (len(gm.rows) + 4) + 30
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    draw.text((PAD, PAD), f"Evidence gap map: {len(gm.rows)} recommendations x {len(gm.columns)} outcome domains, "
              f"{gm.gaps} gaps", fill="black", font=bold)
    top = max((gm.cell(r, c).weight for r in gm.rows for c in gm.columns), default=0)
    y0 = PAD + ROW_H + 6
    for j, col in enumerate(gm.columns):  # column heads on two lines
        x = PAD + LABEL_W + j * CELL_W
        draw.rectangle([x, y0, x + CELL_W, y0 + 2 * ROW_H], fill="#eeeeee", outline="#777777")
        for k, line in enumerate(_wrap(draw, col.label, font, CELL_W - 8)):
            draw.text((x + 4, y0 + 6 + k * (ROW_H - 8)), line, fill="black", font=font)
    y0 += ROW_H
    for i, row in enumerate(gm.rows):
        y = y0 + ROW_H * (i + 1)
        draw.rectangle([PAD, y, PAD + LABEL_W, y + ROW_H], fill="#fafafa", outline="#777777")
        draw.text((PAD + 4, y + 6), _fit(draw, row.short, font, LABEL_W - 8), fill="black", font=font)
        for j, col in enumerate(gm.columns):
            cell = gm.cell(row, col)
            x = PAD + LABEL_W + j * CELL_W
            bg, fg = _shade(cell.weight, top)
            if cell.gap:
                bg, fg = "#f0f0f0", "#6b0000"
            draw.rectangle([x, y, x + CELL_W, y + ROW_H], fill=bg, outline="#777777")
            if not cell.gap:  # the findings' direction, as on the pages (the signs say it too)
                draw.rectangle([x + 1, y + 1, x + 6, y + ROW_H - 1], fill=TONES[cell.tone])
            text = cell.short()
            tw = draw.textlength(text, font=font)
            draw.text((x + (CELL_W - tw) / 2, y + 6), text, fill=fg, font=font)
    draw.text((PAD, y0 + ROW_H * (len(gm.rows) + 1) + 8), LEGEND, fill="black", font=font)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _wrap(draw, text: str, font, width: int, lines: int = 2) -> list[str]:
    """``text`` in at most ``lines`` lines of ``width`` pixels, the last cut with an ellipsis if need be."""
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines - 1:
        line = words.pop(0)
        while words and draw.textlength(line + " " + words[0], font=font) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words:
        out.append(_fit(draw, " ".join(words), font, width))
    return out


def _fit(draw, text: str, font, width: int) -> str:
    """``text`` cut with an ellipsis to fit ``width`` pixels."""
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"
