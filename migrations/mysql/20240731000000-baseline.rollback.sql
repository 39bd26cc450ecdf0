-- Rollback of 20240731000000-baseline: drops the seven pre-existing tables, one DROP TABLE per
-- CREATE TABLE in reverse order (their indexes go with them). Every row is lost.
-- Never run this on an adopted production database.

DROP TABLE `feed_posts`;

DROP TABLE `applications`;

DROP TABLE `experience_launchpads`;

DROP TABLE `gigs`;

DROP TABLE `projects`;

DROP TABLE `profiles`;

DROP TABLE `users`;
