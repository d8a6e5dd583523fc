package dev.gatekit.core.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import dev.gatekit.core.db.NulCharacters;
import dev.gatekit.core.errors.ApiException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Refuses U+0000 in what a client sends, in one place for every endpoint, because Postgres cannot
 * store it (see {@link NulCharacters}): in a query parameter a 400 naming it, in a JSON body a 422
 * naming the field (Jetty already refuses it in the path). Bodies read raw (an inbound webhook's bytes, which a plugin verifies
 * as sent) are left alone; their events are stored without it.
 */
@PreMatching
@Priority(Priorities.HEADER_DECORATOR + 20)
public class NulCharacterGuard implements ContainerRequestFilter, ReaderInterceptor {

    static final String PROBLEM = "must not contain the character U+0000";
    private static final byte[] ESCAPE = {'\\', 'u', '0', '0', '0', '0'};

    private final JsonFactory json;

    /** @param json the API mapper's factory, so the body is tokenised as the resource will read it */
    public NulCharacterGuard(JsonFactory json) {
        this.json = json;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters(true);
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (NulCharacters.contains(parameter.getKey())) {
                throw badParameter(parameter.getKey().replace("\0", "\\u0000"));
            }
            for (String value : parameter.getValue()) {
                if (NulCharacters.contains(value)) {
                    throw badParameter(parameter.getKey());
                }
            }
        }
    }

    private static ApiException badParameter(String name) {
        return ApiException.badParameter(name, PROBLEM);
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (!isJson(context.getMediaType()) || isRaw(context.getType())) {
            return context.proceed();
        }
        // Read whole before Jackson sees it: a chunked body over the size limit then fails here with its 413,
        // where mid-parse Jackson would wrap the limit's exception into a 422 for the field it was reading.
        byte[] body = context.getInputStream().readAllBytes();
        // JSON text can carry U+0000 only as an escape (backslash, u, four zeros); bodies without it are not tokenised twice.
        if (indexOf(body, ESCAPE) >= 0) {
            String field = fieldHoldingNul(body);
            if (field != null) {
                throw ApiException.invalid(field, PROBLEM);
            }
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }

    private static boolean isJson(MediaType type) {
        return type != null && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
    }

    private static boolean isRaw(Class<?> type) {
        return type == byte[].class || type == String.class || InputStream.class.isAssignableFrom(type)
                || Reader.class.isAssignableFrom(type);
    }

    /** The first field whose name or string value holds U+0000, or null; malformed JSON is left to the reader to refuse. */
    private String fieldHoldingNul(byte[] body) throws IOException {
        try (JsonParser parser = json.createParser(body)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if ((token == JsonToken.VALUE_STRING || token == JsonToken.FIELD_NAME) && NulCharacters.contains(parser.getText())) {
                    return fieldOf(parser.getParsingContext());
                }
            }
            return null;
        } catch (JsonProcessingException malformed) {
            return null;
        }
    }

    /** {@code targets[0].id}, as {@code JsonErrorMapper} names fields. */
    private static String fieldOf(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            parts.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : String.valueOf(c.getCurrentName()).replace("\0", "\\u0000"));
        }
        StringBuilder field = new StringBuilder();
        for (String part : parts) {
            if (!field.isEmpty() && !part.startsWith("[")) {
                field.append('.');
            }
            field.append(part);
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    private static int indexOf(byte[] data, byte[] pattern) {
        outer:
        for (int i = 0; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
