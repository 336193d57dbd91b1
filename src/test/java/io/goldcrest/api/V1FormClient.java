package io.goldcrest.api;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Requests as pyfirecrest's v1 client sends them: {@code X-Machine-Name} when a machine is given,
 * parameters in the query for GET and as a urlencoded form otherwise, multipart/form-data when a
 * file is attached.
 */
final class V1FormClient {
    private final ApiClient api;

    V1FormClient(int port) {
        this.api = new ApiClient(port);
    }

    /** @param machine the {@code X-Machine-Name} value; null sends none */
    ApiClient.Response get(String path, String token, String machine) {
        return send("GET", path, token, machine, null, null);
    }

    ApiClient.Response form(String method, String path, String token, String machine, Map<String, String> fields) {
        return send(method, path, token, machine, "application/x-www-form-urlencoded",
                encode(fields).getBytes(StandardCharsets.UTF_8));
    }

    /** A multipart form with the fields and, when {@code fileName} is not null, the part {@code file}. */
    ApiClient.Response multipart(String path, String token, String machine, Map<String, String> fields, String fileName,
                                 byte[] content) {
        String boundary = "----goldcrest-v1-it-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        if (fileName != null) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send("POST", path, token, machine, "multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    static String encode(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(field -> URLEncoder.encode(field.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private ApiClient.Response send(String method, String path, String token, String machine, String contentType, byte[] body) {
        return api.send(method, path, token, machine == null ? Map.of() : Map.of("X-Machine-Name", machine), contentType, body);
    }
}
