"""The errors the Focus client raises: one class per kind of answer a script may want to handle."""
from __future__ import annotations

from typing import Any, Mapping


class FocusError(Exception):
    """A call to the Focus service failed.

    ``status`` is the HTTP status (None for a failure below HTTP), ``detail`` the service's words
    (problem+json ``detail``/``error``), ``body`` the decoded answer when it was JSON.
    """

    def __init__(self, message: str, status: int | None = None, detail: str | None = None,
                 body: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.detail = detail if detail is not None else message
        self.body: Mapping[str, Any] = body or {}


class FocusValidationError(FocusError):
    """422: the request was refused; ``errors`` maps each offending field to its messages.

    >>> try:
    ...     focus.configure(channels=(10, 99999))
    ... except FocusValidationError as e:
    ...     print(e.errors["channels.max"])
    """

    def __init__(self, message: str, errors: Mapping[str, list[str]], status: int = 422,
                 detail: str | None = None, body: Mapping[str, Any] | None = None) -> None:
        super().__init__(message, status, detail, body)
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in errors.items()}


class FocusUnavailableError(FocusError):
    """503 or 429 that did not clear before the client's retry deadline.

    ``retry_after`` is the last ``Retry-After`` the service gave, in seconds (None when absent).
    """

    def __init__(self, message: str, status: int, retry_after: float | None, detail: str | None = None,
                 body: Mapping[str, Any] | None = None) -> None:
        super().__init__(message, status, detail, body)
        self.retry_after = retry_after


class FocusNotFoundError(FocusError):
    """404: the job id is unknown to the service (never issued, or ended longer ago than the retention)."""


class FocusStreamError(FocusError):
    """A job's gRPC stream ended with an error status.

    ``code`` is the gRPC status name: ``CANCELLED`` (the job was cancelled), ``ABORTED`` (the job
    failed; ``detail`` holds the reason), ``INVALID_ARGUMENT`` (no such stream), ``UNAVAILABLE`` ...
    """

    def __init__(self, message: str, code: str, detail: str | None = None) -> None:
        super().__init__(message, None, detail)
        self.code = code
