package io.goldcrest.filesystem;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteFileException;

/**
 * FirecREST's failures of file commands: the message carries the exit status and stderr, and the
 * first known stderr phrase picks the status. SFTP refusals are phrased as the coreutils command
 * doing the same would have written them, so a client cannot tell which path served it.
 */
final class Failures {
    private Failures() {}

    /** A remote command that exited non-zero. */
    static GoldcrestException of(CommandResult result) {
        return of(result.exitStatus(), result.stderr());
    }

    static GoldcrestException of(int exitStatus, String stderr) {
        return new GoldcrestException(classify(stderr), CommandResult.failureMessage(exitStatus, stderr));
    }

    private static ErrorCode classify(String stderr) {
        if (stderr.contains("No such file or directory")) {
            return ErrorCode.PATH_NOT_FOUND;
        }
        if (stderr.contains("Permission denied") || stderr.contains("Operation not permitted")) {
            return ErrorCode.PATH_PERMISSION_DENIED;
        }
        if (stderr.contains("File exists") || stderr.contains("invalid user") || stderr.contains("invalid group")) {
            return ErrorCode.PATH_CONFLICT;
        }
        return ErrorCode.REMOTE_COMMAND_FAILED;
    }

    /**
     * An SFTP refusal as coreutils would report it, e.g. {@code mkdir: cannot create directory
     * '/x': Permission denied}.
     *
     * @param exitStatus what the command would have exited with (ls: 2, most others: 1)
     * @param what the tool and action, e.g. {@code "mkdir: cannot create directory"}
     * @param failureText what a generic SFTP failure meant here (e.g. "File exists"), known from context
     */
    static GoldcrestException sftp(int exitStatus, String what, String path, RemoteFileException refusal, String failureText) {
        String reason = switch (refusal.reason()) {
            case NO_SUCH_FILE -> "No such file or directory";
            case PERMISSION_DENIED -> "Permission denied";
            case BAD_MESSAGE -> "Invalid argument";
            case UNSUPPORTED -> "Operation not supported";
            case FAILURE -> failureText;
        };
        return of(exitStatus, what + " " + quoted(path) + ": " + reason);
    }

    /** Coreutils' quoting of a file name in messages: single quotes, {@code '} as {@code '\''}. */
    static String quoted(String path) {
        return "'" + path.replace("'", "'\\''") + "'";
    }
}
