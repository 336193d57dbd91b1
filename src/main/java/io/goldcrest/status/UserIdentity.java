package io.goldcrest.status;

import java.util.List;
import java.util.Objects;

/** Who the user is on the cluster, as {@code id} reports it. */
public record UserIdentity(Id user, Id group, List<Id> groups) {
    public UserIdentity {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(group, "group");
        groups = List.copyOf(groups);
    }

    /**
     * A numeric user or group id and its name.
     *
     * @param name the name, or the number itself when the cluster has no name for it
     */
    public record Id(String id, String name) {
        public Id {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
        }
    }
}
