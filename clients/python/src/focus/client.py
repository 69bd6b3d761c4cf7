"""The synchronous client: :class:`Focus` (the REST gateway); :class:`Job` (one investigation) is in :mod:`focus.job`."""
from __future__ import annotations

import time
from datetime import datetime
from typing import Any, Callable, Mapping, Sequence

import requests

from .errors import FocusError, FocusNotFoundError, FocusUnavailableError, FocusValidationError
from .job import _OPEN_JOBS, Job
from .wire import (_DEFAULT, VIEWS, RetryHook, TimeLike, _retry_after, _utc, configure_body, retry_delay,
                   to_request_time, view_number)

__all__ = ["Focus", "Job", "VIEWS", "TimeLike", "RetryHook", "configure_body", "to_request_time", "view_number"]


class Focus:
    """A Focus service reached through its REST gateway.

    >>> focus = Focus("http://127.0.0.1:5000")
    >>> with focus.configure(channels=12, seconds=...) as job:   # doctest: +SKIP
    ...     spectrogram = job.read(seconds=5)

    ``timeout`` bounds one HTTP call (seconds). 503 and 429 answers are retried, waiting what
    ``Retry-After`` says (doubling from 1 s when absent), until ``retry_deadline`` seconds after the
    first try; a wait that would end past it raises :class:`FocusUnavailableError` at once.
    ``api_key`` is sent as ``X-Api-Key`` when the service runs with ``Focus:Auth:Mode=apikey``.
    ``on_retry(attempt, status, wait, detail)`` is called before each wait.
    """

    def __init__(self, url: str = "http://127.0.0.1:5000", timeout: float = 30.0, retry_deadline: float = 60.0,
                 api_key: str | None = None, on_retry: RetryHook | None = None,
                 session: requests.Session | None = None) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.retry_deadline = retry_deadline
        self.on_retry = on_retry
        self.sleep: Callable[[float], None] = time.sleep
        self._session = session or requests.Session()
        if api_key:
            self._session.headers["X-Api-Key"] = api_key

    # -- HTTP -------------------------------------------------------------------------------------------

    def request(self, method: str, path: str, json: Any = None, headers: Mapping[str, str] | None = None,
                retry: bool = True) -> Any:
        """One REST call; returns the decoded JSON (None when empty). Raises a :class:`FocusError`."""
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._session.request(method, f"{self.url}{path}", json=json, headers=headers,
                                                 timeout=self.timeout)
            except requests.RequestException as e:
                raise FocusError(f"{method} {path}: {e}") from e
            if response.status_code < 300:
                if not response.content:
                    return None
                try:
                    return response.json()
                except ValueError:
                    return response.text
            body = self._json(response)
            detail = str(body.get("detail") or body.get("error") or response.reason or "")
            if response.status_code in (429, 503):
                wait = _retry_after(response)
                delay = retry_delay(wait, attempt, started, self.retry_deadline) if retry else None
                if delay is None:
                    raise FocusUnavailableError(
                        f"{method} {path}: {response.status_code} {detail}" +
                        (f" (Retry-After {wait:g} s)" if wait is not None else ""),
                        response.status_code, wait, detail, body)
                if self.on_retry is not None:
                    self.on_retry(attempt, response.status_code, delay, detail)
                self.sleep(delay)
                continue
            if response.status_code == 422:
                errors = body.get("errors") or {}
                raise FocusValidationError(f"{method} {path}: 422 {detail}", errors, 422, detail, body)
            if response.status_code == 404:
                raise FocusNotFoundError(f"{method} {path}: 404 {detail}", 404, detail, body)
            raise FocusError(f"{method} {path}: {response.status_code} {detail}", response.status_code, detail, body)

    @staticmethod
    def _json(response: requests.Response) -> dict[str, Any]:
        try:
            body = response.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    # -- the fiber and the recordings -------------------------------------------------------------------

    def live_metadata(self) -> dict[str, Any]:
        """``GET /live_metadata``: the fiber (``prr``, ``dx``, ``number_of_channels``, ...); prr 0 while waiting for it."""
        return self.request("GET", "/live_metadata")  # type: ignore[no-any-return]

    def channels(self) -> tuple[int, int]:
        """``GET /channels``: the live fiber's (lowest, highest) channel, 1-based and inclusive."""
        body = self.request("GET", "/channels")
        return int(body["lowest_channel"]), int(body["highest_channel"])

    def recordings(self, start: TimeLike, end: TimeLike) -> list[tuple[datetime, datetime | None]]:
        """``POST /recordings_in_time_range``: (start, end) UTC of each recording overlapping the window.

        ``end`` is None for a recording still being written.
        """
        body = self.request("POST", "/recordings_in_time_range",
                            json={"start_time": to_request_time(start), "end_time": to_request_time(end)})
        return [(_utc(s), None if e == -1 else _utc(e)) for s, e in body["recordings"]]

    # -- jobs -------------------------------------------------------------------------------------------

    def jobs(self, state: str | None = None) -> list[dict[str, Any]]:
        """``GET /jobs``: one row per active job (``job_id``, ``state``, ``mode``, ``silo``, ``stream_port``, ...)."""
        body = self.request("GET", "/jobs" + (f"?state={state}" if state else ""))
        return list(body["jobs"])

    def job(self, job_id: str) -> "Job":
        """An existing job (``GET /metadata/{id}``), e.g. one another client started. Not cancelled on exit."""
        return Job(self, self.request("GET", f"/metadata/{job_id}"), owned=False)

    def configure(self, view: int | str | None = None, channels: int | Sequence[int] = (10, 14),
                  freq: Sequence[float] | None = _DEFAULT, nfft: int | None = _DEFAULT,
                  duration: float | None = _DEFAULT, height: int = 1000, start: TimeLike | None = None,
                  end: TimeLike | None = None, idempotency_key: str | None = None,
                  cancel_on_exit: bool = True) -> "Job":
        """``POST /configure``: starts an investigation and returns its :class:`Job`.

        ``view``: 0/1/2 or ``"multichannel"``, ``"singlechannel"``, ``"waterfall"``; by default
        SINGLECHANNEL for one channel and MULTICHANNEL for a range. ``channels``: a channel or an
        inclusive (min, max). ``freq``: (min, max) Hz, default (0, 500); ``nfft`` default 1024;
        ``duration`` seconds on the time axis, default 10 (a WATERFALL sends none of these three
        unless given). ``start``/``end``: a historic window (datetime, epoch seconds or
        ``yymmddHHMMSS``); both None for live. Raises :class:`FocusValidationError` (422, per
        field), :class:`FocusUnavailableError` (503/429 past the retry deadline), :class:`FocusError`.
        The job is cancelled when the interpreter exits unless ``cancel_on_exit`` is False.
        """
        body, headers = configure_body(view, channels, freq, nfft, duration, height, start, end, idempotency_key)
        info = self.request("POST", "/configure", json=body, headers=headers)
        job = Job(self, info, owned=True, request=body)
        if cancel_on_exit:
            _OPEN_JOBS.add(job)
        return job

    def close(self) -> None:
        """Closes the HTTP session (jobs stay as they are)."""
        self._session.close()

    def __enter__(self) -> "Focus":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Focus({self.url!r})"
