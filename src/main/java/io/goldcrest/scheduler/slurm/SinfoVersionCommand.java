package io.goldcrest.scheduler.slurm;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sinfo --version}: the version of the Slurm commands on the login node, the tools Goldcrest
 * runs and parses. It needs no controller, so it answers even when slurmctld is down. Upstream
 * prints {@code slurm 22.05.8}, Debian's package {@code slurm-wlm 22.05.8}.
 */
public final class SinfoVersionCommand implements RemoteCommand<String> {
    private static final Pattern VERSION = Pattern.compile("^slurm\\S*\\s+(\\d+\\.\\d+\\S*)\\s*$");

    @Override
    public List<String> argv() {
        return List.of("sinfo", "--version");
    }

    /** @throws io.goldcrest.error.GoldcrestException {@code SCHEDULER_ERROR} when the line names no version */
    @Override
    public String parse(CommandResult result) {
        SlurmOutput.requireSuccess(result);
        List<String> lines = SlurmOutput.lines(result.stdout());
        String first = lines.isEmpty() ? "" : lines.getFirst().strip();
        Matcher version = VERSION.matcher(first);
        if (!version.matches()) {
            throw SlurmOutput.unreadable("sinfo --version output", first, "no version");
        }
        return version.group(1);
    }
}
