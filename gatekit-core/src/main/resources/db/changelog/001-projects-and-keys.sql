--liquibase formatted sql

--changeset gatekit:001-projects
CREATE TABLE projects (
    id            uuid         PRIMARY KEY,
    slug          varchar(64)  NOT NULL UNIQUE,
    name          varchar(200) NOT NULL,
    description   text,
    environment   varchar(20)  NOT NULL,
    is_default    boolean      NOT NULL DEFAULT false,
    settings      jsonb        NOT NULL DEFAULT '{}'::jsonb,
    owner_subject varchar(255),
    created_at    timestamptz  NOT NULL,
    updated_at    timestamptz  NOT NULL
);
CREATE INDEX projects_owner_subject_idx ON projects (owner_subject);
--rollback DROP TABLE projects;

--changeset gatekit:001-api-keys
CREATE TABLE api_keys (
    id           uuid         PRIMARY KEY,
    project_id   uuid         REFERENCES projects (id) ON DELETE CASCADE,
    name         varchar(200) NOT NULL,
    key_hash     char(64)     NOT NULL UNIQUE,
    key_prefix   varchar(16)  NOT NULL,
    key_suffix   varchar(4)   NOT NULL,
    environment  varchar(20)  NOT NULL,
    scopes       text         NOT NULL,
    is_admin     boolean      NOT NULL DEFAULT false,
    expires_at   timestamptz,
    revoked_at   timestamptz,
    last_used_at timestamptz,
    created_at   timestamptz  NOT NULL,
    created_by   varchar(255),
    CONSTRAINT api_keys_project_or_admin CHECK (project_id IS NOT NULL OR is_admin)
);
CREATE INDEX api_keys_project_idx ON api_keys (project_id, created_at DESC);
--rollback DROP TABLE api_keys;
