-- Rollback of 20240801090000-trust-payments: drops the four escrow and dispute tables, one DROP TABLE
-- per CREATE TABLE in reverse order (their indexes go with them), restoring the schema of
-- feed-engagement. Every escrow account, transaction, dispute case and dispute event is lost.
-- Each DROP TABLE takes a metadata lock on users, projects and gigs (exclusive on MySQL 8), waiting
-- at most 1 s (lock_wait_timeout, set first) behind open transactions on them, then failing with
-- nothing half-done.

SET SESSION lock_wait_timeout = 1;

DROP TABLE `dispute_events`;

DROP TABLE `dispute_cases`;

DROP TABLE `escrow_transactions`;

DROP TABLE `escrow_accounts`;

SET SESSION lock_wait_timeout = DEFAULT;
