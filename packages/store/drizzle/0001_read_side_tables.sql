CREATE TABLE `execution_summaries` (
	`execution_id` text PRIMARY KEY NOT NULL,
	`event_count` integer DEFAULT 0 NOT NULL,
	`goal` text,
	`step_count` integer DEFAULT 0 NOT NULL,
	`tools_used` text DEFAULT '[]' NOT NULL,
	`tool_calls` integer DEFAULT 0 NOT NULL,
	`tool_failures` integer DEFAULT 0 NOT NULL,
	`tool_time_ms` integer DEFAULT 0 NOT NULL,
	`tokens_used` integer DEFAULT 0 NOT NULL,
	`model_used` text,
	`approval_pending` integer DEFAULT 0 NOT NULL,
	`error_count` integer DEFAULT 0 NOT NULL,
	`first_event_at` text,
	`last_event_at` text,
	`last_position` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`execution_id`) REFERENCES `executions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`key` text PRIMARY KEY NOT NULL,
	`execution_id` text NOT NULL,
	`request_hash` text NOT NULL,
	`version` integer NOT NULL,
	`first_position` integer NOT NULL,
	`last_position` integer NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `projection_checkpoints` (
	`name` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `projector_dead_letters` (
	`projection` text NOT NULL,
	`position` integer NOT NULL,
	`execution_id` text NOT NULL,
	`error` text NOT NULL,
	`recorded_at` text NOT NULL,
	PRIMARY KEY(`projection`, `position`)
);
--> statement-breakpoint
CREATE TABLE `tool_calls` (
	`position` integer PRIMARY KEY NOT NULL,
	`execution_id` text NOT NULL,
	`tool` text NOT NULL,
	`success` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`completed_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `idx_tool_calls_tool` ON `tool_calls` (`tool`);--> statement-breakpoint
CREATE INDEX `idx_tool_calls_execution_id` ON `tool_calls` (`execution_id`);--> statement-breakpoint
CREATE INDEX `idx_executions_status` ON `executions` (`status`,`created_at`);