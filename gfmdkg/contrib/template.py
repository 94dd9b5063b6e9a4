"""The empty (or filled-in example) contributor template, as CSV or YAML, from the one list of fields."""

from __future__ import annotations

import csv
import io

from gfmdkg.contrib.fields import FIELDS, SEPARATOR

LISTS = {"thematic-areas": "thematic area", "tags": "tag", "recommendations": "recommendation",
         "countries": "country", "organisations": "organisation", "regions": "region", "status": "status",
         "gcm-objectives": "GCM objective", "sources": "locator", "outcome-domains": "outcome domain"}


def csv_template(example: bool = False) -> str:
    """The header row, and with ``example`` one filled-in row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f.name for f in FIELDS])
    if example:
        writer.writerow([f.example for f in FIELDS])
    return out.getvalue()


def _yaml_scalar(text: str) -> str:
    import yaml

    return yaml.safe_dump(text, default_style='"', width=10_000, allow_unicode=True).strip()


def yaml_template(example: bool = False) -> str:
    """One practice as 'field: value' lines, each with its help as a comment."""
    lines = ["# One practice per item; copy the block (from '- title:') for more. Lists: one '- value' per line.",
             "# Check with `gfmdkg check FILE.yaml`, then add with `gfmdkg add FILE.yaml`.", ""]
    for n, f in enumerate(FIELDS):
        lines.append(f"  # {f.help}" + (" (required)" if f.required else ""))
        lead = "- " if n == 0 else "  "
        if example and f.example and f.multi and SEPARATOR in f.example:
            lines.append(f"{lead}{f.name}:")
            lines += [f"    - {_yaml_scalar(v.strip())}" for v in f.example.split(SEPARATOR)]
        else:
            value = _yaml_scalar(f.example) if example and f.example else '""'
            lines.append(f"{lead}{f.name}: {value}")
    return "\n".join(lines) + "\n"
