package io.goldcrest.filesystem;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.Agent;
import io.goldcrest.ssh.FileNames;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code stat} without a process per request. SFTP (protocol 3, all OpenSSH speaks) has no inode,
 * device, link count or ctime, so a tiny Perl loop (Perl is on practically every login node) is
 * kept running per user and answers {@code stat(2)}/{@code lstat(2)} for hex-encoded paths read from
 * stdin: no path ever reaches a shell. When Perl is missing, {@link StatCommand} is used instead.
 */
final class StatAgent {
    private static final String SCRIPT = "use strict; $|=1; $SIG{ALRM}=sub{exit 0};"
            + " while (1) { alarm 600; my $line = <STDIN>; last unless defined $line; chomp $line;"
            + " my ($op, $hex) = split / /, $line, 2; my $path = pack('H*', defined $hex ? $hex : '');"
            + " my @s = $op eq 'S' ? stat($path) : lstat($path);"
            + " if (@s) { print join(' ', 'OK', @s[2,1,0,3,4,5,7,8,9,10]), \"\\n\" }"
            + " else { print 'ERR ', 0+$!, ' ', \"$!\\n\" } }";

    static final Agent AGENT = new Agent("stat", Coreutils.argv("perl", "-e", SCRIPT));

    private StatAgent() {}

    static String request(String path, boolean dereference) {
        return (dereference ? "S " : "L ") + HexFormat.of().formatHex(FileNames.toBytes(path));
    }

    /** Reads the agent's answer the way {@link StatCommand} reads stat's output. */
    static FileStat parse(String answer, String path) {
        if (answer.startsWith("ERR ")) {
            String[] parts = answer.split(" ", 3);
            String reason = parts.length == 3 ? parts[2] : "unknown error";
            throw Failures.of(1, "stat: cannot statx " + Failures.quoted(path) + ": " + reason);
        }
        List<String> fields = List.of(answer.split(" "));
        if (fields.size() != 11 || !fields.getFirst().equals("OK")) {
            throw new GoldcrestException(ErrorCode.REMOTE_COMMAND_FAILED, "Invalid output of the stat agent: " + answer);
        }
        try {
            long[] values = fields.subList(1, 11).stream().mapToLong(Long::parseUnsignedLong).toArray();
            return new FileStat(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7],
                    values[8], values[9]);
        } catch (NumberFormatException e) {
            throw new GoldcrestException(ErrorCode.REMOTE_COMMAND_FAILED, "Invalid output of the stat agent: " + answer);
        }
    }
}
