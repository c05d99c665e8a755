"""Each category's detectors: the exact policy set for positives and near misses."""

from __future__ import annotations

import pytest

from agents.detectors import RULES, TextDetectors
from agents.policy import CATEGORIES


@pytest.fixture(scope="module")
def detectors() -> TextDetectors:
    return TextDetectors()


def policies(detectors: TextDetectors, text: str) -> set[str]:
    return {h.policy for h in detectors.detect(text) if not h.suppressed}


def test_rule_names_unique_and_well_formed() -> None:
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    assert all(n.endswith("_rule") and n.count("_") >= 2 for n in names)
    assert all(set(r.policies) <= set(CATEGORIES) for r in RULES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # hateful conduct
        ("muslims are vermin", {"hateful_conduct"}),
        ("1mmigr4nts are c0ckr0aches", {"hateful_conduct"}),
        ("i hate all jews", {"hateful_conduct"}),
        ("kill all the gays", {"hateful_conduct", "violence"}),  # multi-label
        ("death to immigrants", {"hateful_conduct", "violence"}),
        ("the holocaust never happened", {"hateful_conduct", "abuse_harassment"}),
        ("lawyers are scum", set()),  # non-protected group
        # a whole protected group said to be criminal, stupid, dirty; a part of one, a pet or a denial is not
        ("Muslims are all terrorists", {"hateful_conduct"}),
        ("women are too stupid to vote", {"hateful_conduct"}),
        ("Why are immigrants so violent?", {"hateful_conduct"}),
        ("gay people are a disgrace", {"hateful_conduct"}),
        ("some immigrants are criminals", set()),
        # tropes: untrustworthy, in secret control, lesser by birth; other subjects and ordinary facts are not
        ("muslims can't be trusted with anything", {"hateful_conduct"}),
        ("jews control the media and the banks", {"hateful_conduct"}),
        ("black people are genetically less intelligent", {"hateful_conduct"}),
        ("it's not true that muslims can't be trusted", set()),
        ("the banks control the media", set()),
        ("jews own bagel shops in my town", set()),
        ("loved dick van dyke in mary poppins", set()),  # a surname
        ("women are naturally more capable at multitasking", set()),
        ("black people are less represented in tech", set()),
        ("muslims are not terrorists", set()),
        ("my cats are so dumb", set()),
        ("saying women are stupid is sexist", set()),
        # likened to vermin, said to breed, said to endanger children, the echo; victims, pets and breeders are not
        ("Afghans keep moving in next door. Like cockroaches, there's always more.", {"hateful_conduct"}),
        ("Nigerian men multiply like rabbits", {"hateful_conduct"}),
        ("lesbian nurses shouldn't be left alone with kids", {"hateful_conduct"}),
        ("trans people are all groomers", {"hateful_conduct"}),
        ("the banks are run by (((them)))", {"hateful_conduct"}),
        ("people with aids are a contagion", {"hateful_conduct"}),
        ("refugees were treated like animals at the border", set()),
        ("the kids ran off like rats when the bell rang", set()),
        ("Jewish families breed horses in Kentucky", set()),
        ("trans people are not groomers", set()),
        ("the slur 'tranny' is dehumanising and should go", set()),  # mentioned, not used
        ("my fellow dykes and I run the karaoke night", set()),  # reclaimed, in the plural too
        # hatred of a group named earlier in the sentence, distrust of any member, lives that "don't matter"
        ("we had refugees next door for years and I loathe each and every one of them", {"hateful_conduct"}),
        ("don't ever trust a Jewish neighbour", {"hateful_conduct"}),
        ("gay lives don't matter", {"hateful_conduct"}),
        ("Disabled people are a drain on the NHS", {"hateful_conduct"}),
        ("I can't stand all of them, those wasps", set()),
        ("never trust a used car salesman", set()),
        # violence
        ("I will kill you", {"violence"}),
        ("im gonna st4b u", {"violence"}),
        ("someone should shoot the mayor", {"violence"}),
        ("I hope you die in a fire", {"violence"}),
        ("the shooter was a hero", {"violence"}),
        ("this song kills", set()),
        ("we killed it tonight", set()),
        # coded threats name the harm by its outcome; the same words of the dead, a plot or a joke do not
        ("you'll be six feet under soon", {"violence"}),
        ("I'll make sure you never walk again", {"violence"}),
        ("watch what happens to your kids", {"violence"}),
        ("there's a bullet with your name on it", {"violence"}),
        ("you won't see tomorrow", {"violence"}),
        ("my grandpa has been six feet under since 2010", set()),
        ("the movie ends with him in a body bag", set()),
        ("I won't put you in the ground, relax", set()),
        ("if you spoil the finale you're dead meat lol", set()),
        # told what will happen to them; what they know of someone's day, with menace; arson on a place of worship
        ("you're gonna get jumped after school tomorrow", {"violence"}),
        ("you will bleed for this", {"violence"}),
        ("I know what time your wife gets off work. Remember that before you talk to the press.", {"violence"}),
        ("the mosque on Elm Road, tonight, bring gas cans", {"hateful_conduct", "violence"}),
        ("careful on those stairs, you'll get hurt", set()),
        ("you're going to get killed in the polls", set()),
        ("I know what time you get off work, I'll pick you up", set()),
        ("the chapel burned down in 1902 after a lightning strike", set()),
        ("I'm going to murder this burger", set()),
        ("they're coming for your kids next", {"violence"}),
        ("I'd love to see them all strung up", {"violence"}),
        ("we're coming for that trophy, see you at the match", set()),
        ("can't wait to see you at the wedding", set()),
        # bidden on a noun phrase or by "let's" and "someone please"; things and idioms are not people
        ("that traitor should be burned at the stake", {"violence"}),
        ("somebody please stab the ref", {"violence"}),
        ("let's firebomb the office and everyone in it", {"violence"}),
        ("the only good cop is a dead cop", {"violence"}),
        ("this tradition should die", set()),
        ("let's burn the midnight oil", set()),
        ("let's cut the ribbon at noon", set()),
        # abuse
        ("you are a worthless piece of shit", {"abuse_harassment"}),
        ("stfu", {"abuse_harassment"}),
        ("this take is dumb", set()),
        ("fuck yeah friday", set()),
        ("@dana_k you're officially the dumbest person in this group chat", {"abuse_harassment"}),
        ("everyone go raid @tom_b's replies", {"abuse_harassment"}),
        ("you're the worst, love you lol", set()),
        # self-harm
        ("kys", {"self_harm", "abuse_harassment"}),
        ("you should kill yourself", {"self_harm", "abuse_harassment"}),
        ("thinspo: skip meals girls", {"self_harm"}),
        ("I want to kill myself", set()),  # own struggle, not promotion
        # an overdose bidden, help turned away, wounds egged on, the world better without someone
        ("grab your mum's sleeping pills and swallow the whole pack", {"self_harm"}),
        ("never let a counsellor talk you out of it", {"self_harm"}),
        ("a noose is cheaper than rehab", {"self_harm"}),
        ("show us your cuts, the deeper the better", {"self_harm"}),
        ("everyone would be happier without you", {"self_harm", "abuse_harassment"}),
        ("take all of your antibiotics, even when you feel better", set()),
        ("don't let anyone talk you out of it, book the trip", set()),
        ("plant the bulbs in deep holes, the deeper the better", set()),
        ("the team is better off without you", set()),
        # coaching: hiding it, pro-ana community words, a hanging told how; asking for help is not
        ("best ways to cover your scars from your teachers: long sleeves and a watch", {"self_harm"}),
        ("mia sisters, who's fasting with me this week?", {"self_harm"}),
        ("hunger is beautiful, remember that when you want to eat", {"self_harm"}),
        ("why even bother living, just end it", {"self_harm", "abuse_harassment"}),
        ("I keep hiding my cuts from my dad and I want to stop, who can I talk to?", set()),
        ("the museum's whale bones are beautiful", set()),
        # suicide pacts; plans, films and love talk that share the words are not
        ("lets end it all together on friday", {"self_harm"}),
        ("want to make a suicide pact? dm me", {"self_harm"}),
        ("let's die together tonight, nobody will miss us", {"self_harm"}),
        ("let's do it together on friday", set()),
        ("the film is about a suicide pact and the friends who tried to prevent it", set()),
        ("we'll grow old and die together, my love", set()),
        # terrorism
        ("long live the islamic state", {"terrorism"}),
        ("join isis brothers", {"terrorism"}),
        ("wage jihad against the west", {"terrorism"}),
        # jihad and terror threatened on a place; the same words told as news are not
        ("we will bring the jihad to your cities, allahu akbar", {"terrorism"}),
        ("the holy war is coming to your streets", {"terrorism"}),
        ("the documentary shows how ISIS tried to bring terror to european cities, officials said", set()),
        # election integrity
        ("Democrats vote on Wednesday", {"election_integrity"}),
        ("you can vote by text", {"election_integrity"}),
        ("ICE agents will be at the polls checking papers", {"election_integrity"}),
        ("vote on tuesday!", set()),
        # intimidation where the polls are said to be closed; closing hours are not
        ("the polls are closed due to ice agents checking papers, stay home", {"election_integrity"}),
        ("the polls are closed at 8pm, get there early", set()),
        ("polling stations in the north are closed because of flooding, don't bother going", {"election_integrity"}),
        # an extremist organisation's media praised or passed on; a documentary about it is not
        ("Al-Shabaab's latest video is inspiring, share it everywhere", {"terrorism"}),
        ("the documentary on al-shabaab is powerful", set()),
        ("we need recruits for the armed struggle against the state, dm for details", {"terrorism"}),
        ("looking for volunteers for the food drive, dm me", set()),
        ("share it everywhere, our bake sale is on friday", set()),
        # illegal goods
        ("selling xanax, dm me", {"illegal_goods"}),
        ("fake ids for sale", {"illegal_goods"}),
        ("my doctor prescribed xanax", set()),
        # instructions on making weapons; bath bombs, growth and news are not
        ("here's how to make a pipe bomb at home, step by step", {"illegal_goods"}),
        ("how do I make a molotov cocktail", {"illegal_goods"}),
        ("how to make a bath bomb with essential oils", set()),
        ("how to make explosive growth in your business", set()),
        ("the suspect searched how to make a pipe bomb, police said", set()),
        # child sexual exploitation (clinical)
        ("trading cp links", {"child_sexual_exploitation"}),
        # grooming and solicitation across a comma and through dating words; a parent's talk is not
        ("send me nudes, i know you're only 14", {"child_sexual_exploitation", "abuse_harassment"}),  # solicitation of a minor, and sexual harassment
        ("looking for a 13 year old girlfriend", {"child_sexual_exploitation"}),
        ("my 13 year old wants a girlfriend, any advice?", set()),
        ("looking for a 12 year old's birthday gift, any ideas?", set()),
        # insults of a person to others, and unwanted sexual demands; idioms and verbs are not
        ("honestly he's a total moron", {"abuse_harassment"}),
        ("@kim_88 is such a lying bitch", {"abuse_harassment"}),
        ("life is a bitch and then you die", set()),
        ("Good morning. Marco is such a lying prick.", {"abuse_harassment"}),  # a person named at the sentence start
        ("We watched the match last night. Marco is such a lying prick.", {"abuse_harassment"}),  # a second sentence
        ("we watched the match last night\nMarco is such a lying prick", {"abuse_harassment"}),  # the next line
        ("Done with layovers for good. Flying is a bitch enough.", set()),  # a gerund names an activity
        ("Sterling is a cunt", {"abuse_harassment"}),  # a name that ends in -ing
        ("Karma is a bitch, he got what he deserved.", set()),
        ("lol you absolute clown, love you", set()),  # banter: affection beside it
        ("if anyone calls you a freak, block them", set()),  # someone else's words, told of
        ("you'd look better naked, send me pics of your tits", {"abuse_harassment"}),
        ("send me pics of your garden", set()),
        ("i would love to see all gay people hanged", {"hateful_conduct", "violence"}),
        ("i would love to see muslims thrive here", set()),
        ("everyone keep replying to her posts until she deletes her account", {"abuse_harassment"}),
        ("we'll wait until she leaves.", set()),
        ("keep texting him until he quits smoking", set()),
        ("you're dead to me after that spoiler", set()),
        # a veiled threat asked as a rhetorical question is no negation; a plain "won't" still is
        ("wouldn't it be a shame if something happened to your kids", {"violence"}),
        ("i won't hurt you, i promise", set()),
        # a negation in the condition put to someone is not the threat's ("if you don't stop, ...")
        ("if you don't stop I'll kill you", {"violence"}),
        ("if you don't pay I'll post your nudes and your address", {"private_info"}),
        ("if you ask me I'll never hurt you", set()),
        # menace with no harm verb; the same words as help, plans or a review are not
        ("I will find you.", {"violence"}),
        ("we're going to find your kids", {"violence"}),
        ("one day I'll get you alone", {"violence"}),
        ("say that again and see what happens", {"violence"}),
        ("you won't be so brave when I catch you", {"violence"}),
        ("I'm going to make you regret ever being born", {"violence"}),
        ("I'll find you a seat near the front", set()),
        ("I'll find your mom a nice present", set()),
        ("try this recipe and see what happens", set()),
        ("this movie will make you regret ever being born", set()),
        # a reward for a killing, praise of an attacker, watching someone suffer, heads on pikes; prizes and praise are not
        ("whoever kills the governor deserves a medal", {"violence"}),
        ("put a bounty on his head", {"violence"}),
        ("the man who stabbed those kids is a hero", {"violence"}),
        ("I want to watch him suffer slowly", {"violence"}),
        ("his head would look great on a pike", {"violence"}),
        ("whoever wins the raffle gets a free pizza", set()),
        ("I hope your whole family gets cancer", {"violence"}),  # a harm wished on the addressee's family
        ("I hope your mom gets better soon", set()),
        ("I'll pay anyone who takes out the trash", set()),
        ("the man who shot the film is a legend", set()),
        ("the guy who killed it at karaoke was a legend", set()),
        # weapons brought where people gather, ramming a crowd, arson with someone inside
        ("im bringing my brother's glock to campus on monday", {"violence"}),
        ("im bringing my camera to the concert", set()),
        ("someone should plow a truck through that protest", {"violence"}),
        ("hoping her flat burns down with her inside", {"violence"}),
        # one's own plan with others invited, method requests, the pro-ED creed; own struggle and work are not
        ("gonna end it all friday night, anyone else want to come with?", {"self_harm"}),
        ("i'm going to end it all. i'm so tired", set()),
        ("serious about ending it? no hotlines here. the methods thread is pinned", {"self_harm"}),
        ("the methods thread on the bike forum helped me not die of frustration", set()),
        ("killing myself at the gym tonight, who's in?", set()),
        ("i am stepping in front of a train on friday, anyone else?", {"self_harm"}),
        ("i'm clocking out at 6, who's in for pizza?", set()),
        ("what is the most painless way to commit suicide", {"self_harm"}),
        ("fastest way to die in elden ring? asking for a speedrun", set()),  # a game
        ("gonna end it all with my ex tonight, who's coming for drinks?", set()),  # a break-up
        ("how many sleeping pills would it take to not wake up", {"self_harm"}),
        ("ana is a lifestyle not a disease", {"self_harm"}),
        ("anorexia is not a choice, it is an illness", set()),
        ("self harm works, just try it once", {"self_harm"}),
        # the fifth round: harm named by the body, subjectless plans, hoped-for beatings, executions, veiled menace
        ("imma snap his neck if he touches my car again", {"violence"}),
        ("gonna strangle that landlord tomorrow", {"violence"}),
        ("my crowbar is going straight across your jaw", {"violence"}),
        ("those vandals deserve to have their fingers broken", {"violence"}),
        ("i broke my leg skiing, gonna be off work for weeks", set()),
        ("she had her jaw broken in the crash last year", set()),
        ("they will not have their legs broken, relax", set()),
        ("hope someone runs over him on his way home", {"violence"}),
        ("hope someone beats him in the final", set()),
        ("whoever keys cars on this street should be beaten bloody", {"violence"}),
        ("line them all up against a wall", {"violence"}),
        ("line them up against the wall for the class photo", set()),
        ("you'll find out what happens to snitches who talk", {"violence"}),
        ("find out what happens to your body when you quit sugar", set()),
        ("whoever did that to him is a hero, he got beaten up and deserved it", {"violence"}),
        ("whoever did this cake is a hero", set()),
        # mockery without an insult noun; a reply campaign; asking what is under clothes
        ("imagine being this stupid in public", {"abuse_harassment"}),
        ("imagine being this happy on a monday", set()),
        ("your cooking is garbage and so are you", {"abuse_harassment"}),
        ("everyone reply to @jo_bakes with the rat emoji until she leaves", {"abuse_harassment"}),
        ("dm me pics of what's under your hoodie", {"abuse_harassment"}),
        ("nobody would come to your funeral", {"abuse_harassment"}),
        # self-harm sold as the answer, egged on, made a trophy; pro-ED refusal; its look-alikes
        ("honestly cutting is the only way out", {"self_harm"}),
        ("suicide is never the answer, please call someone", set()),
        ("keep starving, it's working", {"self_harm"}),
        ("keep cutting corners and the build will fail", set()),
        ("every scar is a badge, wear them", {"self_harm"}),
        ("just refuse food at the clinic, they can't make you", {"self_harm"}),
        ("you should've just hanged yourself", {"self_harm", "abuse_harassment"}),
        # grooming moves and sexualising minors; a lawful way to vote said to void the ballot
        ("how old r u? move this to snap, where ur parents can't see", {"child_sexual_exploitation"}),
        ("13 year olds are the hottest, no contest", {"child_sexual_exploitation"}),
        ("votes by mail won't be counted this time, go in person", {"election_integrity"}),
        ("ballots in the drop box won't be counted until friday", set()),
        ("or i post your home address, your choice", {"private_info"}),
        ("need a piece, no paperwork, cash ready", {"illegal_goods"}),
        # sensitive media label
        ("uncensored video of the beheading", {"sensitive_media"}),
        # benign
        ("lovely weather today", set()),
        ("", set()),
    ],
)
def test_policy_set(detectors: TextDetectors, text: str, expected: set[str]) -> None:
    assert policies(detectors, text) == expected


