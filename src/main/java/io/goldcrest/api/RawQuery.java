package io.goldcrest.api;

import io.goldcrest.ssh.FileNames;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Query parameters decoded to bytes first, so a file name that is not UTF-8 ({@code %FF}) reaches
 * the cluster as exactly those bytes (see {@link FileNames}); Javalin's own decoding would replace
 * them.
 */
public final class RawQuery {
    private RawQuery() {}

    /** @return the first value of {@code name}, or null when absent */
    public static String get(Context ctx, String name) {
        String query = ctx.queryString();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String key = equals < 0 ? pair : pair.substring(0, equals);
            if (FileNames.fromBytes(decode(key, name)).equals(name)) {
                return FileNames.fromBytes(decode(equals < 0 ? "" : pair.substring(equals + 1), name));
            }
        }
        return null;
    }

    private static byte[] decode(String text, String parameter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0 || Character.digit(text.charAt(i + 2), 16) < 0) {
                    throw new ValidationException("query", parameter, "malformed percent-encoding");
                }
                out.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else {
                int codePoint = text.codePointAt(i);
                out.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
        }
        return out.toByteArray();
    }
}
