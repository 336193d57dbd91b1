package io.goldcrest.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Facts of the build rather than of the configuration, from a resource Maven fills in.
 *
 * @param version Goldcrest's own version (the project version), not FirecREST's {@code app_version}
 * @param swaggerUiVersion the Swagger UI webjar's version, which names the folder of its files
 */
public record BuildInfo(String version, String swaggerUiVersion) {
    private static final String RESOURCE = "/io/goldcrest/build.properties";

    public static BuildInfo current() {
        Properties properties = new Properties();
        try (InputStream input = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (input == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path: build with Maven");
            }
            properties.load(input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BuildInfo(filled(properties, "version"), filled(properties, "swagger-ui.version"));
    }

    private static String filled(Properties properties, String key) {
        String value = properties.getProperty(key, "");
        if (value.isBlank() || value.contains("${")) {
            throw new IllegalStateException(RESOURCE + ": '" + key + "' was not filled in by Maven's resource filtering");
        }
        return value;
    }
}
