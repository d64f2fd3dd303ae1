-- Erasure deletes a subject's generations and projects. Each deleted row makes PostgreSQL look for
-- rows that reference it (ON DELETE SET NULL), and dsar_erasure_plan asks which generations the
-- credit ledger refers to. Without these indexes each of those lookups reads the whole credit
-- ledger or assets table: a heavy subject's 1,000 generations would mean 1,000 scans of millions of rows.
create index if not exists credit_ledger_generation_idx on public.credit_ledger (generation_id) where generation_id is not null;
create index if not exists assets_project_idx on public.assets (project_id) where project_id is not null;
