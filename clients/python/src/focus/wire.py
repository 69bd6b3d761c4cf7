"""What a request is made of: view names, request times, the /configure body, and the server's Retry-After."""
from __future__ import annotations

import email.utils
import time
from datetime import datetime, timezone
from typing import Any, Callable, Sequence

import numpy as np
import requests


VIEWS: dict[str, int] = {"multichannel": 0, "singlechannel": 1, "waterfall": 2}
"""View names accepted by :meth:`Focus.configure` and their ``view_type`` numbers."""
VIEW_NAMES: dict[int, str] = {number: name for name, number in VIEWS.items()}

TimeLike = datetime | int | float | str | np.datetime64
"""A time for a request: an aware or UTC-naive datetime, epoch seconds, numpy datetime64, or ``yymmddHHMMSS``."""

RetryHook = Callable[[int, int, float, str], None]
"""``on_retry(attempt, status, wait_seconds, detail)``: called before each wait of a retried call."""

_MAX_MESSAGE = 256 * 1024 * 1024
_DEFAULT: Any = object()


def view_number(view: int | str) -> int:
    """``view_type`` for 0/1/2, ``"0"``, or a name (``"multichannel"``, ``"singlechannel"``, ``"waterfall"``)."""
    if isinstance(view, str):
        key = view.strip().lower().replace("_", "").replace("-", "")
        if key.isdigit():
            return int(key)
        if key in VIEWS:
            return VIEWS[key]
        raise ValueError(f"view {view!r} is not one of {', '.join(VIEWS)} or 0, 1, 2")
    return int(view)


def to_request_time(value: TimeLike) -> int | str:
    """A time as /configure and /recordings_in_time_range take it: integer epoch seconds or ``yymmddHHMMSS``."""
    if isinstance(value, str):
        return value
    if isinstance(value, np.datetime64):
        return int(value.astype("datetime64[s]").astype(np.int64))
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        seconds = value.timestamp()
    else:
        seconds = float(value)
    if seconds != int(seconds):
        raise ValueError(f"{value!r}: the service takes whole seconds")
    return int(seconds)


def _utc(epoch_seconds: float) -> datetime:
    return datetime.fromtimestamp(epoch_seconds, timezone.utc)


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, float((when - datetime.now(timezone.utc)).total_seconds()))


def retry_delay(retry_after: float | None, attempt: int, started: float, deadline: float) -> float | None:
    """The wait before retrying a refused (503/429) call: the server's Retry-After, else a doubling capped at 10 s;
    None when waiting would pass ``deadline`` seconds since ``started`` (``time.monotonic()``)."""
    delay = retry_after if retry_after is not None else min(2.0 ** (attempt - 1), 10.0)
    return None if time.monotonic() - started + delay > deadline else delay


def configure_body(view: int | str | None = None, channels: int | Sequence[int] = (10, 14),
                   freq: Sequence[float] | None = _DEFAULT, nfft: int | None = _DEFAULT,
                   duration: float | None = _DEFAULT, height: int = 1000, start: TimeLike | None = None,
                   end: TimeLike | None = None, idempotency_key: str | None = None) -> tuple[dict[str, Any], dict[str, str] | None]:
    """The /configure body and headers for :meth:`Focus.configure`'s arguments."""
    if isinstance(channels, (int, np.integer)):
        low = high = int(channels)
    else:
        low, high = (int(c) for c in channels)
    number = view_number(view) if view is not None else (1 if low == high else 0)
    body: dict[str, Any] = {"view_type": number, "displayInfo": {"height": height},
                            "channels": {"min": low, "max": high}}
    spectral = number != VIEWS["waterfall"]
    if nfft is not _DEFAULT or spectral:
        size = 1024 if nfft is _DEFAULT else nfft
        if size is not None:
            body["nfftSelection"] = size
    if duration is not _DEFAULT or spectral:
        seconds = 10 if duration is _DEFAULT else duration
        if seconds is not None:
            body["displayTimeAxisDuration"] = seconds
    if freq is not _DEFAULT or spectral:
        band = (0, 500) if freq is _DEFAULT else freq
        if band is not None:
            body["frequencyRange"] = {"min": band[0], "max": band[1]}
    if start is not None or end is not None:
        body["start_time"] = None if start is None else to_request_time(start)
        body["end_time"] = None if end is None else to_request_time(end)
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
    return body, headers
