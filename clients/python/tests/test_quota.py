"""The per-client quota's 429 (CONTRACT §6, ``Focus:Jobs:MaxPerClient``) as a script meets it: retried after
``Retry-After`` until a job ends, or raised at once, naming the quota, when the wait would outlast the deadline.

A second silo of its own runs with ``MaxPerClient=1`` (every client here is 127.0.0.1, so one client) and a
3 s ``Retry-After`` so the retry costs little time.
"""
from __future__ import annotations

import asyncio
import threading
import time
from typing import Iterator

import pytest

from focus import Focus, FocusUnavailableError
from focus.aio import AsyncFocus

from conftest import Service, running_service, wait_for

RETRY_AFTER = 3
ACTIVE = ("configured", "starting", "running", "completed")


@pytest.fixture(scope="module")
def quota_service() -> Iterator[Service]:
    with running_service("pytest-quota", "--Focus:Jobs:MaxPerClient=1",
                         f"--Focus:Admission:RetryAfter=00:00:{RETRY_AFTER:02d}") as running:
        yield running


@pytest.fixture
def holder(quota_service: Service) -> Iterator[Focus]:
    """A client of the quota service that may hold its one job; leftovers are cancelled after the test."""
    c = Focus(quota_service.url, timeout=30, retry_deadline=0)
    assert active_ids(c) == set()
    yield c
    for row in c.jobs():
        if row["state"] in ACTIVE:
            c.request("DELETE", f"/job/{row['job_id']}", retry=False)
    wait_for(lambda: not [r for r in c.jobs() if r["state"] in ACTIVE], 10, "the quota service's jobs to end")
    c.close()


def active_ids(c: Focus) -> set[str]:
    return {row["job_id"] for row in c.jobs() if row["state"] in ACTIVE}


def test_a_429_at_the_quota_is_retried_after_retry_after_and_succeeds_once_the_first_job_ends(
        quota_service: Service, holder: Focus) -> None:
    first = holder.configure(channels=12)
    assert active_ids(holder) == {first.job_id}

    retried = threading.Event()
    retries: list[tuple[int, int, float, str]] = []
    slept: list[float] = []
    failures: list[BaseException] = []

    def cancel_the_first_while_the_second_waits() -> None:
        try:
            assert retried.wait(20), "the second configure was never retried"
            first.cancel()
            wait_for(lambda: first.job_id not in active_ids(holder), RETRY_AFTER - 1, "the first job to end")
        except BaseException as e:  # reported by the test below
            failures.append(e)

    canceller = threading.Thread(target=cancel_the_first_while_the_second_waits, daemon=True)
    canceller.start()

    patient = Focus(quota_service.url, timeout=30, retry_deadline=30)

    def on_retry(attempt: int, status: int, wait: float, detail: str) -> None:
        retries.append((attempt, status, wait, detail))
        retried.set()

    patient.on_retry = on_retry
    real_sleep = patient.sleep
    patient.sleep = lambda s: (slept.append(s), real_sleep(s))[1]
    started = time.monotonic()
    try:
        second = patient.configure(channels=12)
    finally:
        retried.set()  # never leave the thread waiting
        canceller.join(30)
    elapsed = time.monotonic() - started
    assert not canceller.is_alive()
    assert failures == []

    assert [r[:3] for r in retries] == [(1, 429, float(RETRY_AFTER))]
    assert "Focus:Jobs:MaxPerClient" in retries[0][3] and "quota" in retries[0][3]
    assert slept == [float(RETRY_AFTER)]
    assert RETRY_AFTER <= elapsed < RETRY_AFTER + 10, elapsed
    assert second.job_id != first.job_id
    assert active_ids(holder) == {second.job_id}
    assert holder.job(first.job_id).state == "cancelled"
    second.cancel()


def test_a_deadline_shorter_than_retry_after_raises_the_429_at_once_naming_the_quota(
        quota_service: Service, holder: Focus) -> None:
    first = holder.configure(channels=12)

    impatient = Focus(quota_service.url, timeout=30, retry_deadline=RETRY_AFTER - 2)
    impatient.on_retry = lambda *a: pytest.fail("retried although Retry-After ends past the deadline")
    impatient.sleep = lambda s: pytest.fail(f"slept {s} s although Retry-After ends past the deadline")
    started = time.monotonic()
    with pytest.raises(FocusUnavailableError) as refused:
        impatient.configure(channels=12)
    assert time.monotonic() - started < RETRY_AFTER - 1
    error = refused.value
    assert error.status == 429 and error.retry_after == RETRY_AFTER
    assert "per-client quota" in error.detail and "Focus:Jobs:MaxPerClient" in error.detail
    assert "429" in str(error) and "Focus:Jobs:MaxPerClient" in str(error)
    assert error.body.get("status") == 429
    assert active_ids(holder) == {first.job_id}  # the refused configure created nothing

    # the asyncio twin decides the same way, and the event loop never sleeps on it
    async def scenario() -> FocusUnavailableError:
        focus = AsyncFocus(quota_service.url, retry_deadline=RETRY_AFTER - 2)
        focus.on_retry = lambda *a: pytest.fail("the async client retried past its deadline")
        try:
            with pytest.raises(FocusUnavailableError) as again:
                await focus.configure(channels=12)
            return again.value
        finally:
            await focus.close()

    started = time.monotonic()
    async_error = asyncio.run(scenario())
    assert time.monotonic() - started < RETRY_AFTER - 1
    assert async_error.status == 429 and async_error.retry_after == RETRY_AFTER
    assert "Focus:Jobs:MaxPerClient" in str(async_error)
    assert active_ids(holder) == {first.job_id}
    first.cancel()
