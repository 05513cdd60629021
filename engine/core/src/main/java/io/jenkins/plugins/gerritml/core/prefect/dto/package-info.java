/**
 * Prefect REST payloads, field for field as Prefect's JSON names them (snake_case on the wire, through
 * {@link io.jenkins.plugins.gerritml.core.prefect.dto.PrefectJson}). Mutable carriers only: no behaviour, no
 * validation; the domain objects one package up are built from them. Unknown fields are ignored so newer servers work.
 */
@DefaultAnnotation(NonNull.class)
package io.jenkins.plugins.gerritml.core.prefect.dto;

import edu.umd.cs.findbugs.annotations.DefaultAnnotation;
import edu.umd.cs.findbugs.annotations.NonNull;
