--liquibase formatted sql

--changeset gatekit:004-inbound-events-usage
-- Everything platforms sent to a configuration's webhook (or over a connection its plugin holds):
-- messages, interactions and delivery-status updates, in the universal model. A platform that
-- retries an event lands on the unique (configuration_id, platform_event_id) and is stored once.
-- No foreign key to platform_configurations: history outlives a removed configuration.
CREATE TABLE inbound_events (
    id                   uuid         PRIMARY KEY,
    project_id           uuid         NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    configuration_id     uuid         NOT NULL,
    platform             varchar(32)  NOT NULL,
    kind                 varchar(16)  NOT NULL,
    platform_event_id    varchar(255) NOT NULL,
    chat_id              varchar(255),
    sender_id            varchar(255),
    sender_name          varchar(255),
    text                 text,
    attachments          jsonb,
    thread_id            varchar(255),
    reply_to_id          varchar(255),
    platform_message_id  varchar(255),
    interaction_kind     varchar(16),
    interaction_value    text,
    status               varchar(16),
    status_detail        text,
    raw_payload          text,
    received_at          timestamptz  NOT NULL,
    created_at           timestamptz  NOT NULL,
    body_pruned_at       timestamptz,
    CONSTRAINT inbound_events_once UNIQUE (configuration_id, platform_event_id)
);
-- History: newest first per project, and the same order under each filter.
CREATE INDEX inbound_events_project_created_idx ON inbound_events (project_id, created_at DESC, id DESC);
CREATE INDEX inbound_events_project_platform_idx ON inbound_events (project_id, platform, created_at DESC, id DESC);
CREATE INDEX inbound_events_project_chat_idx ON inbound_events (project_id, chat_id, created_at DESC, id DESC);
-- Retention: what still holds a raw payload or a body.
CREATE INDEX inbound_events_raw_idx ON inbound_events (created_at) WHERE raw_payload IS NOT NULL;
CREATE INDEX inbound_events_body_idx ON inbound_events (created_at) WHERE body_pruned_at IS NULL;

-- History filters on outbound messages: state in created order, and a target or platform to its messages.
CREATE INDEX messages_project_state_created_idx ON messages (project_id, state, created_at DESC, id DESC);
CREATE INDEX message_targets_target_idx ON message_targets (target_id, message_id);
CREATE INDEX message_targets_platform_idx ON message_targets (platform, message_id);
-- Retention: finished messages that still carry their content.
CREATE INDEX messages_body_retention_idx ON messages (created_at) WHERE jsonb_exists(body, 'content');

-- A project's own endpoints that GateKit POSTs events to. The secret is sealed like platform credentials.
CREATE TABLE event_endpoints (
    id                 uuid          PRIMARY KEY,
    project_id         uuid          NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    url                varchar(2048) NOT NULL,
    description        varchar(500),
    kinds              text[]        NOT NULL,
    secret_ciphertext  text          NOT NULL,
    is_active          boolean       NOT NULL,
    created_at         timestamptz   NOT NULL,
    updated_at         timestamptz   NOT NULL
);
CREATE INDEX event_endpoints_project_idx ON event_endpoints (project_id, created_at);

-- One event (message.received, message.delivered, ...) as it is sent to every endpoint that wants it.
CREATE TABLE events (
    id          uuid         PRIMARY KEY,
    project_id  uuid         NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    kind        varchar(64)  NOT NULL,
    payload     jsonb        NOT NULL,
    created_at  timestamptz  NOT NULL
);
CREATE INDEX events_retention_idx ON events (created_at) WHERE jsonb_exists(payload, 'data');

-- One event to one endpoint: the reliable queue's record (Redis only holds ids) and the delivery log.
CREATE TABLE event_deliveries (
    id                uuid          PRIMARY KEY,
    event_id          uuid          NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    endpoint_id       uuid          NOT NULL REFERENCES event_endpoints (id) ON DELETE CASCADE,
    state             varchar(16)   NOT NULL,
    attempts          integer       NOT NULL DEFAULT 0,
    next_attempt_at   timestamptz,
    lease_owner       varchar(100),
    lease_expires_at  timestamptz,
    last_status_code  integer,
    last_error        text,
    created_at        timestamptz   NOT NULL,
    updated_at        timestamptz   NOT NULL,
    delivered_at      timestamptz
);
CREATE INDEX event_deliveries_endpoint_idx ON event_deliveries (endpoint_id, created_at DESC, id DESC);
CREATE INDEX event_deliveries_pending_idx ON event_deliveries (state, updated_at) WHERE state IN ('pending', 'active');

-- Usage, rolled up as it happens: one row per project, UTC day, platform, key and metric.
-- platform and key_id are '' where they do not apply, so the primary key can cover them.
CREATE TABLE usage_counters (
    project_id  uuid         NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    day         date         NOT NULL,
    platform    varchar(32)  NOT NULL,
    key_id      varchar(255) NOT NULL,
    metric      varchar(32)  NOT NULL,
    count       bigint       NOT NULL,
    PRIMARY KEY (project_id, day, metric, platform, key_id)
);
--rollback DROP TABLE usage_counters; DROP TABLE event_deliveries; DROP TABLE events; DROP TABLE event_endpoints; DROP INDEX messages_body_retention_idx; DROP INDEX message_targets_platform_idx; DROP INDEX message_targets_target_idx; DROP INDEX messages_project_state_created_idx; DROP TABLE inbound_events;
