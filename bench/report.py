"""The figures: medians (with min and max) of the raw runs, as one table per dataset size, and the JSON file.

Each Inkwell row gives requests per second, the median over rounds of wrk's p50 and p99, the errors summed
over rounds (non-2xx answers and socket errors), the peak resident memory of a worker process under that
load, the answer's size, the throughput as a fraction of the ceiling (the bare app at the same answer size
and connection count), and with several trees the throughput relative to the first tree.
"""

import json
import statistics
from pathlib import Path
from typing import Any

from bench.ceiling import bucket


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def ceiling_summary(results: dict[str, Any]) -> dict[tuple[int, int], dict[str, Any]]:
    grouped: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for run in results["ceiling"]:
        if "wrk" in run:
            grouped.setdefault((run["bytes"], run["connections"]), []).append(run["wrk"])
    return {key: {"rps": _spread([r["rps"] for r in runs]),
                  "p50_ms": _spread([r["p50_ms"] for r in runs]),
                  "p99_ms": _spread([r["p99_ms"] for r in runs]),
                  "errors": sum(r["errors"] for r in runs)} for key, runs in sorted(grouped.items())}


def size_summary(size: dict[str, Any], trees: list[str], ceilings: dict[tuple[int, int], dict[str, Any]]
                 ) -> list[dict[str, Any]]:
    """One row per (case, tree), in the measuring order."""
    order: list[str] = []
    labels: dict[str, str] = {}
    by: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for run in size["runs"]:
        for case in run["cases"]:
            if case["case"] not in labels:
                order.append(case["case"])
                labels[case["case"]] = case["label"]
            by.setdefault((case["case"], run["tree"]), []).append(case)
    rows = []
    for key in order:
        first_rps: float | None = None
        for tree in trees:
            measured = [c for c in by.get((key, tree), []) if "wrk" in c]
            if not measured:
                rows.append({"case": key, "label": labels[key], "tree": tree, "missing": True})
                continue
            rps = _spread([c["wrk"]["rps"] for c in measured])
            row: dict[str, Any] = {
                "case": key, "label": labels[key], "tree": tree, "rps": rps,
                "p50_ms": _spread([c["wrk"]["p50_ms"] for c in measured]),
                "p99_ms": _spread([c["wrk"]["p99_ms"] for c in measured]),
                "errors": sum(c["wrk"]["errors"] for c in measured),
                "requests": sum(c["wrk"]["requests"] for c in measured),
                "statuses": sorted({c["status"] for c in measured}),
                "bytes": measured[-1]["bytes"], "connections": measured[-1]["connections"],
                "rss_peak_mb": statistics.median(c["rss_peak_mb"] for c in measured),
                "server_cores": statistics.median(c["cpu_cores"]["server"] for c in measured),
                "other_cores": statistics.median(c["cpu_cores"]["other"] for c in measured),
                "db_cores": statistics.median(c["cpu_cores"]["postgres"] for c in measured),
            }
            ceiling = ceilings.get((bucket(row["bytes"]), row["connections"]))
            row["of_ceiling"] = rps["median"] / ceiling["rps"]["median"] if ceiling and ceiling["rps"]["median"] \
                else None
            if "alone" in measured[0]:
                row["storm"] = {"alone_rps": _spread([c["alone"]["rps"] for c in measured]),
                                "logins_rps": _spread([c["logins"]["rps"] for c in measured]),
                                "logins_p99_ms": statistics.median(c["logins"]["p99_ms"] for c in measured),
                                "login_errors": sum(c["logins"]["errors"] for c in measured),
                                "longest_hash_wait_s": max((c["longest_hash_wait_s"] for c in measured
                                                            if c.get("longest_hash_wait_s") is not None),
                                                           default=None)}
                row["storm"]["during_vs_alone"] = rps["median"] / row["storm"]["alone_rps"]["median"] \
                    if row["storm"]["alone_rps"]["median"] else None
            if first_rps is None:
                first_rps = rps["median"]
            else:
                row["vs_first"] = rps["median"] / first_rps if first_rps else None
            rows.append(row)
    return rows


