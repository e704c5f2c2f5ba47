CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"hash" text NOT NULL,
	"scopes" text NOT NULL,
	"user_id" text,
	"created_at" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "content_keys" (
	"user_id" text PRIMARY KEY NOT NULL,
	"key_id" text NOT NULL,
	"wrapped" text NOT NULL,
	"master_key_id" text NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "content_keys_key_id_unique" UNIQUE("key_id")
);
--> statement-breakpoint
CREATE TABLE "execution_workspaces" (
	"execution_id" text PRIMARY KEY NOT NULL,
	"workspace" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "forgotten_users" (
	"user_id" text PRIMARY KEY NOT NULL,
	"key_id" text NOT NULL,
	"forgotten_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "execution_workspaces" ADD CONSTRAINT "execution_workspaces_execution_id_executions_id_fk" FOREIGN KEY ("execution_id") REFERENCES "public"."executions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "idx_api_tokens_name" ON "api_tokens" USING btree ("name");