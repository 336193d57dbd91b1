package io.goldcrest.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.goldcrest.Goldcrest;
import io.goldcrest.LocalServices;
import io.goldcrest.RootCommands;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * FirecREST v1's {@code /utilities} end to end, sent as pyfirecrest sends them (query strings for GET,
 * url-encoded forms otherwise, multipart for upload, {@code X-Machine-Name} on every call), as alice
 * and bob against the local cluster's real sshd. Fixtures are made as root on the local disk (the
 * cluster is this machine) and every effect is checked there, independently of Goldcrest. Names carry
 * quotes, {@code ;}, {@code $(…)}, backticks and spaces: a shell that saw any of them unquoted would
 * create the marker file, which is looked for after each test.
 */
class V1UtilitiesIT {
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final String BASE = "/home/alice/v1-it-" + RUN;
    /** alice's own directory that bob may not enter (0700). */
    private static final String PRIVATE = BASE + "/private";
    private static final String SECRET = PRIVATE + "/secret.txt";
    private static final String MARKER = "v1-marker-" + RUN;
    private static final String AWKWARD = "it's \"odd\"; $(touch " + MARKER + ") `touch " + MARKER + "` & (x) <y> |z \\ end";
    private static final String V1 = "/v1/utilities/";
    private static final int SMALL_FILE_LIMIT = 65536;
    private static final int DEV_FILE_LIMIT = 5242880;
    private static final int SMALL_TIMEOUT_SECONDS = 2;
    /** v1's error headers: pyfirecrest raises on the first nine whatever the status. */
    private static final List<String> ERROR_HEADERS = List.of("X-A-Directory", "X-Error", "X-Invalid-Path",
            "X-Machine-Does-Not-Exist", "X-Machine-Not-Available", "X-Not-A-Directory", "X-Not-Found", "X-Permission-Denied",
            "X-Timeout", "X-Exists", "X-Invalid-Mode", "X-Invalid-Owner", "X-Invalid-Group", "X-Size-Limit");

    /**
     * One server with two systems on the same login node: {@code cluster} as in the dev configuration
     * and {@code small}, with 2 s commands and 64 KiB files (one server: Javalin keeps its multipart
     * limit JVM-wide, so a second server would impose its own on the first).
     */
    private static Goldcrest goldcrest;
    private static Client client;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void start() {
        String yaml = LocalServices.devConfigYaml();
        String cluster = yaml.substring(yaml.indexOf("- name: \"cluster\""));
        String small = replace(cluster, "- name: \"cluster\"", "- name: \"small\"");
        small = replace(small, "command_execution: 5", "command_execution: " + SMALL_TIMEOUT_SECONDS);
        small = replace(small, "max_ops_file_size: " + DEV_FILE_LIMIT, "max_ops_file_size: " + SMALL_FILE_LIMIT);
        goldcrest = Goldcrest.start(LocalServices.config(yaml.stripTrailing() + "\n" + small), Clock.systemUTC());
        client = new Client(goldcrest.port());
        alice = LocalServices.mockToken("alice");
        bob = LocalServices.mockToken("bob");
        sh("""
                set -e
                mkdir -p "$1/private"
                printf 'alice secret\\n' > "$1/private/secret.txt"
                chown -R alice:alice "$1"
                chmod 755 "$1"; chmod 700 "$1/private"; chmod 600 "$1/private/secret.txt"
                """, BASE);
    }

    @AfterAll
    static void stop() {
        if (goldcrest != null) {
            goldcrest.close();
        }
        RootCommands.run("rm", "-rf", "--", BASE);
    }

    /** No name ever reached a shell unquoted: the marker a shell would have made exists nowhere. */
    @AfterEach
    void noInjection() {
        for (String directory : List.of("/home/alice", "/home/bob", BASE, "/tmp")) {
            assertThat(Path.of(directory, MARKER)).as("marker in %s", directory).doesNotExist();
        }
    }

    private static String replace(String text, String from, String to) {
        assertThat(text).as("the dev configuration").contains(from);
        return text.replace(from, to);
    }

    // ================================================================ listing and reading

