package io.taskapi.plugin.api.acl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.taskapi.plugin.acl.PolicyParseException;
import io.taskapi.plugin.acl.PolicyParser;
import io.taskapi.plugin.authz.AclResolver;
import io.taskapi.plugin.http.ApiException;
import io.taskapi.plugin.http.JsonBody;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.AclPolicyStore;
import io.taskapi.spi.state.JobAcl;
import io.taskapi.spi.state.StateUnavailableException;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Validates and stores a policy from Nomad's policy JSON: the name, the rules (parsed strictly, so a bad policy is
 * refused with its line and column instead of being stored) and the optional job binding.
 */
public final class AclPolicyWriter {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9-]{1,128}");
    private static final int MAX_DESCRIPTION_LENGTH = 256;

    private final AclPolicyStore policies;
    private final AclResolver acls;

    /**
     * @param policies where policies go
     * @param acls compiled ACLs to drop
     */
    @Inject
    public AclPolicyWriter(AclPolicyStore policies, AclResolver acls) {
        this.policies = requireNonNull(policies, "policies is null");
        this.acls = requireNonNull(acls, "acls is null");
    }

    AclPolicy write(String name, JsonNode node) throws ApiException, StateUnavailableException {
        JsonBody body = JsonBody.of(node);
        body.string("Name").filter(given -> !given.equals(name))
                .ifPresent(given -> body.error("Name does not match the path"));
        String description = body.string("Description").orElse("");
        String rules = body.string("Rules").orElse("");
        Optional<JobAcl> jobAcl = body.object("JobACL").flatMap(job -> readJobAcl(body, job));
        body.ignore("CreateIndex", "ModifyIndex", "Hash");
        if (!NAME.matcher(name).matches()) {
            body.error("invalid policy name '" + name + "': letters, digits and '-', at most 128");
        }
        if (description.length() > MAX_DESCRIPTION_LENGTH) {
            body.error("Description must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        try {
            PolicyParser.parse(rules);
        } catch (PolicyParseException e) {
            body.error("Invalid policy: " + e.getMessage());
        }
        body.finish();
        AclPolicy stored = policies.put(new AclPolicy(name, description, rules, jobAcl, 0, 0));
        acls.invalidate();
        return stored;
    }

    private static Optional<JobAcl> readJobAcl(JsonBody body, JsonBody job) {
        String namespace = job.string("Namespace").orElse("");
        String jobId = job.string("JobID").orElse("");
        String group = job.string("Group").orElse("");
        String task = job.string("Task").orElse("");
        try {
            job.finish();
            return Optional.of(new JobAcl(namespace, jobId, group, task));
        } catch (IllegalArgumentException e) {
            body.error("JobACL: " + e.getMessage());
        } catch (ApiException e) {
            // A nested body's problems are already in the parent's list.
        }
        return Optional.empty();
    }
}
