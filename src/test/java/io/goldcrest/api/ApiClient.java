package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** A tiny HTTP client for the integration tests: status, headers, the raw body and parsed JSON. */
final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Request bodies in pure ASCII: every other character, lone surrogates too, as a \\uXXXX escape. */
    private static final ObjectMapper ASCII_JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    record Response(int status, java.net.http.HttpHeaders headers, byte[] body) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The body as JSON; null when it is empty. */
        JsonNode json() {
            try {
                return body.length == 0 ? null : JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON (status " + status + "): " + text(), e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Response get(String path, String token) {
        return send("GET", path, token);
    }

    Response send(String method, String path, String token) {
        return send(method, path, token, null, null);
    }

    /** A request with a JSON body (any object Jackson can write, e.g. a map). */
    Response sendJson(String method, String path, String token, Object body) {
        try {
            return send(method, path, token, "application/json", ASCII_JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A multipart/form-data request with one file part named {@code file}. */
    Response upload(String path, String token, String fileName, byte[] content) {
        String boundary = "----goldcrest-it-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String quotedName = fileName.replace("\\", "\\\\").replace("\"", "\\\"");
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + quotedName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send("POST", path, token, "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    Response send(String method, String path, String token, String contentType, byte[] body) {
        return send(method, path, token, Map.of(), contentType, body);
    }

    /** A request with extra headers (v1's {@code X-Machine-Name}, {@code X-Task-Id}). */
    Response send(String method, String path, String token, Map<String, String> headers, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Asserts FirecREST's error body. */
    static void assertError(Response response, int status, String message, String user) {
        assertThat(response.status()).as("status of %s", response.text()).isEqualTo(status);
        assertThat(response.json().get("errorType").asText()).isEqualTo("error");
        assertThat(response.json().get("message").asText()).isEqualTo(message);
        if (user == null) {
            assertThat(response.json().get("user").isNull()).isTrue();
        } else {
            assertThat(response.json().get("user").asText()).isEqualTo(user);
        }
    }
}
