"""The ``focus`` command: look at the fiber, the recordings and the jobs; watch, save or plot an investigation.

    focus live                                   # the fiber (GET /live_metadata)
    focus jobs                                   # active jobs
    focus recordings --start 2026-12-05T00:00 --end 2026-12-05T01:00
    focus watch --channels 12                    # a terminal waterfall of a new live job (Ctrl+C cancels it)
    focus watch 17-4821                          # of a running job (left running)
    focus save --channels 10 14 --seconds 5 --out five.nc     # or .npz
    focus plot --channels 12 --start 251205000000 --end 251205000500 --out tone.png
    focus cancel 17-4821

The service is ``--url`` or ``$FOCUS_URL`` (default http://127.0.0.1:5000). Times: ISO 8601 (UTC when
no zone is given), epoch seconds, or ``yymmddHHMMSS``.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import time
from datetime import datetime, timezone
from typing import Any, Sequence

import numpy as np
import numpy.typing as npt

from .client import Focus, Job, TimeLike
from .errors import FocusError, FocusStreamError, FocusValidationError
from .frames import Spectrogram

AXES_RECT = (0.12, 0.11, 0.68, 0.80)
"""Where ``focus plot`` puts the spectrogram in the figure (left, bottom, width, height as fractions)."""
SHADES = " .:-=+*#%@"


def parse_time(text: str) -> TimeLike:
    """``yymmddHHMMSS`` (kept as text), epoch seconds, or ISO 8601 (UTC when naive)."""
    text = text.strip()
    if text.isdigit() and len(text) == 12:
        return text
    if text.lstrip("-").isdigit():
        return int(text)
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _job_options(parser: argparse.ArgumentParser, limits: bool = True) -> None:
    parser.add_argument("job", nargs="?", help="an existing job id (default: configure a new job from the options)")
    parser.add_argument("--view", help="multichannel, singlechannel or waterfall (default: by the channels)")
    parser.add_argument("--channels", nargs="+", type=int, default=[12], metavar="CH", help="a channel, or MIN MAX (default 12)")
    parser.add_argument("--freq", nargs=2, type=float, metavar=("MIN", "MAX"), help="Hz (default 0 500)")
    parser.add_argument("--nfft", type=int, help="default 1024")
    parser.add_argument("--duration", type=float, help="seconds on the time axis (default 10)")
    parser.add_argument("--height", type=int, default=1000, help="display lines (default 1000)")
    parser.add_argument("--start", type=parse_time, help="historic window start (UTC)")
    parser.add_argument("--end", type=parse_time, help="historic window end (UTC)")
    parser.add_argument("--channel", type=int, help="read only this channel's stream of a MULTICHANNEL job")
    if limits:
        parser.add_argument("--seconds", type=float, help="seconds of data to read (live default 10)")
        parser.add_argument("--lines", type=int, help="lines to read")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``focus``."""
    parser = argparse.ArgumentParser(prog="focus", description="A client for Focus.Orleans (DAS investigations).",
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--url", default=os.environ.get("FOCUS_URL", "http://127.0.0.1:5000"), help="the REST gateway")
    parser.add_argument("--api-key", default=os.environ.get("FOCUS_API_KEY"), help="X-Api-Key (auth mode apikey)")
    parser.add_argument("--retry-deadline", type=float, default=60.0, help="seconds to keep retrying 503/429")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("live", help="the live fiber's metadata")
    commands.add_parser("channels", help="the live fiber's channel range")
    jobs = commands.add_parser("jobs", help="active jobs")
    jobs.add_argument("--state")
    recordings = commands.add_parser("recordings", help="recordings overlapping a window")
    recordings.add_argument("--start", type=parse_time, required=True)
    recordings.add_argument("--end", type=parse_time, required=True)
    cancel = commands.add_parser("cancel", help="cancel a job")
    cancel.add_argument("job")
    status = commands.add_parser("status", help="a job's metadata")
    status.add_argument("job")
    watch = commands.add_parser("watch", help="a terminal waterfall with a progress line")
    _job_options(watch)
    watch.add_argument("--width", type=int, help="columns (default: the terminal's)")
    watch.add_argument("--every", type=int, default=10, help="lines per printed row (default 10)")
    save = commands.add_parser("save", help="read into a file: .nc (netCDF, via xarray) or .npz")
    _job_options(save)
    save.add_argument("--out", required=True)
    plot = commands.add_parser("plot", help="a spectrogram picture (.png) with UTC and Hz axes")
    _job_options(plot)
    plot.add_argument("--out", required=True)
    plot.add_argument("--cmap", default="viridis")
    return parser


def _open_job(focus: Focus, args: argparse.Namespace) -> Job:
    if args.job:
        return focus.job(args.job)
    channels = args.channels[0] if len(args.channels) == 1 else (args.channels[0], args.channels[1])
    options: dict[str, Any] = {}
    for name in ("freq", "nfft", "duration"):
        if getattr(args, name) is not None:
            options[name] = getattr(args, name)
    job = focus.configure(view=args.view, channels=channels, height=args.height, start=args.start, end=args.end, **options)
    print(f"job {job.job_id}: {job.view} {job.mode}, channels {job.channels[0]}..{job.channels[-1]}, "
          f"{job.frequencies_amount} bins, a line every {job.lines_dt:g} s, stream {job.stream_url}:{job.stream_port}",
          flush=True)
    return job


def _limits(job: Job, args: argparse.Namespace) -> tuple[float | None, int | None]:
    if args.seconds is None and args.lines is None and not job.historic:
        return 10.0, None
    return args.seconds, args.lines


def _print(value: Any) -> None:
    print(json.dumps(value, indent=2, default=str))


def _watch(job: Job, args: argparse.Namespace) -> None:
    width = args.width or max(20, shutil.get_terminal_size((100, 24)).columns - 1)
    stream = job.stream_of(args.channel) if args.channel is not None else 0
    low: float | None = None
    high: float | None = None
    count = dropped = holes = 0
    started = shown = time.monotonic()
    first_ms: int | None = None
    pending: list[npt.NDArray[np.float32]] = []
    for frame in job.lines(stream):
        count += len(frame)
        dropped += frame.dropped
        holes += sum(1 for h in frame.holes if h.kind == "hole")
        if len(frame) == 0:
            continue
        if first_ms is None:
            first_ms = int(frame.times[0].astype(np.int64))
        finite = frame.values[np.isfinite(frame.values)]
        if finite.size:
            lo, hi = np.percentile(finite, [5, 99.5])
            low = lo if low is None else min(low, lo)
            high = hi if high is None else max(high, hi)
        pending.extend(frame.values)
        while len(pending) >= args.every:
            row = np.mean(pending[:args.every], axis=0)
            del pending[:args.every]
            cells = np.array_split(row, min(width, row.size)) if row.size else []
            levels = [max(c) for c in cells]
            span = (high - low) if high is not None and low is not None and high > low else 1.0
            text = "".join(SHADES[int(np.clip((v - (low or 0)) / span, 0, 1) * (len(SHADES) - 1))] for v in levels)
            sys.stdout.write(text + "\n")
        sys.stdout.flush()
        done = (args.lines is not None and count >= args.lines) or (
            args.seconds is not None and int(frame.times[-1].astype(np.int64)) - first_ms >= args.seconds * 1000)
        now = time.monotonic()
        if done or now - shown >= 0.2:
            shown = now
            rate = count / max(now - started, 1e-6)
            when = np.datetime_as_string(frame.times[-1], unit="ms")
            sys.stderr.write(f"\rjob {job.job_id} | {count} lines | {rate:7.1f} lines/s | dropped {dropped} | "
                             f"holes {holes} | {when}Z ")
            sys.stderr.flush()
        if done:
            break
    sys.stderr.write("\n")


def save_spectrogram(spectrogram: Spectrogram, out: str) -> None:
    """Writes ``.nc`` (netCDF through xarray) or ``.npz`` (numpy: values, times in epoch ms, axis, gap, rows, attrs)."""
    if out.endswith(".nc"):
        spectrogram.to_xarray().to_netcdf(out)
    elif out.endswith(".npz"):
        np.savez_compressed(out, values=spectrogram.values, times_ms=spectrogram.times.astype(np.int64),
                            axis=spectrogram.axis, axis_name=spectrogram.axis_name, gap=spectrogram.gap,
                            rows=spectrogram.rows, channels=np.asarray(spectrogram.channels),
                            dims=np.asarray(spectrogram.dims), attrs=json.dumps(spectrogram.attrs, default=str))
    else:
        raise SystemExit(f"--out {out}: use .nc or .npz")


def plot_spectrogram(spectrogram: Spectrogram, out: str, cmap: str = "viridis", title: str | None = None) -> None:
    """A PNG of one stream: frequency (Hz, or channel for a WATERFALL) across, UTC time down, dB in colour.

    The image fills :data:`AXES_RECT` of the figure exactly; missing lines (``gap``) are grey."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    values = spectrogram.values
    if values.ndim == 3:
        values = values[0]
    if values.shape[0] == 0:
        raise SystemExit("no line to plot")
    axis = spectrogram.axis.astype(np.float64)
    half = (axis[1] - axis[0]) / 2 if axis.size > 1 else 0.5
    times = spectrogram.times.astype("datetime64[ms]").astype(datetime)
    t0, t1 = mdates.date2num(times[0]), mdates.date2num(times[-1])
    colours = matplotlib.colormaps[cmap].copy()
    colours.set_bad("#808080")
    figure = plt.figure(figsize=(9, 6), dpi=100)
    axes = figure.add_axes(AXES_RECT)
    finite = values[np.isfinite(values)]
    vmin, vmax = (np.percentile(finite, [1, 99.9]) if finite.size else (None, None))
    image = axes.imshow(np.ma.masked_invalid(values), aspect="auto", interpolation="nearest", cmap=colours,
                        extent=(axis[0] - half, axis[-1] + half, t1, t0), origin="upper", vmin=vmin, vmax=vmax)
    axes.yaxis_date()
    axes.yaxis.set_major_formatter(mdates.DateFormatter("%H:%M:%S"))
    axes.set_xlabel("frequency (Hz)" if spectrogram.axis_name == "frequency" else "channel")
    axes.set_ylabel(f"time (UTC, {times[0]:%Y-%m-%d})")
    colourbar = figure.add_axes((AXES_RECT[0] + AXES_RECT[2] + 0.03, AXES_RECT[1], 0.025, AXES_RECT[3]))
    figure.colorbar(image, cax=colourbar, label="dB")
    attrs = spectrogram.attrs
    axes.set_title(title or f"job {attrs.get('job_id')}: {attrs.get('view')} {attrs.get('mode')}, channel "
                   f"{spectrogram.channels[0]}", fontsize=10)
    figure.savefig(out)
    plt.close(figure)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the ``focus`` command; returns its exit status (130 after Ctrl+C)."""
    args = build_parser().parse_args(argv)
    # SIGTERM ends the command like Ctrl+C, so a job it configured is cancelled on the way out.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    focus = Focus(args.url, api_key=args.api_key, retry_deadline=args.retry_deadline)
    try:
        if args.command == "live":
            _print(focus.live_metadata())
        elif args.command == "channels":
            low, high = focus.channels()
            print(f"{low} {high}")
        elif args.command == "jobs":
            rows = focus.jobs(args.state)
            print(f"{'job_id':<14} {'state':<10} {'mode':<9} {'port':>6} {'age_s':>9}  silo")
            for row in rows:
                print(f"{row['job_id']:<14} {row['state']:<10} {row['mode']:<9} {row.get('stream_port') or '-':>6} "
                      f"{row['age_seconds']:>9.1f}  {row.get('silo') or '-'}")
        elif args.command == "recordings":
            for start, end in focus.recordings(args.start, args.end):
                print(f"{start:%Y-%m-%dT%H:%M:%SZ}  {end:%Y-%m-%dT%H:%M:%SZ}" if end else f"{start:%Y-%m-%dT%H:%M:%SZ}  (recording)")
        elif args.command == "cancel":
            print(focus.job(args.job).cancel()["state"])
        elif args.command == "status":
            _print(focus.job(args.job).status())
        else:
            with _open_job(focus, args) as job:
                if args.command == "watch":
                    _watch(job, args)
                else:
                    seconds, lines = _limits(job, args)
                    spectrogram = job.read_numpy(seconds=seconds, lines=lines, channel=args.channel,
                                                 stream=0 if args.command == "plot" and args.channel is None else None)
                    if args.command == "save":
                        save_spectrogram(spectrogram, args.out)
                    else:
                        plot_spectrogram(spectrogram, args.out, args.cmap)
                    print(f"{args.out}: {' x '.join(f'{d} {n}' for d, n in zip(spectrogram.dims, spectrogram.values.shape))}, "
                          f"{int((spectrogram.gap != '').sum())} missing lines")
        return 0
    except KeyboardInterrupt:
        sys.stderr.write("\ninterrupted\n")
        return 130
    except FocusValidationError as e:
        for field, messages in e.errors.items():
            for message in messages:
                sys.stderr.write(f"{field}: {message}\n")
        return 2
    except (FocusError, FocusStreamError) as e:
        sys.stderr.write(f"focus: {e}\n")
        return 1
    finally:
        focus.close()


if __name__ == "__main__":
    sys.exit(main())