# Structural encouragement: an urge joined to a self-killing act on someone. Look-alikes share
# the verbs (and, folded, the words: "of" reads as "off", "shot" as "shoot").
@pytest.mark.parametrize(("text", "expected"), [
    ("take care of yourself", set()),
    ("be proud of yourself", set()),
    ("they only think of themselves", set()),
    ("you shot yourself in the foot there", set()),
    ("cut yourself some slack", set()),
    ("cut yourself off from the news for a week", set()),
    ("the gunman shot themselves", set()),
    ("many veterans kill themselves every year", set()),
    ("even if you kill yourself for them they won't care", set()),
    ("go kill urself", {"self_harm", "abuse_harassment"}),
    ("just off yourself already", {"self_harm", "abuse_harassment"}),
    ("do us a favor and shoot yourself", {"self_harm", "abuse_harassment"}),
    ("people like you should just kill themselves", {"self_harm", "abuse_harassment"}),
])
def test_suicide_encouragement_needs_an_urge(detectors: TextDetectors, text: str, expected: set[str]) -> None:
    assert policies(detectors, text) == expected


# A slur's adjective said of things is an insult, not about the group; negation clears no slur;
# no slur entry folds to an everyday word ("coon" -> "con").
@pytest.mark.parametrize(("text", "expected"), [
    ("my phone is acting retarded today", set()),
    ("you retarded", {"abuse_harassment"}),
    ("retards ruin every thread", {"hateful_conduct"}),
    ("glad I'm not a fag", {"hateful_conduct"}),
    ("Dem/Con, it doesn't matter who you rescue", set()),
    ("the pros and cons of remote work", set()),
])
def test_slur_rules(detectors: TextDetectors, text: str, expected: set[str]) -> None:
    assert policies(detectors, text) == expected


# Abuse rules keep their structure through folding ("of" reads "off") and intensifiers.
@pytest.mark.parametrize(("text", "expected"), [
    ("what a type of bitch move", set()),
    ("what the fuck you talking about", set()),
    ("fuck off, you idiot", {"abuse_harassment"}),
    ("go fuck yourself", {"abuse_harassment"}),
])
def test_abuse_rules_structure(detectors: TextDetectors, text: str, expected: set[str]) -> None:
    assert policies(detectors, text) == expected


def test_hit_span_points_at_original_text(detectors: TextDetectors) -> None:
    text = "ok so I'll K.I.L.L you"
    hit = next(h for h in detectors.detect(text) if h.policy == "violence")
    assert text[hit.start:hit.end] == hit.excerpt
    assert "K.I.L.L" in hit.excerpt
