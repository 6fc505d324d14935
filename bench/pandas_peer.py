#!/usr/bin/python3
"""The peer of `npm run bench:exams`: what a bureau analyst does today with pandas.

Reads the same wide score sheet (.xlsx with openpyxl, or CSV in GB18030), then computes the
后20% cut score of every subject and of 总分 and each school's bottom count and ratio, with the
rules of docs/exams-analysis.md: absent (缺考, 缺, '-', blank: anything not a number) is the
lowest score; ascending sort; the cut is the value at 1-based position ceil(fraction * N);
the bottom group is everyone at or below it (ties included); when that position falls on an
absentee the cut is 'absent' and the bottom group is exactly the absentees; 总分 is the sum of
the subjects, absent if any subject is absent.

Prints one JSON line: timings (read, compute), rows, cuts and per-school [bottom, enrolled].
Debian's python3-pandas and python3-openpyxl (/usr/bin/python3); nothing else.

    python3 bench/pandas_peer.py --file sheet.xlsx --skiprows 2 --subjects 语文,数学,…
"""
import argparse
import json
import sys
import time

import numpy as np
import pandas as pd


def cut_of(values: pd.Series, fraction_num: int, fraction_den: int):
    """(cut, bottom mask) for one subject; cut is a float or 'absent' (None for an empty population)."""
    n = len(values)
    if n == 0:
        return None, pd.Series([], dtype=bool)
    position = -(-n * fraction_num // fraction_den)  # ceil(fraction * n), in integers
    ordered = values.sort_values(na_position="first", kind="stable")
    at = ordered.iloc[position - 1]
    absent = values.isna()
    if pd.isna(at):
        return "absent", absent
    return float(at), absent | (values <= at)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--skiprows", type=int, default=0, help="title rows above the header")
    ap.add_argument("--subjects", required=True, help="comma-separated subject columns, all counted in 总分")
    ap.add_argument("--fraction", default="1/5", help="bottom share as a fraction a/b (default 1/5)")
    ap.add_argument("--encoding", default="gb18030", help="CSV encoding (default gb18030)")
    args = ap.parse_args()
    subjects = args.subjects.split(",")
    num, den = (int(x) for x in args.fraction.split("/"))

    started = time.perf_counter()
    text_cols = {"学籍号": str, "学校标识码": str, "姓名": str, "班级": str, "学校名称": str}
    if args.file.lower().endswith((".xlsx", ".xlsm")):
        df = pd.read_excel(args.file, engine="openpyxl", skiprows=args.skiprows, dtype=text_cols)
    else:
        df = pd.read_csv(args.file, encoding=args.encoding, skiprows=args.skiprows, dtype=text_cols)
    read_s = time.perf_counter() - started

    t = time.perf_counter()
    scores = pd.DataFrame({s: pd.to_numeric(df[s], errors="coerce") for s in subjects})
    scores["总分"] = scores[subjects].sum(axis=1, skipna=False)
    school = df["学校标识码"].astype(str)
    cuts = {}
    schools = {}
    for s in subjects + ["总分"]:
        cut, bottom = cut_of(scores[s], num, den)
        cuts[s] = cut
        g = pd.DataFrame({"school": school, "bottom": bottom.astype(np.int64)}).groupby("school", sort=True)["bottom"].agg(["sum", "size"])
        schools[s] = {k: [int(b), int(e)] for k, b, e in zip(g.index, g["sum"], g["size"])}
    compute_s = time.perf_counter() - t

    print(json.dumps({
        "pandas": pd.__version__,
        "rows": int(len(df)),
        "readSeconds": read_s,
        "computeSeconds": compute_s,
        "totalSeconds": time.perf_counter() - started,
        "cuts": cuts,
        "schools": schools,
    }, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
