"""Legal requests: withhold a post in the countries a legal demand names (legal-requests.v1).

Input: a LegalRequest (vetted by the legal team's tooling), the post id and its author.
Output: one Decision: one `withhold_in_country` action per country (action id
"<decision_id>:withhold_in_country:<CC>", so each country is applied and lifted on its own),
and the author's statement of reasons naming the countries, the authority and the legal
basis. Audit kind `KIND_LEGAL`, decided by the legal team (automated=False).

Local law applies whatever else was decided (matrix section 3): this never reads the route,
so a post kept up under the public-interest exception is still withheld where the law says.
"""

from __future__ import annotations

from agents.effects import Decision, Notice, decision_id
from agents.enforcement import make_action, unassessed
from agents.policy import Policy
from agents.records import LegalRequest, Post

KIND_LEGAL = "legal_request"
LEGAL_RULE = "local_law"  #: the `policy` of a withholding action: a law, not one of the X Rules
DECIDED_BY = "legal"


def withhold(request: LegalRequest, post_id: str, author_id: str, policy: Policy) -> Decision:
    did = decision_id("legal", request.request_id)
    post = Post(post_id, author_id, "", request.received_at)
    countries = sorted(set(request.countries))
    basis = request.legal_basis or "not stated"
    reasons = (f"legal demand {request.request_id} from {request.authority} (legal basis: {basis}), "
               f"received {request.received_at}",
               f"withheld in {', '.join(countries)} only; local law applies whatever the route or exception")
    common = dict(decision_id=did, post_id=post_id, author_id=author_id, policy_version=policy.version, violations=(),
                  political=unassessed("local law applies whatever the author's status"), route="enforce",
                  recommendation=None, reasons=reasons)
    if request.post_id != post_id:
        return Decision(**common, errors=(f"request {request.request_id} names post {request.post_id}, not {post_id}",))
    why = f"legal demand {request.request_id} from {request.authority} ({basis})"
    actions = tuple(make_action(did, "withhold_in_country", post, LEGAL_RULE, policy, automated=False,
                                reason=f"{why}: withheld in {cc}", country=cc) for cc in countries)
    return Decision(**common, actions=actions, notices=(_author_notice(did, post, request, countries, policy),))


def _author_notice(did: str, post: Post, request: LegalRequest, countries: list[str], policy: Policy) -> Notice:
    basis = request.legal_basis or "not stated"
    facts = (f"legal demand {request.request_id} received {request.received_at}",
             f"issued by: {request.authority}", f"legal basis: {basis}", f"countries: {', '.join(countries)}")
    text = (f"Your post {post.post_id} is withheld in {', '.join(countries)} in response to a legal demand from "
            f"{request.authority} (legal basis: {basis}). It stays visible everywhere else. This is not a finding "
            f"that it broke the X Rules. If you think this is a mistake, you can appeal: {policy.appeal_url}")
    return Notice(notice_id=f"{did}:author:{post.author_id}", decision_id=did, recipient="author",
                  recipient_id=post.author_id, kind="statement_of_reasons", post_id=post.post_id, policy=None,
                  actions=("withhold_in_country",), facts=facts, automated=False, text=text, appeal=policy.appeal_url)
