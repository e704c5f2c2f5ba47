CREATE TABLE `content_keys` (
	`user_id` text PRIMARY KEY NOT NULL,
	`key_id` text NOT NULL,
	`wrapped` text NOT NULL,
	`master_key_id` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `content_keys_key_id_unique` ON `content_keys` (`key_id`);--> statement-breakpoint
CREATE TABLE `forgotten_users` (
	`user_id` text PRIMARY KEY NOT NULL,
	`key_id` text NOT NULL,
	`forgotten_at` text NOT NULL
);
