package io.goldcrest.filesystem;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.List;

/** {@code stat -c}: the raw {@code stat(2)} numbers, mode in hex as stat prints it. */
record StatCommand(String path, boolean dereference) implements RemoteCommand<FileStat> {
    static final String FORMAT = "%f %i %d %h %u %g %s %X %Y %Z";

    @Override
    public List<String> argv() {
        List<String> argv = new ArrayList<>(Coreutils.argv("stat"));
        if (dereference) {
            argv.add("--dereference");
        }
        argv.addAll(List.of("-c", FORMAT, "--", path));
        return argv;
    }

    @Override
    public FileStat parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        String[] fields = result.stdout().strip().split(" ");
        if (fields.length != 10) {
            throw new GoldcrestException(ErrorCode.REMOTE_COMMAND_FAILED, "Invalid output: " + result.stdout().strip());
        }
        try {
            return new FileStat(Long.parseLong(fields[0], 16), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
                    Long.parseLong(fields[3]), Long.parseLong(fields[4]), Long.parseLong(fields[5]), Long.parseLong(fields[6]),
                    Long.parseLong(fields[7]), Long.parseLong(fields[8]), Long.parseLong(fields[9]));
        } catch (NumberFormatException e) {
            throw new GoldcrestException(ErrorCode.REMOTE_COMMAND_FAILED, "Invalid output: " + result.stdout().strip());
        }
    }
}
