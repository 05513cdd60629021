/**
 * Gerrit REST payloads. Field names mirror Gerrit's JSON (as gerrit-events' {@code dto/rest} does), so they read like
 * Gerrit's REST documentation; any field may be null, as on the wire. Domain objects in the parent package are built
 * from them and are non-null throughout.
 */
package io.jenkins.plugins.gerritml.core.gerrit.dto;
