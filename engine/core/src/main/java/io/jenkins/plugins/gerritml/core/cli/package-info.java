/**
 * The command-line front end over the engine: the same gates and reports from any CI or a shell.
 */
@DefaultAnnotation(NonNull.class)
package io.jenkins.plugins.gerritml.core.cli;

import edu.umd.cs.findbugs.annotations.DefaultAnnotation;
import edu.umd.cs.findbugs.annotations.NonNull;
