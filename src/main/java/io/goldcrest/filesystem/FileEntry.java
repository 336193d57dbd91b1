package io.goldcrest.filesystem;

import java.util.Objects;
import java.util.Optional;

/**
 * One file as {@code ls -l} describes it, in FirecREST's shape.
 *
 * @param name entry name in a listing (relative path in a recursive one), or the path as given
 * @param type first character of the {@code ls -l} mode: {@code - d l c b p s}
 * @param permissions the rest of the mode string, e.g. {@code rwxr-xr-x}
 * @param lastModified {@code YYYY-MM-DDTHH:MM:SS} in the cluster's local time
 * @param size bytes, as a string (FirecREST's type)
 */
public record FileEntry(String name, String type, Optional<String> linkTarget, String user, String group,
                        String permissions, String lastModified, String size) {
    public FileEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(linkTarget, "linkTarget");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(permissions, "permissions");
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(size, "size");
    }

    FileEntry withName(String newName) {
        return new FileEntry(newName, type, linkTarget, user, group, permissions, lastModified, size);
    }
}
