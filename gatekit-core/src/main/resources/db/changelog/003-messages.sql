--liquibase formatted sql

--changeset gatekit:003-messages
-- One row per accepted send request (a "job"). state is the aggregate of its targets' states,
-- kept in step with them so queue metrics are a GROUP BY, not a scan of every target.
CREATE TABLE messages (
    id                uuid         PRIMARY KEY,
    project_id        uuid         NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    state             varchar(16)  NOT NULL,
    priority          smallint     NOT NULL,
    body              jsonb        NOT NULL,
    tracking_id       varchar(200),
    idempotency_key   varchar(200),
    request_hash      char(64),
    created_by        varchar(255),
    scheduled_at      timestamptz,
    created_at        timestamptz  NOT NULL,
    updated_at        timestamptz  NOT NULL,
    processed_at      timestamptz,
    finished_at       timestamptz,
    CONSTRAINT messages_idempotency UNIQUE (project_id, idempotency_key)
);
CREATE INDEX messages_project_state_idx ON messages (project_id, state);
CREATE INDEX messages_project_created_idx ON messages (project_id, created_at DESC, id DESC);

-- One row per target of a message: each is delivered, retried and reported on its own.
CREATE TABLE message_targets (
    id                     uuid         PRIMARY KEY,
    message_id             uuid         NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position               smallint     NOT NULL,
    configuration_id       uuid         NOT NULL,
    platform               varchar(32)  NOT NULL,
    target_type            varchar(16)  NOT NULL,
    target_id              varchar(255) NOT NULL,
    state                  varchar(16)  NOT NULL,
    attempts               integer      NOT NULL DEFAULT 0,
    next_attempt_at        timestamptz,
    lease_owner            varchar(100),
    lease_expires_at       timestamptz,
    last_error             text,
    reason_code            varchar(64),
    platform_message_ids   text,
    delivered_at           timestamptz,
    updated_at             timestamptz  NOT NULL,
    UNIQUE (message_id, position)
);
CREATE INDEX message_targets_pending_idx ON message_targets (state, updated_at) WHERE state IN ('queued', 'delayed', 'active', 'waiting');
CREATE INDEX message_targets_configuration_idx ON message_targets (configuration_id, state);

-- Every delivery attempt, for status and for the next engineer's debugging.
CREATE TABLE delivery_attempts (
    id                   bigserial    PRIMARY KEY,
    target_id            uuid         NOT NULL REFERENCES message_targets (id) ON DELETE CASCADE,
    attempt              integer      NOT NULL,
    worker               varchar(100) NOT NULL,
    started_at           timestamptz  NOT NULL,
    finished_at          timestamptz,
    outcome              varchar(16),
    error                text,
    reason_code          varchar(64),
    platform_message_ids text
);
CREATE INDEX delivery_attempts_target_idx ON delivery_attempts (target_id, attempt);
--rollback DROP TABLE delivery_attempts; DROP TABLE message_targets; DROP TABLE messages;
