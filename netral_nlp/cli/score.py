"""``netral score``: label every row of a CSV, JSONL, Parquet or Excel file (see :mod:`netral_nlp.batch`)."""
from __future__ import annotations

import argparse
import sys

from ..batch.options import DEFAULT_CHUNK_SIZE, DEFAULT_MAX_CHARS
from ..errors import EXIT_OK, EXIT_ROW_ERRORS
from ..i18n import LANGUAGES, fmt_int, fmt_pct, msg, plural


def add_parser(sub) -> None:
    p = sub.add_parser(
        "score", help="label every row of a CSV, JSONL, Parquet or Excel file",
        description="Label every row of a CSV, TSV, JSONL, Parquet or .xlsx file (chosen by extension; .csv.gz, "
                    ".tsv.gz and .jsonl.gz input accepted; the encoding of text input is detected, or named with "
                    "--encoding). One output row per input row, always: rows that cannot be "
                    "scored get an 'error'. Exit codes: 0 ok, 1 some rows have errors (output complete), "
                    "2 usage, model or input-file error.")
    p.add_argument("input", help="input file: .csv, .tsv/.txt (tab-separated), .jsonl/.ndjson, .parquet, .xlsx "
                                 "(or .csv.gz, .tsv.gz, .jsonl.gz)")
    p.add_argument("-o", "--output", required=True, help="output file: .csv, .jsonl/.ndjson, .parquet or .xlsx")
    p.add_argument("--sheet", help=".xlsx input: sheet name or 0-based index (default: the first sheet)")
    p.add_argument("--model", help="model directory or Hub id (default: the shipped model)")
    p.add_argument("--text-column", help="column with the text (default: 'text'; without one, an obvious column "
                                         "such as teks, isi, konten, caption, tweet or full_text, named in the summary)")
    p.add_argument("--encoding", help="encoding of CSV, TSV and JSONL input, e.g. utf-8, cp1252, latin-1, utf-16 "
                                      "(default: detected and named in the summary)")
    p.add_argument("--id-column", help="column identifying rows, copied to the output (default: 'id' when "
                                       "present, otherwise a 'row' column with 0-based row numbers)")
    p.add_argument("--batch-size", type=int, default=32, help="windows per forward pass (default: 32)")
    p.add_argument("--threshold", type=float, help="decision threshold on P(partisan) (default: the model's)")
    p.add_argument("--max-length", type=int, help="tokens per window (default: the model's)")
    p.add_argument("--stride", type=int, help="window overlap in tokens (default: the model's)")
    p.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE,
                   help=f"rows read, scored and written at a time (default: {DEFAULT_CHUNK_SIZE})")
    p.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS,
                   help=f"longer texts get an error instead of a score (default: {DEFAULT_MAX_CHARS:,})")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run of the same command")
    p.add_argument("--report", metavar="HTML", help="also write a self-contained HTML report")
    p.add_argument("--report-top", type=int, default=20, metavar="N",
                   help="most partisan texts listed in the report (default: 20)")
    p.add_argument("--lang", choices=LANGUAGES, help="language of the report and of the messages: id (Bahasa "
                   "Indonesia) or en (default: $NETRAL_LANG, else id)")
    p.add_argument("--quiet", action="store_true", help="no progress bar (the summary line is still printed)")
    p.add_argument("--fast", action="store_true", help="int8 on CPU: ONNX Runtime when installed, else PyTorch "
                                                         "(about 2x faster; see benchmarks/)")
    p.add_argument("--threads", type=int, metavar="N", help="CPU threads for the model (torch.set_num_threads); "
                                                            "1 is often fastest on a busy or small machine")
    p.add_argument("--verbose", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rem = divmod(seconds, 3600)
    m, s = divmod(rem, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else (f"{m}m{s:02d}s" if m else f"{s}s")


def run(args) -> int:
    from ..batch.run import score_file

    s = score_file(args.input, args.output, resume=args.resume, report=args.report, report_top=args.report_top,
                   progress=not args.quiet, model=args.model, text_column=args.text_column,
                   id_column=args.id_column, batch_size=args.batch_size, threshold=args.threshold,
                   max_length=args.max_length, stride=args.stride, chunk_size=args.chunk_size,
                   max_chars=args.max_chars, quantize=args.fast, num_threads=args.threads, sheet=args.sheet,
                   lang=args.lang, encoding=args.encoding)
    share = f" ({fmt_pct(s.partisan, s.rows)})" if s.rows else ""
    resumed = msg("cli.resumed", n=fmt_int(s.resumed_rows)) if s.resumed_rows else ""
    line = msg("cli.summary", rows=fmt_int(s.rows), s=plural(s.rows), elapsed=_duration(s.elapsed),
               rate=fmt_int(round(s.rows_per_second)), resumed=resumed, partisan=fmt_int(s.partisan), share=share,
               errors=fmt_int(s.errors), output=s.output)
    if s.encoding:
        line += msg("cli.encoding", encoding=s.encoding)
    if s.text_column_chosen:
        line += msg("cli.chosen_column", column=s.text_column)
    if s.undecodable:
        line += msg("cli.undecodable", n=fmt_int(s.undecodable), s=plural(s.undecodable))
    print(f"netral: {line}" + (msg("cli.report", path=s.report) if s.report else ""), file=sys.stderr)
    return EXIT_ROW_ERRORS if s.errors else EXIT_OK
