"""`modstream console`: the review console, an ASGI app (Starlette, Jinja2, served by uvicorn).

Every page but sign-in needs a session (streams/console/sessions.py); every form carries the
session's CSRF token; who may decide what is the queue's and agents.review's rule, given the
`Reviewer` that streams/infra/reviewers.py signed in (roles re-read from the roster on each request).
A decision is produced to review-decisions.v1 like `modstream review decide`; the review
agent applies it. Nothing here decides anything the CLI could not.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Awaitable, Callable
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from agents.review import Reviewer, authority_problems
from streams.infra import clients, stores
from streams.console import pages
from streams.console.sessions import Session, SessionStore, csrf_ok
from streams.infra.config import Settings
from streams.commands.review_cli import Send, decide_item
from streams.infra.review_queue import KINDS, RedisReviewQueue, ReviewQueueError
from streams.infra.reviewers import AuthError, Roster

HERE = Path(__file__).parent
COOKIE = "ms_console"
LOGIN_COOKIE = "ms_login"
MAX_FORM_BYTES = 16_384
MAX_RATIONALE = 2_000
MAX_OPEN = 1_000  #: open items the queue and overview pages read
HEADERS = {"Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
           "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Cache-Control": "no-store",
           "X-Frame-Options": "DENY"}


@dataclass
class Deps:
    """What the handlers use; `create` builds the real ones, tests the same with their own Settings."""

    settings: Settings
    queue: RedisReviewQueue
    roster: Roster
    sessions: SessionStore
    registry: stores.RedisRegistry
    reports: stores.RedisReports
    send: Send
    history: Callable[[str], Awaitable[list[dict[str, Any]]]]  #: post id -> its audit.v1 records
    load: Callable[[datetime], Awaitable[dict[str, Any]]]  #: escalations per hour, today's decisions
    sla: dict[str, float]
    clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)


templates = Jinja2Templates(directory=str(HERE / "templates"))


class Refused(Exception):
    def __init__(self, status: int, message: str):
        self.status, self.message = status, message


def build(deps: Deps, lifespan: Callable[[Starlette], Any] | None = None) -> Starlette:
    secure = deps.settings.console_secure_cookies

    def cookie(resp: Response, name: str, value: str, max_age: int | None) -> None:
        resp.set_cookie(name, value, max_age=max_age, httponly=True, samesite="strict", secure=secure, path="/")

    def render(request: Request, name: str, status: int = 200, **ctx: Any) -> Response:
        resp = templates.TemplateResponse(request, name, {"kinds": pages.KIND_TITLES, **ctx}, status_code=status)
        resp.headers.update(HEADERS)
        return resp

    async def who(request: Request) -> tuple[Reviewer, Session] | None:
        session = await deps.sessions.get(request.cookies.get(COOKIE))
        if session is None:
            return None
        try:
            reviewer = deps.roster.current(session.reviewer_id)
        except AuthError:
            return None
        return (reviewer, session) if reviewer else None

    async def form(request: Request) -> dict[str, str]:
        size = request.headers.get("content-length")
        if size is None or not size.isdigit() or int(size) > MAX_FORM_BYTES:
            raise Refused(413, f"a form is at most {MAX_FORM_BYTES} bytes")
        data = await request.form(max_files=0, max_fields=20, max_part_size=MAX_FORM_BYTES)
        return {k: v for k, v in data.items() if isinstance(v, str)}

    def page(handler):
        """A GET page for a signed-in reviewer; without a session, the sign-in page."""
        async def endpoint(request: Request) -> Response:
            signed = await who(request)
            if signed is None:
                return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)
            return await handler(request, *signed)
        return endpoint

    def action(handler):
        """A form POST: a session and its CSRF token, or 403 and nothing done."""
        async def endpoint(request: Request) -> Response:
            try:
                signed = await who(request)
                if signed is None:
                    raise Refused(403, "not signed in: sign in and try again")
                data = await form(request)
                if not csrf_ok(signed[1].csrf, data.get("csrf")):
                    raise Refused(403, "the form's security token is missing or wrong: reload the page and retry")
                return await handler(request, data, *signed)
            except Refused as exc:
                signed = await who(request)
                return render(request, "refused.html", status=exc.status, message=exc.message,
                              reviewer=signed[0] if signed else None, csrf=signed[1].csrf if signed else "")
        return endpoint

    async def flash(request: Request, session: Session) -> str | None:
        return await deps.sessions.client.getdel(stores.key("console", f"flash:{session.csrf}"))

    async def set_flash(session: Session, text: str) -> None:
        await deps.sessions.client.set(stores.key("console", f"flash:{session.csrf}"), text[:500], ex=300)

    # --- sign-in -------------------------------------------------------------------------

    async def login_page(request: Request, error: str = "", status: int = 200) -> Response:
        import secrets

        token = request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(24)
        resp = render(request, "login.html", status=status, error=error, login_csrf=token,
                      next=_safe_next(request.query_params.get("next", "")))
        cookie(resp, LOGIN_COOKIE, token, 3600)
        return resp

    async def login(request: Request) -> Response:
        if request.method == "GET":
            return await login_page(request)
        try:
            data = await form(request)
        except Refused as exc:
            return await login_page(request, exc.message, exc.status)
        if not csrf_ok(request.cookies.get(LOGIN_COOKIE, ""), data.get("csrf")):
            return await login_page(request, "the sign-in form expired: try again", 403)
        rid = data.get("reviewer_id", "").strip()[:64]
        if await deps.sessions.throttled(rid):
            return await login_page(request, "too many failed sign-ins for this id: wait 15 minutes", 429)
        try:
            reviewer = await asyncio.to_thread(deps.roster.authenticate, rid, data.get("password", ""))
        except AuthError as exc:
            await deps.sessions.failed(rid)
            return await login_page(request, str(exc), 401)
        await deps.sessions.succeeded(rid)
        token, _ = await deps.sessions.create(reviewer.reviewer_id)
        resp = RedirectResponse(_safe_next(data.get("next", "")) or "/queue", status_code=303)
        cookie(resp, COOKIE, token, int(deps.settings.console_session_hours * 3600))
        resp.delete_cookie(LOGIN_COOKIE, path="/")
        return resp

    async def logout(request: Request, data: dict, reviewer: Reviewer, session: Session) -> Response:
        await deps.sessions.end(request.cookies.get(COOKIE))
        resp = RedirectResponse("/login", status_code=303)
        resp.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=secure)
        return resp

    # --- queue, item, decide --------------------------------------------------------------

    async def queue_page(request: Request, reviewer: Reviewer, session: Session) -> Response:
        q = request.query_params
        kind, policy, country = q.get("kind", "")[:32], q.get("policy", "")[:64], q.get("country", "")[:8]
        if kind and kind not in KINDS:
            kind = ""
        items = await deps.queue.list(None, MAX_OPEN)
        rows = pages.queue_rows(items, deps.clock(), deps.sla, kind, policy, country)
        all_policies = sorted({p for i in items for p in pages.policies_of(i)})
        all_countries = sorted({c for i in items if (c := pages.country_of(i))})
        return render(request, "queue.html", reviewer=reviewer, csrf=session.csrf, rows=rows, kind=kind,
                      policy=policy, country=country, policies=all_policies, countries=all_countries,
                      message=await flash(request, session))

    async def item_context(item_id: str, reviewer: Reviewer) -> dict[str, Any]:
        item = await deps.queue.get(item_id)
        if item is None:
            raise HTTPException(404, f"no review item {item_id}")
        views = await deps.registry.lookup([item.author_id])
        reports = (await deps.reports.for_posts([item.post_id]))[item.post_id]
        history = await deps.history(item.post_id)
        blockers = authority_problems(reviewer.reviewer_id, reviewer.senior, item.recommenders,
                                      item.excluded_reviewers)
        return {"item": item, "now_age": pages.format_age(item.age_seconds(deps.clock())),
                "segments": pages.highlighted(item.post_text or "", pages.evidence_of(item)),
                "banks": pages.bank_matches(item), "account": views[item.author_id].account,
                "designations": views[item.author_id].designations, "reports": pages.reports_view(reports, reviewer),
                "history": history, "outcomes": pages.outcomes(item), "policies": pages.policies_of(item),
                "blockers": blockers, "escalation": item.escalation or {}, "reviewer": reviewer}

    async def item_page(request: Request, reviewer: Reviewer, session: Session) -> Response:
        ctx = await item_context(request.path_params["item_id"], reviewer)
        return render(request, "item.html", csrf=session.csrf, message=await flash(request, session), **ctx)

    async def claim(request: Request, data: dict, reviewer: Reviewer, session: Session) -> Response:
        item_id, op = request.path_params["item_id"], request.path_params["op"]
        if op not in ("claim", "release"):
            raise Refused(404, f"no such action {op[:20]!r}: claim or release")
        try:
            if op == "claim":
                await deps.queue.claim(item_id, reviewer.reviewer_id)
                await set_flash(session, f"you hold {item_id} now")
            else:
                await deps.queue.release(item_id, reviewer.reviewer_id)
                await set_flash(session, f"released {item_id} to the queue")
        except ReviewQueueError as exc:
            raise Refused(409, str(exc)) from None
        return RedirectResponse(f"/item/{quote(item_id)}", status_code=303)

    async def decide(request: Request, data: dict, reviewer: Reviewer, session: Session) -> Response:
        item_id = request.path_params["item_id"]
        item = await deps.queue.get(item_id)
        if item is None:
            raise Refused(404, f"no review item {item_id}")
        blockers = authority_problems(reviewer.reviewer_id, reviewer.senior, item.recommenders,
                                      item.excluded_reviewers)
        if blockers:
            raise Refused(403, "; ".join(blockers))
        rationale = data.get("rationale", "").strip()
        if not rationale or len(rationale) > MAX_RATIONALE:
            raise Refused(400, f"a rationale of 1 to {MAX_RATIONALE} characters is required for every decision")
        policy = data.get("policy") or None
        try:
            review = await decide_item(deps.queue, deps.send, item_id, reviewer, data.get("outcome", ""), rationale,
                                       policy)
        except ReviewQueueError as exc:
            raise Refused(400, str(exc)) from None
        what = "recommended a notice (a senior decides)" if review.outcome == "notice" and not review.senior \
            else f"decided {review.outcome}"
        await set_flash(session, f"{item_id}: you {what}; the review agent applies it ({review.review_id})")
        return RedirectResponse("/queue", status_code=303)

    async def overview(request: Request, reviewer: Reviewer, session: Session) -> Response:
        now = deps.clock()
        items = await deps.queue.list(None, MAX_OPEN)
        load = await deps.load(now)
        return render(request, "overview.html", reviewer=reviewer, csrf=session.csrf, depth=pages.depth(items, now),
                      outcomes=load["outcomes"], chart=pages.bars(load["hours"]), outcome_titles=pages.ROUTE_TITLES)

    async def home(request: Request) -> Response:
        return RedirectResponse("/queue", status_code=303)

    routes = [Route("/", home), Route("/login", login, methods=["GET", "POST"]),
              Route("/logout", action(logout), methods=["POST"]),
              Route("/queue", page(queue_page)), Route("/overview", page(overview)),
              Route("/item/{item_id:path}/decide", action(decide), methods=["POST"]),
              Route("/item/{item_id:path}/{op:str}", action(claim), methods=["POST"]),
              Route("/item/{item_id:path}", page(item_page)),
              Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")]
    return Starlette(routes=routes, lifespan=lifespan)


def _safe_next(path: str) -> str:
    """Only local paths: never a redirect to another site."""
    return path if path.startswith("/") and not path.startswith("//") and "\\" not in path and len(path) < 300 else ""


def create(settings: Settings) -> Starlette:
    """The console with real Redis, the roster file and a producer to review-decisions.v1."""
    from streams.infra import topics
    from streams.infra.codec import Codec
    from streams.console import history

    client = stores.connect(settings.redis_url)
    codec = Codec.from_dir(settings.schema_dir, registry_url=settings.schema_registry_url or None)
    producer = clients.producer(settings)

    async def send(key: str, value: dict) -> None:
        producer.produce(settings.topic(topics.REVIEWS), key=key.encode(),
                         value=codec.encode(topics.REVIEWS.schema, value))
        if await asyncio.to_thread(producer.flush, 30):
            raise ReviewQueueError(f"the decision was not delivered to {settings.kafka_bootstrap}; retry")

    async def post_history(post_id: str) -> list[dict[str, Any]]:
        return await asyncio.to_thread(history.post_history, settings, codec, post_id)

    async def load(now: datetime) -> dict[str, Any]:
        return await asyncio.to_thread(history.load, settings, codec, now)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette):
        try:
            yield
        finally:
            await client.aclose()
            await asyncio.to_thread(producer.flush, 10)
            producer.close()

    deps = Deps(settings, RedisReviewQueue(client), Roster(settings.review_roster),
                SessionStore(client, settings.console_session_hours * 3600),
                stores.RedisRegistry(client, settings.registry_cache_seconds), stores.RedisReports(client),
                send, post_history, load, pages.parse_sla(settings.console_sla_hours))
    return build(deps, lifespan)


def serve(settings: Settings) -> None:
    import uvicorn

    uvicorn.run(create(settings), host=settings.console_host, port=settings.console_port, log_level="warning",
                server_header=False, proxy_headers=False)
