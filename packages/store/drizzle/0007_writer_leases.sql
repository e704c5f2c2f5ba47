CREATE TABLE `writer_leases` (
	`execution_id` text PRIMARY KEY NOT NULL,
	`pid` integer NOT NULL,
	`host` text NOT NULL,
	`process_started_at` integer NOT NULL,
	`heartbeat_at` integer NOT NULL,
	`child_pgid` integer,
	`child_started_at` integer
);
