from hypothesis import given, settings
from hypothesis import strategies as st

from netral_nlp.normalize import NormalizationConfig, normalize

TRICKY = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("yg gk dgn #@_ABab09 \r\n\t\u200b\u200d\ufeff\u0301e\u0300 🙏🇮🇩✌️ 𝐇𝐞𝐧 ﬁ")),
    ),
    max_size=200,
)


def test_social_media_rules():
    n = normalize("Mantaaap bgt yg #LanjutTerus02 @HendraSaputra https://t.co/x 𝐇𝐞𝐧𝐝𝐫𝐚\u200b")
    assert n.text == "Mantap banget yang #Lanjut Terus 02 @Hendra Saputra url Hendra"


def test_each_rule_can_be_switched_off():
    text = "yg #LanjutTerus bangeeet"
    assert normalize(text, NormalizationConfig(enabled=False)).text == text
    assert normalize(text, NormalizationConfig(slang=False)).text.startswith("yg ")
    assert "#LanjutTerus" in normalize(text, NormalizationConfig(hashtags=False)).text
    assert normalize(text, NormalizationConfig(elongation=False)).text.endswith("bangeeet")


def test_replacement_maps_to_whole_source_word():
    text = "ok yg itu"
    n = normalize(text)
    i = n.text.index("yang")
    assert n.to_original(i, i + 4) == (3, 5)
    assert n.to_normalized(3, 5) == (i, i + 4)


@settings(max_examples=300, deadline=None)
@given(TRICKY)
def test_offset_map_is_valid_and_monotonic(text):
    n = normalize(text)
    assert len(n.starts) == len(n.ends) == len(n.text)
    for a, b in zip(n.starts, n.ends):
        assert 0 <= a <= b <= len(text)
    assert n.starts == sorted(n.starts) and n.ends == sorted(n.ends)


@settings(max_examples=300, deadline=None)
@given(TRICKY, st.data())
def test_ranges_round_trip(text, data):
    """Both directions give the smallest range that covers the other side's characters, no more:
    normalized -> original spans exactly the sources of the normalized characters, and
    original -> normalized covers every character made from the original range and stops at the
    characters that were not."""
    n = normalize(text)
    if not text:
        assert n.text == "" and n.to_original(0, 0) == (0, 0)
        return
    a = data.draw(st.integers(0, len(text) - 1))
    b = data.draw(st.integers(a + 1, len(text)))
    x, y = n.to_normalized(a, b)
    assert 0 <= x <= y <= len(n.text)
    inside = [i for i in range(len(n.text)) if n.starts[i] < b and n.ends[i] > a]  # made from [a, b)
    assert all(x <= i < y for i in inside)
    if x > 0:
        assert n.ends[x - 1] <= a  # the character before the range was made from text before `a`
    if y < len(n.text):
        assert n.starts[y] >= b  # ... and the one after it from text at or after `b`
    if y > x:
        s, e = n.to_original(x, y)
        assert 0 <= s <= e <= len(text)
        assert s <= max(a, n.starts[x]) and e >= min(b, n.ends[y - 1])
    if n.text:
        x = data.draw(st.integers(0, len(n.text) - 1))
        y = data.draw(st.integers(x + 1, len(n.text)))
        s, e = n.to_original(x, y)
        assert s == min(n.starts[x:y]), "the original range starts at the first source character"
        assert e == max([*n.ends[x:y], s]), "... and ends at the last one"
        assert 0 <= s <= e <= len(text)
        if e > s:
            x2, y2 = n.to_normalized(s, e)
            assert x2 <= x and y2 >= y


def test_emoji_written_against_a_word_gets_a_space():
    """IndoBERT's WordPiece has no emoji: "coblos🔥" would be one [UNK]. The inserted spaces have
    no source characters, so the words and symbols keep their exact original ranges."""
    from netral_nlp.settings import NetralSettings

    text = "Ayo😀coblos🙏🏽 nomor 2 pilih✌️dia 🇮🇩Indonesia"
    n = normalize(text)
    assert n.text == "Ayo 😀 coblos 🙏🏽 nomor 2 pilih ✌️ dia 🇮🇩 Indonesia"
    for word in n.text.split():
        a = n.text.index(word)
        start, end = n.to_original(a, a + len(word))
        assert text[start:end] == word
    assert normalize("Café ©2024 x^2 a`b 5km").text == "Café ©2024 x^2 a`b 5km"  # not symbols after U+2000
    assert normalize(text, NormalizationConfig(emoji_spacing=False)).text == text
    # models saved before the switch keep reading text as they were trained to; new ones get it
    old = NetralSettings().to_dict()
    del old["normalization"]["emoji_spacing"]
    assert NetralSettings.from_dict(old).normalization.emoji_spacing is False
    assert NetralSettings().normalization.emoji_spacing is True
    assert NetralSettings.from_dict(NetralSettings().to_dict()).normalization.emoji_spacing is True
