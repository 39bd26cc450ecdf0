-- Rollback of 20240801090000-trust-payments: drops the four escrow and dispute tables and their
-- eight enum types, restoring the schema of feed-engagement. Every escrow account, transaction,
-- dispute case and dispute event is lost; only a backup restores them. The forward file adds the
-- foreign keys to users, projects and gigs by ALTER TABLE at its end; DROP TABLE removes them with
-- their tables, so there is no separate DROP CONSTRAINT. Dropping them takes ACCESS EXCLUSIVE on
-- users, projects and gigs until the commit; lock_timeout = 100 ms bounds each wait; behind a long
-- transaction it fails with SQLSTATE 55P03, the whole rollback is undone, and `make rollback`
-- retries.

SET LOCAL lock_timeout = '100ms';

DROP INDEX "dispute_events_dispute_case_id";

DROP INDEX "dispute_events_actor_type";

DROP INDEX "dispute_events_action_type";

DROP TABLE "dispute_events";

DROP INDEX "dispute_cases_status";

DROP INDEX "dispute_cases_stage";

DROP INDEX "dispute_cases_priority";

DROP INDEX "dispute_cases_opened_by_id";

DROP INDEX "dispute_cases_escrow_transaction_id";

DROP TABLE "dispute_cases";

DROP INDEX "escrow_transactions_status";

DROP INDEX "escrow_transactions_scheduled_release_at";

DROP INDEX "escrow_transactions_project_id";

DROP INDEX "escrow_transactions_gig_id";

DROP INDEX "escrow_transactions_account_id";

DROP TABLE "escrow_transactions";

DROP INDEX "escrow_accounts_user_id";

DROP INDEX "escrow_accounts_status";

DROP INDEX "escrow_accounts_provider";

DROP TABLE "escrow_accounts";

DROP TYPE "enum_dispute_events_actionType";

DROP TYPE "enum_dispute_events_actorType";

DROP TYPE "enum_dispute_cases_priority";

DROP TYPE "enum_dispute_cases_status";

DROP TYPE "enum_dispute_cases_stage";

DROP TYPE "enum_escrow_transactions_status";

DROP TYPE "enum_escrow_transactions_type";

DROP TYPE "enum_escrow_accounts_status";
