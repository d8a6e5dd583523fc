--liquibase formatted sql

--changeset gatekit:007-delivery-reliability
-- What the platform answered on each attempt (an HTTP status, say), when the plugin reported it.
ALTER TABLE delivery_attempts ADD COLUMN platform_status integer;
-- Platforms an operator paused (the pause-delivery task; '*' is every platform). Redis holds the
-- copy the dispatchers read; this is the record, so a flushed Redis gets the pause back.
CREATE TABLE delivery_pauses (
    platform   varchar(32)  PRIMARY KEY,
    paused_at  timestamptz  NOT NULL
);
--rollback DROP TABLE delivery_pauses; ALTER TABLE delivery_attempts DROP COLUMN platform_status;
