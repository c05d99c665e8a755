"""Context per sentence: the sentence that carries a verdict decides, for rules and learned heads.

Cases written from the policy texts (hateful conduct needs a protected characteristic;
reporting, quoting and condemning are not the violation; a person's own distress is not
encouragement), not from any evaluation set.
"""

from __future__ import annotations

import pytest

from agents.detectors import Scan, TextDetectors
from agents.detectors.context import DEFAULT_HEAD, HEAD_CONTEXTS, HEADS_LOWER_ONLY, LOWERED, SENTENCE_CHECKS
from agents.detectors.sentences import segment, split
from agents.policy import Policy
from agents.records import Post
from agents.tagger import Tagger


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in split(text)]


def test_split_at_sentence_ends_and_line_breaks() -> None:
    assert sentences("Police arrested him today. I will kill you!\nSee you soon, friend") == [
        "Police arrested him today.", "I will kill you!", "See you soon, friend"]


def test_split_never_inside_a_quotation() -> None:
    text = 'He wrote "Muslims are vermin. Kill them all." on the wall. It is vile.'
    assert sentences(text) == ['He wrote "Muslims are vermin. Kill them all." on the wall.', "It is vile."]


def test_short_fragments_join_a_neighbour() -> None:
    assert sentences("I will find you tonight. lol") == ["I will find you tonight. lol"]
    assert sentences("Disgusting. Someone said they are all rats.") == ["Disgusting. Someone said they are all rats."]
    assert sentences("Mr. Smith met the U.S. team today.") == ["Mr. Smith met the U.S. team today."]
    assert sentences("ok") == ["ok"]


def test_segment_maps_skeleton_back_to_the_original() -> None:
    s = segment("It is a nice day. Then I'll K.I.L.L you, ok?")
    k = s.text.index("kil")
    assert s.excerpt(k, k + 3) == "K.I.L.L"
    assert s.index(k) == 1 and s.sentence(1) == "Then I'll K.I.L.L you, ok?"


def test_every_head_context_is_a_known_check() -> None:
    for veto, lower in HEAD_CONTEXTS.values():
        assert set(veto) | set(lower) <= set(SENTENCE_CHECKS)


@pytest.fixture(scope="module")
def rules() -> Tagger:
    return Tagger(Policy())


def tags(tagger: Tagger, text: str) -> set[str]:
    return {v.policy for v in tagger.tag(Post("p", "a", text, "2026-11-03T12:00:00Z"))}


RULE_CASES = [
    # news clears its own sentence only
    ("Police arrested a man downtown today. I hate all jews.", {"hateful_conduct"}),
    ("Police say the man told neighbours he hates all jews.", set()),
    # a sports frame in another sentence does not make a threat hyperbole
    ("Great game last night everyone. I am going to kill you tonight.", {"violence"}),
    ("I'm going to kill you in the finals tonight.", set()),
    # condemnation in the sentence after a quoted slur is counter-speech
    ("Someone wrote 'jews are rats' on the synagogue wall. That is vile and antisemitic.", set()),
    # a sale cue must be in the sentence with the drug
    ("Selling my old bike, DM me. My doctor switched me from xanax last year.", set()),
    ("Xanax bars for sale, DM me.", {"illegal_goods"}),
    # recovery talk next to pro-ED words clears them; a recovery word in a far sentence does not
    ("I used to look at thinspo every day. Therapy helped me stop.", set()),
]


@pytest.mark.parametrize(("text", "expected"), RULE_CASES)
def test_rules_judge_the_sentence(rules: Tagger, text: str, expected: set[str]) -> None:
    assert tags(rules, text) == expected


