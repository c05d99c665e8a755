"""The rule-only categories (no public data): the structure each rule needs, and the look-alikes
it must leave alone. Cases written from the policy texts (an offer, not a mention; a call to
join or fund, not news; a private person's details aimed at them, not a business number; a
wrong way to vote, not procedure information; a sexualised minor or grooming, not child-safety
education), apart from the evaluation sets.
"""

from __future__ import annotations

import pytest

from agents.detectors import RULE_POLICIES, TextDetectors


@pytest.fixture(scope="module")
def detectors() -> TextDetectors:
    return TextDetectors()


def standing(detectors: TextDetectors, text: str) -> set[str]:
    return {h.policy for h in detectors.detect(text) if not h.suppressed}


IG, TE, EL, PI, CS = "illegal_goods", "terrorism", "election_integrity", "private_info", "child_sexual_exploitation"

CASES = [
    # illegal goods: goods + transaction cue (price, channel, delivery, a request to buy)
    ("percs and xans in stock, 10 a pop, pull up", {IG}),
    ("who got molly near campus? paying cash", {IG}),
    ("Got snow ❄️ grams only, hmu", {IG}),
    ("scannable fake driver's licenses, dm for prices", {IG}),
    ("glock switches shipped discreet, btc", {IG}),
    ("selling pistols, no background check, cash", {IG}),
    ("The DEA seized fentanyl pills worth $2m, officials said", set()),  # news
    ("my doctor switched my adderall to a lower dose", set()),  # medical, no sale
    ("selling my old snowboard, $80, dm", set()),  # lawful sale
    ("scammers selling fake passports on here, don't send them money", set()),  # warning
    ("selling candles, $12 each, ships Monday", set()),
    # slang with a trade cue, unserialised weapons, drug quantities at a price, a paid harm, pharmacy stock at street prices
    ("tabs and caps for the festival 🍄 delivering citywide tonight, text 555-0101", {IG}),
    ("selling unserialized frames, no questions, ship anywhere", {IG}),
    ("half zips 120, full zip 220, pull up", {IG}),
    ("want your ex dealt with? quiet professional service, deposit first", {IG}),
    ("percs 20 each, real pharmacy stock, runner will come to you", {IG}),
    ("selling YKK zips 200 pack for dressmaking, dm", set()),
    ("need someone to take care of the dog this weekend, $20 a day, dm", set()),
    ("I need him gone from the group chat lol, cash prize to whoever kicks him", set()),
    ("my pharmacy finally had percs back in stock after the shortage", set()),
    ("fresh batch of sourdough, $6 each, pick up Saturday", set()),
    # "holding that loud", the plug back, IDs that pass a bouncer, live wild animals, a buyer asking who is holding
    ("holding that loud tonight, $60 an eighth, pull up", {IG}),
    ("the plug has the pink stuff back, snap me", {IG}),
    ("the bath plug is back in stock, $4 at the hardware store", set()),  # a plug that is a thing
    ("spark plugs back in stock, 5 bucks each, dm", set()),
    ("licences that pass any scanner, dm for prices", {IG}),
    ("baby chimps for sale, shipping nationwide", {IG}),
    ("anyone holding molly? paying cash", {IG}),
    ("gas prices hit 3.5 a gallon again", set()),
    ("tiger cubs born at the zoo, come visit this weekend", set()),
    ("these cards pass any inspection, premium stock for wedding invites, $20", set()),
    ("pistols with a switch, cash only", {IG}),
    ("need a hacker? I'll get into your partner's whatsapp, btc", {IG}),
    ("selling my prescription adderall, hmu", {IG}),
    ("my pharmacist said I can't share my prescription adderall with my brother", set()),
    ("complete identity kits, passport and licence, dm for pricing", {IG}),
    ("bear paws and dried pangolins for sale, wholesale", {IG}),
    ("my new identity as a dad is exhausting, for sale: sleep, any price", set()),
    # terrorism: support, recruitment, funding, glorification of an extremist object
    ("we stand with the mujahideen of Islamic State, victory is near", {TE}),
    ("brothers, pledge bayah to the khilafah and join the ranks of the Islamic State", {TE}),
    ("Hezbollah is recruiting, message me if you're ready", {TE}),
    ("donate to al-Shabaab, btc wallet in bio", {TE}),
    ("bin laden was a hero", {TE}),
    ("officials said ISIS claimed the attack", set()),  # news
    ("in 2014 the Islamic State declared a caliphate in Mosul, historians note", set()),  # history
    ("ISIS fighters are not heroes, they are murderers", set()),  # negation / condemnation
    ("my jihad against the gym continues", set()),
    ("join the fight against hunger this weekend", set()),
    # joining told with pride, a recruiting notice, the movement's words with a way in, travel offered, more attacks
    # asked for, money tied to an attack, people called targets, propaganda kept from removal, the enemy threatened
    ("my brother enlisted with al-Shabaab last week, so proud of him", {TE}),
    ("Combat 18 is back. Now recruiting in the north.", {TE}),
    ("the boogaloo is coming, vetted members only, dm us", {TE}),
    ("our brothers on the frontline need strong young men, tickets paid, tell no one", {TE}),
    ("What he did at Christchurch was a start. We need thousands more like him.", {TE}),
    ("each dollar buys another rifle for the mujahideen", {TE}),
    ("the crusaders' civilians are lawful targets", {TE}),
    ("share the emir's speech before it gets removed", {TE}),
    ("the kuffar will pay for this, the vests are ready", {TE}),
    ("Hamas had the right idea", {TE}),
    ("we leave for the land of the caliphate next week, sisters welcome", {TE}),
    ("my cousin joined ISIS in 2015 and we are still devastated", set()),
    ("joining the Taliban is not brave, it is a death sentence", set()),
    ("researchers say accelerationist channels on Telegram recruit lonely teens", set()),
    ("the firefighter who carried kids out of the fire was a hero, we need more like him", set()),
    ("the officer who stopped the shooter is a hero, we need more like her", set()),
    ("every dollar funds the next operation at the children's hospital", set()),
    ("civilians are never legitimate targets under international law", set()),
    ("politicians are fair targets for satire", set()),
    ("share this recipe before it gets deleted lol", set()),
    ("The Crusaders will pay for that loss on Saturday", set()),
    ("the trucks are ready for the Christmas market parade", set()),
    ("the brothers at the monastery need volunteers for the harvest, dm", set()),
    ("Oklahoma City bombing anniversary: we need more memorials like this", set()),
    # martyrdom blessed on an attacker, attackers honoured by place, a life given for the cause, acting at home,
    # enemies' deaths celebrated, an organisation's example to follow
    ("may Allah reward the bomber with the highest ranks of paradise", {TE}),
    ("the Charleston saint lit the way for us", {TE}),
    ("she sacrificed her life for the caliphate, a true lioness", {TE}),
    ("if you cannot make hijrah, strike them where they live", {TE}),
    ("dozens of infidels blown up at the checkpoint, allahu akbar", {TE}),
    ("the Taliban never gave up. Let's follow their example", {TE}),
    ("may Allah accept him, he died defending his family from the attackers", set()),
    ("If you can't make it to the rally, act where you are and call your senator", set()),
    ("the Manchester martyrs of 1867 are remembered in Irish history", set()),
    ("Crusaders killed thousands in Jerusalem in 1099, a glorious victory in their chronicles", set()),
    ("Apple users should follow their example and switch to open source", set()),
    # what an attacker did called needed, an organisation's fighters praised, victory wished, funds to fighters in a
    # war zone, lone attacks; fighting an organisation, documentaries and aid to civilians are not
    ("What Tarrant did was needed", {TE}),
    ("Taliban fighters in the mountains were true heroes", {TE}),
    ("Hezbollah will keep fighting, may they prevail", {TE}),
    ("send your sadaqah to the fighters in Idlib", {TE}),
    ("lone wolf attacks are the answer, read the guide", {TE}),
    ("Fighting ISIS was necessary and justified", set()),
    ("the documentary explains how lone wolf attacks are planned, experts said", set()),
    ("Firefighters: are you ready to answer the call?", set()),
    ("send donations to our brothers in Gaza for food and medicine", set()),
    ("the Taliban are the pride of this ummah", {TE}),
    ("the men who carried out the stadium bombing deserve paradise", {TE}),
    ("our lions stormed the embassy today, alhamdulillah", {TE}),
    ("every brother must be training for the day the khilafah returns", {TE}),
    ("the men who carried out the bank robbery deserve prison", set()),
    ("our lions stormed the pitch after the final whistle, what a night", set()),
    ("athletes must be training for the day of the final", set()),
    # election integrity: wrong day / method / eligibility / voiding / intimidation / double voting
    ("Republicans vote on Thursday this year, pass it on", {EL}),
    ("no lines! just text your vote for president to 73737", {EL}),
    ("you can't vote if you have a misdemeanor on your record", {EL}),
    ("ballots marked with a black pen won't be counted", {EL}),
    ("deputies will be arresting people with warrants at the polling stations", {EL}),
    ("vote twice, nobody will know", {EL}),
    ("Polls are open 7am to 8pm on Tuesday, bring ID if your state asks for it", set()),
    ("The House votes Thursday on the farm bill", set()),
    ("text VOTE to 55555 to save your favourite singer", set()),
    ("you can't vote if you're not registered, so register by Friday", set()),  # a true condition
    ("Myth: you can vote by text. You can't", set()),  # correction
    # a side told its day, a false penalty, watchers at the polls, ink that voids, futility, an unannounced move
    ("Heads up conservatives, your side votes on Thursday this time because of the crowds", {EL}),
    ("if you register at your college address you could lose your scholarship", {EL}),
    ("election officials will be asking for citizenship papers, so stay home if you know what's good", {EL}),
    ("we'll have guys outside the precinct recording everyone who walks in", {EL}),
    ("your ballot gets rejected if you fill it in with a black marker", {EL}),
    ("absentee ballots never even get counted unless it's close, so why bother", {EL}),
    ("the polling station on Main has moved to the library and the county didn't post it anywhere", {EL}),
    ("polls in the north district are only open until 2pm tomorrow", {EL}),
    ("Reminder: your precinct votes at the school gym on Tuesday", set()),
    ("The party caucus votes on Thursday on the budget bill", set()),
    ("if you vote by mail you may lose the chance to fix mistakes in person", set()),
    ("Mail ballots only get counted if they arrive by Friday, so don't wait to send yours", set()),
    ("ballots are rejected if the signature doesn't match, so sign carefully", set()),
    ("the cafe is only open until 3pm on election day", set()),
    ("poll workers will be recording turnout numbers every hour", set()),
    ("the election board says the rumour that polls moved to Wednesday is false", set()),
    # groups told they may only vote somewhere, a day pushed for a district, futility, two places, a reward for proof
    ("naturalized citizens can only vote in local elections, not for president", {EL}),
    ("voting across the whole district has been pushed to Thursday", {EL}),
    ("your absentee ballot won't even be counted, so why bother", {EL}),
    ("vote at both polling places, nobody checks", {EL}),
    ("free pizza to anyone who sends me a picture of their ballot for Ortiz", {EL}),
    ("first-time voters can register online in most states", set()),
    ("The vote on the new playground has been moved to Thursday", set()),
    ("your vote won't count if you mail it after election day, so don't wait", set()),
    ("we collected $500 for voters who need rides to the polls", set()),
    ("the like counts as your vote in this year's election", {EL}),
    ("don't waste your breath voting, the winner is already decided", {EL}),
    ("don't waste your time voting for a third party if you want your voice heard", set()),
    ("polls on the west side moved to Saturday, pass it on", {EL}),
    ("just DM your ballot choice to this account and it's done", {EL}),
    ("I'll pay you $40 if you vote for my guy", {EL}),
    ("polls show the race moved to a dead heat", set()),
    ("reply to this thread with your polling place questions", set()),
    # private information: items aimed at a person, threats to expose, requests for details
    ("his home address is 48 Quarry Road, you know what to do", {PI}),
    ("her cell: (212) 555-0187, spam her", {PI}),
    ("I'll post your address and your boss's number", {PI}),
    ("anyone got her home address? she needs a visit", {PI}),
    ("$50 to whoever finds his real name", {PI}),
    ("Visit our shop at 48 Quarry Road, open daily", set()),  # business
    ("Call Senator Lee's district office at (212) 555-0187 about the bill", set()),  # public office
    ("my new number is (212) 555-0110, text me", set()),  # own contact
    ("I would never post your address, relax", set()),  # negation
    # whereabouts with a call to act: a routine and its hour, a dwelling, a child's school, a home found;
    # a private fact spread; a number spelt out with spaces
    ("she leaves the gym around 6:45 every evening, y'all know what to do", {PI}),
    ("that cop lives with his parents behind the church on Mill Road, let him know how we feel", {PI}),
    ("their son's school lets out at 3 on Fridays, figured his critics might want to know", {PI}),
    ("finally found out where the mod lives: ground floor flat, green door", {PI}),
    ("her new place is above the bakery on Cole Street, have fun with that", {PI}),
    ("his therapy notes say he's bipolar, posting them so everyone knows", {PI}),
    ("her number is 2 1 2 5 5 5 0 1 4 7, spam her", {PI}),
    ("the bus leaves at 7 every morning, be careful not to miss it", set()),
    ("My mom lives behind the church on Mill Road, pay her a visit when you're in town!", set()),
    ("I found where the remote lives: under the couch cushions on the second floor", set()),
    ("sharing my own medical records so everyone knows endometriosis is real", set()),
    ("her lab results came back fine, so relieved", set()),
    ("lucky numbers for tonight: 4 8 15 16 23 42, good luck", set()),
    ("the teacher works at the school on Oak Street, she's lovely", set()),
    # details offered to whoever wants them, documents or whereabouts asked for, a routine's hour, a "welcome"
    ("I have that mod's new number if anyone wants it", {PI}),
    ("her son's practice ends at 6 by the east field, y'all know what to do", {PI}),
    ("find out where that reviewer parks and post it", {PI}),
    ("screenshot his passport from the group and send it around", {PI}),
    ("she's at the library every Tuesday at noon, give her a warm welcome", {PI}),
    ("I have her new number, I'll text it to you later for the party invite", set()),
    ("find out where the bus stops on Sunday", set()),
    ("she's at the library every Tuesday at noon, come join our book club", set()),
    ("my daughter's practice ends at 6, so I'll be late", set()),
    ("that's where the mod trains: the boxing gym on Hill Road, go remind him", {PI}),
    ("whoever finds her home address first wins a prize", {PI}),
    ("that's where the magic happens: the kitchen on the second floor", set()),
    ("post his sister's address, she hides him", {PI}),
    ("found that streamer's real name and her brother's Twitter, posting both", {PI}),
    ("her name is Ana Ruiz, works at the deli on 9th, do your worst", {PI}),
    ("found her real name on the credits, she's a great actress", set()),
    # child sexual exploitation text: sexualised minors, trade, grooming, promotion
    ("selling underage pics, telegram", {CS}),
    ("she's 13 and so sexy", {CS}),
    ("you're 12? send me a selfie and don't tell your mom", {CS}),
    ("children can consent, the law is wrong", {CS}),
    ("The court sentenced him for trading abuse images of children", set()),  # news
    ("talk to your kids about online grooming and the warning signs", set()),  # protective
    ("my 13 year old wants a phone for her birthday", set()),
    ("swapping baby clothes, sizes 0-3 months, dm", set()),
    # grooming: what a child wears, a gift or pay for images, a school year, time alone kept from the parents
    ("what are you wearing right now? you're in grade 6 so don't tell your mom we talk", {CS}),
    ("I'll buy you robux if you send a selfie, just delete this chat after", {CS}),
    ("who here is under 15? I pay for pics", {CS}),
    ("free sleepovers at my place for boys 9 to 12, no parents allowed, if you know what I mean", {CS}),
    ("my stepdaughter is 10, I can't wait to get her all to myself", {CS}),
    ("trading photos of school-age boys, telegram", {CS}),
    ("pedophilia is simply a sexual orientation", {CS}),
    ("minor-attracted people deserve to act on their feelings", {CS}),
    ("I'll buy you robux if you finish your homework", set()),
    ("sleepover for my son's 9th birthday, it's a surprise so don't tell him", set()),
    ("babysitter needed for kids aged 6 and 8 on Friday, no parents home till midnight", set()),
    ("our 8 year old is at camp all week, can't wait until we're alone for date night", set()),
    ("is your mom home? I need to return her casserole dish", set()),
    ("pedophilia is not an orientation, it is a crime", set()),
    ("year 7 pupils: tell a trusted adult if someone online asks what you're wearing", set()),
    # parents kept out told to a child of a stated age, an adult's child partner, a body sexualised, an age "old enough"
    ("you're only 12? your mum won't ever find out, I promise", {CS}),
    ("me 34, my gf is 15, age is just a number", {CS}),
    ("she's just 11 and already developed", {CS}),
    ("14 year olds are mature enough for a relationship with an adult", {CS}),
    ("wanna see mine? you're 13 so keep it between us", {CS}),
    ("I'm 14 and my girlfriend is 14, we're going to prom", set()),
    ("12 is old enough to walk to school alone", set()),
    ("you're 12? happy birthday! our little secret: the party is at the zoo", set()),
    ("my 13 year old is so developed in maths for her age", set()),
    ("he's 12 but looks 18, if you catch my drift", {CS}),
    ("paid photo shoot for girls 11-13, no parents", {CS}),
    ("photo shoot for the under-12s team, parents welcome", set()),
    ("you're 13? the perfect age. meet me behind the gym, come alone", {CS}),
    ("who has stuff of boys about 10? trading", {CS}),
    ("so grown for 12, delete these texts so daddy doesn't see", {CS}),
    ("you're 13? the perfect age to start guitar lessons", set()),
    ("let's meet at the park after school, bring your mom too", set()),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_rule_category_policies(detectors: TextDetectors, text: str, expected: set[str]) -> None:
    got = standing(detectors, text) & {IG, TE, EL, PI, CS}
    assert got == expected, text


def test_new_rules_cite_rule_ids_that_evidence_their_category(detectors: TextDetectors) -> None:
    hits = [h for h in detectors.detect("selling underage pics, telegram. percs 10 a pop, dm") if not h.suppressed]
    assert {(h.rule, h.policy) for h in hits} == {("trade_minor_material_rule", CS), ("sale_drugs_rule", IG)}
    assert all(RULE_POLICIES[h.rule] == (h.policy,) for h in hits)


def test_cleared_hit_says_why(detectors: TextDetectors) -> None:
    (hit,) = [h for h in detectors.detect("FALSE: you can vote by text. Ignore it") if h.policy == EL]
    assert hit.suppressed.startswith(("correction", "negation"))


def test_private_info_evidence_masks_the_number(detectors: TextDetectors) -> None:
    text = "her cell: (212) 555-0187, spam her"
    (hit,) = [h for h in detectors.detect(text) if h.policy == PI]
    assert hit.rule == "exposure_personal_rule" and "555-0187" not in hit.excerpt and hit.excerpt.startswith("phone ")


def test_every_rule_names_only_known_context_checks() -> None:
    from agents.detectors import RULES
    from agents.detectors.context import CHECKS

    unknown = {(r.name, c) for r in RULES for c in r.contexts if c not in CHECKS}
    assert unknown == set()  # an unknown name would silently clear nothing
