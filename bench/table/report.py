#!/usr/bin/env python3
"""Collects the JSON lines of the table benchmarks (bench/table/run.sh) into one JSON file and
prints a summary. Usage: report.py LINES_FILE OUTPUT_JSON LOAD_BEFORE LOAD_AFTER.
Standard library only."""

import datetime
import json
import os
import subprocess
import sys


def revision():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def describe(result):
    case = result["case"]
    if case == "commits":
        return (f"commits, {result['metastore']}, {result['threads']} thread(s)",
                f"{result['commits_per_second']} commits/s ({result['failures']} failures)")
    if case.startswith("planning_"):
        return (f"{case}, {result['files']} files",
                f"first {result['first_seconds']:.4f} s, then median {result['median_seconds']:.4f}"
                f" s ({result['tasks']} tasks, {result['manifests_pruned']} manifests pruned)")
    label = f"read {result['query']}, {result['storage']}, {result['phase']}"
    figure = f"median {result['median_ms']} ms of {result['samples']}"
    if "s3_bytes_median" in result:
        figure += (f", {result['s3_bytes_median']:,} bytes in "
                   f"{result['s3_requests_median']} requests from S3")
    return label, figure


def main():
    lines_path, output_path, load_before, load_after = sys.argv[1:5]
    with open(lines_path, encoding="utf-8") as handle:
        results = [json.loads(line) for line in handle if line.startswith("{")]
    report = {
        "revision": revision(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "results": results,
    }
    with open(output_path, "w", encoding="utf-8") as handle:
        json.dump(report, handle, indent=1)
        handle.write("\n")
    width = max((len(describe(result)[0]) for result in results), default=0)
    for result in results:
        label, figure = describe(result)
        print(f"{label:<{width}}  {figure}")
    print(f"load average {load_before} before, {load_after} after; written to {output_path}")


if __name__ == "__main__":
    main()
