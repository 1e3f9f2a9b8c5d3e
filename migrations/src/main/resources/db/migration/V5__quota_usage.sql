-- Upstream calls per upstream credential, quota day (the calendar day in UTC+8, as WeChat counts) and counter (the
-- endpoint path, or '/cgi-bin/stable_token#force_refresh'): the durable copy of the quota counters kept in Redis.
-- Written with greatest(), never lowered, from the counts Redis returned (shortly after the calls) and directly by
-- refreshes coordinated in PostgreSQL while Redis is unreachable; read back into Redis when Redis lost them. Rows of
-- old quota days are removed by the service (a few days are kept).
create table quota_usage (
    upstream_id  bigint       not null references upstream_credential (id) on delete cascade,
    quota_day    date         not null,
    counter      varchar(100) not null,
    calls        bigint       not null check (calls >= 0),
    updated_at   timestamptz  not null default now(),
    primary key (upstream_id, quota_day, counter)
);
create index quota_usage_day_idx on quota_usage (quota_day);
