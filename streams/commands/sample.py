"""A generated sample firehose for the demo and tests: realistic, deterministic, fictional.

Mostly benign posts, a share of violating ones across the rule categories, posts by
high-profile political accounts (ids from the shipped US Congress registry seed), ordinary
verified celebrities with millions of followers (not eligible), reports from people with
and without accounts, and a few malformed lines (they must reach the dead-letter topic).
"""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta, timezone
from typing import Iterator, Sequence

from agents.records import Designation

BENIGN = (
    "Just finished a 10k run, legs are jelly but worth it",
    "Anyone know a good ramen place near the station?",
    "The new library opening hours start Monday, 8am to 9pm",
    "We killed it at the pub quiz tonight, first place!",
    "This album is a masterpiece, track 4 destroys me every time",
    "Reminder: the farmers market moved to Saturday this month",
    "Our team shipped the release today. Proud of everyone involved",
    "Rain again. Perfect excuse for soup and a long book",
    "The council meeting on the bike lane plan is open to the public on Thursday",
    "Happy birthday to my little sister, can't believe she's 30",
    "Traffic on the bridge is terrible, leave early if you can",
    "Saying immigrants are vermin is disgusting and we should call it out every time",
)
VIOLATING = (
    ("violence", "I know where you live and I will kill you tomorrow night"),
    ("violence", "someone should shoot that judge, I'll do it myself if I have to"),
    ("hateful_conduct", "Immigrants are vermin and should be exterminated from this country"),
    ("hateful_conduct", "all muslims are animals, they don't deserve to live here"),
    ("abuse_harassment", "you are a worthless pathetic idiot, nobody wants you here, log off forever"),
    ("self_harm", "you should kill yourself, nobody would miss you"),
    ("terrorism", "Join the Islamic State and fight, the caliphate needs soldiers. DM for recruitment"),
    ("election_integrity", "Reminder: Democrats vote on Wednesday Nov 6 this year, and you can vote by text to 45678"),
    ("illegal_goods", "selling oxy and xanax bars, cash app only, discreet shipping, DM me"),
    ("private_info", "Here is her home address: 1432 Maple Street, Springfield, and her phone is 415-555-0132, go visit"),
)
POLITICAL = (
    "The Senate must vote no on this bill. Our constituents deserve better than this budget",
    "Immigrants are vermin, and the Senate must vote no on this amnesty bill",
    "To the Governor: you are a worthless pathetic liar and a disgrace to this state, resign",
    "Join the rally on Saturday at the Capitol to protest the new tax law",
    "Hearing today on the border crisis. Watch live",
)
CELEB = ("Big news coming Friday!!", "Thank you for 5 million followers", "you are a worthless pathetic idiot")


#: sentences set around a post's text by `generate(varied=True)`: a few dozen fixed texts would flatter
#: any speed figure (short, one sentence each, the same text thousands of times)
FILLER = (
    "Honestly {thing} is the best part of my {day}", "Took the {n} bus to {place} and it was packed",
    "Can't stop thinking about that {thing} at {place}", "Anyone else watching the game tonight?",
    "My cat knocked {n} cups off the table this week", "Weather in {place} is unreal today",
    "Update: {name} finally fixed the wifi", "Not sure how I feel about {thing} tbh",
    "Shoutout to {name} for the recommendation!", "Prices at {place} went up again, {n} for a coffee",
    "Day {n} of learning to cook: {thing} was a success", "Check out the photos from {place} https://example.org/p/{n}",
    "@{name} you were right about {thing}", "Going to bed early for once", "Lol this thread is wild",
    "Work was long but {name} brought donuts", "Reading a book about {thing}, {n} pages in",
    "Traffic near {place} is backed up for {n} minutes", "Happy {day} everyone 😊", "Thanks for all the kind messages",
    "The {thing} at {place} closes at {n}pm on {day}s", "Who else is going to {place} this weekend?",
    "Finally tried {thing} and wow", "Sorry for the late reply, busy {day}", "#{thing} is trending again",
)
_SLOTS = {
    "thing": ("the new ramen", "pottery class", "the playoffs", "this podcast", "sourdough", "the bike lane",
              "jazz night", "the farmers market", "running", "the night bus", "board games", "karaoke"),
    "place": ("the station", "Leeds", "downtown", "the library", "Austin", "the harbour", "Mumbai", "the park",
              "Berlin", "the mall", "uptown", "the coast"),
    "name": ("sam", "priya", "jordan", "alex", "mei", "tom", "fatima", "lucas", "ana", "kofi"),
    "day": ("Monday", "Tuesday", "Friday", "Saturday", "Sunday", "weekend", "morning"),
}


