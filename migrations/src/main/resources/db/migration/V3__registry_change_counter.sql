-- A counter that every committed change of the credential catalog's tables moves forward, so that an instance can
-- tell with one single-row read whether its in-memory catalog may be stale (the periodic safety-net reload only
-- reads the catalog again when it has moved).

create table registry_change (
    id       boolean primary key default true check (id),
    changes  bigint  not null
);
insert into registry_change (id, changes) values (true, 0);

create function count_registry_change() returns trigger language plpgsql as $$
begin
    -- qualified by the changed table's schema, so the count is right whatever the session's search_path
    execute format('update %I.registry_change set changes = changes + 1 where id', tg_table_schema);
    return null;
end;
$$;

create trigger tenant_changed after insert or update or delete or truncate on tenant
    for each statement execute function count_registry_change();
create trigger app_changed after insert or update or delete or truncate on app
    for each statement execute function count_registry_change();
create trigger environment_changed after insert or update or delete or truncate on environment
    for each statement execute function count_registry_change();
create trigger credential_changed after insert or update or delete or truncate on credential
    for each statement execute function count_registry_change();