def memory_summary(size: dict[str, Any], trees: list[str]) -> dict[str, dict[str, Any]]:
    """Per tree: idle RSS of a worker (median over runs of the largest worker) and the peak under any load."""
    found: dict[str, dict[str, Any]] = {}
    for tree in trees:
        runs = [r for r in size["runs"] if r["tree"] == tree and r.get("rss_idle_mb")]
        if not runs:
            continue
        idle = [max(r["rss_idle_mb"].values()) for r in runs]
        peaks = [(c["rss_peak_mb"], c["label"]) for r in runs for c in r["cases"] if "rss_peak_mb" in c]
        peak, where = max(peaks) if peaks else (0.0, "")
        found[tree] = {"idle_mb": _spread(idle), "peak_mb": peak, "peak_case": where,
                       "workers": len(runs[0]["rss_idle_mb"])}
    return found


def summarize(results: dict[str, Any]) -> dict[str, Any]:
    trees = [t["label"] for t in results["trees"]]
    ceilings = ceiling_summary(results)
    return {
        "ceiling": [{"bytes": b, "connections": c} | v for (b, c), v in ceilings.items()],
        "sizes": [{"articles": size["articles"], "rows": size_summary(size, trees, ceilings),
                   "memory": memory_summary(size, trees),
                   "seeding": size["seeding"]} for size in results["sizes"]],
    }


