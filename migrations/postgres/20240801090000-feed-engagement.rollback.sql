-- Rollback of 20240801090000-feed-engagement: drops the five feed tables and their four enum types,
-- statement for statement in reverse, restoring the baseline schema. Every post, reaction, comment,
-- share and activity log row is lost; nothing can restore it but a backup.

SET LOCAL lock_timeout = '5s';

DROP INDEX "feed_activity_logs_action_created_at";

DROP INDEX "feed_activity_logs_actor_id";

DROP INDEX "feed_activity_logs_comment_id";

DROP INDEX "feed_activity_logs_post_id";

DROP TABLE "feed_activity_logs";

DROP INDEX "feed_shares_channel_created_at";

DROP INDEX "feed_shares_user_id";

DROP INDEX "feed_shares_post_id";

DROP TABLE "feed_shares";

DROP INDEX "feed_comments_user_id";

DROP INDEX "feed_comments_parent_id";

DROP INDEX "feed_comments_post_id";

DROP TABLE "feed_comments";

DROP INDEX "feed_reactions_user_id";

DROP INDEX "feed_reactions_post_id_user_id";

DROP TABLE "feed_reactions";

DROP INDEX "feed_posts_visibility";

DROP INDEX "feed_posts_created_at";

DROP INDEX "feed_posts_user_id";

DROP TABLE "feed_posts";

DROP TYPE "enum_feed_activity_logs_action";

DROP TYPE "enum_feed_shares_channel";

DROP TYPE "enum_feed_reactions_reactionType";

DROP TYPE "enum_feed_posts_visibility";
