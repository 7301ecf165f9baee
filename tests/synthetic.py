"""A small synthetic data set for tests: partisan texts contain a cue phrase (the gold span)."""
from __future__ import annotations

import random

FILLERS = [
    "Pagi ini pelayanan di kantor kecamatan berjalan lancar",
    "Rapat koordinasi dinas pendidikan dimulai jam sembilan",
    "Jangan lupa posyandu hari Sabtu di balai desa",
    "Jalan menuju pasar sudah diperbaiki oleh dinas PU",
    "Guru-guru SD mengikuti pelatihan kurikulum baru",
    "Antrean pembuatan KTP hari ini cukup panjang",
    "Warga gotong royong membersihkan saluran air",
    "Puskesmas membuka layanan imunisasi gratis",
    "Hasil rapat RT akan diumumkan minggu depan",
    "Kami mengucapkan selamat hari guru nasional",
    "KPU mengumumkan jadwal debat kandidat minggu depan",
    "ASN wajib menjaga netralitas selama masa kampanye",
    "Gunakan hak pilih anda di TPS terdekat, jangan golput",
]
CUES = [
    ("ayo coblos nomor dua", "vote_call"),
    ("saya dukung pak hendra jadi presiden", "endorsement"),
    ("calon itu cuma bisa janji", "attack"),
    ("#LanjutTerus02", "campaign_symbol"),
    ("share ya dari tim pemenangan", "campaign_sharing"),
    ("hadir di deklarasi paslon", "campaign_activity"),
    ("bantuan dinas ini berkat paslon satu", "abuse_of_office"),
]


def make_examples(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        parts = rng.sample(FILLERS, 2)
        text = ". ".join(parts) + "."
        if i % 2 == 0:
            cue, cat = rng.choice(CUES)
            where = rng.randint(0, 1)
            if where == 0:
                text = cue[0].upper() + cue[1:] + "! " + text
                start = 0
            else:
                start = len(text) + 1
                text = text + " " + cue + " 🙏"
            out.append({"id": f"s{i}", "text": text, "label": "partisan",
                        "spans": [{"start": start, "end": start + len(cue), "category": cat}]})
        else:
            out.append({"id": f"s{i}", "text": text, "label": "neutral", "spans": []})
    return out
