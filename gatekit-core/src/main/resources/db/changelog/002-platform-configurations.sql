--liquibase formatted sql

--changeset gatekit:002-platform-configurations
CREATE TABLE platform_configurations (
    id                     uuid             PRIMARY KEY,
    project_id             uuid             NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    platform               varchar(32)      NOT NULL,
    name                   varchar(200)     NOT NULL,
    credentials_ciphertext text             NOT NULL,
    settings               jsonb            NOT NULL DEFAULT '{}'::jsonb,
    webhook_token          uuid             NOT NULL UNIQUE,
    is_active              boolean          NOT NULL DEFAULT true,
    test_mode              boolean          NOT NULL DEFAULT false,
    messages_per_second    double precision,
    per_target_per_second  double precision,
    created_at             timestamptz      NOT NULL,
    updated_at             timestamptz      NOT NULL
);
CREATE INDEX platform_configurations_project_idx ON platform_configurations (project_id, platform, created_at);
--rollback DROP TABLE platform_configurations;
