package dev.gatekit.plugin.api;

import java.net.URI;

/**
 * A file that came with an inbound message. Platforms differ in what they give: a URL, a file id
 * to fetch later, or both.
 *
 * @param platformFileId the platform's id of the file, or null
 * @param url            where the file can be fetched, or null
 * @param filename       the file name, or null
 * @param mimeType       the MIME type, or null
 * @param sizeBytes      the size in bytes, or null when unknown
 */
public record InboundAttachment(String platformFileId, URI url, String filename, String mimeType, Long sizeBytes) {

    /**
     * Validates the attachment.
     *
     * @throws IllegalArgumentException when neither a file id nor a URL is given
     */
    public InboundAttachment {
        if (Values.isBlank(platformFileId) && url == null) {
            throw new IllegalArgumentException("an inbound attachment needs a platform file id or a url");
        }
    }
}
