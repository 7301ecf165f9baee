"""Every user-facing string of netral-nlp in Bahasa Indonesia (``id``) and English (``en``), in one place.

What people read is translated: the HTML report, the notebook rendering and the ``netral``
command's messages. What programs read is not: JSON keys, column names, labels and span
categories in the output files stay the stable English keys (``partisan``, ``vote_call``...);
:func:`label_name` and :func:`category_name` give their display names.

The language is ``id`` unless chosen otherwise, because the people who read these pages are
analysts at Bawaslu, BKN, BKPSDM and Inspektorat. Choose it with :func:`set_language` (a
notebook), :func:`language` (a block of code), ``--lang`` (the command) or the ``NETRAL_LANG``
environment variable (``id`` or ``en``).
"""
from __future__ import annotations

import contextlib
import contextvars
import os

LANGUAGES: tuple[str, ...] = ("id", "en")
DEFAULT_LANGUAGE = "id"
ENV_VAR = "NETRAL_LANG"

# set_language() is process-wide (a notebook runs each cell in a fresh context, so a context
# variable would forget it); language() blocks use a context variable, so threads do not clash
_chosen: str | None = None
_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("netral_language", default=None)


def check_language(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return lang


def get_language(lang: str | None = None) -> str:
    """``lang`` when given, else the one set by :func:`set_language`/:func:`language`, else
    ``$NETRAL_LANG``, else ``id``."""
    if lang is not None:
        return check_language(lang)
    current = _current.get()
    if current is not None:
        return current
    if _chosen is not None:
        return _chosen
    env = os.environ.get(ENV_VAR, "").strip().lower()
    return env if env in LANGUAGES else DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    """Use ``lang`` (``id`` or ``en``) from now on in this process, e.g. for the notebook display."""
    global _chosen
    _chosen = check_language(lang)


@contextlib.contextmanager
def language(lang: str | None):
    """Use ``lang`` inside the ``with`` block (``None``: leave it as it is)."""
    if lang is None:
        yield get_language()
        return
    token = _current.set(check_language(lang))
    try:
        yield lang
    finally:
        _current.reset(token)


LABEL_NAMES = {
    "id": {"partisan": "partisan", "neutral": "netral", "error": "galat"},
    "en": {"partisan": "partisan", "neutral": "neutral", "error": "error"},
}

CATEGORY_NAMES = {
    "id": {
        "endorsement": "dukungan",
        "vote_call": "ajakan memilih",
        "attack": "serangan",
        "campaign_symbol": "simbol kampanye",
        "campaign_sharing": "penyebaran materi kampanye",
        "campaign_activity": "kegiatan kampanye",
        "abuse_of_office": "penyalahgunaan jabatan",
    },
    "en": {c: c for c in ("endorsement", "vote_call", "attack", "campaign_symbol", "campaign_sharing",
                          "campaign_activity", "abuse_of_office")},
}

CATEGORY_DESCRIPTIONS_ID = {
    "endorsement": "menyatakan dukungan atau pujian kepada peserta pemilu",
    "vote_call": "mengajak orang lain memilih (atau tidak memilih) peserta pemilu",
    "attack": "merendahkan peserta pemilu atau partai",
    "campaign_symbol": "slogan, tagar, gestur nomor urut, jargon kampanye",
    "campaign_sharing": "membagikan atau menyebarkan materi kampanye",
    "campaign_activity": "ikut dalam acara, deklarasi atau tim kampanye",
    "abuse_of_office": "memakai jabatan, program, anggaran atau fasilitas untuk peserta pemilu",
}

# key -> (Indonesian, English); str.format fields in braces
MESSAGES: dict[str, tuple[str, str]] = {
    # --- the report -------------------------------------------------------------------------
    "report.title": ("Laporan penilaian netral-nlp", "netral-nlp scoring report"),
    "report.generated": ("dibuat {when}", "generated {when}"),
    "meta.input": ("masukan", "input"),
    "meta.output": ("keluaran", "output"),
    "meta.model": ("model", "model"),
    "meta.threshold": ("ambang", "threshold"),
    "card.rows": ("baris dalam masukan", "rows in the input"),
    "card.partisan": ("partisan ({pct} dari yang dinilai)", "partisan ({pct} of scored)"),
    "card.neutral": ("netral ({pct} dari yang dinilai)", "neutral ({pct} of scored)"),
    "card.errors": ("baris bergalat ({pct})", "rows with errors ({pct})"),
    "share.title": ("Proporsi teks partisan", "Share of partisan texts"),
    "share.aria": ("proporsi teks partisan", "share of partisan texts"),
    "share.note": ("{partisan} dari {scored} teks yang dinilai partisan ({pct}); {errors} dari {rows} "
                   "baris tidak dapat dinilai dengan normal.",
                   "{partisan} of {scored} scored texts are partisan ({pct}); {errors} of {rows} rows "
                   "could not be scored normally."),
    "cat.title": ("Kategori span", "Span categories"),
    "cat.aria": ("kategori span", "span categories"),
    "cat.bar": ("{spans} span · {texts} teks", "{spans} span{s_spans} · {texts} text{s_texts}"),
    "cat.note": ("Span yang disorot model, per kategori (satu teks bisa punya beberapa).",
                 "Spans highlighted by the model, by category (a text can have several)."),
    "hist.title": ("Sebaran skor", "Distribution of scores"),
    "hist.aria": ("histogram skor", "histogram of scores"),
    "hist.texts": ("teks", "texts"),
    "hist.bar": ("{n} teks", "{n} texts"),
    "hist.threshold": ("ambang {t}", "threshold {t}"),
    "errors.title": ("Baris bergalat", "Rows with errors"),
    "errors.kind": ("galat", "error"),
    "errors.rows": ("baris", "rows"),
    "errors.note": ("Setiap baris seperti ini ada di keluaran dengan kolom <code>error</code> terisi; "
                    "teks kosong diberi label netral dengan skor 0.",
                    "Each such row is in the output with its <code>error</code> column set; an empty "
                    "text is labelled neutral with score 0."),
    "top.title": ("Teks paling partisan (teratas {n})", "Most partisan texts (top {n})"),
    "top.score": ("skor", "score"),
    "top.categories": ("kategori", "categories"),
    "top.text": ("teks", "text"),
    "top.none": ("Tidak ada teks yang diberi label partisan.", "No text was labelled partisan."),
    "report.footer": ("Label dan span adalah prediksi otomatis dan bisa keliru: periksa setiap kasus "
                      "sebelum tindakan apa pun diambil.",
                      "Labels and spans are automatic predictions and can be wrong: review each case "
                      "before any action is taken."),
    # --- the notebook display ---------------------------------------------------------------
    "display.score_title": ("peluang teks ini partisan", "probability that the text is partisan"),
    "display.spans": ("{n} span", "{n} span{s}"),
    "display.no_spans": ("tidak ada span yang disorot", "no highlighted spans"),
    "display.categories": ("kategori:", "categories:"),
    "display.label": ("label", "label"),
    "display.text": ("teks", "text"),
    "display.more": ("… {n} baris lagi tidak ditampilkan", "… {n} more row{s} not shown"),
    "display.summary": ("{n} teks: {partisan} partisan, {neutral} netral",
                        "{n} text{s}: {partisan} partisan, {neutral} neutral"),
    # --- the command ------------------------------------------------------------------------
    "cli.progress": ("menilai", "scoring"),
    "cli.summary": ("{rows} baris dalam {elapsed} ({rate} baris/dtk{resumed}): {partisan} partisan{share}, "
                    "{errors} bergalat -> {output}",
                    "{rows} row{s} in {elapsed} ({rate} rows/s{resumed}): {partisan} partisan{share}, "
                    "{errors} with errors -> {output}"),
    "cli.resumed": (", dilanjutkan setelah {n}", ", resumed after {n}"),
    "cli.report": ("; laporan {path}", "; report {path}"),
    "cli.interrupted": ("dihentikan; {n} baris sudah tersimpan. Jalankan perintah yang sama dengan --resume "
                        "untuk melanjutkan.",
                        "interrupted; {n} rows are saved. Run the same command with --resume to continue."),
    "cli.nothing_to_resume": ("tidak ada yang dilanjutkan ({name} tidak ditemukan); mulai dari awal",
                              "nothing to resume ({name} not found); starting from the beginning"),
    "err.no_input": ("{path}: berkas masukan tidak ada", "{path}: no such input file"),
    "err.unknown_type": ("{path}: jenis berkas tidak dikenal; gunakan .csv, .tsv/.txt (dipisah tab), "
                         ".jsonl/.ndjson, .parquet atau .xlsx (.csv.gz, .tsv.gz dan .jsonl.gz untuk masukan)",
                         "{path}: unknown file type; use .csv, .tsv/.txt (tab-separated), .jsonl/.ndjson, .parquet "
                         "or .xlsx (.csv.gz, .tsv.gz and .jsonl.gz for input)"),
    "err.no_column": ("{path}: tidak ada kolom {column!r} (kolom: {columns}){nearest}; gunakan --text-column",
                      "{path}: no column {column!r} (columns: {columns}){nearest}; use --text-column"),
    "err.nearest": ("; yang paling mirip: {column!r}", "; nearest: {column!r}"),
    "cli.encoding": ("; pengodean {encoding}", "; encoding {encoding}"),
    "cli.chosen_column": ("; kolom teks {column!r} (dipilih karena tidak ada kolom 'text'; ganti dengan --text-column)",
                          "; text column {column!r} (chosen: no 'text' column; change it with --text-column)"),
    "cli.undecodable": ("; {n} baris tidak dapat didekode: sebutkan pengodean berkas dengan --encoding (misalnya "
                        "--encoding cp1252)",
                        "; {n} row{s} could not be decoded: name the file's encoding with --encoding (for example "
                        "--encoding cp1252)"),
    "err.no_id_column": ("{path}: tidak ada kolom id {column!r} (kolom: {columns})",
                         "{path}: no id column {column!r} (columns: {columns})"),
    "err.no_sheet": ("{path}: tidak ada lembar {sheet!r} (lembar: {sheets}); gunakan --sheet",
                     "{path}: no sheet {sheet!r} (sheets: {sheets}); use --sheet"),
    "err.excel_rows": ("{path}: keluaran melebihi batas Excel {limit:,} baris per lembar ({rows:,} baris); "
                       "tulis ke .csv atau .parquet",
                       "{path}: the output passes Excel's limit of {limit:,} rows a sheet ({rows:,} rows); "
                       "write .csv or .parquet instead"),
    "err.sheet_not_xlsx": ("--sheet hanya untuk masukan .xlsx", "--sheet applies to .xlsx input only"),
}


def msg(key: str, lang: str | None = None, **fields) -> str:
    """The message ``key`` in ``lang`` (default: :func:`get_language`), formatted with ``fields``."""
    id_text, en_text = MESSAGES[key]
    text = id_text if get_language(lang) == "id" else en_text
    return text.format(**fields) if fields else text


def label_name(label: str, lang: str | None = None) -> str:
    """Display name of a document label (``neutral`` -> ``netral``); unknown labels unchanged."""
    return LABEL_NAMES[get_language(lang)].get(str(label), str(label))


def category_name(category: str, lang: str | None = None) -> str:
    """Display name of a span category (``vote_call`` -> ``ajakan memilih``); unknown ones unchanged."""
    return CATEGORY_NAMES[get_language(lang)].get(str(category), str(category))


def category_description(category: str, lang: str | None = None) -> str:
    from .labels import CATEGORY_DESCRIPTIONS

    if get_language(lang) == "id":
        return CATEGORY_DESCRIPTIONS_ID.get(category, category)
    return CATEGORY_DESCRIPTIONS.get(category, category)


def plural(n: int, lang: str | None = None) -> str:
    """``s`` for English plurals; Indonesian nouns do not change."""
    return "" if n == 1 or get_language(lang) == "id" else "s"


def fmt_int(n: int, lang: str | None = None) -> str:
    """``1,234`` in English, ``1.234`` in Indonesian."""
    s = f"{int(n):,}"
    return s.replace(",", ".") if get_language(lang) == "id" else s


def fmt_float(x: float, digits: int = 3, lang: str | None = None) -> str:
    """``0.973`` in English, ``0,973`` in Indonesian."""
    s = f"{x:,.{digits}f}"
    if get_language(lang) == "id":
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def fmt_pct(a: int, b: int, lang: str | None = None) -> str:
    """``a / b`` as a percentage with one decimal (``–`` when ``b`` is 0)."""
    return f"{fmt_float(100 * a / b, 1, lang)}%" if b else "–"
