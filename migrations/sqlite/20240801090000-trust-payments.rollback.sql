-- Rollback of 20240801090000-trust-payments: drops the four escrow and dispute tables, statement for
-- statement in reverse, restoring the schema of feed-engagement. Every escrow account, transaction,
-- dispute case and dispute event is lost.

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
