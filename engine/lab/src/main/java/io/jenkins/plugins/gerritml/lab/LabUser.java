package io.jenkins.plugins.gerritml.lab;

/**
 * An account on a lab server with its HTTP password. Lab passwords are throw-away values for loopback servers.
 *
 * @param username the login name
 * @param fullName the display name
 * @param email the preferred email
 * @param httpPassword the HTTP password for {@code /a/} REST calls
 */
public record LabUser(String username, String fullName, String email, String httpPassword) {
    @Override
    public String toString() {
        return "LabUser[" + username + "]";
    }
}
