--liquibase formatted sql

--changeset gatekit:009-inbound-edits
-- An inbound message that edits an earlier one names that message's platform id (MessageReceived.editOf,
-- plugin API 1.3.0); null for a new message.
ALTER TABLE inbound_events ADD COLUMN edit_of varchar(255);
--rollback ALTER TABLE inbound_events DROP COLUMN edit_of;

--changeset gatekit:009-receipt-details
-- What a plugin's receipt says beside the platform message ids (DeliveryReceipt.details: the chat a Telegram group
-- migrated to, the channel Slack resolved), shown per target in the message status.
ALTER TABLE message_targets ADD COLUMN details jsonb;
--rollback ALTER TABLE message_targets DROP COLUMN details;
