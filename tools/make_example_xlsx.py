"""Build examples/posts.xlsx from examples/posts.csv (the invented sample posts of the README).

    python tools/make_example_xlsx.py

The workbook has one sheet, ``posts``, with the CSV's header row and rows as text cells; its
creation date is fixed so that rebuilding gives the same file.
"""
from __future__ import annotations

import csv
import datetime
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parents[1]


def build(src: Path = ROOT / "examples" / "posts.csv", dst: Path = ROOT / "examples" / "posts.xlsx") -> Path:
    with open(src, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    wb = xlsxwriter.Workbook(str(dst), {"strings_to_numbers": False, "strings_to_formulas": False,
                                        "strings_to_urls": False})
    wb.set_properties({"title": "netral-nlp example posts (invented)", "created": datetime.datetime(2026, 1, 1)})
    ws = wb.add_worksheet("posts")
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write_string(r, c, value, bold if r == 0 else wrap)
    ws.set_column(0, 1, 10)
    ws.set_column(2, 2, 90)
    ws.freeze_panes(1, 0)
    wb.close()
    return dst


if __name__ == "__main__":
    print(build())
