"""Reading a capture-history table from CSV: one 0/1 column per list and a ``count`` column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from tipims.statistics.mse import CaptureTable, EstimationError

MAX_BYTES = 5 * 1024 * 1024


def read_capture_csv(path: Path) -> CaptureTable:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise EstimationError(f"cannot read {path}: {error.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise EstimationError(f"{path} is larger than {MAX_BYTES // 1024 // 1024} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EstimationError(f"{path} is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in (reader.fieldnames or [])]
    if "count" not in header:
        raise EstimationError("the file needs a 'count' column and one 0/1 column per list")
    lists = [name for name in header if name != "count"]
    if not 2 <= len(lists) <= 8:
        raise EstimationError(f"the file has {len(lists)} list columns; 2 to 8 are needed")
    if len(set(lists)) != len(lists) or any(not name for name in lists):
        raise EstimationError("list columns need distinct, non-empty names")
    counts: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        flags = []
        for name in lists:
            if row.get(name) not in ("0", "1"):
                raise EstimationError(f"line {line}, column {name!r}: use 0 or 1, not {row.get(name)!r}")
            flags.append(row[name])
        try:
            count = int(row["count"])
        except ValueError:
            raise EstimationError(
                f"line {line}, column 'count': {row['count']!r} is not a whole number"
            ) from None
        if count < 0:
            raise EstimationError(f"line {line}, column 'count': a count cannot be negative")
        pattern = "".join(flags)
        if pattern == "0" * len(lists):
            if count:
                raise EstimationError(
                    f"line {line}: the pattern seen by no list is what is estimated; leave it out"
                )
            continue
        if pattern in counts:
            raise EstimationError(f"line {line}: pattern {pattern} appears twice")
        counts[pattern] = count
    return CaptureTable.from_counts(lists, counts)
