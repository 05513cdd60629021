package io.jenkins.plugins.gerritml.core.gerrit;

import java.util.Objects;

/**
 * A Gerrit account as events, build parameters and REST replies name it. Any part may be unknown (empty), e.g.
 * Gerrit Trigger's parameters carry no account id.
 */
public final class GerritAccount {
    private static final GerritAccount UNKNOWN = new GerritAccount(0, "", "", "");

    private final int accountId;
    private final String name;
    private final String email;
    private final String username;

    private GerritAccount(final int accountId, final String name, final String email, final String username) {
        this.accountId = accountId;
        this.name = name;
        this.email = email;
        this.username = username;
    }

    public static GerritAccount valueOf(final int accountId, final String name, final String email,
            final String username) {
        if (accountId <= 0 && blank(name) && blank(email) && blank(username)) {
            return UNKNOWN;
        }
        return new GerritAccount(Math.max(0, accountId), clean(name), clean(email), clean(username));
    }

    public static GerritAccount valueOf(final String name, final String email, final String username) {
        return valueOf(0, name, email, username);
    }

    /** The null object: nobody known. */
    public static GerritAccount unknown() {
        return UNKNOWN;
    }

    public boolean isKnown() {
        return this != UNKNOWN;
    }

    /** Gerrit's numeric account id, 0 when not known. */
    public int getAccountId() {
        return accountId;
    }

    public String getName() {
        return name;
    }

    public String getEmail() {
        return email;
    }

    public String getUsername() {
        return username;
    }

    /**
     * Whether both name the same person: by account id when both have one, else by username, else by email.
     */
    public boolean isSamePerson(final GerritAccount other) {
        if (!isKnown() || !other.isKnown()) {
            return false;
        }
        if (accountId > 0 && other.accountId > 0) {
            return accountId == other.accountId;
        }
        if (!username.isEmpty() && !other.username.isEmpty()) {
            return username.equals(other.username);
        }
        return !email.isEmpty() && email.equalsIgnoreCase(other.email);
    }

    /** The best short name for messages: username, else name, else email, else the id. */
    public String getDisplayName() {
        if (!username.isEmpty()) {
            return username;
        }
        if (!name.isEmpty()) {
            return name;
        }
        if (!email.isEmpty()) {
            return email;
        }
        return accountId > 0 ? "account " + accountId : "unknown";
    }

    private static boolean blank(final String text) {
        return text == null || text.isBlank();
    }

    private static String clean(final String text) {
        return text == null ? "" : text.trim();
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof GerritAccount)) {
            return false;
        }
        GerritAccount other = (GerritAccount) o;
        return accountId == other.accountId && name.equals(other.name) && email.equals(other.email)
                && username.equals(other.username);
    }

    @Override
    public int hashCode() {
        return Objects.hash(accountId, name, email, username);
    }

    @Override
    public String toString() {
        return getDisplayName();
    }
}
