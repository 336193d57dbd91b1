package io.goldcrest.api.v2;

import io.goldcrest.filesystem.Content;
import io.goldcrest.filesystem.FileEntry;
import io.goldcrest.filesystem.FileStat;

/** FirecREST v2's JSON shapes of the filesystem routes. */
final class FilesystemDtos {
    private FilesystemDtos() {}

    record Output<T>(T output) {}

    record File(String name, String type, String linkTarget, String user, String group, String permissions,
                String lastModified, String size) {}

    static File file(FileEntry entry) {
        return new File(entry.name(), entry.type(), entry.linkTarget().orElse(null), entry.user(), entry.group(),
                entry.permissions(), entry.lastModified(), entry.size());
    }

    record ContentDto(String content, String contentType, long startPosition, long endPosition) {}

    static ContentDto content(Content content) {
        return new ContentDto(content.content(), content.contentType(), content.startPosition(), content.endPosition());
    }

    record Checksum(String algorithm, String checksum) {}

    record Stat(long mode, long ino, long dev, long nlink, long uid, long gid, long size, long atime, long ctime, long mtime) {}

    static Stat stat(FileStat stat) {
        return new Stat(stat.mode(), stat.ino(), stat.dev(), stat.nlink(), stat.uid(), stat.gid(), stat.size(),
                stat.atime(), stat.ctime(), stat.mtime());
    }
}
