-- The version of the JSON shapes a run row was written with (see RUN_RECORD_VERSION in
-- libs/contract/src/record/run-record.schema.ts): rows that exist now were written before
-- versions existed (0); new runs are created with the current version, and readers upgrade
-- older ones as they read them.
-- AlterTable
ALTER TABLE "Run" ADD COLUMN "recordVersion" INTEGER NOT NULL DEFAULT 0;
