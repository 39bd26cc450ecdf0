"""No database password is committed: URLs with passwords come from the environment or an untracked file.

Every file git would commit (tracked, or new and not ignored) is searched for a URL with a password,
`scheme://user:password@host`. The password must be a placeholder: one of PLACEHOLDERS, or a reference
filled in at run time (`{name}`, `${NAME}`, `$NAME`, `%(name)s`, `<name>`). Documentation uses the
placeholders; real credentials go in DATABASE_URL / TEST_*_URL or in `.env`, which git ignores.
"""

import re
import subprocess

from tools.migrations import ROOT

URL_WITH_PASSWORD = re.compile(r"\b[a-z][a-z0-9+.-]*://[^\s/:@'\"`<>]+:([^\s/'\"`]*)@[^\s/'\"`@]")
PLACEHOLDERS = {
    "secret", "pw", "pass", "password", "***",
    "test",  # the password testcontainers' throwaway MySQL container is started with
}
REFERENCE = re.compile(r"^(\{\w*\}|\$\{\w+\}|\$\w+|%\(\w+\)s|<[\w-]+>)$")


def passwords_in(text: str) -> list[str]:
    """The passwords of URLs in `text` that are neither placeholders nor run-time references."""
    return [m.group(0) for m in URL_WITH_PASSWORD.finditer(text)
            if m.group(1).lower() not in PLACEHOLDERS and not REFERENCE.match(m.group(1))]


def committable_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode()
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def test_the_rule_finds_a_real_password_and_lets_placeholders_through():
    real = ["mysql://app:" + "hunter2@db.internal:3306/app",
            "postgresql+psycopg://app:" + "S3cr%40t@10.0.0.5/app",
            "DATABASE_URL=postgres://deploy:" + "correct-horse@db/app"]
    assert [len(passwords_in(url)) for url in real] == [1, 1, 1]
    fine = ["mysql://app:" + "secret@db:3306/app", "postgresql+psycopg://postgres:" + "pw@127.0.0.1/postgres",
            "mysql://root@127.0.0.1:3306/", "postgresql+psycopg://app:" + "***@db/app",
            'f"mysql://root:' + '{password}@{host}:{port}/"', "https://example.com/a:b@c"]
    assert [passwords_in(text) for text in fine] == [[]] * len(fine)


def test_no_committable_file_holds_a_database_password():
    found = []
    for name in committable_files():
        text = (ROOT / name).read_bytes().decode("utf-8", errors="replace")
        found += [f"{name}: {url}" for url in passwords_in(text)]
    assert not found, "use a placeholder or the environment:\n" + "\n".join(found)


def test_the_local_env_file_is_ignored_by_git():
    assert subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT).returncode == 0
    assert subprocess.run(["git", "ls-files", "--error-unmatch", ".env"], cwd=ROOT,
                          capture_output=True).returncode != 0, ".env is tracked"