class KeywordClassifier:
    """Stands in for `TextClassifier`: a head fires (0.9) on a text holding its cue phrase."""

    version = "kw.1"
    thresholds = {"hateful_conduct": 0.5, "abuse_harassment": 0.5, "violence": 0.5, "self_harm": 0.5}
    CUES = {"hateful_conduct": "ruin everything", "violence": ("end you", "kill"), "self_harm": "not worth living",
            "abuse_harassment": "clown shoes"}

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def predict_batch(self, texts: list[str]) -> list[dict[str, float]]:
        self.batches.append(list(texts))
        def p(text: str, cue: str | tuple[str, ...]) -> float:
            cues = (cue,) if isinstance(cue, str) else cue
            return 0.9 if any(c in text.lower() for c in cues) else 0.1
        return [{head: p(t, cue) for head, cue in self.CUES.items()} for t in texts]


@pytest.fixture()
def learned() -> tuple[Tagger, KeywordClassifier]:
    clf = KeywordClassifier()
    return Tagger(Policy(), classifier=clf), clf  # type: ignore[arg-type]


LEARNED_CASES = [
    ("Immigrants ruin everything they touch.", {"hateful_conduct"}),
    ('The senator said "immigrants ruin everything they touch" in a speech.', set()),  # quotation
    ("Police say the suspect wrote that immigrants ruin everything they touch.", set()),  # sourced reporting
    ("Immigrants ruin everything they touch and the police do nothing.", {"hateful_conduct"}),  # a news word only lowers
    ("Immigrants are vermin who ruin everything, the trial heard.", {"hateful_conduct"}),  # nor does a rule it cleared
    ("Police arrested someone downtown today. Immigrants ruin everything they touch.", {"hateful_conduct"}),
    ("Saying immigrants ruin everything they touch is disgusting.", set()),  # counter-speech
    ("Lawyers ruin everything they touch.", set()),  # not a protected group
    ("I will end you if you spoil the finale", set()),  # hyperbole
    ("Great game last night. I will end you tomorrow.", {"violence"}),  # the game is another sentence
    ("My life is not worth living anymore.", set()),  # own struggle
    ("Your life is not worth living, just end it.", {"self_harm"}),
    # asking for or weighing a method is no struggle told; asking how to stop, or how to support someone, is help
    ("My life is not worth living, what is the most painless way to end it?", {"self_harm"}),
    ("My life is not worth living, is it better to cut across or along my wrists?", {"self_harm"}),
    ("My life is not worth living, how can I stop feeling this way?", set()),
    ("I made a page that glorifies suicide, because my life is not worth living.", {"self_harm"}),  # promotion
    ("What's the best way to support a friend who says life is not worth living?", set()),
    ("The film deals with suicide and the feeling that life is not worth living.", set()),  # a work's subject
    ("This song is about suicide: your life is not worth living, end it.", {"self_harm"}),  # said to the listener
    ("I would never kill you", set()),  # the rule's negation on the same words clears the head too
    # a violent word in an idiom harms no one, unless the speaker says what they will do
    ("This exam is going to kill me.", set()),
    ("Kill them with kindness, honestly.", set()),
    ("Stop complaining, I will kill you and then we can kill time at the bar.", {"violence"}),
]


def test_a_rule_hit_cleared_by_a_news_word_is_marked_as_lowering_heads_only() -> None:
    """The tagger's sentence veto reads the marker, never the reason text."""
    detect = TextDetectors().detect
    [news] = detect("Immigrants are vermin who ruin everything, the trial heard.")
    [negated] = detect("immigrants are not parasites")
    assert news.suppressed and news.heads_lower_only
    assert negated.suppressed and not negated.heads_lower_only
    assert not any(h.heads_lower_only for h in detect("Immigrants are vermin who ruin everything."))
    for veto, lower in (*HEAD_CONTEXTS.values(), DEFAULT_HEAD):  # such a check lowers every head, vetoes none
        assert HEADS_LOWER_ONLY <= set(lower) and not HEADS_LOWER_ONLY & set(veto)


@pytest.mark.parametrize(("text", "expected"), LEARNED_CASES)
def test_learned_heads_judge_the_sentence_that_carries_them(learned, text: str, expected: set[str]) -> None:
    tagger, _ = learned
    assert tags(tagger, text) == expected


