package io.goldcrest.filesystem;

import java.util.ArrayDeque;

/** Pure string operations on absolute cluster paths (never resolved locally). */
public final class RemotePaths {
    private RemotePaths() {}

    /** Parent directory and last name, ignoring trailing slashes: {@code /a/b/} gives {@code /a}, {@code b}. */
    public static String[] split(String path) {
        String trimmed = path;
        while (trimmed.length() > 1 && trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        int slash = trimmed.lastIndexOf('/');
        if (slash < 0) {
            return new String[] {".", trimmed};
        }
        String parent = slash == 0 ? "/" : trimmed.substring(0, slash);
        String name = trimmed.substring(slash + 1);
        return new String[] {parent, name.isEmpty() ? "." : name};
    }

    /** POSIX normalisation: collapses {@code //}, {@code .} and {@code ..}, as Python's normpath. */
    static String normalize(String path) {
        ArrayDeque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    public static String join(String directory, String name) {
        return directory.endsWith("/") ? directory + name : directory + "/" + name;
    }

    /** True when {@code path} (normalised) is {@code root} or below it. */
    static boolean isUnder(String path, String root) {
        String normalRoot = normalize(root);
        return path.equals(normalRoot) || normalRoot.equals("/") || path.startsWith(normalRoot + "/");
    }
}
