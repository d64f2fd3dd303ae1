-- What a Supabase project already has before our migrations run. Supabase creates
-- these itself, so they live here (embedded server, tests) and never in supabase/migrations.
do $$
begin
  if not exists (select from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
end
$$;

-- The server connects as the owner and switches with SET LOCAL ROLE, as PostgREST's authenticator does.
grant anon, authenticated, service_role to current_user;

create schema if not exists auth;
create schema if not exists extensions;
grant usage on schema auth, extensions, public to anon, authenticated, service_role;

-- Supabase's definitions: claims come from the request, set per transaction.
create or replace function auth.jwt() returns jsonb
language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

create or replace function auth.role() returns text
language sql stable
as $$ select coalesce(auth.jwt() ->> 'role', 'anon') $$;

grant execute on function auth.jwt(), auth.role() to anon, authenticated, service_role;

-- Supabase grants every API role access to new objects in public; RLS is what restricts rows.
-- Reproduce that so a migration behaves here exactly as it does on a Supabase project.
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;

-- Supabase's statement timeouts per API role (anon 3 s, authenticated 8 s; service_role has none of its own and gets
-- the 8 s of authenticator, the role PostgREST logs in as). The embedded server applies these per request, as
-- PostgREST applies role settings, so a runaway query is cancelled here as it is in production.
do $$
begin
  if not exists (select from pg_roles where rolname = 'authenticator') then
    create role authenticator nologin noinherit;
  end if;
end
$$;
-- Only when not set already: roles are cluster-wide, and databases bootstrapped side by side (test runs) would
-- otherwise race on the same pg_authid rows ("tuple concurrently updated").
do $$
declare
  wanted constant text[][] := array[['authenticator', '8s'], ['anon', '3s'], ['authenticated', '8s']];
  i int;
begin
  for i in 1 .. array_length(wanted, 1) loop
    if not exists (select from pg_roles where rolname = wanted[i][1] and rolconfig @> array['statement_timeout=' || wanted[i][2]]) then
      execute format('alter role %I set statement_timeout = %L', wanted[i][1], wanted[i][2]);
    end if;
  end loop;
end
$$;