    @Test
    void lsListsLsFilesInSnakeCaseAndPages() {
        String dir = fixture("ls", """
                mkdir "$1/sub"
                printf 'hello world' > "$1/a.txt"
                printf 'x' > "$1/.hidden"
                printf 'inner' > "$1/sub/inner.txt"
                ln -s a.txt "$1/link"
                """);

        JsonNode output = ok(get(alice, "ls", "targetPath", dir), 200, "List of contents");
        assertThat(names(output)).containsExactly("a.txt", "link", "sub");
        for (JsonNode entry : output) {
            assertThat(fieldNames(entry)).containsExactly("name", "type", "link_target", "user", "group", "permissions",
                    "last_modified", "size");
            String local = dir + "/" + entry.get("name").asText();
            assertThat(entry.get("user").asText()).isEqualTo("alice");
            assertThat(entry.get("group").asText()).isEqualTo("alice");
            assertThat(entry.get("permissions").asText()).isEqualTo(localPermissions(local));
            assertThat(entry.get("last_modified").asText()).isEqualTo(localTime(local));
            assertThat(entry.get("size").isTextual()).isTrue();
            assertThat(entry.get("size").asText()).isEqualTo(unixAttributes(local).get("size").toString());
        }
        JsonNode file = output.get(0);
        assertThat(file.get("type").asText()).isEqualTo("-");
        assertThat(file.get("size").asText()).isEqualTo("11");
        assertThat(file.get("link_target").isTextual()).isTrue();
        assertThat(file.get("link_target").asText()).isEmpty();
        assertThat(output.get(1).get("type").asText()).isEqualTo("l");
        assertThat(output.get(1).get("link_target").asText()).isEqualTo("a.txt");
        assertThat(output.get(2).get("type").asText()).isEqualTo("d");

        assertThat(names(ok(get(alice, "ls", "targetPath", dir, "showhidden", "True"), 200, "List of contents")))
                .containsExactly(".hidden", "a.txt", "link", "sub");
        assertThat(names(ok(get(alice, "ls", "targetPath", dir, "recursive", "True"), 200, "List of contents")))
                .containsExactly("a.txt", "link", "sub", "sub/inner.txt");
        JsonNode numeric = ok(get(alice, "ls", "targetPath", dir, "numericUid", "true"), 200, "List of contents");
        assertThat(numeric.get(0).get("user").asText()).isEqualTo("1001");
        JsonNode followed = ok(get(alice, "ls", "targetPath", dir, "followLinks", "true"), 200, "List of contents");
        assertThat(followed.get(1).get("type").asText()).isEqualTo("-");

        // Pages are numbered from 1; a page out of range, or an unreadable size, gives the whole list.
        assertThat(names(ok(get(alice, "ls", "targetPath", dir, "pageSize", "2", "pageNumber", "1"), 200, "List of contents")))
                .containsExactly("a.txt", "link");
        assertThat(names(ok(get(alice, "ls", "targetPath", dir, "pageSize", "2", "pageNumber", "2"), 200, "List of contents")))
                .containsExactly("sub");
        assertThat(names(ok(get(alice, "ls", "targetPath", dir, "pageSize", "2", "pageNumber", "3"), 200, "List of contents")))
                .containsExactly("a.txt", "link", "sub");
        assertThat(names(ok(get(alice, "ls", "targetPath", dir, "pageSize", "x", "pageNumber", "1"), 200, "List of contents")))
                .containsExactly("a.txt", "link", "sub");

        // A file is listed as itself, named as given.
        assertThat(names(ok(get(alice, "ls", "targetPath", dir + "/a.txt"), 200, "List of contents"))).containsExactly(dir + "/a.txt");
    }

    @Test
    void headAndTailTakeCoreutilsAmountsSkipsAndAGrepFilter() {
        String dir = fixture("head-tail", "");
        String file = dir + "/" + AWKWARD;
        writeAsAlice(file, bytes(numberedLines(20)));

        assertThat(text(get(alice, "head", "targetPath", file), "Success to head file.")).isEqualTo(numberedLines(10));
        assertThat(text(get(alice, "head", "targetPath", file, "lines", "3", "skip_ending", "False"), "Success to head file."))
                .isEqualTo("1\n2\n3\n");
        assertThat(text(get(alice, "head", "targetPath", file, "bytes", "5"), "Success to head file.")).isEqualTo("1\n2\n3");
        assertThat(text(get(alice, "head", "targetPath", file, "lines", "17", "skip_ending", "True"), "Success to head file."))
                .isEqualTo("1\n2\n3\n");
        assertThat(text(get(alice, "tail", "targetPath", file, "lines", "2"), "Success to tail file.")).isEqualTo("19\n20\n");
        assertThat(text(get(alice, "tail", "targetPath", file, "bytes", "3", "skip_beginning", "False"), "Success to tail file."))
                .isEqualTo("20\n");
        assertThat(text(get(alice, "tail", "targetPath", file, "lines", "19", "skip_beginning", "True"), "Success to tail file."))
                .isEqualTo("19\n20\n");

        // Coreutils units: K is 1024, kB 1000.
        String wide = dir + "/wide.txt";
        writeAsAlice(wide, bytes("x".repeat(3000)));
        assertThat(text(get(alice, "head", "targetPath", wide, "bytes", "1K"), "Success to head file.")).hasSize(1024);
        assertThat(text(get(alice, "tail", "targetPath", wide, "bytes", "1kB"), "Success to tail file.")).hasSize(1000);

        // grep keeps the lines holding the text, as grep --fixed-strings would.
        assertThat(text(get(alice, "head", "targetPath", file, "lines", "20", "grep", "1"), "Success to head file."))
                .isEqualTo("1\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n");
        assertThat(text(get(alice, "tail", "targetPath", file, "grep", "2"), "Success to tail file.")).isEqualTo("12\n20\n");
        writeAsAlice(dir + "/special.txt", bytes("a.b\naxb\n$(x) [y]\n"));
        assertThat(text(get(alice, "head", "targetPath", dir + "/special.txt", "grep", "a.b"), "Success to head file.")).isEqualTo("a.b\n");
        assertThat(text(get(alice, "head", "targetPath", dir + "/special.txt", "grep", "$(x) ["), "Success to head file."))
                .isEqualTo("$(x) [y]\n");

        ApiClient.Response noMatch = get(alice, "head", "targetPath", file, "grep", "zzz");
        assertThat(noMatch.status()).as(noMatch.text()).isEqualTo(404);
        assertThat(noMatch.header("X-Not-Found")).isEqualTo("pattern not found");
        assertThat(noMatch.json().get("description").asText()).isEqualTo("Error on head operation with grep");

        assertBadRequest(get(alice, "head", "targetPath", file, "bytes", "1", "lines", "2"), "Error on head operation",
                "Can not specify both 'bytes' and 'lines'");
        assertBadRequest(get(alice, "tail", "targetPath", file, "lines", "ten"), "Error on tail operation", "invalid number of lines: 'ten'");
    }

