"""The operator's commands behind `make migrate | rollback | status | mark | break-lock`, on DATABASE_URL
(default: the local SQLite file), with the dialect folder its scheme names.

    python -m tools.run apply [--revision ID]
    python -m tools.run rollback [--revision ID | --all]
    python -m tools.run list | mark --revision ID | unmark [--revision ID] | break-lock

First it prints the plain yoyo command that does the same (password masked), so a DBA can run it by hand;
then it runs yoyo in this process (tools/runner.py), which adds what plain yoyo lacks: retries of a
migration whose lock wait timed out, safe Ctrl-C / SIGTERM, and one clear line per error.

Environment: LOCK_RETRIES (default 20), LOCK_RETRY_MAX_S (default 60), VERBOSE=1 (tracebacks and yoyo's
log), DROP_BASELINE=1 (allow rolling back the baseline). Exit codes: tools/errors.py and
docs/operations.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import shlex
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

from tools.errors import INTERRUPTED, OK, REFUSED, Failure, database_failure, is_driver_error, preflight, scrub
from tools.migrations import ROOT, dialect_of, folder, mask, target_url, yoyo_url
from tools.runner import DEFAULT_MAX_S, DEFAULT_RETRIES, RECOVERY_DOC, Control, Runner, Settings, say

COMMANDS = ("apply", "rollback", "list", "mark", "unmark", "break-lock")
SAME_INTERRUPT_S = 0.5  # a second signal sooner than this after the first is the same interrupt


def yoyo_command(command: str, url: str, extra: list[str], source: Path | None = None) -> list[str]:
    yoyo = os.path.join(os.path.dirname(sys.executable), "yoyo")
    args = [yoyo, command, "--batch", "-d", yoyo_url(url)]
    if command != "break-lock":
        where = Path(source or folder(dialect_of(url))).resolve()
        try:
            args.append(str(where.relative_to(ROOT)))
        except ValueError:
            args.append(str(where))
    return args + extra


def _settings() -> Settings:
    def number(name, default, kind):
        raw = os.environ.get(name, "").strip()
        if not raw:
            return default
        try:
            value = kind(raw)
        except ValueError:
            value = -1
        if value < 0:
            raise Failure(f"{name}={raw!r}: give a number >= 0 (default {default})", REFUSED)
        return value

    flag = lambda name: os.environ.get(name, "").strip() not in ("", "0")  # noqa: E731
    return Settings(retries=number("LOCK_RETRIES", DEFAULT_RETRIES, int),
                    max_s=number("LOCK_RETRY_MAX_S", DEFAULT_MAX_S, float),
                    verbose=flag("VERBOSE"), drop_baseline=flag("DROP_BASELINE"))


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tools.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=COMMANDS)
    parser.add_argument("--revision", help="apply: up to and including this migration; rollback: this migration "
                        "and every one after it; mark: it and its ancestors")
    parser.add_argument("--all", action="store_true", help="rollback: every applied migration")
    parser.add_argument("--source", type=Path, help="a migrations folder other than migrations/<dialect> "
                        "(a scratch copy, for tests)")
    args = parser.parse_args(argv)
    if args.revision and args.all:
        raise Failure("REVISION and ALL=1 together: give one of them (REVISION=<id> rolls back <id> and every "
                      "migration after it, ALL=1 rolls back everything)", REFUSED)
    if args.all and args.command != "rollback":
        raise Failure("--all is for rollback only", REFUSED)
    if args.command == "mark" and not args.revision:
        raise Failure("usage: make mark REVISION=<id>", REFUSED)
    return args


def work(args, url: str, dialect: str, settings: Settings, control: Control) -> int:
    preflight(url, dialect)
    runner = Runner(url, dialect, args.source, settings, control)
    if args.command == "apply":
        return runner.apply(args.revision)
    if args.command == "rollback":
        return runner.rollback(args.revision, args.all)
    if args.command == "list":
        return runner.status()
    if args.command in ("mark", "unmark"):
        return runner.mark(args.revision, unmark=args.command == "unmark")
    return runner.break_lock()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return REFUSED
    verbose = os.environ.get("VERBOSE", "").strip() not in ("", "0")
    try:
        settings = _settings()
        args = parse(argv)
    except Failure as failure:
        say(f"error: {failure}")
        return failure.code
    url = target_url()
    dialect = dialect_of(url)
    extra = (["--revision", args.revision] if args.revision else []) + (["--all"] if args.all else [])
    shown = [mask(a) if "://" in a else a for a in yoyo_command(args.command, url, extra, args.source)]
    shown[0] = "yoyo"
    say("+ " + shlex.join(shown))
    if verbose:  # yoyo's own log only (drivers' debug logs could show connection parameters)
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("  yoyo: %(message)s"))
        yoyo_log = logging.getLogger("yoyo")
        yoyo_log.addHandler(handler)
        yoyo_log.setLevel(logging.DEBUG)

    control = Control(dialect, url)
    outcome: dict = {}

    def body():
        try:
            outcome["code"] = work(args, url, dialect, settings, control)
        except BaseException as exc:  # reported by the main thread
            outcome["error"] = exc
            outcome["trace"] = traceback.format_exc()

    worker = threading.Thread(target=body, name="runner")

    first = {}

    def on_signal(signum, _frame):
        if control.signum is None:
            name = "SIGINT" if signum == signal.SIGINT else "SIGTERM"
            say(f"{name} received: stopping; what is running is cancelled and undone "
                f"(interrupt again to stop at once, leaving whatever is half done)")
            first["at"] = time.monotonic()
            control.interrupt(signum)
            return
        if time.monotonic() - first["at"] < SAME_INTERRUPT_S:
            # One interrupt delivered twice: a terminal's Ctrl-C reaches make and us, and make passes a
            # SIGTERM it receives on to us while the sender may signal the whole process group.
            return
        # Second interrupt: stop now. The worker may be undoing; say what may remain.
        say(scrub(f"stopped at once: {control.left_behind()}. yoyo's lock row stays (its process is gone): run "
                  f"make break-lock, then make status, and follow {RECOVERY_DOC}", url))
        sys.stderr.flush()
        os._exit(INTERRUPTED.get(control.signum, 130))

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        worker.start()
        while worker.is_alive():
            worker.join(0.2)
    finally:
        # The work is over: a late copy of the interrupt must not kill us before we report it.
        for s in previous:
            signal.signal(s, signal.SIG_IGN if control.signum is not None else previous[s])

    error = outcome.get("error")
    if error is None:
        return outcome.get("code", OK)
    if isinstance(error, Failure):
        say(scrub(f"error: {error}", url))
        if verbose and error.cause is not None:
            say(scrub("".join(traceback.format_exception(error.cause)), url))
        return error.code
    if is_driver_error(error):
        failure = database_failure(error, url)
        say(scrub(f"error: {failure}", url) + ("" if verbose else " (VERBOSE=1 for the traceback)"))
        if verbose:
            say(scrub(outcome["trace"], url))
        return failure.code
    if isinstance(error, SystemExit):
        return error.code if isinstance(error.code, int) else 1
    say(scrub(f"error: unexpected {type(error).__name__}: {' '.join(str(error).split())[:300]}"
              + ("" if verbose else " (run again with VERBOSE=1 for the traceback)"), url))
    if verbose:
        say(scrub(outcome["trace"], url))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
