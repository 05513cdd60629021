package io.jenkins.plugins.gerritml.core.pipeline;

import java.util.Locale;

/**
 * Whose credential each use is, and so how it is looked up and which scopes serve it. A credential the build uses
 * (Gerrit REST, AWS, an OIDC token) is looked up as the build, tracked, and must be Global-scoped: a System-scoped
 * one is never found for a build, so offering it would only fail later. A credential that is the administrator's
 * is looked up in the root store outside the build's authentication: a Prefect server's key may be either scope,
 * but the lineage signing key must be System-scoped, since a Global one could be read by any Pipeline with
 * {@code withCredentials} and used to sign forged records.
 */
public enum CredentialUse {
    GERRIT_REST("Gerrit REST", true, false),
    AWS("AWS", true, false),
    PREFECT_SERVER("a Prefect server", false, true),
    LINEAGE_SIGNING_KEY("the lineage signing key", false, false);

    /** The credential scopes of the Jenkins credentials store, by name. */
    public enum Scope { SYSTEM, GLOBAL, USER }

    private final String what;
    private final boolean asTheBuild;
    private final boolean globalAlsoServes;

    CredentialUse(final String what, final boolean asTheBuild, final boolean globalAlsoServes) {
        this.what = what;
        this.asTheBuild = asTheBuild;
        this.globalAlsoServes = globalAlsoServes;
    }

    /** True: by id in the build's context as the build's authentication, and tracked. False: the admin's store. */
    public boolean isLookedUpAsTheBuild() {
        return asTheBuild;
    }

    /** Whether a credential of {@code scope} serves this use (and so is offered in its drop-down). */
    public boolean accepts(final Scope scope) {
        if (asTheBuild) {
            return scope != Scope.SYSTEM;
        }
        return scope == Scope.SYSTEM || globalAlsoServes && scope == Scope.GLOBAL;
    }

    /** {@link #accepts(Scope)} by the scope's name; an unknown or missing scope counts as Global. */
    public boolean accepts(final String scopeName) {
        Scope scope;
        try {
            scope = scopeName == null ? Scope.GLOBAL : Scope.valueOf(scopeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            scope = Scope.GLOBAL;
        }
        return accepts(scope);
    }

    /** Why a credential of {@code scope} was refused, and what to change; names the id, never the secret. */
    public String refusal(final String credentialsId, final Scope scope) {
        if (asTheBuild) {
            return "Credentials '" + credentialsId + "' for " + what + " are System-scoped, which no build can use: "
                    + "make them Global, or choose another credential";
        }
        return "Credentials '" + credentialsId + "' for " + what + " are " + scope.name().toLowerCase(Locale.ROOT)
                + "-scoped, so any Pipeline could read them with withCredentials and sign forged records: make them "
                + "System-scoped (Manage Jenkins → Credentials → System → Global credentials → the entry → Update)";
    }

    /** E.g. {@code the lineage signing key}. */
    public String describe() {
        return what;
    }
}
