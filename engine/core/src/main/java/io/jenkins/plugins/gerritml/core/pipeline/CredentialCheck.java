package io.jenkins.plugins.gerritml.core.pipeline;

import edu.umd.cs.findbugs.annotations.CheckForNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One credential a job will use, as the host found it: its id, what it is for, the kinds that use accepts and the
 * kind the host's store holds under that id (or none). Checked by the {@link RemoteJobLifecycle} before anything is
 * created, so a wrong credential fails the step before a billable job runs, not when the vote is posted. Holds no
 * secret.
 */
public final class CredentialCheck {
    /** Kinds of credential the backends accept, named as a user sees them. */
    public enum Kind {
        USERNAME_PASSWORD("Username with password"),
        SECRET_TEXT("Secret text"),
        AWS_KEYS("AWS Credentials"),
        SSH_KEY("SSH Username with private key"),
        OTHER("another kind");

        private final String displayName;

        Kind(final String displayName) {
            this.displayName = displayName;
        }

        public String getDisplayName() {
            return displayName;
        }
    }

    private final String use;
    private final String id;
    private final Set<Kind> accepted;
    @CheckForNull
    private final Kind found;
    private final String foundType;

    private CredentialCheck(final String use, final String id, final Set<Kind> accepted,
            @CheckForNull final Kind found, final String foundType) {
        this.use = use;
        this.id = id;
        this.accepted = accepted;
        this.found = found;
        this.foundType = foundType;
    }

    /**
     * @param use       what the credential is for, as the step's parameter says it (e.g. {@code gerritCredentialsId
     *                  (Gerrit REST)})
     * @param id        the credential id the step names
     * @param accepted  the kinds that use accepts
     * @param found     the kind stored under {@code id}, or null when there is none
     * @param foundType the stored credential's type as its store names it (e.g. {@code AWSCredentialsImpl})
     */
    public static CredentialCheck of(final String use, final String id, final Collection<Kind> accepted,
            @CheckForNull final Kind found, final String foundType) {
        if (accepted.isEmpty()) {
            throw new IllegalArgumentException("a credential check needs at least one accepted kind");
        }
        return new CredentialCheck(Objects.requireNonNull(use, "use"), Objects.requireNonNull(id, "id"),
                EnumSet.copyOf(accepted), found, Objects.requireNonNull(foundType, "foundType"));
    }

    /** What is wrong with this credential, in words that say what to fix; empty when it fits. */
    public Optional<String> problem() {
        String expected = accepted.stream().map(Kind::getDisplayName).collect(Collectors.joining(" or "));
        if (found == null) {
            return Optional.of(use + ": no credential with id '" + id + "' is visible to this build; add one of "
                    + "type " + expected + " with that id, or name another");
        }
        if (!accepted.contains(found)) {
            String what = found == Kind.OTHER ? foundType : found.getDisplayName()
                    + (foundType.isEmpty() ? "" : " (" + foundType + ")");
            return Optional.of(use + ": credential '" + id + "' is of type " + what + ", but this needs type "
                    + expected);
        }
        return Optional.empty();
    }

    /** @throws PreflightException listing every problem, when any check fails */
    public static void requireAll(final Collection<CredentialCheck> checks) {
        List<String> problems = new ArrayList<>();
        for (CredentialCheck check : checks) {
            check.problem().ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new PreflightException("Nothing was created: " + String.join("; ", problems) + ".");
        }
    }

    public String getUse() {
        return use;
    }

    public String getId() {
        return id;
    }

    public Set<Kind> getAccepted() {
        return EnumSet.copyOf(accepted);
    }

    @CheckForNull
    public Kind getFound() {
        return found;
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CredentialCheck)) {
            return false;
        }
        CredentialCheck other = (CredentialCheck) o;
        return use.equals(other.use) && id.equals(other.id) && accepted.equals(other.accepted)
                && found == other.found && foundType.equals(other.foundType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(use, id, accepted, found, foundType);
    }

    @Override
    public String toString() {
        return use + " '" + id + "' " + (found == null ? "missing" : found.name().toLowerCase(Locale.ROOT));
    }
}
