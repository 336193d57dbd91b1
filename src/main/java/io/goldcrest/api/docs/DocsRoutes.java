package io.goldcrest.api.docs;

import io.goldcrest.api.Access;
import io.goldcrest.config.BuildInfo;
import io.goldcrest.config.GoldcrestConfig;
import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /openapi.json} and Swagger UI at {@code /docs}, none needing a token. The UI's files come
 * from the swagger-ui webjar on the class path, through an allow-list; the page and its initializer
 * are Goldcrest's own, so nothing is loaded from outside this server.
 */
public final class DocsRoutes {
    /**
     * Scripts, styles, images and requests from this server only. Swagger UI sets inline styles, hence
     * {@code 'unsafe-inline'} for styles (never for scripts); its CSS embeds SVG icons as data URLs.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    private record Asset(String resource, String contentType) {}

    private final byte[] document;
    private final byte[] page;
    private final Map<String, Asset> assets;

    public DocsRoutes(GoldcrestConfig config, BuildInfo build) {
        this.document = ApiDocument.json(config, build);
        this.page = read("/openapi/docs.html");
        String webjar = "/META-INF/resources/webjars/swagger-ui/" + build.swaggerUiVersion() + "/";
        this.assets = Map.of(
                "swagger-ui.css", new Asset(webjar + "swagger-ui.css", "text/css; charset=utf-8"),
                "index.css", new Asset(webjar + "index.css", "text/css; charset=utf-8"),
                "swagger-ui-bundle.js", new Asset(webjar + "swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
                "swagger-initializer.js", new Asset("/openapi/swagger-initializer.js", "text/javascript; charset=utf-8"),
                "favicon-32x32.png", new Asset(webjar + "favicon-32x32.png", "image/png"),
                "favicon-16x16.png", new Asset(webjar + "favicon-16x16.png", "image/png"));
        // A webjar of another version than the build says would leave the page blank: fail at start instead.
        assets.values().forEach(asset -> {
            if (DocsRoutes.class.getResource(asset.resource()) == null) {
                throw new IllegalStateException("Swagger UI file " + asset.resource() + " is missing from the class path");
            }
        });
    }

    public void register(Javalin app, String prefix) {
        app.get(prefix + "/openapi.json", this::document, Access.PUBLIC);
        app.get(prefix + "/docs", this::page, Access.PUBLIC);
        app.get(prefix + "/docs/{asset}", this::asset, Access.PUBLIC);
    }

    /** The names {@code /docs/{asset}} serves. */
    Set<String> assetNames() {
        return assets.keySet();
    }

    private void document(Context ctx) {
        ctx.contentType("application/json").result(document);
    }

    private void page(Context ctx) {
        // The page's links are relative to /docs; at /docs/ they would point one level too deep.
        if (ctx.path().endsWith("/")) {
            ctx.status(308).header("Location", "../docs");
            return;
        }
        secured(ctx);
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("text/html; charset=utf-8").result(page);
    }

    private void asset(Context ctx) {
        Asset asset = assets.get(ctx.pathParam("asset"));
        if (asset == null) {
            throw new GoldcrestException(ErrorCode.ROUTE_NOT_FOUND, "Not Found");
        }
        InputStream content = DocsRoutes.class.getResourceAsStream(asset.resource());
        if (content == null) {
            throw new GoldcrestException(ErrorCode.INTERNAL, "Swagger UI file " + asset.resource() + " is missing");
        }
        secured(ctx);
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.contentType(asset.contentType()).result(content);
    }

    private static void secured(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    private static byte[] read(String resource) {
        try (InputStream input = DocsRoutes.class.getResourceAsStream(resource)) {
            if (input == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            return input.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
