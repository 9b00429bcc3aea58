-- Attempts of a run that ended with their worker or training thread dying: the worker fails
-- a run for good after two, instead of letting it take down workers up to its claim limit.
-- AlterTable
ALTER TABLE "Run" ADD COLUMN "crashes" INTEGER NOT NULL DEFAULT 0;
