package io.goldcrest.status;

import io.goldcrest.error.ErrorCode;
import io.goldcrest.error.GoldcrestException;
import io.goldcrest.ssh.CommandResult;
import io.goldcrest.ssh.RemoteCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code id} for the connected user: {@code uid=1000(alice) gid=1000(alice) groups=1000(alice),27(sudo)}.
 * A number without a name in the cluster's user database is printed bare ({@code uid=1001}); its
 * name is then the number. Group names may hold spaces ({@code 513(domain users)}), so the line is
 * read by pattern, not split on blanks; anything after the groups (SELinux {@code context=}) is ignored.
 */
public final class IdCommand implements RemoteCommand<UserIdentity> {
    private static final String ID = "(\\d+)(?:\\(([^)]*)\\))?";
    private static final Pattern LINE = Pattern.compile(
            "uid=" + ID + " gid=" + ID + "(?: groups=((?:" + ID + ",)*" + ID + "))?(?: .*)?");
    private static final Pattern GROUP = Pattern.compile(ID + ",?");
    private static final int QUOTE_LIMIT = 200;

    @Override
    public List<String> argv() {
        return List.of("id");
    }

    /**
     * @throws GoldcrestException {@code REMOTE_COMMAND_FAILED} on a non-zero exit or output that is
     *     not an {@code id} line
     */
    @Override
    public UserIdentity parse(CommandResult result) {
        if (!result.succeeded()) {
            throw RemoteFailure.of(result);
        }
        String line = result.stdout().strip();
        Matcher identity = LINE.matcher(line);
        if (!identity.matches()) {
            String quoted = line.length() <= QUOTE_LIMIT ? line : line.substring(0, QUOTE_LIMIT) + "...";
            throw new GoldcrestException(ErrorCode.REMOTE_COMMAND_FAILED, "Cannot read id output: '" + quoted + "'");
        }
        List<UserIdentity.Id> groups = new ArrayList<>();
        if (identity.group(5) != null) {
            Matcher group = GROUP.matcher(identity.group(5));
            while (group.find()) {
                groups.add(id(group.group(1), group.group(2)));
            }
        }
        return new UserIdentity(id(identity.group(1), identity.group(2)), id(identity.group(3), identity.group(4)), groups);
    }

    private static UserIdentity.Id id(String number, String name) {
        return new UserIdentity.Id(number, name == null || name.isEmpty() ? number : name);
    }
}