    @Test
    void viewReturnsTheWholeFileWithinTheLimit() {
        String dir = fixture("view", "");
        String file = dir + "/" + AWKWARD;
        writeAsAlice(file, bytes(numberedLines(25)));
        // FirecREST v1 answered the first ten lines only; the whole file is what view promises.
        assertThat(text(get(alice, "view", "targetPath", file), "Success to head file.")).isEqualTo(numberedLines(25));

        writeAsAlice(dir + "/big", randomBytes(SMALL_FILE_LIMIT + 1, 3));
        ApiClient.Response tooBig = client.get(V1 + "view" + query("targetPath", dir + "/big"), alice, "small");
        assertV1Error(tooBig, 400, "X-Size-Limit", "File exceeds size limit", "Failed to view file content");
        writeAsAlice(dir + "/limit", bytes("y".repeat(SMALL_FILE_LIMIT)));
        assertThat(text(client.get(V1 + "view" + query("targetPath", dir + "/limit"), alice, "small"), "Success to head file."))
                .hasSize(SMALL_FILE_LIMIT);
    }

    @Test
    void checksumFileAndStat() {
        String dir = fixture("checksum", "");
        String file = dir + "/" + AWKWARD;
        byte[] content = randomBytes(100_000, 1);
        writeAsAlice(file, content);
        assertThat(text(get(alice, "checksum", "targetPath", file), "Success to checksum file.")).isEqualTo(sha256(content));

        writeAsAlice(dir + "/notes.txt", bytes("just some words\n"));
        assertThat(text(get(alice, "file", "targetPath", dir + "/notes.txt"), "Success to file file.")).isEqualTo("ASCII text");
        assertThat(text(get(alice, "file", "targetPath", dir), "Success to file file.")).isEqualTo("directory");

        RootCommands.run("ln", "-s", AWKWARD, dir + "/link");
        RootCommands.run("chown", "-h", "alice:alice", dir + "/link");
        JsonNode stat = ok(get(alice, "stat", "targetPath", file), 200, "Success to stat file.");
        assertThat(fieldNames(stat)).containsExactly("mode", "ino", "dev", "nlink", "uid", "gid", "size", "atime", "mtime", "ctime");
        stat.forEach(value -> assertThat(value.isIntegralNumber()).as(stat.toString()).isTrue());
        Map<String, Object> local = unixAttributes(file);
        assertThat(stat.get("mode").asLong()).isEqualTo(((Integer) local.get("mode")).longValue());
        assertThat(stat.get("ino").asLong()).isEqualTo((Long) local.get("ino"));
        assertThat(stat.get("uid").asLong()).isEqualTo(1001);
        assertThat(stat.get("size").asLong()).isEqualTo(100_000);
        assertThat(stat.get("mtime").asLong()).isEqualTo(((FileTime) local.get("lastModifiedTime")).toInstant().getEpochSecond());
        // sourcePath is read when targetPath is absent; dereference follows the link.
        JsonNode link = ok(get(alice, "stat", "sourcePath", dir + "/link"), 200, "Success to stat file.");
        assertThat(link.get("mode").asLong() & 0170000).isEqualTo(0120000);
        JsonNode followed = ok(get(alice, "stat", "targetPath", dir + "/link", "dereference", "true"), 200, "Success to stat file.");
        assertThat(followed.get("ino").asLong()).isEqualTo(stat.get("ino").asLong());

        assertV1Error(get(alice, "checksum", "targetPath", dir), 400, "X-A-Directory", null, "Error on checksum operation");
    }

