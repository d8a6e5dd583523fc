package dev.gatekit.plugin.discord;

import dev.gatekit.plugin.api.Attachment;
import dev.gatekit.plugin.api.PermanentDeliveryException;
import dev.gatekit.plugin.api.ReasonCodes;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.regex.Pattern;
import net.dv8tion.jda.api.utils.FileUpload;

/**
 * Makes a message's attachments into Discord file uploads: inline bytes as they are, URLs fetched
 * with the host's HTTP client without blocking, each at most {@link #MAX_FILE_BYTES}.
 */
final class AttachmentFetcher {

    /** Discord's upload limit for a bot in a guild without boosts (10 MiB). */
    static final int MAX_FILE_BYTES = 10 * 1024 * 1024;
    static final Duration FETCH_TIMEOUT = Duration.ofSeconds(30);

    /** A host written as an address (URI keeps IPv6 in brackets): parsed without a name lookup. */
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[[0-9a-fA-F:.]+]");

    private final HttpClient http;
    private final boolean allowPrivateAddresses;

    AttachmentFetcher(HttpClient http, boolean allowPrivateAddresses) {
        this.http = http;
        this.allowPrivateAddresses = allowPrivateAddresses;
    }

    /** The uploads, in the attachments' order; fails with a typed delivery failure. */
    CompletableFuture<List<FileUpload>> uploads(List<Attachment> attachments) {
        List<CompletableFuture<FileUpload>> files = new ArrayList<>();
        for (Attachment attachment : attachments) {
            files.add(upload(attachment));
        }
        return CompletableFuture.allOf(files.toArray(CompletableFuture[]::new))
                .thenApply(done -> files.stream().map(CompletableFuture::join).toList());
    }

    private CompletableFuture<FileUpload> upload(Attachment attachment) {
        if (attachment.isInline()) {
            byte[] data = attachment.data();
            if (data.length > MAX_FILE_BYTES) {
                return CompletableFuture.failedFuture(tooLarge(attachment.filename()));
            }
            return CompletableFuture.completedFuture(file(data, attachment.filename(), attachment));
        }
        URI url = attachment.url();
        String blocked = blockedAddress(url);
        if (blocked != null) {
            return CompletableFuture.failedFuture(new PermanentDeliveryException(DiscordFailures.BLOCKED_ADDRESS, blocked));
        }
        HttpRequest request = HttpRequest.newBuilder(url).timeout(FETCH_TIMEOUT).GET().build();
        return http.sendAsync(request, info -> info.statusCode() / 100 == 2 ? new Limited()
                        : HttpResponse.BodySubscribers.replacing(new byte[0]))
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable cause = DiscordFailures.unwrap(failure);
                        if (cause instanceof TooLarge) {
                            throw new CompletionException(tooLarge(url.toString()));
                        }
                        throw new CompletionException(DiscordFailures.attachmentFailed(url.toString(), -1, cause));
                    }
                    if (response.statusCode() / 100 != 2) {
                        throw new CompletionException(
                                DiscordFailures.attachmentFailed(url.toString(), response.statusCode(), null));
                    }
                    return file(response.body(), filename(attachment), attachment);
                });
    }

    private static FileUpload file(byte[] data, String name, Attachment attachment) {
        FileUpload upload = FileUpload.fromData(data, name);
        if (attachment.caption() != null && !attachment.caption().isBlank()) {
            // Discord shows an attachment's description as its alt text.
            upload.setDescription(attachment.caption().length() > 1024 ? attachment.caption().substring(0, 1024) : attachment.caption());
        }
        return upload;
    }

    /** The file name Discord shows: the given one, else the URL's last path segment. */
    static String filename(Attachment attachment) {
        if (attachment.filename() != null && !attachment.filename().isBlank()) {
            return attachment.filename();
        }
        String path = attachment.url() == null || attachment.url().getPath() == null ? "" : attachment.url().getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isBlank() ? "file" : last;
    }

    /**
     * Refuses URLs whose host is written as a loopback, private, link-local or wildcard address, or is
     * {@code localhost}, unless the configuration allows private addresses. Names that resolve to such
     * addresses are not caught here: resolving would block.
     */
    String blockedAddress(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "attachment URLs are fetched over http or https only: " + url;
        }
        if (allowPrivateAddresses || url.getHost() == null) {
            return null;
        }
        String host = url.getHost().toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return "attachment URL points at this machine: " + url;
        }
        if (IP_LITERAL.matcher(host).matches()) {
            try {
                InetAddress address = InetAddress.getByName(host.replace("[", "").replace("]", ""));
                if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                        || address.isAnyLocalAddress() || address.isMulticastAddress()) {
                    return "attachment URL points at a private address: " + url
                            + " (allow it with the configuration's " + DiscordSettings.PRIVATE_ATTACHMENT_URLS + " setting)";
                }
            } catch (java.net.UnknownHostException e) {
                return "attachment URL has a malformed address: " + url;
            }
        }
        return null;
    }

    private static PermanentDeliveryException tooLarge(String what) {
        return new PermanentDeliveryException(ReasonCodes.CONTENT_TOO_LARGE,
                "attachment " + what + " is larger than Discord's " + MAX_FILE_BYTES / (1024 * 1024) + " MiB upload limit");
    }

    /** The download would exceed {@link #MAX_FILE_BYTES}. */
    private static final class TooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("attachment too large", null, false, false);
        }
    }

    /** Collects a body of at most {@link #MAX_FILE_BYTES}, cancelling the download past it. */
    private static final class Limited implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final List<ByteBuffer> buffers = new ArrayList<>();
        private int size;
        private Flow.Subscription subscription;

        private final int limit = MAX_FILE_BYTES;

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription value) {
            subscription = value;
            value.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                size += item.remaining();
                buffers.add(item);
            }
            if (size > limit) {
                subscription.cancel();
                buffers.clear();
                body.completeExceptionally(new TooLarge());
            }
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            byte[] bytes = new byte[size];
            int at = 0;
            for (ByteBuffer buffer : buffers) {
                int length = buffer.remaining();
                buffer.get(bytes, at, length);
                at += length;
            }
            body.complete(bytes);
        }
    }
}
