package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.JsonNode;
import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import io.goldcrest.RootCommands;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The v2 {@code /filesystem/{system}/ops} endpoints end to end, as alice against the local cluster's
 * real sshd. Fixtures are made through the API where that is natural, otherwise as root on the local
 * disk (the cluster is this machine); every check of the disk is made as root, independently of
 * Goldcrest. Each run works under its own {@code /home/alice/it-<run>} and {@code /home/bob/it-<run>},
 * removed afterwards.
 */
class FilesystemApiIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String BASE = "/home/alice/it-" + RUN;
    private static final String BOB_BASE = "/home/bob/it-" + RUN;
    private static final String BOB_PRIVATE = BOB_BASE + "/private";
    private static final String BOB_SECRET = BOB_PRIVATE + "/secret.txt";
    private static final String BOB_PUBLIC = BOB_BASE + "/public.txt";
    /** The file a naive shell interpolation of some hostile names would create. */
    private static final String MARKER = "it-marker-" + RUN;
    private static final String OPS = "/filesystem/cluster/ops/";
    private static final String TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}";
    private static final String SMALL_OPS = "/filesystem/small/ops/";
    private static final int SMALL_FILE_LIMIT = 65536;
    private static final int SMALL_TIMEOUT_SECONDS = 2;

    /**
     * One server with two systems on the same login node: {@code cluster} as in the dev configuration
     * and {@code small}, the same with small limits (2 s commands, 64 KiB files, 50 listed entries).
     * Not two servers: Javalin keeps its multipart limits in a JVM-wide static, so the server
     * started last would impose its upload limit on the other.
     */
    private static Goldcrest goldcrest;
    private static ApiClient client;
    private static String alice;
    private static Map<String, String> bobsFiles;

    @BeforeAll
    static void start() {
        String yaml = LocalServices.devConfigYaml();
        // The cluster is the last block of the dev configuration: a copy of it appended is a second system.
        String cluster = yaml.substring(yaml.indexOf("- name: \"cluster\""));
        String small = replace(cluster, "- name: \"cluster\"", "- name: \"small\"");
        small = replace(small, "command_execution: 5", "command_execution: " + SMALL_TIMEOUT_SECONDS);
        small = replace(small, "max_ops_file_size: 5242880", "max_ops_file_size: " + SMALL_FILE_LIMIT);
        small = replace(small, "    probe_user: \"alice\"\n", "    probe_user: \"alice\"\n    max_list_entries: 50\n");
        goldcrest = Goldcrest.start(LocalServices.config(yaml.stripTrailing() + "\n" + small), Clock.systemUTC());
        client = new ApiClient(goldcrest.port());
        alice = LocalServices.mockToken("alice");

        ok(post("mkdir", "path", BASE), 201);
        sh("""
                set -e
                mkdir -p "$1/private/inner"
                printf 'bob secret\\n' > "$1/private/secret.txt"
                printf 'bob public\\n' > "$1/public.txt"
                chown -R bob:bob "$1"
                chmod 755 "$1"; chmod 700 "$1/private"; chmod 600 "$1/private/secret.txt"; chmod 644 "$1/public.txt"
                """, BOB_BASE);
        bobsFiles = snapshot(BOB_BASE);
    }

    @AfterAll
    static void stop() {
        if (goldcrest != null) {
            goldcrest.close();
        }
        run("rm", "-rf", "--", BASE, BOB_BASE);
    }

    private static String replace(String text, String from, String to) {
        assertThat(text).as("the dev configuration").contains(from);
        return text.replace(from, to);
    }

    // ================================================================ 1. each endpoint's success case

    @Test
    void lsListsEntriesAsFileObjects() {
        String dir = dir("ls");
        ok(upload(dir, "a.txt", bytes("hello world")), 204);
        ok(post("mkdir", "path", dir + "/sub"), 201);

        JsonNode output = ok(get("ls", "path", dir), 200).get("output");
        assertThat(names(output)).containsExactly("a.txt", "sub");
        for (JsonNode entry : output) {
            assertFileObject(entry);
            String local = dir + "/" + entry.get("name").asText();
            assertThat(entry.get("user").asText()).isEqualTo("alice");
            assertThat(entry.get("group").asText()).isEqualTo("alice");
            assertThat(entry.get("permissions").asText()).isEqualTo(localPermissions(local));
            assertThat(entry.get("lastModified").asText()).isEqualTo(localTime(local));
            assertThat(entry.get("size").asText()).isEqualTo(Long.toString(localSize(local)));
            assertThat(entry.get("linkTarget").isNull()).isTrue();
        }
        assertThat(output.get(0).get("type").asText()).isEqualTo("-");
        assertThat(output.get(0).get("size").asText()).isEqualTo("11");
        assertThat(output.get(1).get("type").asText()).isEqualTo("d");

        // A file is listed as itself, named as given.
        JsonNode single = ok(get("ls", "path", dir + "/a.txt"), 200).get("output");
        assertThat(names(single)).containsExactly(dir + "/a.txt");
    }

    @Test
    void headAndTailReturnLinesOrBytes() {
        String file = dir("head-tail") + "/lines.txt";
        writeAsAlice(file, bytes(numberedLines(20)));

        assertContent(get("head", "path", file), numberedLines(10), "lines", 0, 10);
        assertContent(get("head", "path", file, "lines", "3"), "1\n2\n3\n", "lines", 0, 3);
        assertContent(get("head", "path", file, "bytes", "5"), "1\n2\n3", "bytes", 0, 5);
        assertContent(get("head", "path", file, "lines", "17", "skipTrailing", "true"), "1\n2\n3\n", "lines", 0, -17);
        assertContent(get("head", "path", file, "lines", "18", "skip_trailing", "true"), "1\n2\n", "lines", 0, -18);

        assertContent(get("tail", "path", file), numberedLines(20).substring(numberedLines(10).length()), "lines", -10, -1);
        assertContent(get("tail", "path", file, "bytes", "3"), "20\n", "bytes", -3, -1);
        assertContent(get("tail", "path", file, "lines", "18", "skipHeading", "true"), "18\n19\n20\n", "lines", 18, -1);
        assertContent(get("tail", "path", file, "lines", "19", "skip_heading", "true"), "19\n20\n", "lines", 19, -1);
    }

    @Test
    void viewReadsFromAnOffset() {
        String dir = dir("view");
        String file = dir + "/text.txt";
        ok(upload(dir, "text.txt", bytes("0123456789abcdef")), 204);

        assertThat(ok(get("view", "path", file), 200).get("output").asText()).isEqualTo("0123456789abcdef");
        assertThat(ok(get("view", "path", file, "offset", "4", "size", "6"), 200).get("output").asText()).isEqualTo("456789");
        assertThat(ok(get("view", "path", file, "offset", "14", "size", "100"), 200).get("output").asText()).isEqualTo("ef");
        assertThat(ok(get("view", "path", file, "offset", "16"), 200).get("output").asText()).isEmpty();
    }

    @Test
    void checksumIsTheSha256OfTheContent() {
        String dir = dir("checksum");
        byte[] content = randomBytes(100_000, 1);
        ok(upload(dir, "data.bin", content), 204);

        JsonNode output = ok(get("checksum", "path", dir + "/data.bin"), 200).get("output");
        assertThat(output.get("algorithm").asText()).isEqualTo("SHA256");
        assertThat(output.get("checksum").asText()).isEqualTo(sha256(content));
    }

    @Test
    void fileTellsTheContentType() {
        String dir = dir("file");
        ok(upload(dir, "notes.txt", bytes("just some words\n")), 204);

        assertThat(ok(get("file", "path", dir + "/notes.txt"), 200).get("output").asText()).isEqualTo("ASCII text");
        assertThat(ok(get("file", "path", dir), 200).get("output").asText()).isEqualTo("directory");
    }

    @Test
    void statGivesTheRawNumbers() {
        String dir = dir("stat");
        String file = dir + "/data.txt";
        ok(upload(dir, "data.txt", bytes("twelve bytes")), 204);
        ok(post("symlink", "path", file, "linkPath", dir + "/link"), 201);

        JsonNode output = ok(get("stat", "path", file), 200).get("output");
        assertThat(fieldNames(output)).containsExactly("mode", "ino", "dev", "nlink", "uid", "gid", "size", "atime", "ctime", "mtime");
        output.forEach(value -> assertThat(value.isIntegralNumber()).as(output.toString()).isTrue());
        Map<String, Object> local = unixAttributes(file);
        assertThat(output.get("mode").asLong()).isEqualTo(((Integer) local.get("mode")).longValue());
        assertThat(output.get("ino").asLong()).isEqualTo((Long) local.get("ino"));
        assertThat(output.get("nlink").asLong()).isEqualTo(((Integer) local.get("nlink")).longValue());
        assertThat(output.get("uid").asLong()).isEqualTo(1001);
        assertThat(output.get("uid").asLong()).isEqualTo(((Integer) local.get("uid")).longValue());
        assertThat(output.get("gid").asLong()).isEqualTo(((Integer) local.get("gid")).longValue());
        assertThat(output.get("size").asLong()).isEqualTo(12);
        assertThat(output.get("mtime").asLong()).isEqualTo(((FileTime) local.get("lastModifiedTime")).toInstant().getEpochSecond());
        assertThat(output.get("ctime").asLong()).isEqualTo(((FileTime) local.get("ctime")).toInstant().getEpochSecond());

        JsonNode link = ok(get("stat", "path", dir + "/link"), 200).get("output");
        assertThat(link.get("mode").asLong() & 0170000).isEqualTo(0120000);
        JsonNode followed = ok(get("stat", "path", dir + "/link", "dereference", "true"), 200).get("output");
        assertThat(followed.get("ino").asLong()).isEqualTo(output.get("ino").asLong());
        assertThat(followed.get("mode").asLong()).isEqualTo(output.get("mode").asLong());
    }

    @Test
    void chmodAnswersTheChangedFile() {
        String dir = dir("chmod");
        String file = dir + "/f.txt";
        ok(upload(dir, "f.txt", bytes("x")), 204);

        JsonNode octal = ok(put("chmod", "path", file, "mode", "640"), 200).get("output");
        assertFileObject(octal);
        assertThat(octal.get("name").asText()).isEqualTo(file);
        assertThat(octal.get("permissions").asText()).isEqualTo("rw-r-----");
        assertThat(localPermissions(file)).isEqualTo("rw-r-----");

        JsonNode symbolic = ok(put("chmod", "sourcePath", file, "mode", "u+x"), 200).get("output");
        assertThat(symbolic.get("permissions").asText()).isEqualTo("rwxr-----");
        assertThat(localPermissions(file)).isEqualTo("rwxr-----");

        ok(put("chmod", "source_path", file, "mode", "755"), 200);
        assertThat(localPermissions(file)).isEqualTo("rwxr-xr-x");
    }

    @Test
    void chownAnswersTheFile() {
        String dir = dir("chown");
        String file = dir + "/f.txt";
        ok(upload(dir, "f.txt", bytes("x")), 204);

        JsonNode output = ok(put("chown", "path", file, "owner", "alice", "group", "alice"), 200).get("output");
        assertFileObject(output);
        assertThat(output.get("name").asText()).isEqualTo(file);
        assertThat(output.get("user").asText()).isEqualTo("alice");
        assertThat(output.get("group").asText()).isEqualTo("alice");
        assertThat(ok(put("chown", "source_path", file, "group", "alice"), 200).at("/output/group").asText()).isEqualTo("alice");
        assertThat(unixAttributes(file).get("uid")).isEqualTo(1001);

        ApiClient.Response unknown = put("chown", "path", file, "owner", "nosuchuser" + RUN.substring(0, 4), "group", "alice");
        assertRemoteError(unknown, 400, "invalid user");
        // An owner alone is an owner alone (not "owner:", which chown reads as "and the login group").
        assertRemoteError(put("chown", "path", file, "owner", "nosuchuser" + RUN.substring(0, 4)), 400, "invalid user");
        assertThat(unixAttributes(file).get("uid")).isEqualTo(1001);
    }

    @Test
    void mkdirCreatesDirectoriesAndParents() {
        String dir = dir("mkdir");

        JsonNode made = ok(post("mkdir", "path", dir + "/one"), 201).get("output");
        assertFileObject(made);
        assertThat(made.get("name").asText()).isEqualTo(dir + "/one");
        assertThat(made.get("type").asText()).isEqualTo("d");
        assertThat(Files.isDirectory(Path.of(dir, "one"), LinkOption.NOFOLLOW_LINKS)).isTrue();

        JsonNode nested = ok(post("mkdir", "sourcePath", dir + "/a/b/c", "parent", true), 201).get("output");
        assertThat(nested.get("name").asText()).isEqualTo(dir + "/a/b/c");
        assertThat(Files.isDirectory(Path.of(dir, "a/b/c"))).isTrue();
        assertThat(unixAttributes(dir + "/a").get("uid")).isEqualTo(1001);

        // mkdir -p of an existing directory is fine.
        ok(post("mkdir", "source_path", dir + "/a/b", "parent", true), 201);
    }

    @Test
    void symlinkAnswersTheLink() throws IOException {
        String dir = dir("symlink");
        String target = dir + "/target.txt";
        ok(upload(dir, "target.txt", bytes("x")), 204);

        JsonNode link = ok(post("symlink", "path", target, "linkPath", dir + "/link1"), 201).get("output");
        assertFileObject(link);
        assertThat(link.get("name").asText()).isEqualTo(dir + "/link1");
        assertThat(link.get("type").asText()).isEqualTo("l");
        assertThat(link.get("linkTarget").asText()).isEqualTo(target);
        assertThat(Files.readSymbolicLink(Path.of(dir, "link1")).toString()).isEqualTo(target);

        JsonNode other = ok(post("symlink", "sourcePath", target, "link_path", dir + "/link2"), 201).get("output");
        assertThat(other.get("linkTarget").asText()).isEqualTo(target);
        assertThat(Files.readSymbolicLink(Path.of(dir, "link2")).toString()).isEqualTo(target);
    }

    @Test
    void rmRemovesFilesLinksAndTrees() {
        String dir = dir("rm");
        ok(upload(dir, "f.txt", bytes("x")), 204);
        ok(post("mkdir", "path", dir + "/tree/deeper", "parent", true), 201);
        ok(upload(dir + "/tree/deeper", "g.txt", bytes("y")), 204);
        ok(post("symlink", "path", dir + "/f.txt", "linkPath", dir + "/link"), 201);

        ApiClient.Response removed = delete("rm", "path", dir + "/link");
        assertThat(removed.status()).isEqualTo(204);
        assertThat(removed.body()).isEmpty();
        assertThat(localNames(dir)).containsExactlyInAnyOrder("f.txt", "tree");

        ok(delete("rm", "path", dir + "/tree"), 204);
        ok(delete("rm", "path", dir + "/f.txt"), 204);
        assertThat(localNames(dir)).isEmpty();
    }

    @Test
    void downloadSendsTheExactBytes() {
        String file = dir("download") + "/data.bin";
        byte[] content = randomBytes(300_000, 2);
        writeAsAlice(file, content);

        ApiClient.Response response = get("download", "path", file);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(response.body()).isEqualTo(content);

        writeAsAlice(file, new byte[0]);
        ApiClient.Response empty = get("download", "path", file);
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body()).isEmpty();
    }

    @Test
    void uploadWritesTheExactBytes() {
        String dir = dir("upload");
        byte[] content = randomBytes(200_000, 3);

        ApiClient.Response response = upload(dir, "data.bin", content);
        assertThat(response.status()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(readLocal(dir + "/data.bin")).isEqualTo(content);
        assertThat(unixAttributes(dir + "/data.bin").get("uid")).isEqualTo(1001);

        // An upload replaces the file, leaving nothing of the longer old content.
        ok(upload(dir, "data.bin", bytes("short")), 204);
        assertThat(readLocal(dir + "/data.bin")).isEqualTo(bytes("short"));
    }

    static Stream<Arguments> compressions() {
        // The key spellings vary with the case; a missing compression means gzip.
        return Stream.of(
                arguments(null, "path", "targetPath", "1f8b"),
                arguments("gzip", "sourcePath", "target_path", "1f8b"),
                arguments("bzip2", "source_path", "targetPath", "425a68"),
                arguments("xz", "path", "target_path", "fd377a585a00"),
                arguments("none", "sourcePath", "targetPath", null));
    }

    @ParameterizedTest(name = "compression {0}")
    @MethodSource("compressions")
    void compressArchivesADirectory(String compression, String sourceKey, String targetKey, String magic) {
        String dir = dir("compress-" + compression);
        String source = sourceTree(dir);
        String archive = dir + "/archive";

        Map<String, Object> body = body(sourceKey, source, targetKey, archive);
        if (compression != null) {
            body.put("compression", compression);
        }
        ApiClient.Response response = client.sendJson("POST", OPS + "compress", alice, body);
        assertThat(response.status()).as(response.text()).isEqualTo(204);

        assertThat(tarMembers(archive)).containsExactlyInAnyOrder("src/", "src/a.txt", "src/sub/", "src/sub/b.bin");
        byte[] bytes = readLocal(archive);
        if (magic == null) {
            assertThat(new String(bytes, 257, 5, StandardCharsets.US_ASCII)).isEqualTo("ustar");
        } else {
            assertThat(HexFormat.of().formatHex(bytes, 0, magic.length() / 2)).isEqualTo(magic);
        }
        assertThat(unixAttributes(archive).get("uid")).isEqualTo(1001);
    }

    @Test
    void compressWithAMatchPatternTakesOnlyMatchingFiles() {
        String dir = dir("compress-pattern");
        String source = sourceTree(dir);
        ok(post("compress", "path", source, "targetPath", dir + "/txt.tar.gz", "matchPattern", ".*\\.txt"), 204);
        assertThat(tarMembers(dir + "/txt.tar.gz")).containsExactly("./src/a.txt");
        ok(post("compress", "path", source, "target_path", dir + "/bin.tar.gz", "match_pattern", ".*/b\\.bin"), 204);
        assertThat(tarMembers(dir + "/bin.tar.gz")).containsExactly("./src/sub/b.bin");
    }

    @Test
    void extractRestoresTheContent() {
        String dir = dir("extract");
        String source = sourceTree(dir);
        ok(post("compress", "path", source, "targetPath", dir + "/src.tar.gz"), 204);
        ok(post("compress", "path", source, "targetPath", dir + "/src.tar", "compression", "none"), 204);
        ok(post("mkdir", "path", dir + "/out1"), 201);
        ok(post("mkdir", "path", dir + "/out2"), 201);

        ok(post("extract", "path", dir + "/src.tar.gz", "targetPath", dir + "/out1"), 204);
        ok(post("extract", "source_path", dir + "/src.tar", "target_path", dir + "/out2", "compression", "none"), 204);

        for (String out : List.of(dir + "/out1", dir + "/out2")) {
            assertThat(readLocal(out + "/src/a.txt")).isEqualTo(readLocal(source + "/a.txt"));
            assertThat(readLocal(out + "/src/sub/b.bin")).isEqualTo(readLocal(source + "/sub/b.bin"));
            assertThat(unixAttributes(out + "/src/sub/b.bin").get("uid")).isEqualTo(1001);
        }
    }

    /** {@code dir/src} with {@code a.txt} and {@code sub/b.bin}, made through the API. */
    private static String sourceTree(String dir) {
        String source = dir + "/src";
        ok(post("mkdir", "path", source + "/sub", "parent", true), 201);
        ok(upload(source, "a.txt", bytes("text file\n")), 204);
        ok(upload(source + "/sub", "b.bin", randomBytes(5000, 4)), 204);
        return source;
    }

    // ================================================================ 2. missing paths

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ls", "stat", "view", "head", "tail", "checksum", "file", "download", "rm", "chmod", "mkdir", "symlink", "compress"})
    void missingPathIs404(String operation) {
        String missing = BASE + "/no-such-" + operation;
        ApiClient.Response response = switch (operation) {
            case "rm" -> delete("rm", "path", missing);
            case "chmod" -> put("chmod", "path", missing, "mode", "644");
            case "mkdir" -> post("mkdir", "path", missing + "/child");
            case "symlink" -> post("symlink", "path", BASE, "linkPath", missing + "/link");
            case "compress" -> post("compress", "path", missing, "targetPath", BASE + "/never-" + RUN + ".tar.gz");
            default -> get(operation, "path", missing);
        };
        assertRemoteError(response, 404, "No such file or directory");
        // tar names the source relative to its parent directory, as FirecREST's command does.
        assertThat(response.json().get("message").asText()).contains(operation.equals("compress") ? "no-such-compress" : missing);
        assertThat(Files.exists(Path.of(missing), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    // ================================================================ 3. other users' files

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ls", "view", "download", "head", "tail", "checksum", "stat"})
    void readingBobsPrivateFilesIsForbidden(String operation) {
        String path = operation.equals("ls") ? BOB_PRIVATE : BOB_SECRET;
        ApiClient.Response response = get(operation, "path", path);
        assertRemoteError(response, 403, "Permission denied");
        assertThat(response.text()).doesNotContain("bob secret");
        assertBobsFilesUnchanged();
    }

    @Test
    void mkdirInBobsDirectoryIsForbidden() {
        assertRemoteError(post("mkdir", "path", BOB_PRIVATE + "/new"), 403, "Permission denied");
        assertRemoteError(post("mkdir", "path", BOB_BASE + "/new"), 403, "Permission denied");
        assertBobsFilesUnchanged();
    }

    @Test
    void rmOfBobsFilesIsForbidden() {
        assertRemoteError(delete("rm", "path", BOB_SECRET), 403, "Permission denied");
        assertRemoteError(delete("rm", "path", BOB_PUBLIC), 403, "Permission denied");
        assertRemoteError(delete("rm", "path", BOB_PRIVATE), 403, "Permission denied");
        assertBobsFilesUnchanged();
    }

    @Test
    void chmodOfBobsFilesIsForbidden() {
        assertForbidden(put("chmod", "path", BOB_SECRET, "mode", "777"));
        assertForbidden(put("chmod", "path", BOB_PUBLIC, "mode", "777"));
        assertForbidden(put("chmod", "path", BOB_PUBLIC, "mode", "o+w"));
        assertBobsFilesUnchanged();
    }

    @Test
    void chownOfBobsFilesIsForbidden() {
        assertForbidden(put("chown", "path", BOB_PUBLIC, "owner", "alice"));
        assertForbidden(put("chown", "path", BOB_SECRET, "owner", "alice", "group", "alice"));
        assertBobsFilesUnchanged();
    }

    @Test
    void uploadIntoBobsDirectoryIsForbidden() {
        assertRemoteError(upload(BOB_PRIVATE, "secret.txt", bytes("overwritten")), 403, "Permission denied");
        assertRemoteError(upload(BOB_BASE, "public.txt", bytes("overwritten")), 403, "Permission denied");
        assertRemoteError(upload(BOB_BASE, "new.txt", bytes("new")), 403, "Permission denied");
        assertBobsFilesUnchanged();
    }

    @Test
    void symlinkInBobsDirectoryIsForbidden() {
        String dir = dir("symlink-bob");
        String target = dir + "/target";
        ok(upload(dir, "target", bytes("x")), 204);
        assertRemoteError(post("symlink", "path", target, "linkPath", BOB_PRIVATE + "/link"), 403, "Permission denied");
        assertRemoteError(post("symlink", "path", target, "linkPath", BOB_BASE + "/link"), 403, "Permission denied");
        assertBobsFilesUnchanged();
    }

    @Test
    void compressIntoBobsDirectoryIsForbidden() {
        String dir = dir("compress-bob");
        String source = sourceTree(dir);
        assertRemoteError(post("compress", "path", source, "targetPath", BOB_PRIVATE + "/a.tar.gz"), 403, "Permission denied");
        assertRemoteError(post("compress", "path", source, "targetPath", BOB_PUBLIC), 403, "Permission denied");
        // Reading bob's private directory into an archive of alice's is refused too; nothing of it gets in.
        String stolen = dir + "/stolen.tar.gz";
        assertRemoteError(post("compress", "path", BOB_PRIVATE, "targetPath", stolen), 403, "Permission denied");
        assertThat(sh("tar -tzf \"$1\" 2>/dev/null || true", stolen)).doesNotContain("secret.txt");
        assertBobsFilesUnchanged();
    }

    @Test
    void extractIntoBobsDirectoryIsForbidden() {
        String dir = dir("extract-bob");
        ok(upload(dir, "secret.txt", bytes("alice's version")), 204);
        ok(post("compress", "path", dir + "/secret.txt", "targetPath", dir + "/secret.tar.gz"), 204);
        assertRemoteError(post("extract", "path", dir + "/secret.tar.gz", "targetPath", BOB_PRIVATE), 403, "Permission denied");
        assertRemoteError(post("extract", "path", dir + "/secret.tar.gz", "targetPath", BOB_BASE), 403, "Permission denied");
        assertBobsFilesUnchanged();
    }

    private static void assertForbidden(ApiClient.Response response) {
        assertThat(response.status()).as(response.text()).isEqualTo(403);
        assertThat(response.json().get("message").asText())
                .startsWith("Remote process failed with exit status:")
                .containsAnyOf("Permission denied", "Operation not permitted");
    }

    private static void assertBobsFilesUnchanged() {
        assertThat(snapshot(BOB_BASE)).isEqualTo(bobsFiles);
    }

    // ================================================================ 4. bad parameters

    @Test
    void aPathIsRequired() {
        String message = "All filesystem requests require a path or source_path parameter.";
        ApiClient.assertError(client.get(OPS + "ls", alice), 400, message, "alice");
        ApiClient.assertError(client.get(OPS + "download?pat=/home", alice), 400, message, "alice");
        ApiClient.assertError(post("mkdir", "parent", true), 400, message, "alice");
        ApiClient.assertError(post("compress", "targetPath", BASE + "/x.tar.gz"), 400, message, "alice");
    }

    @Test
    void pathsMustBeAbsoluteAndInsideTheFileSystems() {
        ApiClient.assertError(get("ls", "path", "x"), 400, "The provided path (x) is not an absolute path.", "alice");
        ApiClient.assertError(post("mkdir", "path", "home/alice/x"), 400,
                "The provided path (home/alice/x) is not an absolute path.", "alice");
        for (String outside : List.of("/etc", "/home/../etc/passwd", "/homework")) {
            ApiClient.assertError(get("ls", "path", outside), 400, "The provided path (" + outside
                    + ") does not match any of the defined filesystem paths for the requested system (cluster).", "alice");
        }
        // A second path in a body follows the same rules, and nothing is made.
        String dir = dir("outside");
        String target = dir + "/t";
        ok(upload(dir, "t", bytes("x")), 204);
        ApiClient.assertError(post("symlink", "path", target, "linkPath", "/etc/goldcrest-" + RUN), 400,
                "The provided path (/etc/goldcrest-" + RUN + ") does not match any of the defined filesystem paths"
                        + " for the requested system (cluster).", "alice");
        assertThat(Files.exists(Path.of("/etc/goldcrest-" + RUN), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void headTakesBytesOrLinesNotBoth() {
        String file = dir("head-both") + "/f";
        writeAsAlice(file, bytes("x\n"));
        ApiClient.assertError(get("head", "path", file, "bytes", "1", "lines", "1"), 400,
                "Only one of `bytes` or `lines` can be specified.", "alice");
        ApiClient.assertError(get("tail", "path", file, "bytes", "1", "lines", "1"), 400,
                "Only one of `bytes` or `lines` can be specified.", "alice");
    }

    @Test
    void viewChecksOffsetAndSize() {
        String file = dir("view-bad") + "/f";
        writeAsAlice(file, bytes("content"));
        ApiClient.assertError(get("view", "path", file, "offset", "-1"), 400,
                "`offset` value must be an integer value equal or greater than 0", "alice");
        ApiClient.assertError(get("view", "path", file, "size", "0"), 400,
                "`size` value must be an integer value greater than 0", "alice");
        ApiClient.assertError(get("view", "path", file, "size", "-5"), 400,
                "`size` value must be an integer value greater than 0", "alice");
        ApiClient.assertError(get("view", "path", file, "size", "5242881"), 400,
                "`size` value must be less than 5242880 bytes", "alice");
        assertThat(ok(get("view", "path", file, "size", "5242880"), 200).get("output").asText()).isEqualTo("content");
    }

    @Test
    void anUnknownCompressionIsAValidationError() {
        String dir = dir("bad-compression");
        ok(upload(dir, "f", bytes("x")), 204);
        for (String operation : List.of("compress", "extract")) {
            ApiClient.Response response = post(operation, "path", dir + "/f", "targetPath", dir + "/out", "compression", "zip");
            assertThat(response.status()).as(response.text()).isEqualTo(400);
            assertThat(response.json().get("errorType").asText()).isEqualTo("validation");
            assertThat(response.json().at("/data/fields/0/name").asText()).isEqualTo("compression");
            assertThat(response.json().at("/data/fields/0/location").asText()).isEqualTo("body");
        }
        assertThat(localNames(dir)).containsExactly("f");
    }

    @Test
    void mkdirOfAnExistingDirectoryIs400() {
        String dir = dir("mkdir-exists");
        ApiClient.Response response = post("mkdir", "path", dir);
        ApiClient.assertError(response, 400,
                "Remote process failed with exit status:1 and error message:mkdir: cannot create directory '" + dir + "': File exists",
                "alice");
        ok(upload(dir, "file", bytes("x")), 204);
        assertRemoteError(post("mkdir", "path", dir + "/file", "parent", true), 400, "File exists");
    }

    @Test
    void aFormBodyIsRefused() {
        String path = BASE + "/form-" + RUN;
        ApiClient.Response response = client.send("POST", OPS + "mkdir", alice, "application/x-www-form-urlencoded",
                bytes("path=" + path));
        ApiClient.assertError(response, 400,
                "Unable to decode request and retreive the required path or source_path parameter.", "alice");
        assertThat(Files.exists(Path.of(path))).isFalse();
    }

    // ================================================================ 5. hostile file names

    static Stream<Arguments> hostileNames() {
        return Stream.of(
                arguments("space", "with space"),
                arguments("single-quote", "it's"),
                arguments("double-quote", "say \"hi\""),
                arguments("dollar-paren", "$(id)"),
                arguments("backticks", "`id`"),
                arguments("semicolon", "a;touch " + MARKER),
                arguments("command-substitution", "$(touch " + MARKER + ")"),
                arguments("newline", "line\nbreak"),
                arguments("leading-dash", "-rf"),
                arguments("emoji", "snow \u2603 and \uD83D\uDCA9"),
                arguments("non-utf8", "caf\uDCE9"));
    }

    /**
     * A directory with the name (SFTP mkdir, the name in a JSON body), a file uploaded into it (the
     * name in the query), and a regular file with the name (tar over exec, the name as an argument);
     * then each is listed, stat'ed, read and removed, and the disk is checked byte for byte.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileNames")
    void hostileNamesArePlainNames(String label, String name) {
        String dir = dir("hostile-" + label);
        String dirs = dir + "/dirs";
        String files = dir + "/files";
        ok(post("mkdir", "path", dirs), 201);
        ok(post("mkdir", "path", files), 201);
        String sub = dirs + "/" + name;
        String file = files + "/" + name;
        byte[] payload = bytes("payload of " + label + "\n");

        JsonNode made = ok(post("mkdir", "path", sub), 201).get("output");
        assertThat(made.get("name").asText()).isEqualTo(sub);
        assertThat(made.get("type").asText()).isEqualTo("d");
        ok(upload(sub, "payload.txt", payload), 204);
        ok(post("compress", "path", sub, "targetPath", file, "compression", "none"), 204);

        // The exact bytes on disk.
        assertThat(localTree(dirs)).containsExactlyInAnyOrder(shown(bytesOf(name)), shown(bytesOf(name + "/payload.txt")));
        assertThat(localTree(files)).containsExactly(shown(bytesOf(name)));
        assertThat(localRegularFiles(dirs)).isEqualTo(payload);
        byte[] archive = localRegularFiles(files);
        assertThat(archive).isNotEmpty();

        // Listed back exactly: over SFTP, and through ls -R.
        JsonNode listed = ok(get("ls", "path", files), 200).get("output");
        assertThat(names(listed)).containsExactly(name);
        assertThat(listed.get(0).get("type").asText()).isEqualTo("-");
        assertThat(listed.get(0).get("size").asText()).isEqualTo(Integer.toString(archive.length));
        assertThat(names(ok(get("ls", "path", dirs, "recursive", "true"), 200).get("output")))
                .containsExactly(name, name + "/payload.txt");
        assertThat(names(ok(get("ls", "path", sub), 200).get("output"))).containsExactly("payload.txt");

        // Read through exec (stat, checksum, head) and SFTP (download).
        JsonNode stat = ok(get("stat", "path", file), 200).get("output");
        assertThat(stat.get("size").asLong()).isEqualTo(archive.length);
        assertThat(stat.get("mode").asLong() & 0170000).isEqualTo(0100000);
        assertThat(ok(get("checksum", "path", file), 200).at("/output/checksum").asText()).isEqualTo(sha256(archive));
        assertThat(ok(get("head", "path", sub + "/payload.txt"), 200).at("/output/content").asText())
                .isEqualTo(new String(payload, StandardCharsets.UTF_8));
        ApiClient.Response download = get("download", "path", file);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(archive);

        // Removed: the file over SFTP, the non-empty directory with rm -r over exec.
        ok(delete("rm", "path", file), 204);
        ok(delete("rm", "path", sub), 204);
        assertThat(localTree(files)).isEmpty();
        assertThat(localTree(dirs)).isEmpty();
        assertNoInjection();
    }

    /** The hostile names a Content-Disposition header can carry: no newline, no raw non-UTF-8 byte. */
    static Stream<Arguments> uploadableNames() {
        return hostileNames().filter(arguments -> {
            String name = (String) arguments.get()[1];
            return !name.contains("\n") && name.chars().noneMatch(c -> c >= 0xDC80 && c <= 0xDCFF);
        });
    }

    /** Upload takes the name from the multipart part: every name such a header can carry arrives exactly. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("uploadableNames")
    void uploadKeepsTheFileName(String label, String name) {
        String dir = dir("upload-name-" + label);
        byte[] content = bytes("uploaded as " + label);
        ok(upload(dir, name, content), 204);
        assertThat(localTree(dir)).containsExactly(shown(bytesOf(name)));
        assertThat(localRegularFiles(dir)).isEqualTo(content);
        assertThat(names(ok(get("ls", "path", dir), 200).get("output"))).containsExactly(name);
        assertThat(get("download", "path", dir + "/" + name).body()).isEqualTo(content);
        assertNoInjection();
    }

    @Test
    void nonUtf8NamesTravelAsJsonEscapesAndPercentEncodedBytes() {
        String dir = dir("non-utf8-wire");
        // The JSON body is written by hand, so the escape is exactly what a Python client sends.
        ApiClient.Response made = client.send("POST", OPS + "mkdir", alice, "application/json",
                ("{\"path\": \"" + dir + "/caf\\udce9\"}").getBytes(StandardCharsets.US_ASCII));
        assertThat(made.status()).as(made.text()).isEqualTo(201);
        assertThat(made.text()).contains("\"name\":\"" + dir + "/caf\\udce9\"");
        assertThat(localTree(dir)).containsExactly("caf\\xe9");

        // In a query the raw byte is percent-encoded.
        ok(client.upload(OPS + "upload?path=" + dir + "/caf%E9", alice, "x.txt", bytes("x")), 204);
        assertThat(localTree(dir)).containsExactlyInAnyOrder("caf\\xe9", "caf\\xe9/x.txt");

        ApiClient.Response listed = client.get(OPS + "ls?path=" + dir, alice);
        assertThat(listed.text()).contains("\"name\":\"caf\\udce9\"");
        assertThat(listed.json().at("/output/0/name").asText()).isEqualTo("caf\uDCE9");
        ApiClient.Response recursive = client.get(OPS + "ls?recursive=true&path=" + dir, alice);
        assertThat(recursive.text()).contains("\"name\":\"caf\\udce9\"", "\"name\":\"caf\\udce9/x.txt\"");

        // The same name sent as UTF-8 é (%C3%A9) is another name.
        assertRemoteError(client.get(OPS + "ls?path=" + dir + "/caf%C3%A9", alice), 404, "No such file or directory");
    }

    private static void assertNoInjection() {
        String found = sh("find /home/alice /tmp -xdev -maxdepth 6 \\( -name \"$1\" -o -name 'uid=*' -o -name 'gid=*'"
                + " -o -name 'groups=*' \\) -print 2>/dev/null; ls -d /\"$1\" 2>/dev/null; true", MARKER);
        assertThat(found).as("files a command injection would have made").isEmpty();
    }

    // ================================================================ 6. SFTP and exec listings agree

    /**
     * {@code ls} without {@code recursive} is answered over SFTP, with it by {@code ls -R} over exec:
     * the top-level entries of both must be the same objects, in the same order.
     */
    @ParameterizedTest(name = "showHidden={0} numericUid={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void sftpAndExecListingsAgree(boolean showHidden, boolean numericUid) {
        String dir = dir("parity-" + showHidden + "-" + numericUid);
        ok(upload(dir, "plain.txt", bytes("plain\n")), 204);
        ok(upload(dir, ".hidden", bytes("hidden\n")), 204);
        ok(upload(dir, "setuid", bytes("#!/bin/sh\n")), 204);
        ok(put("chmod", "path", dir + "/setuid", "mode", "4755"), 200);
        ok(post("mkdir", "path", dir + "/sticky"), 201);
        ok(put("chmod", "path", dir + "/sticky", "mode", "1777"), 200);
        ok(post("mkdir", "path", dir + "/sub"), 201);
        ok(upload(dir + "/sub", "inner.txt", bytes("inner\n")), 204);
        ok(post("symlink", "path", dir + "/plain.txt", "linkPath", dir + "/link"), 201);
        ok(post("symlink", "path", dir + "/nowhere", "linkPath", dir + "/dangling"), 201);

        String hidden = Boolean.toString(showHidden);
        String numeric = Boolean.toString(numericUid);
        JsonNode sftp = ok(get("ls", "path", dir, "showHidden", hidden, "numericUid", numeric), 200).get("output");
        JsonNode exec = ok(get("ls", "path", dir, "showHidden", hidden, "numericUid", numeric, "recursive", "true"), 200)
                .get("output");

        List<JsonNode> topLevel = new ArrayList<>();
        exec.forEach(entry -> {
            if (!entry.get("name").asText().contains("/")) {
                topLevel.add(entry);
            }
        });
        List<JsonNode> sftpEntries = new ArrayList<>();
        sftp.forEach(sftpEntries::add);
        assertThat(topLevel).isEqualTo(sftpEntries);
        assertThat(names(exec)).contains("sub/inner.txt");

        // The listing is the one asked for, with the special bits shown.
        List<String> expected = new ArrayList<>(List.of("dangling", "link", "plain.txt", "setuid", "sticky", "sub"));
        if (showHidden) {
            expected.addFirst(".hidden");
        }
        assertThat(names(sftp)).containsExactlyElementsOf(expected);
        Map<String, JsonNode> byName = new TreeMap<>();
        sftp.forEach(entry -> byName.put(entry.get("name").asText(), entry));
        assertThat(byName.get("setuid").get("permissions").asText()).isEqualTo("rwsr-xr-x");
        assertThat(byName.get("sticky").get("permissions").asText()).isEqualTo("rwxrwxrwt");
        assertThat(byName.get("link").get("linkTarget").asText()).isEqualTo(dir + "/plain.txt");
        assertThat(byName.get("dangling").get("type").asText()).isEqualTo("l");
        assertThat(byName.get("plain.txt").get("user").asText()).isEqualTo(numericUid ? "1001" : "alice");
        assertThat(byName.get("plain.txt").get("group").asText()).isEqualTo(numericUid ? "1001" : "alice");
    }

    // ================================================================ 7. timeouts

    /** A FIFO nobody writes to: opening it blocks, so only the time limit ends the command. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"head", "view", "download"})
    void readingAFifoTimesOutAndLeavesNoProcess(String operation) {
        String fifo = BASE + "/fifo-" + operation;
        run("mkfifo", fifo);
        run("chown", "alice:alice", fifo);

        long start = System.nanoTime();
        ApiClient.Response response = client.get(smallOp(operation, "path", fifo), alice);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(response.status()).as(response.text()).isEqualTo(408);
        assertThat(response.json().get("message").asText()).contains("exit status:124");
        assertThat(took).isBetween(Duration.ofSeconds(SMALL_TIMEOUT_SECONDS).minusMillis(200),
                Duration.ofSeconds(SMALL_TIMEOUT_SECONDS + 3));
        assertNoProcessOf("alice", fifo, Duration.ofSeconds(3));
    }

    /** Waits up to {@code within} for no process of the user to have {@code path} on its command line. */
    private static void assertNoProcessOf(String user, String path, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        String left;
        do {
            left = processesOf(user, path);
            if (left.isEmpty()) {
                return;
            }
            sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(left).as("processes of %s still using %s after %s", user, path, within).isEmpty();
    }

    private static String processesOf(String user, String path) {
        // pgrep exits 1 when nothing matches.
        return sh("pgrep -a -u \"$1\" -f -- \"$2\" || true", user, path).strip();
    }

    // ================================================================ 8. limits

    @Test
    void uploadsOverTheLimitAre413AndWriteNothing() {
        String dir = dir("upload-limit");
        for (int size : List.of(SMALL_FILE_LIMIT + 1, 5 * SMALL_FILE_LIMIT)) {
            ApiClient.Response response = client.upload(smallOp("upload", "path", dir), alice, "big-" + size, randomBytes(size, 5));
            ApiClient.assertError(response, 413, "File to upload is too large.", "alice");
        }
        assertThat(localNames(dir)).isEmpty();

        byte[] atTheLimit = randomBytes(SMALL_FILE_LIMIT, 6);
        ok(client.upload(smallOp("upload", "path", dir), alice, "exact", atTheLimit), 204);
        assertThat(readLocal(dir + "/exact")).isEqualTo(atTheLimit);

        // On the system with the dev limit (5 MiB, the largest, which Jetty enforces itself) just over
        // the limit is refused by the route, far over it by Jetty while reading the body.
        for (int size : List.of(5 * 1024 * 1024 + 1, 6 * 1024 * 1024)) {
            ApiClient.assertError(upload(dir, "huge-" + size, randomBytes(size, 9)), 413, "File to upload is too large.", "alice");
        }
        assertThat(localNames(dir)).containsExactly("exact");
    }

    @Test
    void downloadsOverTheLimitAre413() {
        String dir = dir("download-limit");
        writeAsAlice(dir + "/big", randomBytes(SMALL_FILE_LIMIT + 1, 7));
        ApiClient.assertError(client.get(smallOp("download", "path", dir + "/big"), alice), 413, "File to download is too large.", "alice");

        byte[] atTheLimit = randomBytes(SMALL_FILE_LIMIT, 8);
        writeAsAlice(dir + "/exact", atTheLimit);
        ApiClient.Response response = client.get(smallOp("download", "path", dir + "/exact"), alice);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(atTheLimit);
    }

    @Test
    void listingsOverMaxListEntriesAre413() {
        String dir = dir("list-limit");
        sh("cd \"$1\" && seq -f 'e%02g' 1 50 | xargs touch && touch .hidden && chown -R alice:alice .", dir);

        // 50 visible entries are within the limit; hidden ones count only when shown.
        assertThat(ok(client.get(smallOp("ls", "path", dir), alice), 200).get("output").size()).isEqualTo(50);
        assertListLimit(client.get(smallOp("ls", "path", dir, "showHidden", "true"), alice), dir);

        writeAsAlice(dir + "/e51", new byte[0]);
        assertListLimit(client.get(smallOp("ls", "path", dir), alice), dir);
        // ls -R is held to the same limit.
        assertListLimit(client.get(smallOp("ls", "path", dir, "recursive", "true"), alice), dir);
    }

    private static void assertListLimit(ApiClient.Response response, String dir) {
        assertThat(response.status()).as(response.text()).isEqualTo(413);
        assertThat(response.json().get("message").asText()).contains(dir, "50", "max_list_entries");
    }

    /**
     * Slow by design: a directory of 100,000 entries, made by root with xargs touch, comes back whole
     * in one answer (15 MB of JSON) under the default max_list_entries (200,000). Making the files
     * takes most of the time (5-20 s here, with the disk's load); the listing itself about 1.5 s.
     */
    @Test
    void aHundredThousandEntriesAreListed() {
        String dir = dir("hundred-thousand");
        sh("cd \"$1\" && seq -f 'f%06g' 1 100000 | xargs touch && chown -R alice:alice .", dir);

        ApiClient.Response response = get("ls", "path", dir);
        assertThat(response.status()).isEqualTo(200);
        JsonNode output = response.json().get("output");
        assertThat(output.size()).isEqualTo(100_000);
        assertThat(output.get(0).get("name").asText()).isEqualTo("f000001");
        assertThat(output.get(99_999).get("name").asText()).isEqualTo("f100000");
        assertFileObject(output.get(54_321));
        run("rm", "-rf", "--", dir);
    }

    // ================================================================ requests

    /** A fresh directory for one test, made through the API. */
    private static String dir(String name) {
        String path = BASE + "/" + name;
        ok(post("mkdir", "path", path), 201);
        return path;
    }

    private static String op(String operation, String... query) {
        StringBuilder url = new StringBuilder(OPS).append(operation);
        for (int i = 0; i < query.length; i += 2) {
            url.append(i == 0 ? '?' : '&').append(query[i]).append('=').append(percentEncoded(bytesOf(query[i + 1])));
        }
        return url.toString();
    }

    /** The same operation on the system with small limits. */
    private static String smallOp(String operation, String... query) {
        return SMALL_OPS + op(operation, query).substring(OPS.length());
    }

    private static ApiClient.Response get(String operation, String... query) {
        return client.get(op(operation, query), alice);
    }

    private static ApiClient.Response delete(String operation, String... query) {
        return client.send("DELETE", op(operation, query), alice);
    }

    private static ApiClient.Response post(String operation, Object... keysAndValues) {
        return client.sendJson("POST", OPS + operation, alice, body(keysAndValues));
    }

    private static ApiClient.Response put(String operation, Object... keysAndValues) {
        return client.sendJson("PUT", OPS + operation, alice, body(keysAndValues));
    }

    private static ApiClient.Response upload(String directory, String fileName, byte[] content) {
        return client.upload(op("upload", "path", directory), alice, fileName, content);
    }

    private static Map<String, Object> body(Object... keysAndValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            body.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return body;
    }

    /** Asserts the status and returns the JSON body (null when empty). */
    private static JsonNode ok(ApiClient.Response response, int status) {
        assertThat(response.status()).as("status of %s", response.text()).isEqualTo(status);
        return response.json();
    }

    /** A failed remote file command: FirecREST's message, the status its stderr phrase picks. */
    private static void assertRemoteError(ApiClient.Response response, int status, String phrase) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.json().get("errorType").asText()).isEqualTo("error");
        assertThat(response.json().get("message").asText())
                .startsWith("Remote process failed with exit status:")
                .contains(" and error message:", phrase);
        assertThat(response.json().get("user").asText()).isEqualTo("alice");
    }

    private static void assertFileObject(JsonNode entry) {
        assertThat(fieldNames(entry)).containsExactly("name", "type", "linkTarget", "user", "group", "permissions",
                "lastModified", "size");
        assertThat(entry.get("type").asText()).matches("[-dlcbps]");
        assertThat(entry.get("permissions").asText()).matches("[-r][-w][-xsS][-r][-w][-xsS][-r][-w][-xtT]");
        assertThat(entry.get("lastModified").asText()).matches(TIME);
        assertThat(entry.get("size").isTextual()).as(entry.toString()).isTrue();
        assertThat(entry.get("size").asText()).matches("\\d+");
        assertThat(entry.get("linkTarget").isNull() || entry.get("linkTarget").isTextual()).isTrue();
    }

    private static void assertContent(ApiClient.Response response, String content, String type, long start, long end) {
        JsonNode output = ok(response, 200).get("output");
        assertThat(fieldNames(output)).containsExactly("content", "contentType", "startPosition", "endPosition");
        assertThat(output.get("content").asText()).isEqualTo(content);
        assertThat(output.get("contentType").asText()).isEqualTo(type);
        assertThat(output.get("startPosition").isIntegralNumber()).isTrue();
        assertThat(output.get("startPosition").asLong()).isEqualTo(start);
        assertThat(output.get("endPosition").asLong()).isEqualTo(end);
    }

    private static List<String> names(JsonNode entries) {
        List<String> names = new ArrayList<>();
        entries.forEach(entry -> names.add(entry.get("name").asText()));
        return names;
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    // ================================================================ names and bytes

    /** A file name's bytes: characters U+DC80..U+DCFF stand for one raw byte each, the rest is UTF-8. */
    private static byte[] bytesOf(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        name.codePoints().forEach(c -> {
            if (c >= 0xDC80 && c <= 0xDCFF) {
                out.write(c - 0xDC00);
            } else {
                out.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
            }
        });
        return out.toByteArray();
    }

    private static String percentEncoded(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    /** Bytes as readable text that still tells every byte apart: printable ASCII as is, the rest {@code \xhh}. */
    private static String shown(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            if (b >= 0x20 && b < 0x7f && b != '\\') {
                out.append((char) b);
            } else {
                out.append("\\x").append(HexFormat.of().toHexDigits(b));
            }
        }
        return out.toString();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String numberedLines(int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i <= count; i++) {
            out.append(i).append('\n');
        }
        return out.toString();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ================================================================ the local disk, as root

    private static byte[] run(String... argv) {
        return RootCommands.run(argv);
    }

    private static String sh(String script, String... args) {
        return RootCommands.sh(script, args);
    }

    private static void writeAsAlice(String path, byte[] content) {
        try {
            Files.write(Path.of(path), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("chown", "alice:alice", path);
    }

    private static byte[] readLocal(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> unixAttributes(String path) {
        try {
            return Files.readAttributes(Path.of(path), "unix:*", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long localSize(String path) {
        return (Long) unixAttributes(path).get("size");
    }

    private static String localPermissions(String path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(path), LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The modification time as ls prints it on the cluster (this machine, its own time zone). */
    private static String localTime(String path) {
        return sh("env -u TZ date -r \"$1\" +%Y-%m-%dT%H:%M:%S", path).strip();
    }

    /** Entry names of a directory, byte-faithful (see {@link #shown}). */
    private static List<String> localNames(String dir) {
        return nulSeparated(run("find", dir, "-mindepth", "1", "-maxdepth", "1", "-printf", "%f\\0"));
    }

    /** Every path below a directory, relative to it, byte-faithful. */
    private static List<String> localTree(String dir) {
        return nulSeparated(run("find", dir, "-mindepth", "1", "-printf", "%P\\0"));
    }

    private static List<String> nulSeparated(byte[] output) {
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < output.length; i++) {
            if (output[i] == 0) {
                byte[] name = new byte[i - start];
                System.arraycopy(output, start, name, 0, name.length);
                names.add(shown(name));
                start = i + 1;
            }
        }
        return names;
    }

    /** The content of the regular files below a directory (whatever their names' bytes), concatenated. */
    private static byte[] localRegularFiles(String dir) {
        return run("find", dir, "-type", "f", "-exec", "cat", "--", "{}", "+");
    }

    private static List<String> tarMembers(String archive) {
        return List.of(new String(run("tar", "-tf", archive), StandardCharsets.UTF_8).split("\n"));
    }

    /** Everything about every file below {@code dir} that a change would touch, keyed by relative path. */
    private static Map<String, String> snapshot(String dir) {
        Path root = Path.of(dir);
        try (Stream<Path> paths = Files.walk(root)) {
            Map<String, String> state = new TreeMap<>();
            for (Path path : paths.toList()) {
                Map<String, Object> attributes = Files.readAttributes(path, "unix:*", LinkOption.NOFOLLOW_LINKS);
                String content = Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? sha256(Files.readAllBytes(path)) : "";
                state.put(root.relativize(path).toString(), String.format("mode=%o uid=%s gid=%s size=%s mtime=%s ctime=%s %s",
                        attributes.get("mode"), attributes.get("uid"), attributes.get("gid"), attributes.get("size"),
                        attributes.get("lastModifiedTime"), attributes.get("ctime"), content));
            }
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
