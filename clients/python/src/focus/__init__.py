"""focus: a Python client for Focus.Orleans (DAS spectrograms and waterfalls into numpy and xarray).

    from focus import Focus
    with Focus("http://127.0.0.1:5000").configure(channels=12) as job:
        spectrogram = job.read(seconds=5)      # xarray.DataArray (time, frequency), UTC and Hz

See :class:`Focus` (the REST gateway), :class:`Job` (one investigation), :mod:`focus.frames`
(decoding and gaps), :mod:`focus.aio` (asyncio) and the ``focus`` command (:mod:`focus.cli`).
"""
from .client import VIEWS, Focus, Job, configure_body, to_request_time, view_number
from .errors import FocusError, FocusNotFoundError, FocusStreamError, FocusUnavailableError, FocusValidationError
from .frames import Frame, Hole, Spectrogram

__all__ = [
    "Focus", "Job", "configure_body", "Frame", "Hole", "Spectrogram", "VIEWS", "view_number", "to_request_time",
    "FocusError", "FocusValidationError", "FocusUnavailableError", "FocusNotFoundError", "FocusStreamError",
]
__version__ = "0.1.0"
