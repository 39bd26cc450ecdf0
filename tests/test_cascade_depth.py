"""Deleting a deep comment thread: InnoDB's cascade-depth limit fails the delete cleanly on MySQL/MariaDB,
and the same delete works on PostgreSQL and SQLite.

`feed_comments.parentId` cascades ON DELETE through a thread, and InnoDB stops after 15 nested cascades:
the whole DELETE fails with an error naming the limit, each family its own (MariaDB: error 1296 "Got error 193 ...
feed_comments_parentId_fkey ..."; MySQL: 3008 "Foreign key cascade delete/update exceeds max depth of 15")
and deletes nothing. Deleting the post or the author adds a level. docs/failure-and-recovery.md
gives the depths measured here.
"""

import uuid

import pytest

# What is deleted -> the longest chain of comments (a root and its replies, each replying to the one
# before) that MySQL/MariaDB can still delete that way; one comment more and it refuses.
DELETABLE_ON_MYSQL = {"comment": 15, "post": 14, "author": 14}

# The one accepted difference between the MySQL family's servers: how they report the limit.
# (error number, text the message must contain) per server family.
CASCADE_DEPTH_ERROR = {
    # MariaDB: error 1296 "Got error 193 '`db`.`feed_comments`, CONSTRAINT `feed_comments_parentId_fkey` ..."
    "MariaDB": (1296, "feed_comments_parentId_fkey"),
    # MySQL 8.0/8.4: error 3008 "Foreign key cascade delete/update exceeds max depth of 15."
    "MySQL": (3008, "max depth of 15"),
}


def family(db) -> str:
    version = db.execute("SELECT VERSION()")[0][0]
    return "MariaDB" if "mariadb" in version.lower() else "MySQL"


def chain(db, comments: int) -> tuple[int, int, list[int]]:
    """A user, their post, and a chain of `comments` comments on it, each replying to the previous one."""
    user = db.insert("users", email=f"{uuid.uuid4().hex}@example.com", password="x")
    post = db.insert("feed_posts", userId=user, content="a post")
    ids, parent = [], None
    for _ in range(comments):
        parent = db.insert("feed_comments", postId=post, userId=user, parentId=parent, body="a reply")
        ids.append(parent)
    return user, post, ids


def delete(target: str, user: int, post: int, ids: list[int]) -> str:
    table, key = {"comment": ("feed_comments", ids[0]), "post": ("feed_posts", post),
                  "author": ("users", user)}[target]
    return f'DELETE FROM "{table}" WHERE "id" = {key}'


def still_there(db, user: int, post: int) -> tuple[int, int, int]:
    """(comments on the post, the post, the user) as counts."""
    return (db.execute('SELECT COUNT(*) FROM "feed_comments" WHERE "postId" = %s', (post,))[0][0],
            db.execute('SELECT COUNT(*) FROM "feed_posts" WHERE "id" = %s', (post,))[0][0],
            db.execute('SELECT COUNT(*) FROM "users" WHERE "id" = %s', (user,))[0][0])


@pytest.mark.parametrize("target", DELETABLE_ON_MYSQL)
def test_a_thread_one_level_too_deep_for_innodb_is_refused_whole_there_and_deleted_elsewhere(migrated, target):
    """MySQL family: the delete fails with InnoDB's cascade-depth error and every row stays; once the
    deepest reply is deleted first, the same delete goes through. PostgreSQL, SQLite: the delete cascades
    through the whole thread."""
    db = migrated
    comments = DELETABLE_ON_MYSQL[target] + 1
    user, post, ids = chain(db, comments)
    statement = delete(target, user, post, ids)
    if db.dialect == "mysql":
        error = db.rejects(statement)
        number, text = CASCADE_DEPTH_ERROR[family(db)]
        assert error.args[0] == number and text in str(error.args[1]), (family(db), error.args)
        assert still_there(db, user, post) == (comments, 1, 1)
        db.execute(f'DELETE FROM "feed_comments" WHERE "id" = {ids[-1]}')
    db.execute(statement)
    assert still_there(db, user, post) == (0, int(target == "comment"), int(target != "author"))


@pytest.mark.parametrize("target", DELETABLE_ON_MYSQL)
def test_the_deepest_thread_innodb_can_cascade_through_is_deleted_whole(migrated, target):
    """One level less and the same delete cascades through the whole thread on every dialect."""
    db = migrated
    user, post, ids = chain(db, DELETABLE_ON_MYSQL[target])
    db.execute(delete(target, user, post, ids))
    assert still_there(db, user, post) == (0, int(target == "comment"), int(target != "author"))
