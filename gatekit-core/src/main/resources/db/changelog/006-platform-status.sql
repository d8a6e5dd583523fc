--liquibase formatted sql

--changeset gatekit:006-platform-status
-- A message's status view shows the latest delivery status the platform reported for each target's platform
-- message id (sent, delivered, read, failed). It is read from inbound_events rather than written to
-- message_targets, so the delivery path does no extra write; this index serves that lookup.
CREATE INDEX inbound_events_status_message_idx ON inbound_events (configuration_id, platform_message_id, received_at DESC)
    WHERE kind = 'status';
--rollback DROP INDEX inbound_events_status_message_idx;
