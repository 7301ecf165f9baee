"""Document labels, span categories and the BIO tag set of the token head."""
from __future__ import annotations

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


def bio_tags(categories: tuple[str, ...] | list[str] = CATEGORIES) -> list[str]:
    """``O`` then ``B-cat``/``I-cat`` for each category, in a fixed order."""
    tags = ["O"]
    for cat in categories:
        tags += [f"B-{cat}", f"I-{cat}"]
    return tags
