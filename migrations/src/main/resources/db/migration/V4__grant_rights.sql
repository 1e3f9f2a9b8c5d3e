-- The calls a grant allows on its app/environment: reading tokens ('token'), logging mini program users in and
-- using their sessions ('session'), phone numbers ('phone-number'), JS-SDK tickets and signatures ('jssdk').
-- Grants that exist keep exactly what they allowed before: token reads.
alter table api_client_grant
    add column rights varchar(16)[] not null default '{token}'
        check (cardinality(rights) > 0
               and rights <@ array['token', 'session', 'phone-number', 'jssdk']::varchar(16)[]);

alter table api_client_grant alter column rights drop default;
