package io.goldcrest.filesystem;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.FileNames;
import io.goldcrest.ssh.RemoteCommand;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ls -l} with C-style quoted names and ISO times, FirecREST's listing command. Used for
 * recursive listings and whenever SFTP cannot give the same answer.
 */
final class LsCommand implements RemoteCommand<List<FileEntry>> {
    record Options(boolean showHidden, boolean numericUid, boolean recursive, boolean dereference, boolean directoryOnly) {
        static final Options SINGLE = new Options(false, false, false, false, true);
    }

    private final String path;
    private final Options options;

    LsCommand(String path, Options options) {
        this.path = path;
        this.options = options;
    }

    @Override
    public List<String> argv() {
        List<String> argv = new ArrayList<>(Coreutils.argv("ls", "-l", "--quoting-style=c", "--time-style=+%Y-%m-%dT%H:%M:%S"));
        if (options.showHidden()) {
            argv.add("-A");
        }
        if (options.numericUid()) {
            argv.add("--numeric-uid-gid");
        }
        if (options.recursive()) {
            argv.add("-R");
        }
        if (options.dereference()) {
            argv.add("-L");
        }
        if (options.directoryOnly()) {
            argv.add("-d");
        }
        argv.add("--");
        argv.add(path);
        return argv;
    }

    @Override
    public List<FileEntry> parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        return parse(result.stdout());
    }

    /**
     * Splits recursive output into sections ({@code "dir":} headers); names in sub-sections get the
     * sub-directory's path relative to the first header as prefix.
     */
    static List<FileEntry> parse(String output) {
        List<FileEntry> entries = new ArrayList<>();
        String root = null;
        String prefix = "";
        boolean sawHeader = false;
        for (String line : output.split("\n")) {
            if (line.isEmpty() || line.startsWith("total ")) {
                continue;
            }
            if (line.startsWith("\"") && line.endsWith(":")) {
                String directory = unquote(line.substring(0, line.length() - 1), new int[] {0});
                if (root == null) {
                    root = directory;
                    prefix = "";
                } else {
                    String relative = directory.startsWith(root) ? directory.substring(root.length()) : directory;
                    while (relative.startsWith("/")) {
                        relative = relative.substring(1);
                    }
                    prefix = relative.isEmpty() ? "" : relative + "/";
                }
                sawHeader = true;
                continue;
            }
            FileEntry entry = parseLine(line);
            if (entry != null) {
                entries.add(sawHeader ? entry.withName(prefix + entry.name()) : entry);
            }
        }
        return entries;
    }

    /** One {@code ls -l} line; null for lines that are not entries (unreadable ones with {@code ?}). */
    static FileEntry parseLine(String line) {
        String[] fields = new String[6];
        int position = 0;
        for (int field = 0; field < 6; field++) {
            while (position < line.length() && line.charAt(position) == ' ') {
                position++;
            }
            int start = position;
            while (position < line.length() && line.charAt(position) != ' ') {
                position++;
            }
            if (start == position) {
                return null;
            }
            fields[field] = line.substring(start, position);
        }
        while (position < line.length() && line.charAt(position) == ' ') {
            position++;
        }
        if (position >= line.length() || line.charAt(position) != '"' || !fields[5].matches("[0-9T:-]+")
                || !fields[1].matches("\\d+") || fields[0].length() < 2) {
            return null;
        }
        int[] cursor = {position};
        String name = unquote(line, cursor);
        Optional<String> target = Optional.empty();
        if (line.startsWith(" -> \"", cursor[0])) {
            cursor[0] += 4;
            target = Optional.of(unquote(line, cursor));
        }
        return new FileEntry(name, fields[0].substring(0, 1), target, fields[2], fields[3], fields[0].substring(1),
                fields[5], fields[4]);
    }

    /**
     * Reads one C-quoted string starting at {@code cursor[0]} (which must be at its opening quote)
     * and leaves the cursor after the closing quote. Escapes become the bytes they stand for.
     */
    static String unquote(String text, int[] cursor) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = cursor[0] + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                i++;
                break;
            }
            if (c != '\\' || i + 1 >= text.length()) {
                int codePoint = text.codePointAt(i);
                bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
                continue;
            }
            char escaped = text.charAt(i + 1);
            if (escaped >= '0' && escaped <= '7') {
                int end = i + 1;
                int value = 0;
                while (end < text.length() && end < i + 4 && text.charAt(end) >= '0' && text.charAt(end) <= '7') {
                    value = value * 8 + (text.charAt(end) - '0');
                    end++;
                }
                bytes.write(value);
                i = end;
                continue;
            }
            bytes.write(switch (escaped) {
                case 'a' -> 7;
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'v' -> 11;
                default -> escaped;
            });
            i += 2;
        }
        cursor[0] = i;
        return FileNames.fromBytes(bytes.toByteArray());
    }
}
