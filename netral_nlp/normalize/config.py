"""Normalization settings and word tables: :class:`NormalizationConfig`, the built-in slang table,
the lexicon the obfuscation steps restore to, and an optional informal -> formal TSV table."""
from __future__ import annotations

import csv
import functools
import gzip
import os
from dataclasses import asdict, dataclass
from pathlib import Path

SLANG: dict[str, str] = {
    "yg": "yang", "yng": "yang", "dgn": "dengan", "dg": "dengan", "utk": "untuk", "untk": "untuk",
    "bgt": "banget", "bngt": "banget", "kpd": "kepada", "gk": "gak", "ga": "gak", "gak": "gak",
    "nggak": "gak", "ngga": "gak", "enggak": "gak", "tdk": "tidak", "tak": "tidak", "sdh": "sudah",
    "udh": "sudah", "udah": "sudah", "blm": "belum", "blum": "belum", "krn": "karena", "karna": "karena",
    "jd": "jadi", "jdi": "jadi", "klo": "kalau", "kalo": "kalau", "kl": "kalau", "sy": "saya",
    "aq": "aku", "gw": "gue", "org": "orang", "pd": "pada", "dr": "dari", "dri": "dari", "tp": "tapi",
    "tpi": "tapi", "sm": "sama", "bs": "bisa", "bsa": "bisa", "hrs": "harus", "skrg": "sekarang",
    "skrng": "sekarang", "bpk": "bapak", "ibu2": "ibu-ibu", "bapak2": "bapak-bapak", "sj": "saja",
    "aja": "saja", "lg": "lagi", "lgi": "lagi", "jg": "juga", "jga": "juga", "dlm": "dalam",
    "spt": "seperti", "sprt": "seperti", "krg": "kurang", "byk": "banyak", "bnyk": "banyak",
    "msh": "masih", "masi": "masih", "mrk": "mereka", "kmrn": "kemarin", "bsk": "besok", "tgl": "tanggal",
    "sbg": "sebagai", "ttg": "tentang", "tsb": "tersebut", "pak": "pak", "bu": "bu", "trs": "terus",
    "trus": "terus", "smg": "semoga", "mksh": "makasih", "makasi": "makasih", "thx": "makasih",
    "gmn": "gimana", "gimana": "gimana", "knp": "kenapa", "emg": "memang", "emang": "memang",
    "bener": "benar", "bnr": "benar", "sdr": "saudara", "kmu": "kamu", "lu": "lu", "dpt": "dapat",
    "jgn": "jangan", "jngn": "jangan", "kt": "kita", "kita2": "kita-kita", "sya": "saya",
    "sll": "selalu", "slalu": "selalu", "mnrt": "menurut", "trms": "terima", "pny": "punya",
}

# --------------------------------------------------------------------------- configuration

# The steps added against deliberate obfuscation (issue 10); ``NormalizationConfig.without_evasion()``
# switches them off, which is the normaliser models were trained with before.
EVASION_STEPS = ("keycaps", "enclosed", "combining", "homoglyphs", "spaced_letters", "intraword", "leetspeak",
                 "random_case", "punctuation")

# Steps added after models had been shipped (emoji spacing: issue 12; separators inside words and mojibake
# repair: issue 20): a saved model whose config lacks the switch reads text exactly as it did when it was
# evaluated.
OFF_WHEN_ABSENT = ("emoji_spacing", "intraword", "mojibake")


@dataclass(frozen=True)
class NormalizationConfig:
    """Switches for each normalization step; stored in a model's ``config.json``.

    A config saved before a switch existed loads with that switch at its default (on), except, in a
    saved model's settings (:meth:`netral_nlp.settings.NetralSettings.from_dict`), the switches of
    :data:`OFF_WHEN_ABSENT`: they were added after models had been shipped, so they stay off for the
    models saved before them (which read text exactly as when they were evaluated); new models get
    them on."""

    enabled: bool = True
    mojibake: bool = True
    unicode: bool = True
    urls: bool = True
    mentions: bool = True
    hashtags: bool = True
    elongation: bool = True
    slang: bool = True
    keycaps: bool = True
    enclosed: bool = True
    combining: bool = True
    homoglyphs: bool = True
    spaced_letters: bool = True
    intraword: bool = True
    leetspeak: bool = True
    random_case: bool = True
    punctuation: bool = True
    emoji_spacing: bool = True

    def to_dict(self) -> dict[str, bool]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict | None) -> NormalizationConfig:
        if not d:
            return cls()
        known = {k: bool(v) for k, v in d.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    @classmethod
    def without_evasion(cls, **kw: bool) -> NormalizationConfig:
        """The normaliser as it was before the anti-obfuscation steps (all of ``EVASION_STEPS`` off)."""
        return cls(**{**dict.fromkeys(EVASION_STEPS, False), **kw})


# --------------------------------------------------------------------------- lexicon

LEXICON_PATH = Path(__file__).resolve().parent.parent / "resources" / "lexicon.txt.gz"



@functools.lru_cache(maxsize=1)
def lexicon() -> dict[str, int]:
    """Lower-case words (and real letter+digit tokens such as ``p3k``) the obfuscation steps may
    restore to, each with its frequency tier (0: seen under 10 times ... 4: 10,000+ times), which
    breaks ties ("d4l4m" is "dalam", not the rare "daiam"). Empty when the resource is missing
    (then only runs of 3+ spaced letters are joined)."""
    words: dict[str, int] = {}
    try:
        with gzip.open(LEXICON_PATH, "rt", encoding="utf-8") as fh:
            tier = 0
            for line in fh.read().split("\n"):
                if line.startswith("# tier "):
                    tier = int(line[7:])
                elif line:
                    words[line] = tier
    except FileNotFoundError:
        pass
    return words


def load_slang_tsv(path: str | os.PathLike) -> dict[str, str]:
    """An informal -> formal word table from a two-column TSV with a header (e.g. the indo-collex
    dictionary, which the project does not ship); single lower-case words only. Pass the result
    as ``Normalizer(slang=...)``: the built-in :data:`SLANG` entries take precedence."""
    out: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows, None)
        for row in rows:
            if len(row) >= 2:
                key, value = row[0].strip().lower(), row[1].strip()
                if key.isalpha() and value and value.lower() != key:
                    out[key] = value
    return out
