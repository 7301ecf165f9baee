"""Indonesian social-media normalization that keeps a map back to the original characters.

The model sees the normalized text; every normalized character remembers the half-open range
of ORIGINAL characters it came from, so spans found in normalized text map back exactly.

What it does, in this order (each step can be switched off in :class:`NormalizationConfig`):

* mojibake: text that went through the wrong encoding (``Ã°Å¸â€˜â€¡`` -> ``👇``, ``â€¦`` -> ``…``,
  MacRoman ``‚Äô`` -> ``’``) is repaired with ftfy, and emoji written as escaped UTF-16
  (``%uD83D%uDE02``, ``\\ud83d\\ude02``) are decoded; each repaired character maps to the characters
  it was written as (off for models saved before it: :data:`OFF_WHEN_ABSENT`);
* unicode: per-character NFKC (fancy "𝐇𝐞𝐧𝐝𝐫𝐚" and fullwidth "ｈｅｎｄｒａ" letters become
  "Hendra"), drops zero-width and other format characters, turns control characters and lone
  surrogates into spaces;
* keycaps: ``2️⃣`` (digit + U+FE0F + U+20E3) becomes ``2``;
* enclosed: circled, parenthesised, double-circled, negative-circled and "digit full stop"
  digits and letters (``② ⑵ ⓶ ❷ ➋ ⒉ ⓐ 🅐``) become the plain digit or letter;
* combining: combining marks (strike-through U+0336, underline U+0332, stacked diacritics) are
  removed; their characters stay in the range of the letter they sit on;
* homoglyphs: in a word whose letters are all Latin or Latin look-alikes, Cyrillic/Greek
  look-alikes (``а е о р с х і ο ν``) and small capitals (``ᴄᴏʙʟᴏꜱ``) become Latin letters;
* intraword: dots, hyphens and underscores written inside words ("pi.lih", "co-bl-os", "PiL.iH nO.mOr.2")
  are dropped when the pieces read as one lexicon word, and single spaces inside words ("pi lih no mor")
  when the whole is a common word and no piece is a common word itself (unless in random case); abbreviations and titles ("S.Pd.", "A.Md.Kep"),
  numbers, decimals and dates ("No.2", "3.5%", "14.02.2024"), host and file names, e-mail addresses,
  reduplication and compounds with a proper noun ("anak-anak", "e-KTP") and two common words joined
  ("tanya-jawab") are left alone (off for models saved before it: :data:`OFF_WHEN_ABSENT`);
* spaced_letters: single letters separated by one repeated separator (spaces, ``.``, ``-``,
  ``_``, ``·``, ``•``) are joined when the result is a word of the lexicon or a run of three or
  more letters ("p i l i h" -> "pilih", "c.o.b.l.o.s" -> "coblos"); a run of several words
  written as one ("p i l i h n o 2") is cut at word boundaries with the lexicon;
* leetspeak: digits and symbols inside a word (``0 1 3 4 5 6 7 8 9 @ $ € | !``) become letters
  when, and only when, the result is a word of the lexicon ("c0bl0s" -> "coblos"), so numbers
  ("nomor 2", "14 Februari", "Rp5.000", "10.30", "2024") and real letter+digit tokens ("P3K",
  "covid19", "5km") are left alone;
* emoji_spacing: an emoji or other pictographic symbol written against a word gets a space
  ("coblos🔥nomor 2" -> "coblos 🔥 nomor 2"): a WordPiece vocabulary without the symbol
  (IndoBERT's) reads a whole word with a symbol in it as one ``[UNK]``;
* punctuation: ``!!!``/``?!?`` become one ``!``/``?``, ``....`` becomes ``...``, ``,,,`` one ``,``;
  three or more words joined by dots ("CoBlOs.NoMoR.2") are separated by spaces (not host or file
  names: "www.x.go.id", "a.b.pdf");
* urls: ``https://...`` / ``www....`` become the word ``url``;
* mentions / hashtags: ``@HendraSaputra`` -> ``@Hendra Saputra``, ``#LanjutTerus02`` ->
  ``#Lanjut Terus 02`` (camel case, digits and underscores split); with random_case, a tag in
  random case (``#CoBlOsNoMoR2``) is cut with the lexicon (``#coblos nomor 2``), not at every
  capital;
* elongation: runs of three or more identical letters shrink to one ("bangeeet" -> "banget");
* slang: common abbreviations are expanded ("yg" -> "yang", "gk" -> "gak", "utk" -> "untuk").

Lower-casing is left to the tokenizer (IndoBERT's is uncased), which keeps its own offsets, so
alternating case ("CoBlOs") needs nothing here. The lexicon (``resources/lexicon.txt.gz``, built
by ``tools/build_lexicon.py``) is loaded once, lazily, on the first text that needs it.

The package, stage by stage: :mod:`.config` (settings, slang table, lexicon), :mod:`.text` (the
offset map), :mod:`.mojibake` (encoding repair), :mod:`.chars` (unicode, keycaps, enclosed, combining, homoglyphs, emoji spacing),
:mod:`.segment` (leet decoding, cutting runs into lexicon words), :mod:`.intraword` (separators inside
words), :mod:`.evasion` (spaced letters, leetspeak) and :mod:`.normalizer` (the :class:`Normalizer`, punctuation and the word-level steps).
"""
from __future__ import annotations

# private helpers, importable from here as they were from the single module this package replaced
from .chars import _char_info as _char_info
from .chars import _emoji_spacing_pass as _emoji_spacing_pass
from .chars import _homoglyph_pass as _homoglyph_pass
from .chars import _symbol_edges as _symbol_edges
from .chars import _unicode_pass as _unicode_pass
from .config import (
    EVASION_STEPS,
    LEXICON_PATH,
    OFF_WHEN_ABSENT,
    SLANG,
    NormalizationConfig,
    lexicon,
    load_slang_tsv,
)
from .normalizer import Normalizer, normalize
from .normalizer import _punctuation_pass as _punctuation_pass
from .normalizer import _unchain as _unchain
from .segment import COMMON2, Piece, Words
from .segment import _decode as _decode
from .segment import _piece_ok as _piece_ok
from .segment import _segment as _segment
from .segment import _trusted as _trusted
from .text import NormalizedText, Stage
from .text import _Builder as _Builder
from .text import _identity as _identity

__all__ = [
    "COMMON2",
    "EVASION_STEPS",
    "LEXICON_PATH",
    "OFF_WHEN_ABSENT",
    "SLANG",
    "NormalizationConfig",
    "NormalizedText",
    "Normalizer",
    "Piece",
    "Stage",
    "Words",
    "lexicon",
    "load_slang_tsv",
    "normalize",
]
