"""Run a yoyo command against DATABASE_URL (default: the local SQLite file) with the right dialect folder.

    python -m tools.run apply
    python -m tools.run rollback [--revision ID | --all]
    python -m tools.run list | mark [--revision ID] | unmark [--revision ID] | break-lock

It prints the yoyo command it runs (password masked) so that a DBA can run the same thing by hand.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys

from tools.migrations import ROOT, dialect_of, folder, mask, target_url, yoyo_url

COMMANDS = ("apply", "rollback", "list", "mark", "unmark", "break-lock")


def yoyo_command(command: str, url: str, extra: list[str]) -> list[str]:
    yoyo = os.path.join(os.path.dirname(sys.executable), "yoyo")
    args = [yoyo, command, "--batch", "-d", yoyo_url(url)]
    if command != "break-lock":
        args.append(str(folder(dialect_of(url)).relative_to(ROOT)))
    return args + extra


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        return 2
    url = target_url()
    # Issue 14: refuse unfinished migrations before yoyo runs (the lead moves this into the new runner).
    if argv[0] in ("apply", "rollback"):
        from tools.migrations import unfinished_message, unfinished_migrations

        if unfinished := unfinished_migrations(dialect_of(url)):
            print(unfinished_message(unfinished), file=sys.stderr)
            return 2
    cmd = yoyo_command(argv[0], url, argv[1:])
    shown = [mask(a) if "://" in a else a for a in cmd]
    shown[0] = "yoyo"
    print("+ " + shlex.join(shown), file=sys.stderr)
    return subprocess.run(cmd, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
