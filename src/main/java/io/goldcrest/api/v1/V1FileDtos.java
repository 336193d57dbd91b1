package io.goldcrest.api.v1;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.goldcrest.filesystem.FileEntry;
import io.goldcrest.filesystem.FileStat;
import io.goldcrest.status.UserIdentity;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The JSON of v1's utilities answers, and the texts v1 builds from command output. */
final class V1FileDtos {
    /** Characters a {@code Content-Disposition} file name may carry unquoted (an RFC 7230 token). */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$&+.^_`|~-]+");

    private V1FileDtos() {}

    /** Every successful utilities answer but rm's and download's: {@code {"description", "output"}}. */
    record Success(String description, Object output) {}

    /** v1's {@code LsFile}: snake_case, {@code link_target} empty (not null) for anything but a link. */
    record LsFile(String name, String type, @JsonProperty("link_target") String linkTarget, String user, String group,
                  String permissions, @JsonProperty("last_modified") String lastModified, String size) {}

    static LsFile lsFile(FileEntry entry) {
        return new LsFile(entry.name(), entry.type(), entry.linkTarget().orElse(""), entry.user(), entry.group(),
                entry.permissions(), entry.lastModified(), entry.size());
    }

    /**
     * One page of a listing, as v1 pages it: both {@code pageSize} and {@code pageNumber} given,
     * numbered from 1; anything unreadable or out of range gives the whole list.
     */
    static <T> List<T> page(List<T> entries, Optional<String> pageSize, Optional<String> pageNumber) {
        if (pageSize.isEmpty() || pageNumber.isEmpty()) {
            return entries;
        }
        double size;
        double number;
        try {
            size = Double.parseDouble(pageSize.get().strip());
            number = Double.parseDouble(pageNumber.get().strip());
        } catch (NumberFormatException e) {
            return entries;
        }
        if (!(size > 0) || Double.isInfinite(size) || Double.isNaN(number)) {
            return entries;
        }
        double pages = Math.ceil(entries.size() / size);
        if (number < 1 || number > pages) {
            return entries;
        }
        int from = (int) Math.min(entries.size(), (long) ((number - 1) * size));
        int to = (int) Math.min(entries.size(), (long) (number * size - 1) + 1);
        return entries.subList(from, Math.max(from, to));
    }

    /** {@code stat(2)}'s numbers in v1's order, {@code mode} the whole {@code st_mode}. */
    static Map<String, Long> stat(FileStat stat) {
        Map<String, Long> output = new LinkedHashMap<>();
        output.put("mode", stat.mode());
        output.put("ino", stat.ino());
        output.put("dev", stat.dev());
        output.put("nlink", stat.nlink());
        output.put("uid", stat.uid());
        output.put("gid", stat.gid());
        output.put("size", stat.size());
        output.put("atime", stat.atime());
        output.put("mtime", stat.mtime());
        output.put("ctime", stat.ctime());
        return output;
    }

    record Id(String name, String id) {}

    record Identity(Id user, Id group, List<Id> groups) {}

    /** {@code whoami?groups=true}: the {@code id} line as names and numbers (numbers as strings, as in v1). */
    static Identity identity(UserIdentity identity) {
        return new Identity(id(identity.user()), id(identity.group()), identity.groups().stream().map(V1FileDtos::id).toList());
    }

    private static Id id(UserIdentity.Id id) {
        return new Id(id.name(), id.id());
    }

    /** What {@code chmod -v} says: {@code mode of 'f' changed from 0644 (rw-r--r--) to 0640 (rw-r-----)}. */
    static String chmodMessage(String path, FileStat before, FileStat after) {
        String now = mode(after);
        if ((before.mode() & 07777) == (after.mode() & 07777)) {
            return "mode of " + quoted(path) + " retained as " + now;
        }
        return "mode of " + quoted(path) + " changed from " + mode(before) + " to " + now;
    }

    private static String mode(FileStat stat) {
        return String.format(Locale.ROOT, "%04o (%s)", stat.mode() & 07777, stat.permissions());
    }

    /**
     * What {@code chown -v} says, e.g. {@code ownership of 'f' retained as alice:proj}. A change is
     * told without the former names ({@code changed ownership of 'f' to alice:proj}): only the
     * resulting ones are known by name.
     *
     * @param ownerGiven whether the request named an owner (else only the group was changed)
     */
    static String chownMessage(String path, boolean ownerGiven, FileStat before, FileStat after, FileEntry result) {
        if (ownerGiven) {
            String owners = result.user() + ":" + result.group();
            return before.uid() == after.uid() && before.gid() == after.gid()
                    ? "ownership of " + quoted(path) + " retained as " + owners
                    : "changed ownership of " + quoted(path) + " to " + owners;
        }
        return before.gid() == after.gid()
                ? "group of " + quoted(path) + " retained as " + result.group()
                : "changed group of " + quoted(path) + " to " + result.group();
    }

    private static String quoted(String path) {
        return "'" + path.replace("'", "'\\''") + "'";
    }

    /**
     * v1's {@code grep} filter of head and tail ({@code grep --fixed-strings}): the lines holding the
     * text, each ended by a newline.
     *
     * @return empty when no line holds it (v1 answers 404 then)
     */
    static Optional<String> matchingLines(String content, String text) {
        StringBuilder matching = new StringBuilder();
        boolean found = false;
        int start = 0;
        while (start < content.length()) {
            int end = content.indexOf('\n', start);
            String line = end < 0 ? content.substring(start) : content.substring(start, end);
            if (line.contains(text)) {
                matching.append(line).append('\n');
                found = true;
            }
            start = end < 0 ? content.length() : end + 1;
        }
        return found ? Optional.of(matching.toString()) : Optional.empty();
    }

    /**
     * {@code attachment; filename=<the path's last name>}: bare when it is a token, else quoted with a
     * printable ASCII stand-in and, for other characters, the exact name as RFC 6266's {@code filename*}.
     */
    static String contentDisposition(String path) {
        String trimmed = path.replaceAll("/+$", "");
        String name = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        if (TOKEN.matcher(name).matches()) {
            return "attachment; filename=" + name;
        }
        StringBuilder ascii = new StringBuilder();
        boolean plain = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                ascii.append('_');
                plain = false;
            } else {
                ascii.append(c == '"' || c == '\\' ? "\\" + c : String.valueOf(c));
            }
        }
        String header = "attachment; filename=\"" + ascii + "\"";
        return plain ? header : header + "; filename*=UTF-8''" + percentEncoded(name);
    }

    private static String percentEncoded(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }
}
