"""The "At the engine's speed" section of bench/RESULTS.md, from ``bench/speed.json`` (written by bench/speed.py)."""

from __future__ import annotations

import re
from pathlib import Path

from bench.report import fmt_s, table

BEGIN, END = "<!-- speed:begin -->", "<!-- speed:end -->"


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else "**met**" if ok else "**not met**"


def _k(n: str) -> str:
    return f"{int(n) // 1000}k" if int(n) >= 1000 and int(n) % 1000 == 0 else n


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def _r(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}x"


def targets(res: dict) -> list[list[str]]:
    rows = []
    sizes = sorted((k for k in res if k.isdigit()), key=int)
    for n in sizes:
        sh = res[n].get("shacl")
        if not sh:
            continue
        total = (sh.get("gfmdkg validate") or {}).get("seconds")
        no_qc = (sh.get("gfmdkg validate --no-qc") or {}).get("seconds")
        direct = sh.get("shacl library directly")
        limit = {"10000": 1.0, "100000": 10.0}.get(n)
        if limit:
            rows.append([f"{_k(n)}: `gfmdkg validate` <= {limit:g} s", f"{fmt_s(total)} (SHACL + QC; "
                         f"{fmt_s(no_qc)} with --no-qc)", _verdict(total is not None and total <= limit)])
        rows.append([f"{_k(n)}: `gfmdkg validate` within 1.5x of the `shacl` library called directly",
                     f"{_r(_ratio(total, direct))} with QC, {_r(_ratio(no_qc, direct))} without "
                     f"(library alone {fmt_s(direct)})", _verdict(_ratio(no_qc, direct) is not None
                                                                  and _ratio(total, direct) <= 1.5)])
        lib = sh["libraries"].get("shacl", {})
        same = lib.get(f"identical to {sh['reference']}")
        if sh["reference"] == "pySHACL":
            rows.append([f"{_k(n)}: reports identical to pySHACL's (top-level results)",
                         f"`shacl` {lib.get('results')} results, {lib.get('differences', '')}", _verdict(same)])
    for n in sizes:
        q = res[n].get("queries")
        if isinstance(q, dict) and q:
            ratios = sorted(((e["gfmdkg"] / e["pyoxigraph"], label) for label, e in q.items()
                             if e.get("pyoxigraph")), reverse=True)
            median = ratios[len(ratios) // 2][0]
            over = [f"{label} {r:.2f}x" for r, label in ratios if r > 1.2]
            rows.append([f"{_k(n)}: every saved query in memory within 1.2x of pyoxigraph's own time (query + CSV)",
                         f"best runs: median {median:.2f}x, worst {ratios[0][0]:.2f}x ({ratios[0][1]}); "
                         f"{len(over)} of {len(ratios)} over 1.2x" + (f": {', '.join(over[:6])}" if over else ""),
                         _verdict(not over)])
        cli = res[n].get("cli csv")
        if cli:
            rows.append([f"{_k(n)}: `query -f csv` within 1.2x of pyoxigraph writing CSV (processes, "
                         "practices-by-organisation)", f"{fmt_s(cli['gfmdkg'])} vs raw script "
                         f"{fmt_s(cli['raw pyoxigraph script'])}: {cli['ratio']:.2f}x (best runs; medians "
                         f"{cli.get('median ratio', cli['ratio']):.2f}x)", _verdict(cli["ratio"] <= 1.2)])
        pages = res[n].get("first pages")
        if pages:
            worst = max(pages.items(), key=lambda kv: kv[1]["seconds"])
            rows.append([f"{_k(n)}: first page (`--limit 50`) of every list query <= 1 s, on-disk index (CLI)",
                         f"worst {fmt_s(worst[1]['seconds'])} ({worst[0]}); "
                         f"{sum(1 for e in pages.values() if e['seconds'] > 1)} of {len(pages)} over 1 s",
                         _verdict(all(e["seconds"] <= 1 and e["exit"] == 0 for e in pages.values()))])
    for name, c in (res.get("cold") or {}).items():
        rows.append([f"cold `gfmdkg query {name}` <= 2.5x a raw pyoxigraph script (shipped graph)",
                     f"{fmt_s(c['gfmdkg'])} vs {fmt_s(c['raw pyoxigraph script'])}: {c['ratio']:.2f}x (best runs; "
                     f"medians {c.get('median ratio', c['ratio']):.2f}x)",
                     _verdict(c["ratio"] <= 2.5)])
    return rows


def libraries(res: dict) -> str:
    out = []
    for n in sorted((k for k in res if k.isdigit()), key=int):
        sh = res[n].get("shacl")
        if not sh:
            continue
        rows = []
        for lib, e in sh["libraries"].items():
            if "error" in e:
                rows.append([lib, "error", f"{e['peak_mb']:.0f} MB", e["error"][:80], "", ""])
                continue
            same = e.get(f"identical to {sh['reference']}")
            rows.append([lib, fmt_s(e["seconds"]), f"{e['peak_mb']:.0f} MB", str(e["results"]),
                         "reference" if same is None else ("yes" if same else f"no ({e['differences']})"),
                         e["planted found"]])
        out.append(f"**{_k(n)}** (identity against {sh['reference']}):\n\n" + table(
            ["library", "time (from a loaded store)", "peak memory", "top-level results", "identical", "planted "
             "defects found"], rows))
    return "\n\n".join(out)


def w3c(res: dict) -> str:
    suite = res.get("w3c")
    if not suite:
        return ""
    rows = [[lib, f"{e['passed']}/{suite['tests']}", ", ".join(e["failed"]) or "-"]
            for lib, e in suite.items() if isinstance(e, dict)]
    return "W3C SHACL Core tests (`bench/shacl_conformance.py`, the `sht:Validate` tests of " \
           "data-shapes-test-suite/tests/core, results compared without messages):\n\n" + \
           table(["library", "passed", "failed"], rows)


def section(res: dict) -> str:
    m = res.get("machine", {})
    notes_path = Path(__file__).resolve().parent / "RESULTS-speed-notes.md"
    notes = notes_path.read_text(encoding="utf-8").strip() if notes_path.exists() else ""
    versions = ", ".join(f"{k} {v}" for k, v in (m.get("versions") or {}).items())
    parts = [BEGIN, "## At the engine's speed (issue 15: `python -m bench.speed`)",
             f"Machine: {m.get('nproc', '?')} cores, {m.get('date', '')}; {versions}. The machine was "
             "shared with other agents' work while measuring (load average "
             f"{m.get('load average at start', '?')} at the start); every ratio is from the same run, the two sides "
             "of it alternating. Read ratios, not absolute times.",
             table(["target", "measured", "verdict"], targets(res)), notes, libraries(res), w3c(res), END]
    return "\n\n".join(p for p in parts if p) + "\n"


def update_results_md(path: Path, res: dict) -> None:
    """Put the section into ``path`` (replacing an earlier one), after the first table of targets."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# gfmdkg benchmark results\n"
    new = section(res)
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END) + "\n?", lambda _: new, text, flags=re.DOTALL)
    else:
        at = text.find("\n## What the numbers say")
        text = text + "\n" + new if at < 0 else text[:at + 1] + new + "\n" + text[at + 1:]
    path.write_text(text, encoding="utf-8")
