package io.goldcrest.api;

import static io.goldcrest.RootCommands.run;
import static io.goldcrest.RootCommands.sh;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The v2 {@code /filesystem/{system}/transfer} endpoints and the tasks that follow them, end to end:
 * real Slurm jobs on the xfer partition, real S3 (S3Proxy) with presigned URLs used by curl, and the
 * embedded task store. What the API reports is checked against the files on disk, read as root.
 */
class TransferApiIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String BASE = "/home/alice/transfer-it-" + RUN;
    private static final String HOSTILE = "it's & <b> \"$(touch pwned)\" `x` ;ls";
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final long PART_SIZE = 16L << 20;

    private static Goldcrest goldcrest;
    private static ApiClient client;
    private static Path dataDir;

    /** The dev configuration with quick rounds: watcher every second, upload jobs polling S3 every second. */
    static String config(Path stateDir, String tasks) {
        return LocalServices.devConfigYaml(stateDir)
                .replace("tasks: {store: embedded, watch_interval: 2s}", tasks.isEmpty() ? "tasks: {watch_interval: 1s}" : tasks)
                .replace("max_part_size: 67108864", "max_part_size: " + PART_SIZE)
                .replace("    probe_user: \"alice\"\n", "    probe_user: \"alice\"\n    staging_poll_interval: 1s\n");
    }

    @BeforeAll
    static void start() throws IOException {
        dataDir = Files.createTempDirectory("transfer-it");
        goldcrest = Goldcrest.start(LocalServices.config(config(dataDir, "")), Clock.systemUTC());
        client = new ApiClient(goldcrest.port());
        sh("mkdir -p \"$1\" && chown alice:alice \"$1\" && chmod 700 \"$1\"", BASE);
    }

    @AfterAll
    static void stop() {
        if (goldcrest != null) {
            goldcrest.close();
        }
        run("rm", "-rf", "--", BASE);
    }

    // ================================================================ helpers

    static String token(String user) {
        return LocalServices.mockToken(user);
    }

    /** Waits until the task has ended and returns it. */
    static JsonNode awaitTask(ApiClient api, String user, String taskId) {
        return awaitTask(api, user, taskId, task -> !List.of("queued", "running").contains(task.get("state").asText()));
    }

    static JsonNode awaitTask(ApiClient api, String user, String taskId, Predicate<JsonNode> done) {
        Instant deadline = Instant.now().plus(WAIT);
        String tok = token(user);
        while (true) {
            ApiClient.Response response = api.get("/tasks/" + taskId, tok);
            assertThat(response.status()).as(response.text()).isEqualTo(200);
            JsonNode task = response.json();
            if (done.test(task)) {
                return task;
            }
            assertThat(Instant.now()).as("task %s still %s", taskId, task).isBefore(deadline);
            sleep(500);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode post(String user, String operation, Map<String, Object> body, int expected) {
        ApiClient.Response response = client.sendJson("POST", "/filesystem/cluster/transfer/" + operation, token(user), body);
        assertThat(response.status()).as(response.text()).isEqualTo(expected);
        return response.json();
    }

    /** Checks the descriptor FirecREST clients read, waits for the task, and returns it. */
    private static JsonNode succeeded(String user, JsonNode response) {
        JsonNode job = response.get("transferJob");
        assertThat(job.get("system").asText()).isEqualTo("cluster");
        assertThat(job.get("workingDirectory").asText()).isEqualTo("/home/" + user);
        assertThat(job.at("/logs/outputLog").asText()).matches("/home/" + user + "/\\.f7t_file_handling_job_[0-9a-f-]{36}\\.log");
        assertThat(job.at("/logs/errorLog").asText()).matches("/home/" + user + "/\\.f7t_file_handling_job_error_[0-9a-f-]{36}\\.log");
        JsonNode task = awaitTask(client, user, response.get("taskId").asText());
        assertThat(task.get("state").asText()).as(task.toString()).isEqualTo("succeeded");
        assertThat(task.get("jobId").asText()).isEqualTo(job.get("jobId").asText());
        assertThat(task.at("/result/transferJob/jobId").asText()).isEqualTo(job.get("jobId").asText());
        return task;
    }

    private static String log(JsonNode response) {
        return sh("cat -- \"$1\"", response.at("/transferJob/logs/outputLog").asText());
    }

    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    static String sha256(Path file) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** curl with the URL in its config on stdin; returns the HTTP status. */
    static int curl(String url, String... options) {
        try {
            List<String> argv = new ArrayList<>(List.of("curl", "--silent", "--write-out", "%{http_code}", "--config", "-"));
            argv.addAll(List.of(options));
            // curl pairs each --output with one URL, in order: only one may be given
            if (!argv.contains("--output")) {
                argv.addAll(List.of("--output", "/dev/null"));
            }
            Process process = new ProcessBuilder(argv).redirectErrorStream(false).start();
            process.getOutputStream().write(("url = \"" + url + "\"\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            String code = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
            return Integer.parseInt(code);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** PUTs each part of {@code file} to its URL with curl and completes the upload; returns the complete call's status. */
    static int uploadParts(Path file, JsonNode directives) throws IOException {
        long size = Files.size(file);
        long partSize = directives.get("maxPartSize").asLong();
        JsonNode urls = directives.get("partsUploadUrls");
        assertThat(urls.size()).isEqualTo((int) Math.max(1, (size + partSize - 1) / partSize));
        StringBuilder xml = new StringBuilder("<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
        Path dir = Files.createTempDirectory("parts");
        for (int i = 0; i < urls.size(); i++) {
            Path part = dir.resolve("part" + i);
            Path headers = dir.resolve("headers" + i);
            run("dd", "if=" + file, "of=" + part, "bs=1M", "iflag=skip_bytes,count_bytes", "skip=" + (i * partSize),
                    "count=" + partSize, "status=none");
            assertThat(curl(urls.get(i).asText(), "--upload-file", part.toString(), "--dump-header", headers.toString())).isEqualTo(200);
            String etag = Files.readAllLines(headers).stream().filter(line -> line.toLowerCase().startsWith("etag:"))
                    .map(line -> line.substring(5).trim()).findFirst().orElseThrow();
            xml.append("<Part><PartNumber>").append(i + 1).append("</PartNumber><ETag>").append(etag).append("</ETag></Part>");
        }
        xml.append("</CompleteMultipartUpload>");
        Path complete = dir.resolve("complete.xml");
        Files.writeString(complete, xml);
        int status = curl(directives.get("completeUploadUrl").asText(), "--request", "POST", "--data-binary", "@" + complete,
                "--header", "Content-Type: application/xml");
        run("rm", "-rf", "--", dir.toString());
        return status;
    }

    static Path randomFile(long size) throws IOException {
        Path file = Files.createTempFile("transfer-it", ".bin");
        Random random = new Random(size);
        byte[] buffer = new byte[1 << 20];
        try (var out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += buffer.length) {
                random.nextBytes(buffer);
                out.write(buffer, 0, (int) Math.min(buffer.length, size - written));
            }
        }
        return file;
    }

    // ================================================================ file operations through jobs

    @Test
    void moveCopyCompressExtractAndDeleteHostileNamesThroughJobs() {
        String dir = BASE + "/" + HOSTILE;
        sh("mkdir -p \"$1/sub\" && echo one > \"$1/a.txt\" && echo two > \"$1/sub/b.dat\" && ln -s a.txt \"$1/link\""
                + " && chown -R alice:alice \"$1\"", dir);

        JsonNode copied = post("alice", "cp", body("sourcePath", dir, "targetPath", dir + ".copy"), 201);
        succeeded("alice", copied);
        assertThat(log(copied)).contains("Files were successfully copied.").contains("CopyFiles Job (id:" + copied.at("/transferJob/jobId").asText() + ")");
        assertThat(sh("stat -c %F -- \"$1/link\"", dir + ".copy").trim()).isEqualTo("symbolic link");

        JsonNode dereferenced = post("alice", "cp", body("source_path", dir, "target_path", dir + ".deref", "dereference", true), 201);
        succeeded("alice", dereferenced);
        assertThat(sh("stat -c %F -- \"$1/link\"", dir + ".deref").trim()).isEqualTo("regular file");

        JsonNode moved = post("alice", "mv", body("sourcePath", dir + ".deref", "targetPath", dir + ".moved"), 201);
        succeeded("alice", moved);
        assertThat(log(moved)).contains("Files were successfully moved.");
        assertThat(sh("test ! -e \"$1\" && cat -- \"$2/a.txt\"", dir + ".deref", dir + ".moved")).isEqualTo("one\n");

        JsonNode compressed = post("alice", "compress", body("path", dir, "targetPath", dir + ".tar.gz"), 201);
        succeeded("alice", compressed);
        assertThat(log(compressed)).contains("Files were successfully compressed.");
        assertThat(sh("tar -tzf \"$1\" | sort", dir + ".tar.gz")).contains(HOSTILE + "/a.txt", HOSTILE + "/sub/b.dat");

        JsonNode pattern = post("alice", "compress", body("path", dir, "targetPath", dir + ".txt.tar", "matchPattern", ".*\\.txt",
                "compression", "none"), 201);
        succeeded("alice", pattern);
        assertThat(sh("tar -tf \"$1\"", dir + ".txt.tar").trim()).isEqualTo("./" + HOSTILE + "/a.txt");

        sh("mkdir -p \"$1\" && chown alice:alice \"$1\"", BASE + "/out & 'x'");
        JsonNode extracted = post("alice", "extract", body("path", dir + ".tar.gz", "targetPath", BASE + "/out & 'x'"), 201);
        succeeded("alice", extracted);
        assertThat(log(extracted)).contains("Files were successfully extracted.");
        assertThat(sh("cat -- \"$1/$2/sub/b.dat\"", BASE + "/out & 'x'", HOSTILE)).isEqualTo("two\n");

        ApiClient.Response removed = client.send("DELETE", "/filesystem/cluster/transfer/rm?path="
                + java.net.URLEncoder.encode(dir + ".copy", StandardCharsets.UTF_8).replace("+", "%20"), token("alice"));
        assertThat(removed.status()).as(removed.text()).isEqualTo(200);
        succeeded("alice", removed.json());
        assertThat(log(removed.json())).contains("Files were successfully deleted.");
        assertThat(sh("test -e \"$1\" && echo exists || echo gone", dir + ".copy").trim()).isEqualTo("gone");

        // No name was ever run as a command.
        assertThat(sh("find / -xdev -name pwned 2>/dev/null | head -1 || true")).isEmpty();
    }

    @Test
    void aFailedJobFailsItsTaskWithTheReason() {
        JsonNode moved = post("alice", "mv", body("sourcePath", BASE + "/does-not-exist", "targetPath", BASE + "/x"), 201);
        JsonNode task = awaitTask(client, "alice", moved.get("taskId").asText());
        assertThat(task.get("state").asText()).isEqualTo("failed");
        assertThat(task.get("error").asText()).contains("exit code 1").contains("No such file or directory");
    }

    @Test
    void pathsOutsideTheFileSystemsAndMissingAccountsAreRefusedBeforeAnyJob() {
        ApiClient.Response relative = client.sendJson("POST", "/filesystem/cluster/transfer/mv", token("alice"),
                body("sourcePath", "relative/path", "targetPath", BASE + "/x"));
        assertThat(relative.status()).isEqualTo(400);
        assertThat(relative.json().get("message").asText()).contains("is not an absolute path");
        ApiClient.Response outside = client.sendJson("POST", "/filesystem/cluster/transfer/cp", token("alice"),
                body("sourcePath", "/etc/passwd", "targetPath", BASE + "/x"));
        assertThat(outside.status()).isEqualTo(400);
        ApiClient.Response method = client.sendJson("POST", "/filesystem/cluster/transfer/upload", token("alice"),
                body("path", BASE + "/f", "transferDirectives", Map.of("transferMethod", "wormhole", "wormholeCode", "1-a-b")));
        assertThat(method.status()).isEqualTo(400);
        assertThat(method.json().get("message").asText()).isEqualTo("Requested transfer method is not available.");
        ApiClient.Response noSize = client.sendJson("POST", "/filesystem/cluster/transfer/upload", token("alice"),
                body("path", BASE + "/f", "transferDirectives", Map.of("transferMethod", "s3")));
        assertThat(noSize.status()).isEqualTo(400);
        ApiClient.Response missing = client.sendJson("POST", "/filesystem/cluster/transfer/download", token("alice"),
                body("path", BASE + "/nope", "transferDirectives", Map.of("transferMethod", "s3")));
        assertThat(missing.status()).isEqualTo(404);
    }

    // ================================================================ S3 upload and download

    @Test
    void fiftyMibUploadThroughPresignedPartsThenDownloadBackWithTheSameSha256() throws IOException {
        Path local = randomFile(50L << 20);
        String target = BASE + "/big " + HOSTILE + ".bin";
        JsonNode response = post("alice", "upload", body("path", target, "transferDirectives",
                Map.of("transferMethod", "s3", "fileSize", Files.size(local))), 201);
        JsonNode directives = response.get("transferDirectives");
        assertThat(directives.get("transferMethod").asText()).isEqualTo("s3");
        assertThat(directives.get("maxPartSize").asLong()).isEqualTo(PART_SIZE);
        assertThat(directives.get("partsUploadUrls")).hasSize(4);
        assertThat(directives.get("partsUploadUrls").get(0).asText()).contains("/alice/").contains("partNumber=1").contains("X-Amz-Signature=");
        assertThat(directives.get("completeUploadUrl").asText()).contains("uploadId=");

        // A tampered signature is refused by S3 itself.
        String part = directives.get("partsUploadUrls").get(0).asText();
        String tampered = part.replaceAll("X-Amz-Signature=([0-9a-f])", "X-Amz-Signature=" + (part.matches(".*X-Amz-Signature=0.*") ? "1" : "0"));
        assertThat(curl(tampered, "--upload-file", local.toString())).isEqualTo(403);

        assertThat(uploadParts(local, directives)).isEqualTo(200);
        JsonNode task = succeeded("alice", response);
        assertThat(task.get("operation").asText()).isEqualTo("upload");
        assertThat(task.at("/progress/done").asLong()).isEqualTo(Files.size(local));
        assertThat(task.at("/progress/percent").asInt()).isEqualTo(100);
        assertThat(log(response)).contains("File was successfully downloaded (size: 50.000MB)");
        assertThat(sh("sha256sum -- \"$1\" | cut -d' ' -f1", target).trim()).isEqualTo(sha256(local));
        assertThat(sh("stat -c %U -- \"$1\"", target).trim()).isEqualTo("alice");

        // ... and back out.
        JsonNode download = post("alice", "download", body("path", target, "transferDirectives", Map.of("transferMethod", "s3")), 201);
        String url = download.at("/transferDirectives/downloadUrl").asText();
        assertThat(url).contains("/alice/").contains("X-Amz-Signature=");
        JsonNode downloaded = succeeded("alice", download);
        assertThat(downloaded.at("/result/downloadUrl").asText()).isEqualTo(url);
        assertThat(log(download)).contains("[INFO] Multipart file upload successfully completed");
        Path back = Files.createTempFile("transfer-it-back", ".bin");
        assertThat(curl(url, "--output", back.toString())).isEqualTo(200);
        assertThat(sha256(back)).isEqualTo(sha256(local));
        // a GET URL does not allow a PUT
        assertThat(curl(url, "--upload-file", local.toString())).isEqualTo(403);
        Files.delete(back);
        Files.delete(local);
    }

    @Test
    void expiredUrlsAreRefusedByS3AndTheUploadTaskExpires() throws IOException {
        Path shortData = Files.createTempDirectory("transfer-it-ttl");
        String yaml = config(shortData, "").replace("ttl: 3600", "ttl: 3");
        try (Goldcrest brief = Goldcrest.start(LocalServices.config(yaml), Clock.systemUTC())) {
            ApiClient api = new ApiClient(brief.port());
            Path local = randomFile(1L << 20);
            ApiClient.Response response = api.sendJson("POST", "/filesystem/cluster/transfer/upload", token("alice"),
                    body("path", BASE + "/never.bin", "transferDirectives", Map.of("transferMethod", "s3", "fileSize", Files.size(local))));
            assertThat(response.status()).as(response.text()).isEqualTo(201);
            sleep(4_500);
            assertThat(curl(response.json().at("/transferDirectives/partsUploadUrls/0").asText(), "--upload-file", local.toString()))
                    .isEqualTo(403);
            JsonNode task = awaitTask(api, "alice", response.json().get("taskId").asText());
            assertThat(task.get("state").asText()).isEqualTo("expired");
            assertThat(task.get("error").asText()).contains("not completed before its URLs expired");
            assertThat(sh("test -e \"$1\" && echo exists || echo absent", BASE + "/never.bin").trim()).isEqualTo("absent");
            Files.delete(local);
        }
    }

    // ================================================================ isolation

    @Test
    void bobCannotReadAlicesTasksObjectsOrBucket() throws IOException {
        sh("echo secret > \"$1\" && chown alice:alice \"$1\" && chmod 600 \"$1\"", BASE + "/secret.txt");
        JsonNode download = post("alice", "download", body("path", BASE + "/secret.txt", "transferDirectives", Map.of("transferMethod", "s3")), 201);
        String taskId = download.get("taskId").asText();
        succeeded("alice", download);

        ApiClient.Response other = client.get("/tasks/" + taskId, token("bob"));
        assertThat(other.status()).isEqualTo(403);
        assertThat(client.get("/tasks/" + UUID.randomUUID(), token("bob")).status()).isEqualTo(404);
        JsonNode bobs = client.get("/tasks", token("bob")).json().get("tasks");
        bobs.forEach(task -> assertThat(task.get("user").asText()).isEqualTo("bob"));
        assertThat(client.get("/tasks", token("alice")).json().get("tasks").findValuesAsText("id")).contains(taskId);

        // Bob's own transfers go to his bucket; alice's file cannot be read by his job or stat.
        ApiClient.Response stolen = client.sendJson("POST", "/filesystem/cluster/transfer/download", token("bob"),
                body("path", BASE + "/secret.txt", "transferDirectives", Map.of("transferMethod", "s3")));
        assertThat(stolen.status()).as(stolen.text()).isIn(403, 404);
        Path local = randomFile(1024);
        ApiClient.Response bobUpload = client.sendJson("POST", "/filesystem/cluster/transfer/upload", token("bob"),
                body("path", "/home/bob/up-" + RUN, "transferDirectives", Map.of("transferMethod", "s3", "fileSize", 1024)));
        assertThat(bobUpload.status()).isEqualTo(201);
        assertThat(bobUpload.json().at("/transferDirectives/partsUploadUrls/0").asText()).contains("/bob/").doesNotContain("/alice/");
        // Staged objects are not readable without a signature, nor by bending another signed URL to them.
        String url = download.at("/transferDirectives/downloadUrl").asText();
        String bucketUrl = url.substring(0, url.indexOf("/alice/") + "/alice/".length());
        assertThat(curl(bucketUrl)).isEqualTo(403);
        assertThat(curl(url.substring(0, url.indexOf('?')))).isEqualTo(403);
        String bobsUrl = bobUpload.json().at("/transferDirectives/partsUploadUrls/0").asText();
        assertThat(curl(bobsUrl.replace("/bob/", "/alice/"), "--upload-file", local.toString())).isEqualTo(403);
        Files.delete(local);
        // bob never uploads: his job would wait for the URLs' whole lifetime
        io.goldcrest.RootCommands.slurm("scancel", bobUpload.json().at("/transferJob/jobId").asText());
        JsonNode cancelled = awaitTask(client, "bob", bobUpload.json().get("taskId").asText());
        assertThat(cancelled.get("state").asText()).isEqualTo("cancelled");
    }
}
