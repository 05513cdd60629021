package io.jenkins.plugins.gerritml.core.gerrit;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Who may stop a running job from the review ({@code gerrit-ml stop <id>}, the Checks tab's Stop): the change owner,
 * and members of the configured Gerrit groups. Everyone else is refused with the rule that refused them.
 */
@FunctionalInterface
public interface StopAuthority {
    /** Why {@code request} (a {@link ChangeEvent.Type#STOP_REQUESTED}) may not stop {@code job}; empty when it may. */
    Optional<String> refusal(ChangeEvent request, RunningJob job);

    /**
     * The group names an administrator listed, one per line or comma-separated (the Jenkins setting, the CLI's
     * {@code --stop-groups}); blanks dropped.
     */
    static List<String> groupNames(final String listed) {
        return listed == null ? List.of() : java.util.Arrays.stream(listed.split("[,\\n]")).map(String::trim)
                .filter(group -> !group.isEmpty()).toList();
    }

    /** Only the change's owner. */
    static StopAuthority changeOwner() {
        return changeOwnerOr(List.of(), group -> Set.of());
    }

    /**
     * The change's owner, or a member of one of {@code groups} (read when a non-owner asks, so a membership change in
     * Gerrit applies to the next request).
     *
     * @param members a group's members (e.g. {@link GerritRestClient#getGroupMembers}); a failure refuses the stop
     */
    static StopAuthority changeOwnerOr(final List<String> groups, final Function<String, Set<GerritAccount>> members) {
        List<String> named = List.copyOf(groups);
        return (request, job) -> {
            GerritAccount requester = request.getRequester();
            if (!requester.isKnown()) {
                return Optional.of("Gerrit's event did not say who asked");
            }
            if (requester.isSamePerson(request.getOwner())) {
                return Optional.empty();
            }
            for (String group : named) {
                try {
                    if (members.apply(group).stream().anyMatch(requester::isSamePerson)) {
                        return Optional.empty();
                    }
                } catch (RuntimeException e) {
                    return Optional.of("the members of group " + group + " could not be read (" + e.getMessage()
                            + ")");
                }
            }
            return Optional.of(requester.getDisplayName() + " is not the change owner" + (named.isEmpty()
                    ? " (only the owner may stop its jobs: an administrator can allow groups)"
                    : " nor a member of " + String.join(", ", named)) + " [rule: stop-owner-or-group]");
        };
    }
}