def test_no_group_named_lowers_hateful_conduct(learned) -> None:
    tagger, _ = learned
    (v,) = tagger.tag(Post("p", "a", "Honestly they ruin everything they touch.", "2026-11-03T12:00:00Z"))
    assert v.policy == "hateful_conduct" and v.confidence == pytest.approx(0.9 * LOWERED)
    assert "lowered by no protected group named" in v.evidence[0]


def test_verdict_cites_its_sentence_and_cleared_sentences(learned) -> None:
    tagger, _ = learned
    text = 'He said "immigrants ruin everything they touch" yesterday. Immigrants ruin everything they touch.'
    (v,) = tagger.tag(Post("p", "a", text, "2026-11-03T12:00:00Z"))
    assert v.confidence == 0.9 and v.evidence[0].startswith("classifier p=0.90, sentence 2")
    assert any(e.startswith("context: quotation") for e in v.evidence)


def test_posts_and_sentences_scored_in_one_batch(learned) -> None:
    tagger, clf = learned
    posts = [Post("p1", "a", "First one here. Second one here. Third one here.", "2026-11-03T12:00:00Z"),
             Post("p2", "a", "just one sentence", "2026-11-03T12:00:00Z")]
    tagger.tag_batch(posts)
    assert len(clf.batches) == 1
    assert clf.batches[0] == [posts[0].text, "First one here.", "Second one here.", "Third one here.", posts[1].text]


LOOK_ALIKES = [
    # election integrity: a legislature's vote, surveys, accurate reminders; the violation still found
    ("Senate Republicans will vote Thursday on the budget bill.", set()),
    ("Reminder: Republicans vote on Wednesday this year!", {"election_integrity"}),
    ("Polls show most voters want to deport criminals.", set()),
    ("Armed patriots will be at the polls checking papers.", {"election_integrity"}),
    ("Polls are open 7am to 8pm on Tuesday, bring your ID.", set()),
    # private information: a public business's number and address; a person's still found
    ("Call them at 202-555-0110, the clinic is on Main Street and they are great.", set()),
    ("Her home address is 12 Elm Street, go pay her a visit.", {"private_info"}),
    # regulated goods: pharmacy talk and range days; sales still found
    ("The pharmacy raised the price of my adderall again.", set()),
    ("Adderall for sale, no prescription needed, DM me.", {"illegal_goods"}),
    ("Went to the gun range and rented a Glock, the range fee was $20.", set()),
    ("Selling ghost guns, no serial, DM for prices.", {"illegal_goods"}),
    # history lessons; a call to violence still found
    ("In 1942 the Nazis began to exterminate the jews of Europe.", set()),
    ("We should exterminate the jews.", {"hateful_conduct", "violence"}),
    ("In 2014 thousands of foreign fighters traveled to join ISIS.", set()),
    ("Brothers, come and join ISIS now.", {"terrorism"}),
    # child safety talk; trading and sexualising minors still found
    ("Sex education for 15 year olds should be mandatory in schools.", set()),
    ("Report CSAM links to the NCMEC CyberTipline.", set()),
    ("Selling cp links, DM me.", {"child_sexual_exploitation"}),
    ("sexy 15 year old pics, dm for links", {"child_sexual_exploitation"}),
]


@pytest.mark.parametrize(("text", "expected"), LOOK_ALIKES)
def test_rule_categories_skip_look_alikes_and_catch_violations(rules: Tagger, text: str, expected: set[str]) -> None:
    assert tags(rules, text) == expected


class PerTextClassifier:
    """Stands in for `TextClassifier`: hateful_conduct scored per exact text, 0.1 for any other."""

    version = "per-text.1"
    thresholds = {"hateful_conduct": 0.5}

    def __init__(self, scores: dict[str, float]) -> None:
        self.scores = scores

    def predict_batch(self, texts: list[str]) -> list[dict[str, float]]:
        return [{"hateful_conduct": self.scores.get(t, 0.1)} for t in texts]


