-- Tell the planner what a pattern match really costs. Built-in textlike/texticlike carry cost 1 (as cheap as
-- `=`), so at 100,000 customers the planner preferred evaluating `ilike '%term%'` three times per row in a
-- sequential scan (1.4 s on PGlite) over the trigram indexes (≈ 50–150 ms). Measured on the bench data: any
-- cost ≥ 10 flips the plan to a BitmapOr over the trigram indexes; 20 leaves margin without affecting
-- equality plans. Like 0700, this needs a superuser (the embedded server, a local PostgreSQL); on a Supabase
-- project it is skipped and the search stays correct but slower (docs/roles.md, "Search under RLS").
do $$
begin
  if (select rolsuper from pg_roles where rolname = current_user) then
    alter function pg_catalog.textlike(text, text) cost 20;
    alter function pg_catalog.texticlike(text, text) cost 20;
  else
    raise notice 'not a superuser: like/ilike keep their default cost; customer search may choose a sequential scan';
  end if;
end
$$;
