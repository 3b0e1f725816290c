"""SDK failures -> a message that says what happened and what to do (the Python twin of
``src/core/providers/to-provider-error.ts``). Fields are read, not classes, so the messages
do not depend on which SDK raised."""

from __future__ import annotations

from typing import Any


class ProviderFailure(Exception):
    """A failure talking to a provider; ``str()`` is what the user reads."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


class AIMagicError(Exception):
    """What ``%%ai`` raises in a headless run: shown as one line, never as a traceback."""

    def _render_traceback_(self) -> list[str]:  # IPython's hook for custom error display
        return [f"AIMagicError: {self}"]


def _body_info(body: Any) -> tuple[str | None, str | None]:
    inner = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else body
    if not isinstance(inner, dict):
        return None, None
    kind = inner.get("type") if isinstance(inner.get("type"), str) else (inner.get("code") if isinstance(inner.get("code"), str) else None)
    message = inner.get("message") if isinstance(inner.get("message"), str) else None
    return kind, message


def _header(err: Any, name: str) -> str | None:
    try:
        return err.response.headers.get(name)
    except Exception:
        return None


def to_failure(err: BaseException, label: str, key_env: str | None, endpoint: str | None, mid_reply: bool) -> ProviderFailure:
    """Map whatever the SDK (or its HTTP client) raised."""
    if isinstance(err, ProviderFailure):
        return err
    name = type(err).__name__
    status = getattr(err, "status_code", None)
    kind, api_message = _body_info(getattr(err, "body", None))
    if status == 200:
        status = None  # an error event inside a stream that had started well
    said = f' {label} said: "{api_message}"' if api_message else ""
    if kind == "overloaded_error" or status == 529:
        when = " in the middle of the reply; the part received is kept" if mid_reply else ""
        return ProviderFailure("overloaded", f"{label} is overloaded ({status or 'overloaded_error'}){when}. Try again in a little while.{said}")
    if status is None and not kind:
        if "Timeout" in name:
            return ProviderFailure("network", f"The request to {label} timed out. Check the network, then run the cell again.")
        if mid_reply:
            return ProviderFailure("dropped", f"The connection to {label} dropped in the middle of the reply; the part received is kept. Run the cell again to retry.")
        where = f" at {endpoint}" if endpoint else ""
        cause = err.__cause__ or err.__context__
        detail = f" ({cause})" if cause else (f" ({err})" if str(err) else "")
        return ProviderFailure("network", f"Could not connect to {label}{where}{detail}. Check the network connection and that the server is running.")
    if status == 401:
        hint = f" Check {key_env} in the kernel's environment." if key_env else ""
        return ProviderFailure("auth", f"{label} rejected the API key (401).{hint}{said}")
    if status in (402, 403):
        return ProviderFailure("permission", f"{label} refused the request ({status}{' ' + kind if kind else ''}): the key lacks permission or the account has no credit.{said}")
    if status == 404:
        return ProviderFailure("not_found", f"{label} answered 404 ({kind or 'not found'}): the model or endpoint does not exist. Check the model name (-m, or %config AIMagic.model).{said}")
    if status == 413:
        return ProviderFailure("too_large", f"The request is too large for {label} (413). Skip some cells or lower the context budget (%config AIMagic.budget_tokens).{said}")
    if status == 429:
        after = _header(err, "retry-after")
        wait = f" Wait {after} s" if after else " Wait a minute"
        return ProviderFailure("rate_limit", f"{label} rate limit reached (429), still after retrying.{wait} and run the cell again.{said}")
    if status in (400, 422):
        return ProviderFailure("invalid_request", f"{label} rejected the request ({status} {kind or 'invalid request'}).{said}")
    if status and status >= 500:
        return ProviderFailure("server", f"{label} had a server error ({status}{' ' + kind if kind else ''}). Try again in a little while.{said}")
    return ProviderFailure("server", f"{label} answered {status or 'an error'}{' (' + kind + ')' if kind else ''}.{said}")
