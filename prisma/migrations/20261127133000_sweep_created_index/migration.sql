-- The sweep list pages newest first by ("createdAt", "id").
-- CreateIndex
CREATE INDEX "Sweep_createdAt_id_idx" ON "Sweep"("createdAt", "id");
