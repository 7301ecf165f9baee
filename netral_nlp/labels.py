"""Document labels, span categories and the BIO tag layout of the token head (:class:`TagScheme`)."""
from __future__ import annotations

from dataclasses import dataclass

NEUTRAL = "neutral"
PARTISAN = "partisan"
LABELS: tuple[str, ...] = (NEUTRAL, PARTISAN)

CATEGORIES: tuple[str, ...] = (
    "endorsement",
    "vote_call",
    "attack",
    "campaign_symbol",
    "campaign_sharing",
    "campaign_activity",
    "abuse_of_office",
)

CATEGORY_DESCRIPTIONS: dict[str, str] = {
    "endorsement": "states support for, or praise of, a contestant",
    "vote_call": "asks others to vote (or not vote) for a contestant",
    "attack": "denigrates a contestant or party",
    "campaign_symbol": "campaign slogans, hashtags, number gestures, jargon",
    "campaign_sharing": "shares, reposts or spreads campaign material",
    "campaign_activity": "takes part in a campaign event, declaration or team",
    "abuse_of_office": "uses position, programme, budget or facilities for a contestant",
}

IGNORE_INDEX = -100  # label of positions that take no loss (special tokens, label-only examples)


@dataclass(frozen=True)
class TagScheme:
    """The token head's BIO tags: id 0 is ``O``, then ``B-c`` = 1 + 2k and ``I-c`` = 2 + 2k for the
    k-th category. The one place that knows this layout."""

    categories: tuple[str, ...] = CATEGORIES
    OUTSIDE = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "categories", tuple(self.categories))

    @property
    def tags(self) -> list[str]:
        """``O`` then ``B-cat``/``I-cat`` for each category, in order."""
        out = ["O"]
        for cat in self.categories:
            out += [f"B-{cat}", f"I-{cat}"]
        return out

    def __len__(self) -> int:
        return 1 + 2 * len(self.categories)

    @staticmethod
    def begin(category_index: int) -> int:
        return 1 + 2 * category_index

    @staticmethod
    def inside(category_index: int) -> int:
        return 2 + 2 * category_index

    @staticmethod
    def split(probs):
        """Tag probabilities ``[..., n_tags]`` -> (P(O) ``[...]``, P(B-c) ``[..., C]``, P(I-c) ``[..., C]``)."""
        return probs[..., 0], probs[..., 1::2], probs[..., 2::2]

