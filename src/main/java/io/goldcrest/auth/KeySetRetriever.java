package io.goldcrest.auth;

import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/** Fetches JWKS documents over http(s) with bounded time and size, or from {@code file://} URLs. */
final class KeySetRetriever implements ResourceRetriever {
    private static final int TIMEOUT_MILLIS = 5_000;
    private static final int SIZE_LIMIT = 512 * 1024;
    private final ResourceRetriever http = new DefaultResourceRetriever(TIMEOUT_MILLIS, TIMEOUT_MILLIS, SIZE_LIMIT);

    @Override
    public Resource retrieveResource(URL url) throws IOException {
        if (!"file".equalsIgnoreCase(url.getProtocol())) {
            return http.retrieveResource(url);
        }
        try {
            return new Resource(Files.readString(Path.of(url.toURI())), "application/json");
        } catch (URISyntaxException e) {
            throw new IOException("bad file URL " + url, e);
        }
    }
}