_TWO = "The weather is fine today. Immigrants ruin everything they touch."


@pytest.mark.parametrize(("post_p", "sentence_p", "sentence_threshold", "expected"), [
    (0.3, 0.8, 0.85, None),  # the sentence is under its own threshold, the post under the model's
    (0.3, 0.8, 0.75, 0.8),  # the sentence reaches its threshold alone
    (0.6, 0.8, 0.85, 0.8),  # the whole post reaches the model's threshold: its best sentence carries it
    (0.3, 0.4, 0.2, None),  # a sentence threshold never goes below the model's (0.5)
])
def test_a_sentence_carries_a_head_at_its_own_threshold(post_p, sentence_p, sentence_threshold, expected) -> None:
    clf = PerTextClassifier({_TWO: post_p, "Immigrants ruin everything they touch.": sentence_p})
    tagger = Tagger(Policy(), classifier=clf, sentence_thresholds={"hateful_conduct": sentence_threshold})  # type: ignore[arg-type]
    got = {v.policy: v.confidence for v in tagger.tag(Post("p", "a", _TWO, "2026-11-03T12:00:00Z"))}
    assert got.get("hateful_conduct") == expected


def test_sentence_thresholds_are_chosen_per_classifier_version() -> None:
    from agents.tagger import chosen_sentence_thresholds
    assert chosen_sentence_thresholds("no-such-version") == {}
    clf = PerTextClassifier({_TWO: 0.3, "Immigrants ruin everything they touch.": 0.8})
    assert Tagger(Policy(), classifier=clf).tag(Post("p", "a", _TWO, "2026-11-03T12:00:00Z"))  # type: ignore[arg-type]


def test_every_quotation_starts_with_a_quote_char_split_looks_for() -> None:
    """`split` skips the quotation scan when none of _QUOTE_CHARS is in the post: each branch must open with one."""
    from re import _constants as c, _parser  # type: ignore[attr-defined]

    from agents.detectors.sentences import _QUOTE, _QUOTE_CHARS

    ((op, (_, branches)),) = list(_parser.parse(_QUOTE.pattern))
    assert op is c.BRANCH
    for branch in branches:
        opener = next((kind, av) for kind, av in branch if kind is not c.ASSERT_NOT)
        assert opener[0] is c.IN and all(k is c.LITERAL for k, _ in opener[1])
        assert {chr(code) for _, code in opener[1]} <= set(_QUOTE_CHARS)


@pytest.mark.parametrize(("text", "denies"), [
    ("Muslims are not terrorists.", True),
    ("Immigrants aren't all criminals", True),
    ("We don't hate women.", True),
    ("Trans people are not a threat to anyone.", True),
    ("Muslims aren't terrorists, they are animals.", False),  # one slight stands
    ("I'm not saying women are stupid.", False),  # a hedge, not a denial
    ("I am not racist but blacks are criminals.", False),  # the clause after "but" stands
    ("Don't be stupid.", False),  # an imperative insult
    ("Women are not human.", False),  # negation is the slight
    ("Gay people are wonderful.", False),  # no slight at all
])
def test_a_sentence_that_only_denies_slights(text: str, denies: bool) -> None:
    scan = Scan(segment(text))
    a, b = scan.sentences.skeleton_bounds(0)
    assert bool(SENTENCE_CHECKS["negated_slight"](scan, a, b)) is denies
    assert "negated_slight" in HEAD_CONTEXTS["hateful_conduct"][0]


@pytest.mark.parametrize(("text", "lowers"), [
    ("I would never say that about them.", True),
    ("Immigrants are not welcome here.", False),  # negating a good word is the slight
    ("Women are never any good at this.", False),
    ("They don't belong in this country.", False),
])
def test_negation_lowers_unless_it_negates_a_good_word(text: str, lowers: bool) -> None:
    scan = Scan(segment(text))
    a, b = scan.sentences.skeleton_bounds(0)
    assert bool(SENTENCE_CHECKS["negation"](scan, a, b)) is lowers


