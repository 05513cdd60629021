package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.pipeline.AuditLog;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Writes every AWS call that changes state (Create*, Stop*, Update*, Delete*, Put*, Start*, AssumeRole*) to the
 * audit log with its outcome, once per call after the SDK's retries, whichever backend code made it. Reads
 * (Describe, List, Get) are not audited. The request's own secrets never reach the log: only names are recorded.
 */
public final class AuditingInterceptor implements ExecutionInterceptor {
    private static final Pattern MUTATING = Pattern.compile("(Create|Stop|Update|Delete|Put|Start|AssumeRole).*");
    /** Request fields that name what a call acts on, most specific first. */
    private static final List<String> TARGET_FIELDS = List.of("TrainingJobName", "EndpointName", "EndpointConfigName",
            "ModelName", "Key", "Bucket", "RoleArn", "LogGroupName");

    private final AuditLog audit;
    private final String actor;

    public AuditingInterceptor(final AuditLog audit, final String actor) {
        this.audit = Objects.requireNonNull(audit, "audit");
        this.actor = Objects.requireNonNull(actor, "actor");
    }

    @Override
    public void afterExecution(final Context.AfterExecution context, final ExecutionAttributes attributes) {
        operation(attributes).ifPresent(op -> audit.record(action(attributes, op), actor, target(context.request()),
                details(context.request()), AuditLog.Outcome.OK, ""));
    }

    @Override
    public void onExecutionFailure(final Context.FailedExecution context, final ExecutionAttributes attributes) {
        operation(attributes).ifPresent(op -> audit.record(action(attributes, op), actor, target(context.request()),
                details(context.request()), AuditLog.Outcome.FAILED, context.exception().getClass().getSimpleName()
                        + ": " + Objects.toString(context.exception().getMessage(), "")));
    }

    private static Optional<String> operation(final ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return operation != null && MUTATING.matcher(operation).matches() ? Optional.of(operation) : Optional.empty();
    }

    /** {@code sagemaker.create-training-job}, {@code s3.put-object}. */
    static String action(final ExecutionAttributes attributes, final String operation) {
        String service = Objects.toString(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME), "aws")
                .toLowerCase(java.util.Locale.ROOT);
        return service + "." + operation.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String target(final SdkRequest request) {
        for (String field : TARGET_FIELDS) {
            Optional<String> value = request.getValueForField(field, String.class);
            if (value.isPresent()) {
                if ("Key".equals(field)) {
                    return "s3://" + request.getValueForField("Bucket", String.class).orElse("?") + "/" + value.get();
                }
                return value.get();
            }
        }
        return request.getClass().getSimpleName();
    }

    private static Map<String, String> details(final SdkRequest request) {
        Map<String, String> details = new LinkedHashMap<>();
        for (String field : List.of("TrainingJobName", "EndpointConfigName", "ModelName", "RoleArn", "SourceIdentity")) {
            request.getValueForField(field, String.class).ifPresent(v -> details.put(field, v));
        }
        return details;
    }
}
