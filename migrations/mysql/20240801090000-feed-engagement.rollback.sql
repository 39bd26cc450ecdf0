-- Rollback of 20240801090000-feed-engagement: drops the five feed tables, one DROP TABLE per
-- CREATE TABLE in reverse order (their indexes go with them), restoring the baseline schema.
-- Every post, reaction, comment, share and activity log row is lost.

DROP TABLE `feed_activity_logs`;

DROP TABLE `feed_shares`;

DROP TABLE `feed_comments`;

DROP TABLE `feed_reactions`;

DROP TABLE `feed_posts`;
