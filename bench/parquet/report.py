#!/usr/bin/env python3
"""Summarises the Parquet benchmark's JSON lines: prints the table, writes the results as JSON and
the Floe/DuckDB time ratios as an SVG bar chart. Standard library only."""

import argparse
import datetime
import json
import statistics
import sys
from collections import defaultdict

SCAN_CASES = ["scan_all", "scan_extendedprice", "scan_comment"]
WRITE_CASES = ["write_zstd", "write_snappy"]


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("samples", help="JSON lines from both engines")
    parser.add_argument("--json", required=True)
    parser.add_argument("--svg", required=True)
    parser.add_argument("--input", default="")
    parser.add_argument("--dataset", default="")
    parser.add_argument("--input-bytes", type=int, default=0)
    parser.add_argument("--revision", default="")
    parser.add_argument("--cpu", default="")
    parser.add_argument("--cores", type=int, default=0)
    parser.add_argument("--duckdb-version", default="")
    return parser.parse_args()


def load(path):
    """Pools the samples of every round per (engine, case, threads)."""
    pooled = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if not line:
                continue
            record = json.loads(line)
            key = (record["engine"], record["case"], record["threads"])
            entry = pooled.setdefault(key, {"seconds": [], "rows": record["rows"]})
            entry["seconds"].extend(record["seconds"])
            for field in ("decoded_bytes", "output_bytes", "sql"):
                if field in record:
                    entry[field] = record[field]
    return pooled


def summarise(entry):
    median = statistics.median(entry["seconds"])
    summary = {
        "median_seconds": round(median, 6),
        "min_seconds": round(min(entry["seconds"]), 6),
        "max_seconds": round(max(entry["seconds"]), 6),
        "samples": len(entry["seconds"]),
        "rows_per_second": round(entry["rows"] / median),
    }
    if "decoded_bytes" in entry:
        summary["decoded_bytes"] = entry["decoded_bytes"]
        summary["decoded_bytes_per_second"] = round(entry["decoded_bytes"] / median)
    if "output_bytes" in entry:
        summary["output_bytes"] = entry["output_bytes"]
    if "sql" in entry:
        summary["sql"] = entry["sql"]
    return summary


def compare(pooled):
    threads = sorted({key[2] for key in pooled})
    results = []
    for case in SCAN_CASES + WRITE_CASES:
        for count in threads:
            duckdb = pooled.get(("duckdb", case, count))
            # The Floe writer runs on one thread, so its one figure stands against every count.
            floe = pooled.get(("floe", case, 1 if case in WRITE_CASES else count))
            if duckdb is None or floe is None:
                continue
            result = {
                "case": case,
                "threads": count,
                "rows": floe["rows"],
                "floe": summarise(floe),
                "duckdb": summarise(duckdb),
            }
            if case in WRITE_CASES:
                result["floe"]["threads"] = 1
            memory = pooled.get(("duckdb_memory", case, count))
            if memory is not None:
                result["duckdb_same_query_in_memory"] = summarise(memory)
            result["time_ratio"] = round(
                result["floe"]["median_seconds"] / result["duckdb"]["median_seconds"], 3
            )
            # On a busy machine the fastest sample is the least disturbed one: a second view.
            result["time_ratio_of_minimums"] = round(
                result["floe"]["min_seconds"] / result["duckdb"]["min_seconds"], 3
            )
            results.append(result)
    return results


def rate(value):
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if value >= scale:
            return f"{value / scale:.2f}{unit}"
    return f"{value:.0f}"