@pytest.mark.parametrize(("check", "text", "clears"), [
    ("self_directed", "I'm such an idiot, I locked my keys in the car again.", True),
    ("self_directed", "What an idiot I am.", True),
    ("self_directed", "I feel so stupid today.", True),
    ("self_directed", "I'm a loser and you are too.", False),  # somebody else is addressed
    ("self_directed", "What an idiot.", False),
    ("received_insult", "My boss called me an idiot today.", True),  # reporting an insult received
    ("received_insult", "You called me a loser.", False),
    ("received_insult", "She said I was a loser and I cried.", True),
    ("received_insult", "She said you are a loser.", False),
    ("denied_insult", "You're not stupid, you just made a mistake.", True),  # making a mistake is no slight
    ("recovery", "My friend cut herself, how do I help her?", True),  # help for someone else
    ("recovery", "The documentary covers suicide prevention in schools.", True),
    ("recovery", "Go on, cut deeper, nobody will stop you.", False),
    ("own_struggle", "I feel like I can't go on anymore.", True),
    ("own_struggle", "What's the quickest way to overdose on what I have at home?", False),  # asks for a method
    ("own_struggle", "How can I skip meals without my family noticing?", False),  # asks how to hide it
    ("own_struggle", "How can I stop cutting when I feel this way?", True),  # asks for help
    ("counter_speech", "If you think gay people are disgusting, unfollow me now.", True),
    ("counter_speech", "I'm so tired of seeing posts saying black people are criminals.", True),
    ("counter_speech", "Hating women is pathetic.", True),
    ("counter_speech", "I think gay people are disgusting.", False),
    ("thing", "This printer is a piece of garbage.", True),
    ("thing", "The movie was trash.", True),
    ("thing", "This game is trash and so are you.", False),  # a person is addressed too
    ("harmless_object", "What's the easiest way to kill weeds between paving stones?", True),
    ("harmless_object", "Gut the trout and rinse it under cold water.", True),
    ("harmless_object", "How do I execute the script on startup?", True),
    ("harmless_object", "How do I cut the audio track without losing the video?", True),
    ("no_violence_word", "Told her I like her and her girlfriend.", True),  # nothing violent said: lowered
    ("no_violence_word", "I hope they all starve.", False),
    ("no_violence_word", "\U0001F52A the travellers", False),  # a weapon as an emoji
    ("no_self_harm_word", "Do it.", True),  # nothing of self-harm said: the head's verdict is lowered
    ("no_self_harm_word", "Defend yourself!", False),  # a reflexive may be one
    ("no_self_harm_word", "Nobody will miss you. Just do it tonight.", True),  # its cost: implicit, lowered (not cleared)
    ("no_self_harm_word", "Why keep living? Just do it tonight.", False),  # the neighbour sentence says it
    ("harmless_object", "Shooting the music video downtown tomorrow.", True),
    ("harmless_object", "I'll gut you like a fish.", False),  # a person is named
    ("denied_insult", "Honestly you're not stupid, you were tired.", True),
    ("denied_insult", "I'm not saying you're worthless, and I never called you a loser.", True),
    ("denied_insult", "Don't be stupid.", False),  # a bidding, not a denial
    ("denied_insult", "You're not smart, you're a moron.", False),  # one slight stands
    ("mention", "Where does the word 'moron' come from?", True),
    ("mention", "You are the word moron in person.", False),
    ("sympathetic", "Asylum seekers need more support than they get.", True),
    ("sympathetic", "I'm tired of how disabled people are mocked online.", True),
    ("sympathetic", "Why does everyone hate immigrants so much?", True),
    ("sympathetic", "Why do people hate gypsies, they are thieves anyway.", False),  # a slight of its own
    ("thing", "Dumb question, but is the library open on Sunday?", True),
    ("thing", "My cat is such an asshole.", True),
    ("thing", "Damn, this weather sucks.", True),
    ("thing", "My dumb cat knocked over my coffee.", True),
    ("thing", "This weather sucks and so do you.", False),  # a person is addressed too
    ("thing", "The new parking policy is lazy and stupid.", True),  # any noun phrase that names no person
    ("thing", "Our midfield tonight was pathetic.", True),
    ("thing", "The new guy at work is a moron.", False),  # a person noun in the subject
    ("thing", "The whole plan is garbage, and he is too.", False),  # someone named beside it
    ("self_harm_told", "Just go kill yourself already.", True),  # a harm told to oneself, not a threat
    ("self_harm_told", "Kill yourself or I'll do it for you.", False),  # the speaker says what they will do
    ("affection", "My brother is a total idiot and I love him.", True),
    ("affection", "You're a clown.", False),
    ("fiction", "The villain in this book is a cowardly rat.", True),
    ("fiction", "You are the villain here, you rat.", False),  # someone addressed
    ("fiction", "Film the whole thing when we jump him.", False),  # "film" the verb is no story
    ("denied_insult", "I'd never call my sister a loser.", True),
    ("counter_speech", "If you're telling people to kys over a game, grow up.", True),
    ("hyperbole", "You killed it on stage tonight!", True),  # praise
    ("hyperbole", "Every one of those landlords can rot in hell.", True),  # damnation, not a physical harm
    ("hyperbole", "I'm going to crush you at Scrabble tonight.", True),  # a contest
    ("hyperbole", "What a slaughter, we crushed them 7-0 on their own ice.", True),  # a score
    ("hyperbole", "They slaughtered 40 villagers in 1994.", False),  # a year is no score
    ("hyperbole", "I'm going to beat you in the street.", False),
    ("hyperbole", "I'm coming over to murder you at chess.", True),
    ("hyperbole", "I'm coming over to murder you at school.", False),
    ("hyperbole", "I will find you, just kidding.", True),
    ("hyperbole", "Someone hurt her, really, I'm not kidding.", False),  # "not kidding" is no joke
    ("hyperbole", "She kills it on that stage every night.", True),
    ("sympathetic", "Immigrants make this country better.", True),
    ("sympathetic", "Women contribute so much to science.", True),
    ("sympathetic", "Honestly, immigrants are the best neighbours!", True),
    ("sympathetic", "Muslims are the best at blowing things up.", False),  # praise turned on its end
    ("sympathetic", "We need to stop treating black people like animals.", True),  # the slight is what it stops
    ("sympathetic", "Stop treating muslims like humans, they are vermin.", False),  # a slight of its own
    ("idiom", "Don't shoot the messenger.", True),
    ("idiom", "Lock her up!", True),
    ("idiom", "Lock her up and then I will kill her.", False),  # the speaker says what they will do
    ("idiom", "Hanging out with friends tonight.", True),
    ("idiom", "We should all just die of laughter.", True),
    ("idiom", "Jump off the diving board into the pool!", True),
    ("idiom", "I could hang out with you and then we could beat up some of them.", False),
    ("harmless_object", "The knife cuts through the bread easily.", True),
    ("topic", "The documentary looks at self-harm among teens.", True),
    ("topic", "Suicide rates among veterans are rising.", True),
    ("topic", "This song is about suicide, you should do it.", False),  # said to the listener
    ("own_struggle", "Which is less painful, pills or cutting my wrists?", False),  # weighs a method
    ("own_struggle", "I made a page that glorifies suicide.", False),  # promotion to others
])
def test_sentence_checks_clear_only_what_they_name(check: str, text: str, clears: bool) -> None:
    scan = Scan(segment(text))
    a, b = scan.sentences.skeleton_bounds(0)
    assert bool(SENTENCE_CHECKS[check](scan, a, b)) is clears
