"""A ticket export too large to upload, read from the server's disk: 20,000,000 rows as CSV (3.4 GB) and as Parquet.

``read_large`` reads it in slices of a million rows through the upload's own parsers and checks, then measures every
metric the table allows (``measure``). Targets: under 60 s, and memory that fits this machine. Each reading runs in a
child process so that its peak memory (the child's maximum resident set) is its own.

Peers in the same run, on the same files: DuckDB and Polars' streaming engine computing the ticket count, the median
first reply and the CSAT share with their own CSV and Parquet readers (no checks, no typed table kept). They show what
an engine alone takes for the reading; ours keeps every check and message of an upload.

Run with ``python -m bench.bench_large [rows]`` (``make bench`` runs it with 20,000,000); the README quotes the figures.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from bench.bench_uploads import export_frame
from bench.common import in_child

CHUNK = 1_000_000

CHILD = """
import json, resource, sys, time
from pathlib import Path
kind, path = sys.argv[1], Path(sys.argv[2])
start = time.perf_counter()
if kind == "ours":
    from intake.uploads.large import LargeFile, read_large
    from intake.metrics.measures import measure
    loaded = read_large(LargeFile.at(path), table="tickets")
    assert loaded.usable, [p.text() for p in loaded.all_problems()]
    read = time.perf_counter() - start
    m = measure(loaded.validated.frame)
    rows, median = len(loaded.validated.frame), m.figure("frt_median_h").value
elif kind == "duckdb":
    import duckdb
    source = f"read_parquet('{path}')" if path.suffix == ".parquet" else f"read_csv('{path}')"
    rows, median, _ = duckdb.sql(f'SELECT count(*), median("First reply time in minutes") / 60, '
                                 f'avg(CASE WHEN "Satisfaction Score" = \\'Good\\' THEN 1.0 WHEN "Satisfaction Score" = '
                                 f'\\'Bad\\' THEN 0.0 END) FROM {source}').fetchone()
    read = time.perf_counter() - start
else:
    import polars as pl
    frame = pl.scan_parquet(path) if path.suffix == ".parquet" else pl.scan_csv(path)
    score = pl.col("Satisfaction Score")
    out = frame.select(pl.len(), (pl.col("First reply time in minutes").median() / 60),
                       pl.when(score == "Good").then(1.0).when(score == "Bad").then(0.0).mean()).collect(engine="streaming")
    rows, median = out.row(0)[0], out.row(0)[1]
    read = time.perf_counter() - start
print(json.dumps({"seconds": time.perf_counter() - start, "read": read, "rows": rows, "median": median,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_files(rows: int, folder: Path) -> tuple[Path, Path]:
    """The export as CSV and as Parquet (its dates typed), written a million rows at a time (ids run on)."""
    csv, parquet = folder / "tickets.csv", folder / "tickets.parquet"
    writer = None
    with csv.open("w", encoding="utf-8", newline="") as out:
        for i, first in enumerate(range(0, rows, CHUNK)):
            frame = export_frame(min(CHUNK, rows - first), seed=20261124 + i, first_id=first + 1)
            frame.to_csv(out, index=False, header=i == 0)
            typed = frame.assign(**{c: pd.to_datetime(frame[c]) for c in ("Created at", "Updated at", "Solved at")})
            table = pa.Table.from_pandas(typed, preserve_index=False)      # a Parquet export types its dates
            writer = writer or pq.ParquetWriter(parquet, table.schema)
            writer.write_table(table)
    writer.close()
    return csv, parquet


def run(kind: str, path: Path) -> dict:
    return in_child(CHILD, kind, str(path))


def main(rows: int = 20_000_000) -> None:
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        # in a child: a child's peak memory starts from its parent's, which must stay small
        subprocess.run([sys.executable, "-c", f"from bench.bench_large import write_files; from pathlib import Path; "
                        f"write_files({rows}, Path({folder!r}))"], check=True)
        csv, parquet = Path(folder) / "tickets.csv", Path(folder) / "tickets.parquet"
        print(f"{rows:,} tickets written in {time.perf_counter() - start:.0f} s: CSV {csv.stat().st_size / 1e9:.2f} GB, "
              f"Parquet {parquet.stat().st_size / 1e9:.2f} GB")
        for path in (csv, parquet):
            ours = run("ours", path)
            print(f"  {path.suffix[1:]:>7}: read, checked and typed {ours['read']:5.1f} s, with every metric "
                  f"{ours['seconds']:5.1f} s (target 60 s), peak {ours['peak_mb']:,.0f} MB; {ours['rows']:,} rows, "
                  f"median first reply {ours['median']:.2f} h")
            for peer in ("duckdb", "polars"):
                other = run(peer, path)
                print(f"           peer {peer}: {other['seconds']:5.1f} s, peak {other['peak_mb']:,.0f} MB (three figures, "
                      f"no checks); ours takes {ours['seconds'] / other['seconds']:.1f}x its time")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000_000)
