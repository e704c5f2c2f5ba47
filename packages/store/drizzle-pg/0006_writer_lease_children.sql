CREATE TABLE "writer_lease_children" (
	"execution_id" text NOT NULL,
	"pgid" integer NOT NULL,
	"started_at" bigint,
	CONSTRAINT "writer_lease_children_execution_id_pgid_pk" PRIMARY KEY("execution_id","pgid")
);
