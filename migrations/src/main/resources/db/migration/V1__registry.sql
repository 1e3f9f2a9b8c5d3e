-- Registry: tenants, apps, environments and their credentials; API clients; admin users; audit; token state.
-- Secrets and tokens are stored only as envelopes (see dev.tokencenter.crypto.Envelope): never in plaintext.

create table tenant (
    id          varchar(63)  primary key check (id ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name        varchar(200) not null,
    created_at  timestamptz  not null default now()
);

create table app (
    id          bigint generated always as identity primary key,
    tenant_id   varchar(63)  not null references tenant (id),
    slug        varchar(63)  not null check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name        varchar(200) not null,
    platform    varchar(32)  not null check (platform in ('WECHAT_MINIPROGRAM', 'WECHAT_OFFICIAL_ACCOUNT', 'WECOM')),
    created_at  timestamptz  not null default now(),
    unique (tenant_id, slug)
);

create table environment (
    id          bigint generated always as identity primary key,
    app_id      bigint       not null references app (id),
    name        varchar(63)  not null check (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    production  boolean      not null default false,
    enabled     boolean      not null default true,
    token_mode  varchar(16)  not null default 'STABLE' check (token_mode in ('STABLE', 'CLASSIC')),
    created_at  timestamptz  not null default now(),
    updated_at  timestamptz  not null default now(),
    unique (app_id, name)
);

-- One credential per environment. appid holds the WeCom corp id for WeCom apps.
create table credential (
    environment_id   bigint       primary key references environment (id) on delete cascade,
    appid            varchar(64)  not null,
    agent_id         varchar(32),
    secret_envelope  bytea        not null,
    secret_key_id    varchar(32)  not null,
    secret_hint      varchar(8)   not null,
    version          integer      not null default 1,
    rotated_at       timestamptz  not null default now()
);
create index credential_appid_idx on credential (appid);
create index credential_key_id_idx on credential (secret_key_id);

create table api_client (
    id          varchar(40)  primary key,
    tenant_id   varchar(63)  not null references tenant (id),
    name        varchar(200) not null,
    key_hash    varchar(128) not null,
    created_at  timestamptz  not null default now(),
    revoked_at  timestamptz
);
create index api_client_tenant_idx on api_client (tenant_id);

-- '*' grants every app (or every environment of the app).
create table api_client_grant (
    client_id   varchar(40) not null references api_client (id) on delete cascade,
    app_slug    varchar(63) not null check (app_slug = '*' or app_slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    env_name    varchar(63) not null check (env_name = '*' or env_name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    primary key (client_id, app_slug, env_name)
);

create table admin_user (
    username       varchar(63)  primary key,
    password_hash  varchar(200) not null,
    role           varchar(16)  not null check (role in ('ADMIN', 'OPERATOR', 'VIEWER')),
    enabled        boolean      not null default true,
    created_at     timestamptz  not null default now()
);

create table audit_event (
    id          bigint generated always as identity primary key,
    at          timestamptz  not null default now(),
    actor       varchar(100) not null,
    action      varchar(64)  not null,
    tenant_id   varchar(63),
    target      varchar(300) not null,
    outcome     varchar(16)  not null check (outcome in ('SUCCESS', 'DENIED', 'FAILED')),
    details     jsonb        not null default '{}'::jsonb
);
create index audit_event_tenant_at_idx on audit_event (tenant_id, at desc);
create index audit_event_at_idx on audit_event (at desc);

-- The current token of a credential and the outcome of its last refresh. sequence orders fetches: a write with a
-- lower sequence than the stored one never replaces it (a late refresh never overwrites a newer token).
create table token_state (
    environment_id      bigint       primary key references environment (id) on delete cascade,
    token_envelope      bytea,
    token_key_id        varchar(32),
    token_appid         varchar(64),
    sequence            bigint       not null default 0,
    expires_at          timestamptz,
    obtained_at         timestamptz,
    state               varchar(16)  not null default 'NO_TOKEN'
                        check (state in ('OK', 'REFRESHING', 'RETRYING', 'STOPPED', 'PAUSED', 'NO_TOKEN')),
    next_refresh_at     timestamptz,
    last_trigger        varchar(32),
    last_error_code     integer,
    last_error_message  varchar(500),
    last_error_policy   varchar(32),
    last_error_ip       varchar(64),
    paused_until        timestamptz,
    refreshed_by        varchar(100),
    updated_at          timestamptz  not null default now()
);
create index token_state_key_id_idx on token_state (token_key_id);
