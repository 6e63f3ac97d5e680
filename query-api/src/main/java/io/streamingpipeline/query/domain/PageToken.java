package io.streamingpipeline.query.domain;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of trades ended: the last trade returned ({@code timestamp_unix}, {@code id}). The next page holds the
 * trades strictly after it in the table's order (older, or as old with a smaller id). Opaque to clients: URL-safe
 * base64 of {@code v1:<timestamp>:<id>}.
 */
public record PageToken(long timestampUnix, UUID id) {

    private static final String VERSION = "v1";

    public String encode() {
        String plain = VERSION + ":" + timestampUnix + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    public static PageToken decode(String token) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.UTF_8);
            String[] parts = plain.split(":", 3);
            if (parts.length == 3 && parts[0].equals(VERSION)) {
                return new PageToken(Long.parseLong(parts[1]), UUID.fromString(parts[2]));
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new InvalidRequestException(
                "page",
                "page token '" + TimeRange.shorten(token)
                        + "' is not one this service returned (use next_page_token of the previous response as is)");
    }
}
