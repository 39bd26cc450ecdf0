"""The MySQL 8 compatibility checks of `make lint` (tools/lint_mysql8.py) pass on the repository's MySQL files
and each one fires on a defect planted in a scratch copy of them (the real files are never touched).

These checks exist because the suite runs the MySQL files on MariaDB here: MariaDB accepts every planted
defect below, MySQL 8.0/8.4 refuses it.
"""

import shutil

import pytest

from tools import lint_mysql8
from tools.migrations import folder

OWNER = "20240901120000-add-project-owner"
PROFILE = "20240915094500-profile-engagement-metrics"
LAUNCHPAD = "20240826094500-launchpad-workflows"


@pytest.fixture
def copy(tmp_path):
    """A scratch copy of migrations/mysql and a function that replaces text in one of its files."""
    where = tmp_path / "mysql"
    shutil.copytree(folder("mysql"), where)

    def plant(name: str, old: str, new: str):
        path = where / name
        text = path.read_text()
        assert text.count(old) == 1, f"{old!r} not found once in {name}"
        path.write_text(text.replace(old, new))

    return where, plant


@pytest.mark.parametrize("title,check", lint_mysql8.CHECKS)
def test_the_mysql_files_pass_every_mysql8_check(title, check):
    assert check() == []


def test_mariadb_only_syntax_is_reported(copy):
    where, plant = copy
    plant(f"{OWNER}.sql", "ADD COLUMN `ownerId` INT NULL,", "ADD COLUMN IF NOT EXISTS `ownerId` INT NULL,")
    findings = lint_mysql8.mariadb_only_syntax(where)
    assert len(findings) == 1 and f"{OWNER}.sql:" in findings[0] and "IF [NOT] EXISTS" in findings[0], findings


def test_a_word_reserved_since_mysql8_used_unquoted_is_reported(copy):
    where, plant = copy
    plant(f"{PROFILE}.sql", "    `priority` INT NOT NULL DEFAULT 0,", "    rank INT NOT NULL DEFAULT 0,")
    findings = lint_mysql8.reserved_words(where)
    assert len(findings) == 1 and "rank is a reserved word" in findings[0], findings


def test_lock_none_on_a_table_with_a_cascading_key_is_reported(copy):
    """profiles has an ON DELETE CASCADE key from the baseline: the old rollback's LOCK=NONE is caught."""
    where, plant = copy
    plant(f"{PROFILE}.rollback.sql", "DROP COLUMN `engagementRefreshedAt`,\n    ALGORITHM=INSTANT;",
          "DROP COLUMN `engagementRefreshedAt`,\n    ALGORITHM=INPLACE, LOCK=NONE;")
    findings = lint_mysql8.lock_none_on_cascading_tables(where)
    assert len(findings) == 1 and f"{PROFILE}.rollback.sql:" in findings[0] and "on profiles" in findings[0], findings


def test_lock_none_in_the_statement_that_adds_a_cascading_key_is_reported(copy):
    """projects has no cascading key before add-project-owner; the statement that gives it one may not
    say LOCK=NONE either."""
    where, plant = copy
    plant(f"{OWNER}.sql", "ON DELETE SET NULL ON UPDATE CASCADE,\n    ALGORITHM=INPLACE;",
          "ON DELETE SET NULL ON UPDATE CASCADE,\n    ALGORITHM=INPLACE, LOCK=NONE;")
    findings = lint_mysql8.lock_none_on_cascading_tables(where)
    assert len(findings) == 1 and f"{OWNER}.sql:" in findings[0] and "on projects" in findings[0], findings


def test_lock_none_on_a_table_without_cascading_keys_is_not_reported(copy):
    """experience_launchpads has no foreign key: LOCK=NONE is allowed there and the check stays quiet."""
    where, plant = copy
    plant(f"{LAUNCHPAD}.rollback.sql", "DROP COLUMN `programType`,\n    ALGORITHM=INSTANT;",
          "DROP COLUMN `programType`,\n    ALGORITHM=INPLACE, LOCK=NONE;")
    assert lint_mysql8.lock_none_on_cascading_tables(where) == []


def test_an_identifier_over_64_characters_is_reported(copy):
    where, plant = copy
    long_name = "projects_owner_id_idx_" + "x" * 43  # 65 characters
    plant(f"{OWNER}.sql", "`projects_owner_id_idx`", f"`{long_name}`")
    findings = lint_mysql8.long_identifiers(where)
    assert len(findings) == 1 and "65 characters" in findings[0], findings
