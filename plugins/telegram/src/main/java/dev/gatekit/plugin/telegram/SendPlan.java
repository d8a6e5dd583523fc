package dev.gatekit.plugin.telegram;

import dev.gatekit.plugin.api.Attachment;
import dev.gatekit.plugin.api.Button;
import dev.gatekit.plugin.api.MessageContent;
import dev.gatekit.plugin.api.OutboundMessage;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.ReasonCodes;
import dev.gatekit.plugin.api.SendOptions;
import dev.gatekit.plugin.api.TextFormat;
import dev.gatekit.plugin.telegram.TelegramSettings.ParseMode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.telegram.telegrambots.meta.api.methods.send.SendAudio;
import org.telegram.telegrambots.meta.api.methods.send.SendDocument;
import org.telegram.telegrambots.meta.api.methods.send.SendMediaGroup;
import org.telegram.telegrambots.meta.api.methods.send.SendMessage;
import org.telegram.telegrambots.meta.api.methods.send.SendPhoto;
import org.telegram.telegrambots.meta.api.methods.send.SendVideo;
import org.telegram.telegrambots.meta.api.objects.InputFile;
import org.telegram.telegrambots.meta.api.objects.ReplyParameters;
import org.telegram.telegrambots.meta.api.objects.media.InputMedia;
import org.telegram.telegrambots.meta.api.objects.media.InputMediaAudio;
import org.telegram.telegrambots.meta.api.objects.media.InputMediaDocument;
import org.telegram.telegrambots.meta.api.objects.media.InputMediaPhoto;
import org.telegram.telegrambots.meta.api.objects.media.InputMediaVideo;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.InlineKeyboardMarkup;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardButton;
import org.telegram.telegrambots.meta.api.objects.replykeyboard.buttons.InlineKeyboardRow;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.generics.TelegramClient;

/**
 * Turns one {@link OutboundMessage} into the ordered Bot API calls that deliver it, checking
 * everything Telegram would refuse before the first call is made.
 *
 * <ul>
 *   <li>Text longer than 4096 characters becomes several messages (see {@link FormattedText#split}).</li>
 *   <li>Attachments go first: one alone by its own method, several as media groups of up to ten
 *       (photos with videos, audio with audio, documents with documents, in the given order).
 *       Text of up to 1024 characters rides as the first attachment's caption; longer text
 *       follows as messages.</li>
 *   <li>Buttons become an inline keyboard on the last message that can carry one (a media
 *       group cannot, so its last attachment is then sent on its own).</li>
 *   <li>The thread and silent flags apply to every call; the reply only to the first.</li>
 * </ul>
 *
 * Each step builds its request afresh for a chat id, so a step can be retried to a migrated chat,
 * and makes its call without blocking: the client chains the steps, each starting when the one
 * before it has been answered.
 */
final class SendPlan {

    /** Telegram's limits for inline keyboards and callback data. */
    static final int MAX_BUTTONS = 100;
    static final int MAX_CALLBACK_BYTES = 64;
    private static final int MAX_ALBUM = 10;
    private static final Pattern CHAT_ID = Pattern.compile("-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{3,64}");
    private static final Pattern SAFE_NAME = Pattern.compile("[^A-Za-z0-9._-]");

    /** One Bot API call, made without blocking; its stage completes with the ids of the messages it created. */
    interface Step {
        String method();

        /** How many messages the call creates: one, or an album's size. */
        default int parts() {
            return 1;
        }

        /** Starts the call; whatever goes wrong, building the request included, is the stage's failure. */
        CompletableFuture<List<Integer>> execute(TelegramClient client, String chatId);
    }

    @FunctionalInterface
    private interface Call<T> {
        CompletableFuture<T> start() throws TelegramApiException;
    }

