-- Index-assisted `like` / `ilike` search under RLS, where this migration may grant it.
--
-- PostgreSQL evaluates a non-LEAKPROOF operator only after the RLS policy has accepted the row, so
-- under RLS `email ilike '%term%'` can never be answered from the trigram indexes: every row is read.
-- textlike/texticlike are not marked LEAKPROOF because an invalid *pattern* raises an error. Here the
-- pattern is always the caller's own search value (the REST layer only builds `column ilike value`,
-- and no view or policy in this project uses a column as a pattern), so the error reveals nothing
-- about hidden rows; the result itself is only a boolean that the RLS qual still filters.
-- Rule that keeps this sound: never write `<value> like <column>` in a view, policy or function.
--
-- Only a superuser may mark a function LEAKPROOF. The embedded server (PGlite) and a local PostgreSQL
-- migrate as superuser and get the index; a Supabase project does not allow it, and there the search
-- stays correct but reads every customer row (docs/roles.md, "Search under RLS").
do $$
begin
  if (select rolsuper from pg_roles where rolname = current_user) then
    alter function pg_catalog.textlike(text, text) leakproof;
    alter function pg_catalog.texticlike(text, text) leakproof;
  else
    raise notice 'not a superuser: like/ilike stay non-leakproof, so customer search under RLS cannot use the trigram indexes';
  end if;
end
$$;
