package dev.gatekit.plugin.api;

import java.net.URI;
import java.util.Arrays;
import java.util.Objects;

/**
 * A file sent with a message, given either by URL (the platform or the plugin fetches it) or as
 * inline bytes. Exactly one of {@link #url()} and {@link #data()} is set.
 *
 * @param url      where to fetch the file, or null for inline data
 * @param data     the file's bytes, or null for a URL; copied on the way in and out
 * @param filename the file name to show; required for inline data
 * @param mimeType the MIME type such as {@code image/png}, or null when unknown
 * @param caption  a caption shown with the file, or null
 */
public record Attachment(URI url, byte[] data, String filename, String mimeType, String caption) {

    /**
     * Validates the attachment and copies the data.
     *
     * @throws IllegalArgumentException when not exactly one of url and data is set, or inline
     *                                  data has no file name
     */
    public Attachment {
        if ((url == null) == (data == null)) {
            throw new IllegalArgumentException("an attachment has exactly one of url and data");
        }
        if (data != null) {
            Values.requireText(filename, "filename of inline attachment");
            data = data.clone();
        }
    }

    /**
     * An attachment by URL.
     *
     * @param url      where to fetch the file
     * @param filename the file name, or null
     * @param mimeType the MIME type, or null
     * @return the attachment
     */
    public static Attachment fromUrl(URI url, String filename, String mimeType) {
        return new Attachment(Objects.requireNonNull(url, "url"), null, filename, mimeType, null);
    }

    /**
     * An attachment with inline bytes.
     *
     * @param data     the bytes
     * @param filename the file name
     * @param mimeType the MIME type, or null
     * @return the attachment
     */
    public static Attachment inline(byte[] data, String filename, String mimeType) {
        return new Attachment(null, Objects.requireNonNull(data, "data"), filename, mimeType, null);
    }

    /**
     * Tells whether the file travels as inline bytes.
     *
     * @return true when {@link #data()} is set
     */
    public boolean isInline() {
        return data != null;
    }

    /**
     * The inline bytes.
     *
     * @return a copy of the bytes, or null for a URL attachment
     */
    @Override
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    /**
     * Compares by value, including the bytes' content.
     *
     * @param other the object to compare with
     * @return true when equal
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Attachment that
                && Objects.equals(url, that.url)
                && Arrays.equals(data, that.data)
                && Objects.equals(filename, that.filename)
                && Objects.equals(mimeType, that.mimeType)
                && Objects.equals(caption, that.caption);
    }

    /**
     * Hashes by value, including the bytes' content.
     *
     * @return the hash
     */
    @Override
    public int hashCode() {
        return Objects.hash(url, Arrays.hashCode(data), filename, mimeType, caption);
    }

    /**
     * Describes the attachment, giving the size of inline data rather than its bytes.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "Attachment[" + (data != null ? "data=" + data.length + " bytes" : "url=" + url)
                + ", filename=" + filename + ", mimeType=" + mimeType + ", caption=" + caption + "]";
    }
}
