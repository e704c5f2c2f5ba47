CREATE TABLE `writer_lease_children` (
	`execution_id` text NOT NULL,
	`pgid` integer NOT NULL,
	`started_at` integer,
	PRIMARY KEY(`execution_id`, `pgid`)
);