    @Test
    void downloadSendsTheBytesAsAnAttachment() {
        String dir = fixture("download", "");
        byte[] content = randomBytes(200_000, 2);
        writeAsAlice(dir + "/data.bin", content);
        writeAsAlice(dir + "/" + AWKWARD, bytes("awkward"));
        writeAsAlice(dir + "/empty", new byte[0]);

        ApiClient.Response plain = get(alice, "download", "sourcePath", dir + "/data.bin");
        assertThat(plain.status()).as(plain.text()).isEqualTo(200);
        assertThat(plain.body()).isEqualTo(content);
        assertThat(plain.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(plain.header("Content-Disposition")).isEqualTo("attachment; filename=data.bin");

        ApiClient.Response awkward = get(alice, "download", "sourcePath", dir + "/" + AWKWARD);
        assertThat(awkward.status()).as(awkward.text()).isEqualTo(200);
        assertThat(awkward.text()).isEqualTo("awkward");
        assertThat(awkward.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"" + AWKWARD.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");

        ApiClient.Response empty = get(alice, "download", "sourcePath", dir + "/empty");
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.body()).isEmpty();

        writeAsAlice(dir + "/big", randomBytes(SMALL_FILE_LIMIT + 1, 4));
        assertV1Error(client.get(V1 + "download" + query("sourcePath", dir + "/big"), alice, "small"), 400, "X-Size-Limit",
                "File exceeds size limit", "Failed to download file");
    }

    @Test
    void whoamiNamesTheUserAndWithGroupsTheIds() {
        assertThat(text(get(alice, "whoami"), "User information")).isEqualTo("alice");
        assertThat(text(get(bob, "whoami"), "User information")).isEqualTo("bob");
        JsonNode groups = ok(get(alice, "whoami", "groups", "True"), 200, "User information");
        assertThat(groups.toString()).isEqualTo(
                "{\"user\":{\"name\":\"alice\",\"id\":\"1001\"},\"group\":{\"name\":\"alice\",\"id\":\"1001\"},"
                        + "\"groups\":[{\"name\":\"alice\",\"id\":\"1001\"}]}");
    }

    // ================================================================ changing

    @Test
    void mkdirMakesDirectoriesAndParentsWithP() {
        String dir = fixture("mkdir", "");
        String made = dir + "/" + AWKWARD;
        JsonNode output = ok(form(alice, "POST", "mkdir", "targetPath", made), 201, "Success to mkdir file.");
        assertThat(output.asText()).isEmpty();
        assertThat(Path.of(made)).isDirectory();
        assertThat(unixAttributes(made).get("uid")).isEqualTo(1001);

        String nested = dir + "/a/b/c";
        assertV1Error(form(alice, "POST", "mkdir", "targetPath", nested), 400, "X-Invalid-Path", null, "Error on mkdir operation");
        assertThat(Path.of(dir, "a")).doesNotExist();
        // pyfirecrest sends p=True; the field's presence is what counts.
        ok(form(alice, "POST", "mkdir", "targetPath", nested, "p", "True"), 201, "Success to mkdir file.");
        assertThat(Path.of(nested)).isDirectory();

        ApiClient.Response exists = form(alice, "POST", "mkdir", "targetPath", made);
        assertV1Error(exists, 400, "X-Exists", null, "Error on mkdir operation");
        assertThat(exists.json().get("error").asText()).contains("File exists");
        // A path holding the words the other headers are chosen by still gets X-Exists.
        String wordy = dir + "/invalid group owner mode";
        ok(form(alice, "POST", "mkdir", "targetPath", wordy), 201, "Success to mkdir file.");
        assertV1Error(form(alice, "POST", "mkdir", "targetPath", wordy), 400, "X-Exists", null, "Error on mkdir operation");
    }

    @Test
    void renameMovesAndReplaces() {
        String dir = fixture("rename", "");
        String source = dir + "/" + AWKWARD;
        String target = dir + "/renamed " + AWKWARD;
        writeAsAlice(source, bytes("moved"));
        ok(form(alice, "PUT", "rename", "sourcePath", source, "targetPath", target), 200, "Success to rename file.");
        assertThat(Path.of(source)).doesNotExist();
        assertThat(readLocal(target)).isEqualTo(bytes("moved"));

        writeAsAlice(source, bytes("newer"));
        ok(form(alice, "PUT", "rename", "sourcePath", source, "targetPath", target), 200, "Success to rename file.");
        assertThat(readLocal(target)).isEqualTo(bytes("newer"));

        assertV1Error(form(alice, "PUT", "rename", "sourcePath", dir + "/missing", "targetPath", target), 400, "X-Invalid-Path", null,
                "Error on rename operation");
        assertBadRequest(form(alice, "PUT", "rename", "targetPath", target), "Error on rename operation", "'sourcePath' not specified");
    }

    @Test
    void copyCopiesTreesKeepingLinksAndModes() {
        String dir = fixture("copy", """
                mkdir "$1/tree"
                printf 'one' > "$1/tree/one.txt"
                chmod 640 "$1/tree/one.txt"
                ln -s one.txt "$1/tree/link"
                """);
        String target = dir + "/" + AWKWARD;
        JsonNode output = ok(form(alice, "POST", "copy", "sourcePath", dir + "/tree", "targetPath", target), 201, "Success to copy file.");
        assertThat(output.asText()).isEmpty();
        assertThat(readLocal(target + "/one.txt")).isEqualTo(bytes("one"));
        assertThat(localPermissions(target + "/one.txt")).isEqualTo("rw-r-----");
        assertThat(Files.isSymbolicLink(Path.of(target, "link"))).isTrue();
        assertThat(readLink(target + "/link")).isEqualTo("one.txt");
        assertThat(unixAttributes(target + "/one.txt").get("uid")).isEqualTo(1001);
    }

    @Test
    void chmodAnswersChmodsLine() {
        String dir = fixture("chmod", "printf 'x' > \"$1/f.txt\"; chmod 644 \"$1/f.txt\"\n");
        String file = dir + "/f.txt";
        String output = text(form(alice, "PUT", "chmod", "targetPath", file, "mode", "640"), "Success to chmod file or directory.");
        assertThat(output).isEqualTo("mode of '" + file + "' changed from 0644 (rw-r--r--) to 0640 (rw-r-----)");
        assertThat(localPermissions(file)).isEqualTo("rw-r-----");
        assertThat(text(form(alice, "PUT", "chmod", "targetPath", file, "mode", "u+x"), "Success to chmod file or directory."))
                .isEqualTo("mode of '" + file + "' changed from 0640 (rw-r-----) to 0740 (rwxr-----)");
        assertThat(text(form(alice, "PUT", "chmod", "targetPath", file, "mode", "740"), "Success to chmod file or directory."))
                .isEqualTo("mode of '" + file + "' retained as 0740 (rwxr-----)");

        String awkward = dir + "/" + AWKWARD;
        writeAsAlice(awkward, bytes("x"));
        ok(form(alice, "PUT", "chmod", "targetPath", awkward, "mode", "600"), 200, "Success to chmod file or directory.");
        assertThat(localPermissions(awkward)).isEqualTo("rw-------");

        assertV1Error(form(alice, "PUT", "chmod", "targetPath", file, "mode", "abc"), 400, "X-Invalid-Mode", null, "Error on chmod operation");
        assertBadRequest(form(alice, "PUT", "chmod", "targetPath", file), "Error on chmod operation", "'mode' not specified");
        assertThat(localPermissions(file)).isEqualTo("rwxr-----");
    }

    @Test
    void chownChangesWhatTheUserMayAndRefusesTheRest() {
        String dir = fixture("chown", "");
        String file = dir + "/" + AWKWARD;
        writeAsAlice(file, bytes("x"));
        String quoted = "'" + file.replace("'", "'\\''") + "'";
        assertThat(text(form(alice, "PUT", "chown", "targetPath", file, "owner", "alice", "group", "alice"),
                "Success to chown file or directory.")).isEqualTo("ownership of " + quoted + " retained as alice:alice");
        assertThat(text(form(alice, "PUT", "chown", "targetPath", file, "group", "alice"), "Success to chown file or directory."))
                .isEqualTo("group of " + quoted + " retained as alice");

        assertBadRequest(form(alice, "PUT", "chown", "targetPath", file), "Error on chown operation", "group or owner must be set");
        assertV1Error(form(alice, "PUT", "chown", "targetPath", file, "owner", "bob"), 400, "X-Permission-Denied", null,
                "Error on chown operation");
        assertV1Error(form(alice, "PUT", "chown", "targetPath", file, "owner", "nosuchuser" + RUN.substring(0, 4)), 400, "X-Invalid-Owner",
                null, "Error on chown operation");
        assertThat(unixAttributes(file).get("uid")).isEqualTo(1001);
    }

    @Test
    void symlinkLinksAndRefusesAnExistingLink() {
        String dir = fixture("symlink", "");
        String target = dir + "/" + AWKWARD;
        writeAsAlice(target, bytes("pointed at"));
        String link = dir + "/link " + AWKWARD;
        ok(form(alice, "POST", "symlink", "targetPath", target, "linkPath", link), 201, "Success to symlink file.");
        assertThat(readLink(link)).isEqualTo(target);
        assertThat(readLocal(link)).isEqualTo(bytes("pointed at"));

        assertV1Error(form(alice, "POST", "symlink", "targetPath", target, "linkPath", link), 400, "X-Exists", null,
                "Error on symlink operation");
        assertBadRequest(form(alice, "POST", "symlink", "targetPath", target), "Error on symlink operation", "'linkPath' not specified");
    }

    @Test
    void compressMakesAGzippedTarRelativeToTheParent() {
        String dir = fixture("compress", """
                mkdir "$1/tree"
                printf 'content' > "$1/tree/f.txt"
                ln -s f.txt "$1/tree/link"
                """);
        String archive = dir + "/" + AWKWARD + ".tar.gz";
        ok(form(alice, "POST", "compress", "sourcePath", dir + "/tree", "targetPath", archive), 201, "Success to compress file.");
        assertThat(tarListing(archive)).containsExactlyInAnyOrder("d tree/", "- tree/f.txt", "l tree/link");
        assertThat(unixAttributes(archive).get("uid")).isEqualTo(1001);

        String followed = dir + "/followed.tgz";
        ok(form(alice, "POST", "compress", "sourcePath", dir + "/tree", "targetPath", followed, "dereference", "True"), 201,
                "Success to compress file.");
        // Followed, the link is the file it points to, which tar stores once and links to by name.
        assertThat(tarListing(followed)).containsExactlyInAnyOrder("d tree/", "- tree/f.txt", "h tree/link link to tree/f.txt");
    }

    /**
     * pyfirecrest sends {@code extension}, FirecREST v1 read {@code type}: both are honoured, and
     * {@code auto} (pyfirecrest's default) tells the kind by the name.
     */
    @Test
    void extractReadsTypeAndExtensionAndTellsTheKindByName() {
        String dir = fixture("extract", """
                mkdir "$1/src" "$1/out-gz" "$1/out-tar" "$1/out-awkward"
                printf 'gz member' > "$1/src/g.txt"
                tar -czf "$1/tree.tgz" -C "$1/src" g.txt
                tar -cf "$1/plain.data" -C "$1/src" g.txt
                cd "$1/src" && zip -q "$1/zipped.bin" g.txt && cp "$1/zipped.bin" "$1/$2.zip"
                chown -R alice:alice "$1"
                """, AWKWARD);

        ok(form(alice, "POST", "extract", "sourcePath", dir + "/tree.tgz", "targetPath", dir + "/out-gz", "extension", "auto"), 201,
                "Success to extract file.");
        assertThat(readLocal(dir + "/out-gz/g.txt")).isEqualTo(bytes("gz member"));

        ok(form(alice, "POST", "extract", "sourcePath", dir + "/plain.data", "targetPath", dir + "/out-tar", "type", ".tar"), 201,
                "Success to extract file.");
        assertThat(readLocal(dir + "/out-tar/g.txt")).isEqualTo(bytes("gz member"));

        // A ZIP with no telling name: only the extension pyfirecrest sends says what it is.
        assertBadRequest(form(alice, "POST", "extract", "sourcePath", dir + "/zipped.bin", "targetPath", dir + "/out-zip"),
                "Error on extract operation", "Unsupported file format in " + dir + "/zipped.bin.");
        assertThat(Path.of(dir, "out-zip")).doesNotExist();
        ok(form(alice, "POST", "extract", "sourcePath", dir + "/zipped.bin", "targetPath", dir + "/out-zip", "extension", ".zip"), 201,
                "Success to extract file.");
        assertThat(readLocal(dir + "/out-zip/g.txt")).isEqualTo(bytes("gz member"));

        ok(form(alice, "POST", "extract", "sourcePath", dir + "/" + AWKWARD + ".zip", "targetPath", dir + "/out-awkward"), 201,
                "Success to extract file.");
        assertThat(readLocal(dir + "/out-awkward/g.txt")).isEqualTo(bytes("gz member"));
        assertThat(unixAttributes(dir + "/out-awkward/g.txt").get("uid")).isEqualTo(1001);
    }

    @Test
    void uploadWritesTheFilePartIntoTheDirectoryWithinTheLimit() {
        String dir = fixture("upload", "");
        byte[] content = randomBytes(150_000, 5);
        JsonNode output = ok(client.multipart(V1 + "upload", alice, "cluster", Map.of("targetPath", dir), AWKWARD, content), 201,
                "File upload successful");
        assertThat(output.asText()).isEmpty();
        assertThat(readLocal(dir + "/" + AWKWARD)).isEqualTo(content);
        assertThat(unixAttributes(dir + "/" + AWKWARD).get("uid")).isEqualTo(1001);

        ApiClient.Response small = client.multipart(V1 + "upload", alice, "small", Map.of("targetPath", dir), "over",
                randomBytes(SMALL_FILE_LIMIT + 1, 6));
        assertThat(small.status()).as(small.text()).isEqualTo(413);
        assertThat(small.json().toString()).isEqualTo("{\"description\":\"Failed to upload file. The file is over 65536 bytes\"}");
        // Far over the largest limit, Jetty refuses the part while reading the body.
        ApiClient.Response huge = client.multipart(V1 + "upload", alice, "cluster", Map.of("targetPath", dir), "huge",
                randomBytes(DEV_FILE_LIMIT + 1024 * 1024, 7));
        assertThat(huge.status()).as(huge.text()).isEqualTo(413);
        assertThat(huge.json().toString()).isEqualTo("{\"description\":\"Failed to upload file. The file is over 5242880 bytes\"}");
        assertThat(Path.of(dir, "over")).doesNotExist();
        assertThat(Path.of(dir, "huge")).doesNotExist();

        assertBadRequest(form(alice, "POST", "upload", "targetPath", dir), "Error on upload operation", "No file in query");
    }

    @Test
    void rmRemovesTreesFromAFormBodyAndAnswers204() {
        String dir = fixture("rm", "");
        String tree = dir + "/" + AWKWARD;
        sh("mkdir -p \"$1/deep/er\" && printf x > \"$1/deep/er/f\" && chown -R alice:alice \"$1\"", tree);
        ApiClient.Response response = form(alice, "DELETE", "rm", "targetPath", tree);
        assertThat(response.status()).as(response.text()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(Path.of(tree)).doesNotExist();
        assertV1Error(form(alice, "DELETE", "rm", "targetPath", tree), 400, "X-Invalid-Path", null, "Error on rm operation");
    }

    // ================================================================ errors

    @Test
    void theSystemComesFromXMachineName() {
        ApiClient.Response missing = client.send("GET", V1 + "ls" + query("targetPath", BASE), alice, null, null, null);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().toString()).isEqualTo("{\"description\":\"No machine name given\"}");

        ApiClient.Response unknown = client.get(V1 + "whoami", alice, "nosuchmachine");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.header("X-Machine-Does-Not-Exist")).isEqualTo("Machine does not exist");
        assertThat(unknown.json().get("error").asText()).isEqualTo("Machine does not exist");

        assertThat(client.send("GET", V1 + "whoami", null, "cluster", null, null).status()).isEqualTo(401);
    }