def _number(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _rps(spread: dict[str, float]) -> str:
    """`median (min-max)`, or the one value of a single round."""
    if spread["n"] == 1:
        return _number(spread["median"])
    return f"{_number(spread['median'])} ({_number(spread['min'])}-{_number(spread['max'])})"


def _fraction(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def render(results: dict[str, Any]) -> str:
    summary = summarize(results)
    options = results["options"]
    machine = results["machine"]
    trees = results["trees"]
    lines = [
        "",
        f"Inkwell request benchmark — {options['profile']} profile, {options['workers']} worker(s), "
        f"wrk -t{options['threads']} -c{options['connections']}, {options['rounds']} round(s) x "
        f"{options['duration']:g} s",
        f"machine: {machine['cores']} cores, {machine['cpu']}, {machine['memory_mb']:,} MB; {machine['uname']}",
        f"load average before {_load(machine.get('load_before'))}, after {_load(machine.get('load_after'))}; "
        f"python {machine['python']}, {machine['wrk']}, PostgreSQL {machine['postgres']}",
    ]
    for moment in ("before", "after"):
        if machine.get(f"busy_{moment}"):
            lines.append(f"busy processes {moment} the run (noise): {'; '.join(machine[f'busy_{moment}'])}")
    lines += ["rps, p50, p99: median (min-max) over rounds; errors: non-2xx answers and socket errors, all rounds;",
              "RSS MB: peak of a worker process under that load; ceiling: rps as a fraction of the bare ASGI app's at",
              "the same answer size; CPU srv/db/oth: cores used meanwhile by the server, by PostgreSQL for its",
              "database, and by processes unrelated to the run (noise when above ~0.1)"]
    lines += [f"tree {t['label']}: {t['sha'][:10]}{' + uncommitted changes' if t['dirty'] else ''} ({t['path']})"
              for t in trees]
    several = len(trees) > 1
    for size in summary["sizes"]:
        lines += ["", f"{size['articles']:,} articles"]
        for seeding in size["seeding"]:
            counts = seeding["counts"]
            lines.append(f"  seeded {seeding['tree']} in {seeding['plan_s'] + seeding['seed_s']:.1f} s (planning "
                         f"{seeding['plan_s']:.1f} s, bulk write "
                         f"{seeding['write_s']:.1f} s, ANALYZE {seeding['analyze_s']:.1f} s): "
                         f"{counts.get('users', 0):,} users, "
                         f"{counts.get('articles', 0):,} articles, {counts.get('favorites', 0):,} favorites, "
                         f"{counts.get('follows', 0):,} follows, {counts.get('comments', 0):,} comments")
        header = (f"  {'case':<27} {'tree':<9} {'rps':<19} {'p50 ms':<17} {'p99 ms':<17} {'errors':>6} "
                  f"{'RSS MB':>6} {'ceiling':>7}  {'CPU srv/db/oth':<14}")
        if several:
            header += f" {'vs ' + trees[0]['label']:>12}"
        lines += [header, "  " + "-" * (len(header) - 2)]
        previous = None
        for row in size["rows"]:
            label = row["label"] if (row["case"] != previous or not several) else ""
            previous = row["case"]
            if row.get("missing"):
                lines.append(f"  {label:<27} {row['tree']:<9} (no measurement: see the run's error)")
                continue
            cpu = f"{row['server_cores']:.2f}/{row['db_cores']:.2f}/{row['other_cores']:.2f}"
            line = (f"  {label:<27} {row['tree']:<9} {_rps(row['rps']):<19} {_rps(row['p50_ms']):<17} "
                    f"{_rps(row['p99_ms']):<17} {row['errors']:>6} {row['rss_peak_mb']:>6.0f} "
                    f"{_fraction(row['of_ceiling']):>7}  {cpu:<14}")
            if several and "vs_first" in row:
                line += f" {row['vs_first']:>11.2f}x"
            if row["statuses"] and any(not 200 <= s < 300 for s in row["statuses"]):
                line += f"  probe status {row['statuses']}"
            lines.append(line)
        storms = [row for row in size["rows"] if "storm" in row]
        for row in storms:
            storm = row["storm"]
            lines.append(f"  login storm, {row['tree']}: current user alone {_rps(storm['alone_rps'])} rps, "
                         f"with 8 connections logging in {_rps(row['rps'])} rps = "
                         f"{_fraction(storm['during_vs_alone'])} of alone; logins {_rps(storm['logins_rps'])}/s, "
                         f"login p99 {storm['logins_p99_ms']:.0f} ms, login errors {storm['login_errors']}"
                         + (f", longest wait for a hashing thread {storm['longest_hash_wait_s']:.2f} s"
                            if storm.get("longest_hash_wait_s") is not None else ""))
        for tree, memory in size["memory"].items():
            lines.append(f"  RSS per worker process, {tree} ({memory['workers']} worker(s)): idle "
                         f"{_rps(memory['idle_mb'])} MB after seeding; peak under load {memory['peak_mb']:.0f} MB"
                         f" ({memory['peak_case']})")
        runs = next(r for r in results["sizes"] if r["articles"] == size["articles"])["runs"]
        for run in runs:
            if run.get("error"):
                lines.append(f"  round {run['round']}, {run['tree']} failed: {run['error'][:300]}")
            if run.get("log_problems"):
                lines.append(f"  round {run['round']}, {run['tree']}: the server logged {len(run['log_problems'])}"
                             f" error line(s), e.g. {problem_summary(run['log_problems'][0])}")
            for message, count in run.get("database_errors", {}).items():
                lines.append(f"  round {run['round']}, {run['tree']}: PostgreSQL logged {count} x ERROR: "
                             f"{message[:150]}")
        for tree in results["trees"]:
            states = {r["tree_state"] for r in runs if r["tree"] == tree["label"] and "tree_state" in r}
            if len(states) > 1:
                lines.append(f"  WARNING: the code of {tree['label']} changed during the run "
                             f"({', '.join(sorted(states))}); its rounds measured different versions")
    if summary["ceiling"]:
        lines += ["", "  ceiling (bare ASGI app, same uvicorn settings and workers): answer bytes, connections"]
        for row in summary["ceiling"]:
            lines.append(f"    {row['bytes']:>8,} B {row['connections']:>4} conns  {_rps(row['rps']):<24} rps  "
                         f"p50 {_rps(row['p50_ms'])} ms  p99 {_rps(row['p99_ms'])} ms  errors {row['errors']}")
    if not results.get("complete"):
        lines += ["", "  (incomplete run: interrupted or failed before the end)"]
    return "\n".join(lines)


def problem_summary(line: str) -> str:
    """An error line of the server's log in one line: its event, its fields, the last line of its traceback."""
    try:
        entry = json.loads(line)
    except ValueError:
        return line[:300]
    if not isinstance(entry, dict):
        return line[:300]
    fields = ", ".join(f"{k}={v}" for k, v in entry.items() if k not in ("time", "level", "logger", "event",
                                                                          "exception"))
    last = str(entry.get("exception", "")).strip().splitlines()[-1:] or [""]
    return f"{entry.get('event')} ({fields}) {last[0][:300]}".strip()


def _load(value: Any) -> str:
    return "?" if not value else " ".join(f"{v:.2f}" for v in value)


def write_json(results: dict[str, Any], path: Path) -> None:
    document = results | {"summary": summarize(results)}
    path.write_text(json.dumps(document, indent=2, default=str))
