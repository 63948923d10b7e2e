"""The review web app: one page, a small script and a JSON API, served by Starlette on uvicorn.

Every request must carry the session's token (the ``token`` query parameter or the
``X-Review-Token`` header), compared in constant time; without it the answer is 403. The page
gets the pages' Content-Security-Policy (nothing loads, only its own inline CSS and script run, by
hash) plus ``connect-src 'self'`` for its API calls, and the script builds every element with
``textContent``: a span's text is never parsed as markup.
"""

from __future__ import annotations

import hmac
import json
import secrets
from pathlib import Path

from translate.review.queue import ReviewQueue
from translate.review.store import (
    CATEGORIES, VERDICTS, Review, ReviewStore, check_review, current, database_path, span_edits,
)

TOKEN_HEADER = "X-Review-Token"
_SECURITY_HEADERS = {"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff",
                     "Cache-Control": "no-store", "X-Frame-Options": "DENY"}


def new_token() -> str:
    return secrets.token_urlsafe(24)


def page_html(title: str) -> tuple[str, str]:
    """The page and its Content-Security-Policy."""
    from translate.writers.html_writer import content_security_policy, environment

    csp = content_security_policy(["page.css", "review.css"], ["review.js"]) + "; connect-src 'self'"
    html = environment().get_template("review.html.j2").render(title=title, csp=csp, verdicts=VERDICTS,
                                                               categories=CATEGORIES)
    return html, csp


def create_app(out_dir: Path, queue: ReviewQueue, store: ReviewStore, token: str):
    """The Starlette application of one output folder."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.base import BaseHTTPMiddleware
    from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    html, csp = page_html(f"Review of {out_dir.resolve().name}")
    # The queue does not change while the server runs: serialised once.
    queue_body = json.dumps({"items": queue.items, "verdicts": VERDICTS, "categories": CATEGORIES,
                             "warnings": queue.warnings}, ensure_ascii=False).encode("utf-8")
    spans = {(item["document"], item["seg"]): item for item in queue.items}
    expected = token.encode("utf-8")

    class TokenRequired(BaseHTTPMiddleware):
        async def dispatch(self, request, call_next):
            given = request.headers.get(TOKEN_HEADER) or request.query_params.get("token") or ""
            if not hmac.compare_digest(given.encode("utf-8"), expected):
                response = PlainTextResponse("403: this review needs the link printed by `translate review`", 403)
            else:
                response = await call_next(request)
            response.headers.update(_SECURITY_HEADERS)
            return response

    async def page(request):
        return HTMLResponse(html, headers={"Content-Security-Policy": csp})

    async def queue_items(request):
        return Response(queue_body, media_type="application/json")

    async def reviews(request):
        history = store.history()
        edits = span_edits(history)
        return JSONResponse({
            f"{seg}:{document}": {"reviewers": {name: review.to_json() for name, review in by_reviewer.items()},
                                  "edit": edits[(document, seg)].to_json() if (document, seg) in edits else None}
            for (document, seg), by_reviewer in current(history).items()})

    async def save(request):
        try:
            body = await request.json()
            if not isinstance(body["document"], str) or isinstance(body["seg"], bool):
                raise TypeError("document")
            key = (body["document"], int(body["seg"]))
            review = Review(key[0], key[1], "", _text_or_none(body, "reviewer") or "", _text_or_none(body, "verdict"),
                            _text_or_none(body, "category"), _text_or_none(body, "comment"), _edit(body))
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "expected JSON with document, seg, reviewer and a verdict, edit or comment"}, 400)
        if key not in spans:
            return JSONResponse({"error": "no such span in this output folder"}, 404)
        problem = check_review(review)
        if problem:
            return JSONResponse({"error": problem}, 400)
        review.text = spans[key]["text"]
        return JSONResponse(store.save(review).to_json())

    routes = [Route("/", page), Route("/api/queue", queue_items), Route("/api/reviews", reviews),
              Route("/api/review", save, methods=["POST"])]
    return Starlette(routes=routes, middleware=[Middleware(TokenRequired)])


def _text_or_none(body: dict, name: str) -> str | None:
    value = body.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise TypeError(name)
    return value


def _edit(body: dict) -> str | None:
    # An edit identical to nothing (absent or null) is no edit; an empty string is refused (an empty English).
    value = body.get("edit")
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValueError("edit")
    return value


def serve(out_dir: Path, *, host: str = "127.0.0.1", port: int = 0, sample: int = 20, seed: int = 0,
          open_browser: bool = False, on_ready=print, on_warning=print) -> None:
    """Build the queue, start the server and block until interrupted; ``on_ready(url)`` is told the URL."""
    import socket
    import threading

    from translate.errors import UsageError
    from translate.review.queue import build_queue

    try:
        import starlette  # noqa: F401  (create_app's; checked here for one clear message)
        import uvicorn
    except ImportError:
        raise UsageError("translate review needs Starlette and uvicorn: pip install 'translate-mixed[review]'") from None

    if not out_dir.is_dir():
        raise UsageError(f"{out_dir}: not a folder (expected the output folder of `translate batch`)")
    new_database = not database_path(out_dir).exists()
    store = ReviewStore.of(out_dir)  # before the queue: it keeps the flags computed for the next start
    try:
        queue = build_queue(out_dir, sample=sample, seed=seed, store=store)
    except BaseException:
        store.close()
        if new_database:  # no review here (no batch output, or interrupted): leave no database behind
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database_path(out_dir)}{suffix}").unlink(missing_ok=True)
        raise
    token = new_token()
    app = create_app(out_dir, queue, store, token)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        raise UsageError(f"--host {host} --port {port}: cannot listen: {err.strerror or err}") from None
    sock.listen(128)  # connections wait in the backlog until uvicorn accepts them: the URL works once printed
    bound_port = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{bound_port}/?token={token}"
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    for message in queue.warnings:
        on_warning(message)
    on_ready(url)
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.run(sockets=[sock])
    finally:
        store.close()