    @Test
    void parametersAreRequiredAndNotEmpty() {
        assertBadRequest(get(alice, "ls"), "Error on ls operation", "'targetPath' not specified");
        assertBadRequest(get(alice, "ls", "targetPath", ""), "Error on ls operation", "'targetPath' is empty");
        assertBadRequest(form(alice, "POST", "mkdir"), "Error on mkdir operation", "'targetPath' not specified");
        assertBadRequest(form(alice, "DELETE", "rm", "targetPath", ""), "Error on rm operation", "'targetPath' is empty");
        assertBadRequest(get(alice, "download"), "Error on download operation", "'sourcePath' not specified");
        assertBadRequest(get(alice, "ls", "targetPath", BASE + "/a\u0001b"), "Error on ls operation", "'targetPath' has invalid char");
    }

    @Test
    void badPathsAreInvalidPaths() {
        assertV1Error(get(alice, "ls", "targetPath", BASE + "/missing"), 400, "X-Invalid-Path", null, "Error on ls operation");
        assertV1Error(get(alice, "head", "targetPath", BASE + "/missing"), 400, "X-Invalid-Path", null, "Error on head operation");
        // Paths follow v2's rules: absolute, and under a configured file system.
        assertV1Error(get(alice, "ls", "targetPath", "relative/dir"), 400, "X-Invalid-Path", "relative/dir is an invalid path.",
                "Error on ls operation");
        assertV1Error(get(alice, "file", "targetPath", "/etc/passwd"), 400, "X-Invalid-Path", "/etc/passwd is an invalid path.",
                "Error on file operation");
    }

