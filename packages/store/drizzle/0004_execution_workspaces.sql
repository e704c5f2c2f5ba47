CREATE TABLE `execution_workspaces` (
	`execution_id` text PRIMARY KEY NOT NULL,
	`workspace` text NOT NULL,
	FOREIGN KEY (`execution_id`) REFERENCES `executions`(`id`) ON UPDATE no action ON DELETE cascade
);
