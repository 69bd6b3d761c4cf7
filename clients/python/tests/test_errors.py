"""How the service's refusals reach a script: 422 per field, 404, and 503 retried as Retry-After says."""
from __future__ import annotations

import pytest

from focus import Focus, FocusUnavailableError, FocusValidationError

from conftest import MAX_CONCURRENT, Service


def test_a_422_carries_each_offending_fields_messages(client: Focus) -> None:
    before = client.jobs()
    with pytest.raises(FocusValidationError) as refused:
        client.configure(channels=12, nfft=1000, height=0)
    errors = refused.value.errors
    assert refused.value.status == 422
    assert "power of 2" in " ".join(errors["nfftSelection"])
    assert "displayInfo.height" in errors
    assert "nfftSelection" in str(refused.value)

    with pytest.raises(FocusValidationError) as outside:
        client.configure(channels=(10, 99999))
    assert list(outside.value.errors) == ["channels.max"]

    with pytest.raises(FocusValidationError) as waterfall:
        client.configure(view="waterfall", channels=(1, 10), freq=(0, 100))
    assert "frequencyRange" in waterfall.value.errors
    assert client.jobs() == before  # nothing was created


def test_503_at_the_job_limit_is_retried_after_what_retry_after_says(service: Service, client: Focus) -> None:
    filler = Focus(service.url, retry_deadline=0)
    jobs = []
    with pytest.raises(FocusUnavailableError) as full:
        for _ in range(MAX_CONCURRENT + 1):
            jobs.append(filler.configure(channels=12))
    assert len(jobs) == MAX_CONCURRENT
    assert full.value.status == 503 and full.value.retry_after == 10
    assert "limit" in full.value.detail

    # a deadline shorter than Retry-After: no pointless wait, the error at once
    impatient = Focus(service.url, retry_deadline=5)
    impatient.on_retry = lambda *a: pytest.fail("retried although Retry-After ends past the deadline")
    with pytest.raises(FocusUnavailableError):
        impatient.configure(channels=12)

    # a patient client: a slot frees while it waits, and its retry gets the job
    retries: list[tuple[int, int, float]] = []
    slept: list[float] = []
    patient = Focus(service.url, retry_deadline=60)

    def on_retry(attempt: int, status: int, wait: float, detail: str) -> None:
        retries.append((attempt, status, wait))
        jobs.pop().cancel()

    patient.on_retry = on_retry
    real_sleep = patient.sleep
    patient.sleep = lambda s: (slept.append(s), real_sleep(s))[1]
    with patient.configure(channels=12) as job:
        assert job.job_id
    assert retries == [(1, 503, 10.0)]
    assert slept == [10.0]
    for j in jobs:
        j.cancel()


def test_an_idempotency_key_returns_the_same_job(client: Focus) -> None:
    first = client.configure(channels=12, idempotency_key="pytest-same-key")
    again = client.configure(channels=12, idempotency_key="pytest-same-key")
    try:
        assert again.job_id == first.job_id
    finally:
        first.cancel()