    @Test
    void bobCannotTouchAlicesPrivateDirectory() {
        assertV1Error(get(bob, "ls", "targetPath", PRIVATE), 400, "X-Permission-Denied", null, "Error on ls operation");
        assertV1Error(get(bob, "head", "targetPath", SECRET), 400, "X-Permission-Denied", null, "Error on head operation");
        assertV1Error(get(bob, "download", "sourcePath", SECRET), 400, "X-Permission-Denied", null, "Error on download operation");
        assertV1Error(form(bob, "DELETE", "rm", "targetPath", SECRET), 400, "X-Permission-Denied", null, "Error on rm operation");
        assertV1Error(form(bob, "PUT", "chmod", "targetPath", PRIVATE, "mode", "777"), 400, "X-Permission-Denied", null,
                "Error on chmod operation");
        assertV1Error(client.multipart(V1 + "upload", bob, "cluster", Map.of("targetPath", PRIVATE), "planted", bytes("x")), 400,
                "X-Permission-Denied", null, "Error on upload operation");
        assertThat(readLocal(SECRET)).isEqualTo(bytes("alice secret\n"));
        assertThat(localPermissions(PRIVATE)).isEqualTo("rwx------");
        assertThat(Path.of(PRIVATE, "planted")).doesNotExist();
        // alice herself reads it.
        assertThat(text(get(alice, "head", "targetPath", SECRET), "Success to head file.")).isEqualTo("alice secret\n");
    }