def print_table(results, out=sys.stdout):
    header = (
        f"{'case':<20}{'thr':>4}{'floe s':>10}{'duckdb s':>10}{'floe rows/s':>13}"
        f"{'duckdb rows/s':>15}{'floe GB/s':>11}{'floe/duckdb':>13}{'floe MB':>9}{'duckdb MB':>11}"
    )
    print(header, file=out)
    print("-" * len(header), file=out)
    for result in results:
        floe, duckdb = result["floe"], result["duckdb"]
        gigabytes = floe.get("decoded_bytes_per_second")
        floe_size = floe.get("output_bytes")
        duckdb_size = duckdb.get("output_bytes")
        threads = str(result["threads"])
        if result["case"] in WRITE_CASES and result["threads"] != 1:
            threads += "*"
        print(
            f"{result['case']:<20}{threads:>4}{floe['median_seconds']:>10.3f}"
            f"{duckdb['median_seconds']:>10.3f}{rate(floe['rows_per_second']):>13}"
            f"{rate(duckdb['rows_per_second']):>15}"
            f"{(f'{gigabytes / 1e9:.2f}' if gigabytes else '-'):>11}"
            f"{result['time_ratio']:>13.2f}{result['time_ratio_of_minimums']:>7.2f}"
            f"{(f'{floe_size / 1e6:.1f}' if floe_size else '-'):>9}"
            f"{(f'{duckdb_size / 1e6:.1f}' if duckdb_size else '-'):>11}",
            file=out,
        )
    print(
        "time ratio floe/duckdb of the medians (and of the fastest samples): < 1 means Floe is"
        " faster. * the Floe writer is single-threaded; its one-thread time stands against DuckDB"
        " on all cores.",
        file=out,
    )


def svg_chart(results, title):
    """Horizontal bars of the time ratio per case, with the parity line at 1.0."""
    bar_height, gap, left, right, top = 22, 8, 230, 90, 60
    width = 760
    plot_width = width - left - right
    highest = max([r["time_ratio"] for r in results] + [1.0]) * 1.1
    height = top + len(results) * (bar_height + gap) + 50

    def x_of(ratio):
        return left + plot_width * ratio / highest

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="15">{title}</text>',
        f'<text x="{width / 2}" y="42" text-anchor="middle" fill="#555">'
        "Floe time / DuckDB time, median (shorter is better for Floe; left of 1.0 = Floe faster)"
        "</text>",
    ]
    for index, result in enumerate(results):
        y = top + index * (bar_height + gap)
        ratio = result["time_ratio"]
        color = "#2e7d32" if ratio <= 1.0 else "#c62828"
        label = f"{result['case']}, {result['threads']} thread{'s' if result['threads'] > 1 else ''}"
        parts.append(
            f'<text x="{left - 8}" y="{y + bar_height * 0.7}" text-anchor="end">{label}</text>'
        )
        parts.append(
            f'<rect x="{left}" y="{y}" width="{x_of(ratio) - left:.1f}" '
            f'height="{bar_height}" fill="{color}"/>'
        )
        parts.append(
            f'<text x="{x_of(ratio) + 5:.1f}" y="{y + bar_height * 0.7}">{ratio:.2f}</text>'
        )
    bottom = top + len(results) * (bar_height + gap)
    parity = x_of(1.0)
    parts.append(
        f'<line x1="{parity:.1f}" y1="{top - 6}" x2="{parity:.1f}" y2="{bottom}" '
        'stroke="black" stroke-dasharray="4,3"/>'
    )
    parts.append(
        f'<text x="{parity:.1f}" y="{bottom + 16}" text-anchor="middle">1.0 (parity)</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main():
    arguments = parse_arguments()
    pooled = load(arguments.samples)
    results = compare(pooled)
    if not results:
        print("report: no case has samples from both engines", file=sys.stderr)
        return 1
    print_table(results)
    document = {
        "benchmark": "parquet",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "revision": arguments.revision,
        "dataset": arguments.dataset,
        "input": arguments.input,
        "input_bytes": arguments.input_bytes,
        "machine": {"cpu": arguments.cpu, "cores": arguments.cores},
        "duckdb_version": arguments.duckdb_version,
        "time_ratio": "floe median seconds / duckdb median seconds; < 1 means Floe is faster",
        "time_ratio_of_minimums": "the same for the fastest sample of each side",
        "results": results,
    }
    with open(arguments.json, "w", encoding="utf-8") as out:
        json.dump(document, out, indent=2)
        out.write("\n")
    with open(arguments.svg, "w", encoding="utf-8") as out:
        out.write(svg_chart(results, f"Parquet: Floe vs DuckDB {arguments.duckdb_version}, "
                                     f"{arguments.dataset}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
