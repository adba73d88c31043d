/**
 * A reader for the HCL Nomad's ACL policies and job files use: {@link io.taskapi.hcl.HclParser} (native syntax),
 * {@link io.taskapi.hcl.HclJson} (HCL's JSON form) and {@link io.taskapi.hcl.HclSchema}.
 */
module io.taskapi.hcl {
    requires com.fasterxml.jackson.core;

    exports io.taskapi.hcl;
}
