package io.goldcrest.filesystem;

/** The flags of {@code ops/ls}, each an {@code ls} option. */
public record ListOptions(boolean showHidden, boolean numericUid, boolean recursive, boolean dereference) {
    LsCommand.Options asLs() {
        return new LsCommand.Options(showHidden, numericUid, recursive, dereference, false);
    }
}
