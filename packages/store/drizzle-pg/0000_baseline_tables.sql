CREATE TABLE "execution_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"execution_id" text NOT NULL,
	"user_id" text NOT NULL,
	"event_type" text NOT NULL,
	"event_data" text NOT NULL,
	"timestamp" text NOT NULL,
	"created_at" text DEFAULT to_char(now() at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "execution_summaries" (
	"execution_id" text PRIMARY KEY NOT NULL,
	"event_count" integer DEFAULT 0 NOT NULL,
	"goal" text,
	"step_count" integer DEFAULT 0 NOT NULL,
	"tools_used" text DEFAULT '[]' NOT NULL,
	"tool_calls" integer DEFAULT 0 NOT NULL,
	"tool_failures" integer DEFAULT 0 NOT NULL,
	"tool_time_ms" bigint DEFAULT 0 NOT NULL,
	"tokens_used" bigint DEFAULT 0 NOT NULL,
	"model_used" text,
	"approval_pending" integer DEFAULT 0 NOT NULL,
	"error_count" integer DEFAULT 0 NOT NULL,
	"first_event_at" text,
	"last_event_at" text,
	"last_position" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "executions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"channel" text NOT NULL,
	"input_text" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" text NOT NULL,
	"completed_at" text
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"key" text PRIMARY KEY NOT NULL,
	"execution_id" text NOT NULL,
	"request_hash" text NOT NULL,
	"version" integer NOT NULL,
	"first_position" bigint NOT NULL,
	"last_position" bigint NOT NULL,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projection_checkpoints" (
	"name" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"position" bigint DEFAULT 0 NOT NULL,
	"updated_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "projector_dead_letters" (
	"projection" text NOT NULL,
	"position" bigint NOT NULL,
	"execution_id" text NOT NULL,
	"error" text NOT NULL,
	"recorded_at" text NOT NULL,
	CONSTRAINT "projector_dead_letters_projection_position_pk" PRIMARY KEY("projection","position")
);
--> statement-breakpoint
CREATE TABLE "tool_calls" (
	"position" bigint PRIMARY KEY NOT NULL,
	"execution_id" text NOT NULL,
	"tool" text NOT NULL,
	"success" integer NOT NULL,
	"duration_ms" bigint NOT NULL,
	"completed_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "execution_events" ADD CONSTRAINT "execution_events_execution_id_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."executions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "execution_summaries" ADD CONSTRAINT "execution_summaries_execution_id_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."executions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_events_execution_id" ON "execution_events" USING btree ("execution_id");--> statement-breakpoint
CREATE INDEX "idx_events_user_id" ON "execution_events" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_events_timestamp" ON "execution_events" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "idx_executions_user_id" ON "executions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_executions_created_at" ON "executions" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "idx_executions_status" ON "executions" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "idx_tool_calls_tool" ON "tool_calls" USING btree ("tool");--> statement-breakpoint
CREATE INDEX "idx_tool_calls_execution_id" ON "tool_calls" USING btree ("execution_id");