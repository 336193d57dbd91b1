package io.goldcrest.ssh;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;

/**
 * An SFTP request the server refused. The file-system service catches it to phrase the failure as
 * the equivalent coreutils command would have, so both paths answer the same.
 */
public final class RemoteFileException extends GoldcrestException {
    /** SFTP v3 status codes that OpenSSH's sftp-server derives from errno. */
    public enum Reason {
        /** ENOENT */
        NO_SUCH_FILE,
        /** EACCES, EPERM */
        PERMISSION_DENIED,
        /** any other errno, e.g. EEXIST, ENOTEMPTY, ENOTDIR */
        FAILURE,
        /** ENOSYS, or an extension the server lacks */
        UNSUPPORTED,
        /** EINVAL, ENAMETOOLONG */
        BAD_MESSAGE
    }

    private final Reason reason;

    public RemoteFileException(Reason reason, String message) {
        super(ErrorCode.REMOTE_COMMAND_FAILED, message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