    /** A FIFO nobody writes to blocks head until the system's 2 s limit ends it: v1's timeout answer. */
    @Test
    void aTimeoutIsV1sTimeoutSignal() {
        String fifo = fixture("timeout", "") + "/fifo";
        RootCommands.run("mkfifo", fifo);
        RootCommands.run("chown", "alice:alice", fifo);
        ApiClient.Response response = client.get(V1 + "head" + query("targetPath", fifo), alice, "small");
        assertV1Error(response, 400, "X-Timeout", "Command has finished with timeout signal", "Error on head operation");
        assertThat(response.json().get("error").asText()).isEqualTo("Command has finished with timeout signal");
    }

    // ================================================================ helpers

    /** A fresh directory of alice's for one test, filled by {@code script} run as root ($1 is the directory). */
    private static String fixture(String name, String script, String... more) {
        String dir = BASE + "/" + name;
        String[] args = new String[more.length + 1];
        args[0] = dir;
        System.arraycopy(more, 0, args, 1, more.length);
        sh("set -e\nmkdir -p \"$1\"\n" + script + "\nchown -R alice:alice \"$1\"\n", args);
        return dir;
    }

    private static ApiClient.Response get(String token, String operation, String... query) {
        return client.get(V1 + operation + query(query), token, "cluster");
    }

