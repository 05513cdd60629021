package io.jenkins.plugins.gerritml.lab;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test class using {@link GerritLab}: hand it the newer Gerrit line ({@link GerritServer.Line#newer()}) instead
 * of the build's 3.10. Not inherited, so {@code class FooOnNewerGerritITest extends FooITest} runs Foo's tests again
 * against the newer line while FooITest keeps 3.10.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OnNewerGerrit {
}
