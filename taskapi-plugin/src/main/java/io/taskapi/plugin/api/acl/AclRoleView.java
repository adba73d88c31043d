package io.taskapi.plugin.api.acl;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.taskapi.spi.state.AclRole;
import java.util.List;

/** Nomad's {@code api.ACLRole} JSON (the list stub has the same fields). */
record AclRoleView(@JsonProperty("ID") String id,
                   @JsonProperty("Name") String name,
                   @JsonProperty("Description") String description,
                   @JsonProperty("Policies") List<PolicyLink> policies,
                   @JsonProperty("CreateIndex") long createIndex,
                   @JsonProperty("ModifyIndex") long modifyIndex) {

    static AclRoleView of(AclRole role) {
        return new AclRoleView(role.id(), role.name(), role.description(),
                role.policies().stream().map(PolicyLink::new).toList(), role.createIndex(), role.modifyIndex());
    }

    /** Nomad's {@code ACLRolePolicyLink}. */
    record PolicyLink(@JsonProperty("Name") String name) {}
}