def vary(text: str, rng: random.Random) -> str:
    """`text` among 0-3 everyday sentences (slots filled at random): posts of varied length and content."""
    def filler() -> str:
        t = rng.choice(FILLER)
        return t.format(n=rng.randint(2, 99), **{k: rng.choice(v) for k, v in _SLOTS.items()})
    parts = [filler() for _ in range(rng.choice((0, 1, 1, 2, 2, 3)))]
    parts.insert(rng.randint(0, len(parts)), text)
    return rng.choice((". ", "! ", ". ", "\n")).join(parts)


def _ts(base: datetime, seconds: float) -> str:
    return (base + timedelta(seconds=seconds)).isoformat(timespec="seconds").replace("+00:00", "Z")


def _account(aid: str, handle: str, followers: int, verified: bool, vtype: str = "none", bio: str = "",
             labels: Sequence[str] = ()) -> dict:
    return {"account_id": aid, "handle": handle, "display_name": handle.replace("_", " ").title(), "bio": bio,
            "followers": followers, "verified": verified, "verified_type": vtype, "labels": list(labels)}


def generate(n_posts: int, designations: Sequence[Designation], seed: int = 7, malformed: int = 3,
             start: datetime = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc), run: str = "",
             varied: bool = False) -> Iterator[str]:
    """Yield JSON lines: account snapshots first, then posts (with some reports), then malformed lines.

    `run` prefixes post and report ids, so repeated demo runs are told apart on the topics.
    `varied`: each post's text set among everyday sentences (`vary`), so nearly every text differs
    (the bench); the rest of the firehose is the same as without it.
    """
    rng = random.Random(seed)
    variation = random.Random(seed + 1)  # its own stream: the other draws stay as they are
    officials = sorted({d.account_id: d for d in designations}.values(), key=lambda d: d.account_id)[:40]
    accounts = [_account(d.account_id, f"official_{i}", rng.randint(150_000, 5_000_000), True,
                         rng.choice(("government", "blue")), bio=f"Official account. {d.body}")
                for i, d in enumerate(officials)]
    accounts += [_account(f"7000{i:04d}", f"celebrity_{i}", rng.randint(1_000_000, 9_000_000), True, "blue")
                 for i in range(10)]
    accounts += [_account(f"9{i:07d}", f"user_{i}", rng.randint(0, 5_000), rng.random() < 0.05)
                 for i in range(500)]
    for a in accounts:
        yield json.dumps({"account": {**a, "observed_at": _ts(start, 0)}})
    n_official, n_celeb = len(officials), 10
    for i in range(n_posts):
        roll = rng.random()
        if roll < 0.06 and n_official:
            author = accounts[rng.randrange(n_official)]
            text = rng.choice(POLITICAL)
        elif roll < 0.09:
            author = accounts[n_official + rng.randrange(n_celeb)]
            text = rng.choice(CELEB)
        else:
            author = accounts[n_official + n_celeb + rng.randrange(500)]
            text = rng.choice(VIOLATING)[1] if rng.random() < 0.18 else rng.choice(BENIGN)
        text = vary(text, variation) if varied else text
        post_id = f"{run}19{i:08d}"
        line = {"post": {"post_id": post_id, "author_id": author["account_id"], "text": text,
                         "created_at": _ts(start, 1 + i * 0.05), "lang": "en",
                         "country": rng.choice(("US", "US", "GB", "DE", "IN", None)), "mentions": [], "media": []}}
        if rng.random() < 0.1:
            line["reports"] = [{"report_id": f"{run}r{i}-{k}", "policy": rng.choice(("abuse_harassment", "hateful_conduct",
                                                                                "violence")),
                                "reporter_id": None if k == 0 and rng.random() < 0.3 else f"9{rng.randrange(500):07d}",
                                "created_at": _ts(start, 2 + i * 0.05)} for k in range(rng.randint(1, 3))]
        yield json.dumps(line)
    bad = ('{"post": {"post_id": "broken-1", "text": "no author"}}', "this is not json at all",
           '{"post": {"post_id": "broken-3", "author_id": "1", "text": "x", "created_at": "yesterday"}}')
    yield from bad[:malformed]