    private static <T> CompletableFuture<T> start(Call<T> call) {
        try {
            return call.start();
        } catch (TelegramApiException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private final List<Step> steps;

    private SendPlan(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    List<Step> steps() {
        return steps;
    }

    static SendPlan of(OutboundMessage message, ParseMode configuredMode) throws PermanentDeliveryException {
        if (!CHAT_ID.matcher(message.target().id()).matches()) {
            throw new PermanentDeliveryException(ReasonCodes.INVALID_TARGET,
                    "a Telegram target is a numeric chat id or an @channelusername, not '" + message.target().id() + "'");
        }
        SendOptions options = message.options();
        Integer threadId = number(options.threadId(), TelegramFailures.INVALID_THREAD, "threadId");
        Integer replyTo = number(options.replyTo(), ReasonCodes.CONTENT_REJECTED, "replyTo");
        Common common = new Common(threadId, options.silent());

        MessageContent content = message.content();
        String mode = content.format() == TextFormat.PLAIN ? null : configuredMode.wireName();
        FormattedText text = content.text() == null || content.text().isBlank() ? null : switch (content.format()) {
            case PLAIN -> FormattedText.plain(content.text());
            case MARKDOWN -> FormattedText.markdown(content.text());
            case HTML -> FormattedText.html(content.text());
        };
        InlineKeyboardMarkup keyboard = keyboard(content.buttons());

        List<Media> media = new ArrayList<>();
        for (Attachment attachment : content.attachments()) {
            media.add(Media.of(attachment));
        }
        boolean textAsCaption = text != null && !media.isEmpty() && text.length() <= FormattedText.CAPTION_LIMIT
                && media.get(0).attachment().caption() == null;
        List<FormattedText> textParts = text == null || textAsCaption ? List.of() : text.split(FormattedText.MESSAGE_LIMIT);

        List<List<Media>> albums = albums(media);
        if (keyboard != null && textParts.isEmpty() && !albums.isEmpty() && albums.get(albums.size() - 1).size() > 1) {
            // A media group cannot carry a keyboard: its last attachment goes alone, with the keyboard.
            List<Media> last = new ArrayList<>(albums.remove(albums.size() - 1));
            Media alone = last.remove(last.size() - 1);
            if (last.size() == 1) {
                albums.add(List.of(last.get(0)));
            } else {
                albums.add(last);
            }
            albums.add(List.of(alone));
        }

        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < albums.size(); i++) {
            List<Media> album = albums.get(i);
            Caption caption = i == 0 && textAsCaption
                    ? new Caption(mode == null ? text.visibleText() : text.render(configuredMode), mode) : null;
            boolean last = i == albums.size() - 1 && textParts.isEmpty();
            Integer reply = steps.isEmpty() ? replyTo : null;
            if (album.size() == 1) {
                steps.add(single(album.get(0), caption, common, reply, last ? keyboard : null));
            } else {
                steps.add(group(album, caption, common, reply));
            }
        }
        for (int i = 0; i < textParts.size(); i++) {
            String rendered = mode == null ? textParts.get(i).visibleText() : textParts.get(i).render(configuredMode);
            Integer reply = steps.isEmpty() ? replyTo : null;
            steps.add(text(rendered, mode, common, reply, i == textParts.size() - 1 ? keyboard : null));
        }
        if (steps.isEmpty()) {
            throw new PermanentDeliveryException(ReasonCodes.UNSUPPORTED_CONTENT,
                    "nothing Telegram can show: the message has no text and no attachment (embeds are not supported)");
        }
        return new SendPlan(steps);
    }

    /** What every call of one message shares. */
    private record Common(Integer threadId, boolean silent) {
        Boolean disableNotification() {
            return silent ? Boolean.TRUE : null;
        }
    }

    private record Caption(String text, String parseMode) {
    }

    /** An attachment with its method and, for uploads, a file name unique within one request. */
    private record Media(Attachment attachment, MediaKind kind) {
        static Media of(Attachment attachment) throws PermanentDeliveryException {
            if (attachment.isInline() && attachment.data().length > MediaKind.UPLOAD_LIMIT) {
                throw new PermanentDeliveryException(ReasonCodes.CONTENT_TOO_LARGE, "attachment '" + attachment.filename()
                        + "' is larger than the Bot API's 50 MB upload limit");
            }
            if (attachment.caption() != null && attachment.caption().length() > FormattedText.CAPTION_LIMIT) {
                throw new PermanentDeliveryException(ReasonCodes.CONTENT_TOO_LARGE, "the caption of attachment '"
                        + attachment.filename() + "' is longer than Telegram's 1024 characters");
            }
            if (!attachment.isInline()) {
                String scheme = attachment.url().getScheme() == null ? "" : attachment.url().getScheme().toLowerCase();
                if (!scheme.equals("http") && !scheme.equals("https")) {
                    throw new PermanentDeliveryException(TelegramFailures.ATTACHMENT_REJECTED,
                            "Telegram fetches attachments only over http(s): " + attachment.url());
                }
            }
            return new Media(attachment, MediaKind.of(attachment));
        }

        InputFile inputFile(String uploadName) {
            return attachment.isInline()
                    ? new InputFile(new ByteArrayInputStream(attachment.data()), uploadName)
                    : new InputFile(attachment.url().toString());
        }
    }

    private static List<List<Media>> albums(List<Media> media) {
        List<List<Media>> albums = new ArrayList<>();
        List<Media> current = new ArrayList<>();
        for (Media item : media) {
            if (!current.isEmpty() && (!current.get(0).kind().albumFamily().equals(item.kind().albumFamily())
                    || current.size() == MAX_ALBUM)) {
                albums.add(current);
                current = new ArrayList<>();
            }
            current.add(item);
        }
        if (!current.isEmpty()) {
            albums.add(current);
        }
        return albums;
    }

    private static Integer number(String value, String reasonCode, String field) throws PermanentDeliveryException {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            throw new PermanentDeliveryException(reasonCode, field + " must be a Telegram message id (a number): " + value);
        }
    }

    private static InlineKeyboardMarkup keyboard(List<Button> buttons) throws PermanentDeliveryException {
        if (buttons.isEmpty()) {
            return null;
        }
        if (buttons.size() > MAX_BUTTONS) {
            throw new PermanentDeliveryException(ReasonCodes.CONTENT_REJECTED,
                    "Telegram allows at most " + MAX_BUTTONS + " buttons under a message");
        }
        List<InlineKeyboardButton> telegramButtons = new ArrayList<>();
        boolean compact = buttons.size() <= 3;
        for (Button button : buttons) {
            InlineKeyboardButton telegramButton = new InlineKeyboardButton(button.text());
            if (button.url() != null) {
                telegramButton.setUrl(button.url().toString());
            } else {
                int bytes = button.value().getBytes(StandardCharsets.UTF_8).length;
                if (bytes == 0 || bytes > MAX_CALLBACK_BYTES) {
                    throw new PermanentDeliveryException(ReasonCodes.CONTENT_REJECTED, "button '" + button.text()
                            + "': Telegram's callback data is 1-64 bytes, this value is " + bytes);
                }
                telegramButton.setCallbackData(button.value());
            }
            compact &= button.text().length() <= 16;
            telegramButtons.add(telegramButton);
        }
        // A few short buttons read best side by side; anything more, one per row so no label is cut.
        List<InlineKeyboardRow> rows = new ArrayList<>();
        if (compact) {
            rows.add(new InlineKeyboardRow(telegramButtons));
        } else {
            telegramButtons.forEach(button -> rows.add(new InlineKeyboardRow(button)));
        }
        return new InlineKeyboardMarkup(rows);
    }

    private static ReplyParameters reply(Integer replyTo) {
        if (replyTo == null) {
            return null;
        }
        ReplyParameters parameters = new ReplyParameters(replyTo);
        // Deliver even when the original was deleted: the reply is context, the message is the point.
        parameters.setAllowSendingWithoutReply(true);
        return parameters;
    }

    private static Step text(String text, String parseMode, Common common, Integer replyTo, InlineKeyboardMarkup keyboard) {
        return new Step() {
            @Override
            public String method() {
                return "sendmessage";
            }

            @Override
            public CompletableFuture<List<Integer>> execute(TelegramClient client, String chatId) {
                return start(() -> {
                    SendMessage send = new SendMessage(chatId, text);
                    send.setParseMode(parseMode);
                    send.setMessageThreadId(common.threadId());
                    send.setDisableNotification(common.disableNotification());
                    send.setReplyParameters(reply(replyTo));
                    send.setReplyMarkup(keyboard);
                    return client.executeAsync(send);
                }).thenApply(sent -> List.of(sent.getMessageId()));
            }
        };
    }

    private static Step single(Media media, Caption given, Common common, Integer replyTo, InlineKeyboardMarkup keyboard) {
        Caption caption = given != null ? given
                : media.attachment().caption() != null ? new Caption(media.attachment().caption(), null) : null;
        String captionText = caption == null ? null : caption.text();
        String parseMode = caption == null ? null : caption.parseMode();
        return new Step() {
            @Override
            public String method() {
                return media.kind().method();
            }

            @Override
            public CompletableFuture<List<Integer>> execute(TelegramClient client, String chatId) {
                return start(() -> send(client, chatId)).thenApply(sent -> List.of(sent.getMessageId()));
            }

            private CompletableFuture<Message> send(TelegramClient client, String chatId) {
                InputFile file = media.inputFile(uploadName(media.attachment(), 0, new HashSet<>()));
                return switch (media.kind()) {
                    case PHOTO -> {
                        SendPhoto send = new SendPhoto(chatId, file);
                        send.setCaption(captionText);
                        send.setParseMode(parseMode);
                        send.setMessageThreadId(common.threadId());
                        send.setDisableNotification(common.disableNotification());
                        send.setReplyParameters(reply(replyTo));
                        send.setReplyMarkup(keyboard);
                        yield client.executeAsync(send);
                    }
                    case VIDEO -> {
                        SendVideo send = new SendVideo(chatId, file);
                        send.setCaption(captionText);
                        send.setParseMode(parseMode);
                        send.setMessageThreadId(common.threadId());
                        send.setDisableNotification(common.disableNotification());
                        send.setReplyParameters(reply(replyTo));
                        send.setReplyMarkup(keyboard);
                        yield client.executeAsync(send);
                    }
                    case AUDIO -> {
                        SendAudio send = new SendAudio(chatId, file);
                        send.setCaption(captionText);
                        send.setParseMode(parseMode);
                        send.setMessageThreadId(common.threadId());
                        send.setDisableNotification(common.disableNotification());
                        send.setReplyParameters(reply(replyTo));
                        send.setReplyMarkup(keyboard);
                        yield client.executeAsync(send);
                    }
                    case DOCUMENT -> {
                        SendDocument send = new SendDocument(chatId, file);
                        send.setCaption(captionText);
                        send.setParseMode(parseMode);
                        send.setMessageThreadId(common.threadId());
                        send.setDisableNotification(common.disableNotification());
                        send.setReplyParameters(reply(replyTo));
                        send.setReplyMarkup(keyboard);
                        yield client.executeAsync(send);
                    }
                };
            }
        };
    }

    private static Step group(List<Media> album, Caption caption, Common common, Integer replyTo) {
        return new Step() {
            @Override
            public String method() {
                return "sendmediagroup";
            }

            @Override
            public int parts() {
                return album.size();
            }

            @Override
            public CompletableFuture<List<Integer>> execute(TelegramClient client, String chatId) {
                return start(() -> send(client, chatId)).thenApply(sent -> {
                    List<Integer> ids = new ArrayList<>();
                    for (Message message : sent) {
                        ids.add(message.getMessageId());
                    }
                    return ids;
                });
            }

            private CompletableFuture<List<Message>> send(TelegramClient client, String chatId) {
                List<InputMedia> medias = new ArrayList<>();
                Set<String> names = new HashSet<>();
                for (int i = 0; i < album.size(); i++) {
                    Media media = album.get(i);
                    InputMedia input = inputMedia(media, uploadName(media.attachment(), i, names));
                    if (i == 0 && caption != null) {
                        input.setCaption(caption.text());
                        input.setParseMode(caption.parseMode());
                    } else if (media.attachment().caption() != null) {
                        input.setCaption(media.attachment().caption());
                    }
                    medias.add(input);
                }
                SendMediaGroup send = new SendMediaGroup(chatId, medias);
                send.setMessageThreadId(common.threadId());
                send.setDisableNotification(common.disableNotification());
                send.setReplyParameters(reply(replyTo));
                return client.executeAsync(send);
            }
        };
    }

    private static InputMedia inputMedia(Media media, String uploadName) {
        Attachment attachment = media.attachment();
        if (attachment.isInline()) {
            ByteArrayInputStream data = new ByteArrayInputStream(attachment.data());
            return switch (media.kind()) {
                case PHOTO -> new InputMediaPhoto(data, uploadName);
                case VIDEO -> new InputMediaVideo(data, uploadName);
                case AUDIO -> new InputMediaAudio(data, uploadName);
                case DOCUMENT -> new InputMediaDocument(data, uploadName);
            };
        }
        String url = attachment.url().toString();
        return switch (media.kind()) {
            case PHOTO -> new InputMediaPhoto(url);
            case VIDEO -> new InputMediaVideo(url);
            case AUDIO -> new InputMediaAudio(url);
            case DOCUMENT -> new InputMediaDocument(url);
        };
    }

    /**
     * The multipart part name, which telegrambots also uses as the file name and in
     * {@code attach://<name>}: kept to {@code [A-Za-z0-9._-]} so the reference always resolves, and
     * made unique within one request.
     */
    static String uploadName(Attachment attachment, int index, Set<String> taken) {
        String base = attachment.filename() == null || attachment.filename().isBlank() ? "file" : attachment.filename().trim();
        String name = SAFE_NAME.matcher(base).replaceAll("_");
        if (name.length() > 100) {
            name = name.substring(name.length() - 100);
        }
        String unique = name;
        for (int n = 1; !taken.add(unique); n++) {
            unique = index + "_" + n + "_" + name;
        }
        return unique;
    }
}
