#!/usr/bin/env python3
"""Times queries over one Iceberg table on the local file system and on S3-compatible storage,
cold and warm (docs/benchmarks.md, "Tables"). Run by bench/table/s3_read.sh, which makes the
tables and starts the object store; prints one JSON object per storage, query and phase.

Each measurement is one fresh `floe sql` process fed statements on stdin with `\\timing` on, so
the time is the statement's own (parse to last row), without process start-up:

  cold            the first run of the query in the process: nothing parsed, no analytics
                  cache; on S3 the disk read cache is empty (a new process empties its folder)
  warm            the same query again in the process with the analytics cache off: on S3 the
                  disk read cache holds what the cold run fetched; locally, as before, the
                  operating system's page cache
  analytics_warm  again after one more run with the analytics cache on: decoded column chunks
                  and footers in memory

Standard library only.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading

TIME_LINE = re.compile(r"^Time: ([0-9.]+) ms$")


def one_line(text):
    """Returns a statement as one line ended by `;`, without its `--` comment lines."""
    lines = [line.strip() for line in text.splitlines() if not line.strip().startswith("--")]
    return " ".join(line for line in lines if line).rstrip(";") + ";"


class ObjectStore:
    """Counts what the S3-compatible server sent and how many requests it logged."""

    def __init__(self, pid, log_path):
        self.pid = pid
        self.log_path = log_path

    def sample(self):
        with open(f"/proc/{self.pid}/io", encoding="ascii") as handle:
            written = next(int(line.split()[1]) for line in handle if line.startswith("wchar:"))
        with open(self.log_path, "rb") as handle:
            log = handle.read()
        # One log line per request; what it wrote to its log is not what it sent to Floe.
        return written - len(log), log.count(b"\n")


class Shell:
    """One `floe sql` process, fed one statement at a time."""

    def __init__(self, command, environment):
        # Line-buffered stdout, so each "Time:" line arrives when the statement ends.
        self.process = subprocess.Popen(["stdbuf", "-oL"] + command, env=environment,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.errors = []
        self.error_reader = threading.Thread(target=self._read_errors, daemon=True)
        self.error_reader.start()
        self._send("\\timing")
        line = self.process.stdout.readline()
        if line.strip() != "Timing is on.":
            raise RuntimeError(f"floe sql did not start: {line!r} {self.errors}")

    def _read_errors(self):
        for line in self.process.stderr:
            self.errors.append(line.rstrip("\n"))

    def _send(self, text):
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def run(self, statement):
        """Returns the statement's time in ms and the lines it printed before it."""
        self._send(statement)
        output = []
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"floe sql ended during {statement!r}: {self.errors}")
            match = TIME_LINE.match(line.strip())
            if match:
                return float(match.group(1)), output
            output.append(line.rstrip("\n"))

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)
        self.error_reader.join(timeout=5)


def measure(arguments, storage, name, sql, store):
    """Runs one process's sequence for one query; returns {phase: [(ms, bytes, requests)]}."""
    environment = dict(os.environ)
    command = [arguments.floe]
    if storage == "local":
        command += ["--warehouse", arguments.local_warehouse]
    else:
        shutil.rmtree(arguments.cache_directory, ignore_errors=True)
        environment.update({"FLOE_WAREHOUSE": arguments.s3_warehouse,
                            "FLOE_METASTORE": arguments.s3_metastore,
                            "FLOE_CACHE_DIRECTORY": arguments.cache_directory})
    command += ["sql", "-q", "--format", "csv"]
    shell = Shell(command, environment)
    samples = {"cold": [], "warm": [], "analytics_warm": []}
    if storage == "s3":
        samples["restarted"] = []
    answers = set()

    def timed(phase):
        before = store.sample() if store else (0, 0)
        milliseconds, output = shell.run(sql)
        after = store.sample() if store else (0, 0)
        answers.add("\n".join(output))
        if phase:
            samples[phase].append((milliseconds, after[0] - before[0], after[1] - before[1]))

    try:
        shell.run("SET analytics_cache = off;")
        timed("cold")
        for _ in range(arguments.repeats):
            timed("warm")
        shell.run("SET analytics_cache = on;")
        timed(None)  # Fills the analytics cache.
        for _ in range(arguments.repeats):
            timed("analytics_warm")
    finally:
        shell.close()
    if storage == "s3":
        # A new process over the same cache folder: the disk cache persists across restarts,
        # the parsed-file and analytics caches (in memory) do not.
        shell = Shell(command, environment)
        try:
            shell.run("SET analytics_cache = off;")
            timed("restarted")
        finally:
            shell.close()
    if len(answers) != 1 or any("ERROR" in line for line in shell.errors):
        raise RuntimeError(f"{storage} {name}: answers differ or failed: {answers} {shell.errors}")
    return samples, answers.pop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floe", required=True)
    parser.add_argument("--local-warehouse", required=True)
    parser.add_argument("--s3-warehouse", required=True)
    parser.add_argument("--s3-metastore", required=True)
    parser.add_argument("--cache-directory", required=True)
    parser.add_argument("--store-pid", type=int, required=True)
    parser.add_argument("--store-log", required=True)
    parser.add_argument("--query", nargs=2, action="append", required=True,
                        metavar=("NAME", "SQL"), help="a query to time (repeatable)")
    parser.add_argument("--runs", type=int, default=3, help="processes per storage and query")
    parser.add_argument("--repeats", type=int, default=3, help="warm runs per process and phase")
    parser.add_argument("--scale-factor", default="")
    parser.add_argument("--table-bytes", type=int, default=0)
    arguments = parser.parse_args()
    store = ObjectStore(arguments.store_pid, arguments.store_log)
    pooled = {}
    reference = {}
    # Rounds alternate the storages' order so that drift on the machine falls on both.
    for round_index in range(arguments.runs):
        storages = ["local", "s3"] if round_index % 2 == 0 else ["s3", "local"]
        for name, text in arguments.query:
            sql = one_line(text)
            for storage in storages:
                samples, answer = measure(arguments, storage, name, sql,
                                          store if storage == "s3" else None)
                if reference.setdefault(name, answer) != answer:
                    raise RuntimeError(f"{name}: {storage} answered {answer!r}, "
                                       f"expected {reference[name]!r}")
                for phase, values in samples.items():
                    pooled.setdefault((storage, name, phase), []).extend(values)
    for (storage, name, phase), values in pooled.items():
        times = sorted(value[0] for value in values)
        result = {"case": "read", "storage": storage, "query": name, "phase": phase,
                  "scale_factor": arguments.scale_factor, "table_bytes": arguments.table_bytes,
                  "samples": len(times), "median_ms": round(statistics.median(times), 1),
                  "min_ms": round(times[0], 1), "max_ms": round(times[-1], 1)}
        if storage == "s3":
            result["s3_bytes_median"] = int(statistics.median(value[1] for value in values))
            result["s3_requests_median"] = int(statistics.median(value[2] for value in values))
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    try:
        main()
    except RuntimeError as error:
        print(f"s3_read: {error}", file=sys.stderr)
        sys.exit(1)
