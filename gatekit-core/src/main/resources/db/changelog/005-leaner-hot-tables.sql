--liquibase formatted sql

--changeset gatekit:005-leaner-hot-tables
-- Every state change of a target rewrites each of its indexes, so the hot tables keep only the
-- indexes a query uses.
-- (project_id, state) is the leading part of messages_project_state_created_idx, which serves both.
DROP INDEX messages_project_state_idx;
-- Nothing reads targets by configuration and state.
DROP INDEX message_targets_configuration_idx;
-- The sweeper reads pending targets by state in id order (expired leases, waiting for a plugin, and
-- the rebuild of Redis, paged by id); nothing orders them by updated_at any more.
DROP INDEX message_targets_pending_idx;
CREATE INDEX message_targets_pending_idx ON message_targets (state, id) WHERE state IN ('queued', 'delayed', 'active', 'waiting');
--rollback DROP INDEX message_targets_pending_idx; CREATE INDEX message_targets_pending_idx ON message_targets (state, updated_at) WHERE state IN ('queued', 'delayed', 'active', 'waiting'); CREATE INDEX message_targets_configuration_idx ON message_targets (configuration_id, state); CREATE INDEX messages_project_state_idx ON messages (project_id, state);
