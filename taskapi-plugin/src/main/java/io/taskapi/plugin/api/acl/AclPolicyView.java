package io.taskapi.plugin.api.acl;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.JobAcl;

/** Nomad's {@code api.ACLPolicy} JSON; the list stub leaves out the rules. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AclPolicyView(@JsonProperty("Name") String name,
                     @JsonProperty("Description") String description,
                     @JsonProperty("Rules") String rules,
                     @JsonProperty("JobACL") JobAclView jobAcl,
                     @JsonProperty("CreateIndex") long createIndex,
                     @JsonProperty("ModifyIndex") long modifyIndex) {

    static AclPolicyView of(AclPolicy policy) {
        return new AclPolicyView(policy.name(), policy.description(), policy.rules(),
                policy.jobAcl().map(JobAclView::of).orElse(null), policy.createIndex(), policy.modifyIndex());
    }

    static AclPolicyView stub(AclPolicy policy) {
        return new AclPolicyView(policy.name(), policy.description(), null,
                policy.jobAcl().map(JobAclView::of).orElse(null), policy.createIndex(), policy.modifyIndex());
    }

    /** Nomad's {@code JobACL}. */
    record JobAclView(@JsonProperty("Namespace") String namespace,
                      @JsonProperty("JobID") String jobId,
                      @JsonProperty("Group") String group,
                      @JsonProperty("Task") String task) {
        static JobAclView of(JobAcl acl) {
            return new JobAclView(acl.namespace(), acl.jobId(), acl.group(), acl.task());
        }
    }
}
