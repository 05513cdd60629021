package io.jenkins.plugins.gerritml.core.sagemaker;

import io.jenkins.plugins.gerritml.core.pipeline.StatusSource;
import software.amazon.awssdk.services.sagemaker.SageMakerClient;
import software.amazon.awssdk.services.sagemaker.model.DescribeEndpointResponse;
import software.amazon.awssdk.services.sagemaker.model.SageMakerException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Endpoint statuses by DescribeEndpoint: deployments are few and need the failure reason and current config,
 * which ListEndpoints does not return.
 */
final class EndpointStatusSource implements StatusSource<EndpointState> {
    private final SageMakerClient client;
    private final String region;

    EndpointStatusSource(final SageMakerClient client, final String region) {
        this.client = client;
        this.region = region;
    }

    @Override
    public Map<String, EndpointState> read(final Set<String> ids) {
        Map<String, EndpointState> answer = new LinkedHashMap<>();
        for (String id : ids) {
            try {
                DescribeEndpointResponse endpoint = client.describeEndpoint(b -> b.endpointName(id));
                answer.put(id, EndpointState.of(endpoint.endpointStatusAsString(), endpoint.endpointConfigName(),
                        endpoint.failureReason()));
            } catch (SageMakerException e) {
                if (!SageMakerErrors.isNotFound(e)) {
                    throw e;
                }
            }
        }
        return answer;
    }

    @Override
    public boolean isTerminal(final EndpointState status) {
        return status.isSettled();
    }

    @Override
    public String describe() {
        return "SageMaker endpoints in " + region;
    }
}
