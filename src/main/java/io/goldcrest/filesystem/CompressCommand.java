package io.goldcrest.filesystem;

import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code tar -c}: archives {@code path} relative to its parent directory. With a match pattern only
 * the regular files under {@code path} whose {@code ./name/...} path matches the {@code find -regex}
 * are archived; the values reach that small script as positional parameters, never inside it.
 */
record CompressCommand(String path, String targetPath, Optional<String> matchPattern, boolean dereference,
                       Compression compression) implements RemoteCommand<Void> {
    private static final String PATTERN_SCRIPT =
            "cd -- \"$1\" && find \"./$2\" -type f -regex \"$3\" -print0 | tar $5 -c$6f \"$4\" --null --files-from -";

    /** With a pattern a shell runs find and tar; tar is what compresses. */
    @Override
    public String name() {
        return "tar";
    }

    @Override
    public List<String> argv() {
        String[] parts = RemotePaths.split(path);
        if (matchPattern.isPresent()) {
            // $5 and $6 are our own constants (an option and a flag letter), left unquoted on purpose.
            return Coreutils.argv("sh", "-c", PATTERN_SCRIPT, "goldcrest-compress", parts[0], parts[1], matchPattern.get(),
                    targetPath, dereference ? "--dereference" : "", compression.tarLetter());
        }
        List<String> argv = new ArrayList<>(Coreutils.argv("tar"));
        if (dereference) {
            argv.add("--dereference");
        }
        argv.addAll(List.of("-c" + compression.tarLetter() + "f", targetPath, "-C", parts[0], "--", parts[1]));
        return argv;
    }

    @Override
    public Void parse(CommandResult result) {
        if (!result.succeeded()) {
            throw Failures.of(result);
        }
        return null;
    }
}
