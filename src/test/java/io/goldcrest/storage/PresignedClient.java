package io.goldcrest.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * What a FirecREST client (pyfirecrest) or a transfer job does with presigned URLs: plain HTTP, no S3
 * credentials. Parts go up with PUT, their ETags come back in headers, and a POST of the part list completes.
 */
final class PresignedClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** PUTs the parts of {@code data} ({@code partSize} bytes each, the last shorter) and returns their ETags. */
    List<String> putParts(List<URI> partUrls, byte[] data, long partSize) {
        List<String> etags = new ArrayList<>();
        for (int index = 0; index < partUrls.size(); index++) {
            int from = (int) Math.min(data.length, index * partSize);
            int to = (int) Math.min(data.length, from + partSize);
            HttpResponse<String> response = send("PUT", partUrls.get(index), BodyPublishers.ofByteArray(data, from, to - from));
            assertThat(response.statusCode()).as("PUT part %d: %s", index + 1, response.body()).isEqualTo(200);
            etags.add(response.headers().firstValue("ETag").orElseThrow());
        }
        return etags;
    }

    /** POSTs the CompleteMultipartUpload XML; returns the response. */
    HttpResponse<String> complete(URI completeUrl, List<String> etags) {
        StringBuilder xml = new StringBuilder("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        for (int index = 0; index < etags.size(); index++) {
            String etag = etags.get(index).startsWith("\"") ? etags.get(index) : "\"" + etags.get(index) + "\"";
            xml.append("<Part><PartNumber>").append(index + 1).append("</PartNumber><ETag>").append(etag).append("</ETag></Part>");
        }
        xml.append("</CompleteMultipartUpload>");
        return send("POST", completeUrl, BodyPublishers.ofString(xml.toString()));
    }

    /** Uploads {@code data} through the part URLs and completes; asserts each step succeeds. */
    void upload(List<URI> partUrls, URI completeUrl, byte[] data, long partSize) {
        HttpResponse<String> response = complete(completeUrl, putParts(partUrls, data, partSize));
        assertThat(response.statusCode()).as("complete: %s", response.body()).isEqualTo(200);
        assertThat(response.body()).contains("CompleteMultipartUploadResult");
    }

    HttpResponse<String> send(String method, URI url, HttpRequest.BodyPublisher body) {
        return send(HttpRequest.newBuilder(url).timeout(TIMEOUT).method(method, body).build(), BodyHandlers.ofString());
    }

    int head(URI url) {
        return send(HttpRequest.newBuilder(url).timeout(TIMEOUT).method("HEAD", BodyPublishers.noBody()).build(),
                BodyHandlers.discarding()).statusCode();
    }

    HttpResponse<byte[]> get(URI url) {
        return send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(), BodyHandlers.ofByteArray());
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " to the staging service failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
