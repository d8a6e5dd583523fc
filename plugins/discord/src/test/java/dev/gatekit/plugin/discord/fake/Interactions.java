package dev.gatekit.plugin.discord.fake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Interactions as Discord sends them, to the endpoint or in an INTERACTION_CREATE dispatch. */
public final class Interactions {

    private Interactions() {
    }

    public static ObjectNode ping(String applicationId) {
        return FakeDiscord.JSON.createObjectNode().put("id", FakeDiscord.snowflake()).put("application_id", applicationId)
                .put("type", 1).put("token", "ping-token").put("version", 1);
    }

    /** A press on a button with a custom id, under a message in a guild channel. */
    public static ObjectNode buttonPress(String applicationId, String guildId, String channelId, String messageId,
                                         String userId, String customId) {
        ObjectNode interaction = base(applicationId, 3, guildId, channelId, userId);
        interaction.putObject("data").put("custom_id", customId).put("component_type", 2);
        ObjectNode message = FakeDiscord.message(messageId, channelId, null, FakeDiscord.user(applicationId, "gatekit", true), "Approve?");
        message.remove("member");
        interaction.set("message", message);
        return interaction;
    }

    /** {@code /deploy service:api} with a subcommand: {@code /ops deploy service:api}. */
    public static ObjectNode slashCommand(String applicationId, String guildId, String channelId, String userId) {
        ObjectNode interaction = base(applicationId, 2, guildId, channelId, userId);
        ObjectNode data = interaction.putObject("data").put("id", FakeDiscord.snowflake()).put("name", "ops").put("type", 1);
        ArrayNode options = data.putArray("options");
        ObjectNode sub = options.addObject().put("name", "deploy").put("type", 1);
        sub.putArray("options").addObject().put("name", "service").put("type", 3).put("value", "api");
        return interaction;
    }

    private static ObjectNode base(String applicationId, int type, String guildId, String channelId, String userId) {
        ObjectNode interaction = FakeDiscord.JSON.createObjectNode().put("id", FakeDiscord.snowflake())
                .put("application_id", applicationId).put("type", type).put("token", "aW50ZXJhY3Rpb24tdG9rZW4")
                .put("version", 1).put("channel_id", channelId).put("locale", "en-US").put("app_permissions", "0");
        if (guildId != null) {
            interaction.set("channel", FakeDiscord.textChannel(channelId, guildId, "general", 0));
        } else {
            interaction.putObject("channel").put("id", channelId).put("type", 1).putNull("last_message_id").put("flags", 0);
        }
        ObjectNode user = FakeDiscord.user(userId, "ada", false);
        if (guildId != null) {
            interaction.put("guild_id", guildId).put("guild_locale", "en-US");
            interaction.putObject("guild").put("id", guildId).put("locale", "en-US").putArray("features");
            ObjectNode member = interaction.putObject("member");
            member.set("user", user);
            member.put("nick", "Ada L.").put("permissions", "0").putNull("avatar").putArray("roles");
            member.put("joined_at", "2024-01-01T00:00:00Z").put("deaf", false).put("mute", false).put("flags", 0).put("pending", false);
        } else {
            interaction.set("user", user);
        }
        interaction.putArray("entitlements");
        interaction.putObject("authorizing_integration_owners");
        interaction.put("context", guildId == null ? 1 : 0);
        return interaction;
    }
}