    private static ApiClient.Response form(String token, String method, String operation, String... fields) {
        return client.send(method, V1 + operation, token, "cluster", "application/x-www-form-urlencoded",
                bytes(query(fields).replaceFirst("^\\?", "")));
    }

    private static String query(String... keysAndValues) {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            query.append(i == 0 ? '?' : '&').append(URLEncoder.encode(keysAndValues[i], StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(keysAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return query.toString();
    }

    /** Asserts status and v1's success description; returns {@code output}. */
    private static JsonNode ok(ApiClient.Response response, int status, String description) {
        assertThat(response.status()).as("status of %s", response.text()).isEqualTo(status);
        JsonNode json = response.json();
        assertThat(fieldNames(json)).containsExactly("description", "output");
        assertThat(json.get("description").asText()).isEqualTo(description);
        for (String header : ERROR_HEADERS) {
            assertThat(response.header(header)).as(header).isNull();
        }
        return json.get("output");
    }

    private static String text(ApiClient.Response response, String description) {
        JsonNode output = ok(response, 200, description);
        assertThat(output.isTextual()).as(output.toString()).isTrue();
        return output.asText();
    }

    /** A v1 error: status, the header (with its value when given) and the body's description. */
    private static void assertV1Error(ApiClient.Response response, int status, String header, String headerValue, String description) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.header(header)).as("%s in %s", header, response.headers().map()).isNotNull();
        if (headerValue != null) {
            assertThat(response.header(header)).isEqualTo(headerValue);
        }
        assertThat(response.json().get("description").asText()).isEqualTo(description);
    }

    /** A refused parameter: 400, no error header (pyfirecrest raises on the status), v1's message. */
    private static void assertBadRequest(ApiClient.Response response, String description, String error) {
        assertThat(response.status()).as(response.text()).isEqualTo(400);
        assertThat(response.json().get("description").asText()).isEqualTo(description);
        assertThat(response.json().get("error").asText()).isEqualTo(error);
        for (String header : ERROR_HEADERS) {
            assertThat(response.header(header)).as(header).isNull();
        }
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

    private static String sh(String script, String... args) {
        return RootCommands.sh(script, args);
    }

    private static void writeAsAlice(String path, byte[] content) {
        try {
            Files.write(Path.of(path), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RootCommands.run("chown", "alice:alice", path);
    }

    private static byte[] readLocal(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readLink(String path) {
        try {
            return Files.readSymbolicLink(Path.of(path)).toString();
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

    /** An archive's members as {@code <type letter> <name>}, read by tar as root. */
    private static List<String> tarListing(String archive) {
        List<String> members = new ArrayList<>();
        for (String line : new String(RootCommands.run("tar", "-tvzf", archive), StandardCharsets.UTF_8).split("\n")) {
            String[] fields = line.split("\\s+", 6);
            String name = fields[5].replaceFirst(" -> .*$", "");
            members.add(line.charAt(0) + " " + name);
        }
        return members;
    }

    /** v1 requests: query strings, forms and multipart bodies, each with {@code X-Machine-Name}. */
    static final class Client {
        private final ApiClient api;

        Client(int port) {
            this.api = new ApiClient(port);
        }

        ApiClient.Response get(String path, String token, String machine) {
            return send("GET", path, token, machine, null, null);
        }

        /** pyfirecrest's upload: the text fields, then the file part named {@code file}. */
        ApiClient.Response multipart(String path, String token, String machine, Map<String, String> fields, String fileName,
                                     byte[] content) {
            String boundary = "----v1-it-" + UUID.randomUUID();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            new LinkedHashMap<>(fields).forEach((name, value) -> body.writeBytes(("--" + boundary
                    + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
            String quotedName = fileName.replace("\\", "\\\\").replace("\"", "\\\"");
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + quotedName
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
            return send("POST", path, token, machine, "multipart/form-data; boundary=" + boundary, body.toByteArray());
        }

        /** @param machine the {@code X-Machine-Name}; null sends none */
        ApiClient.Response send(String method, String path, String token, String machine, String contentType, byte[] body) {
            return api.send(method, path, token, machine == null ? Map.of() : Map.of("X-Machine-Name", machine), contentType, body);
        }
    }
}
