package io.taskapi.state.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one key layout, under {@code <prefix>/v1/} (docs/cluster.md lists it). Values are JSON; a record's
 * {@code CreateIndex} and {@code ModifyIndex} are its key's etcd create and mod revisions, never stored in the value.
 *
 * <pre>
 * acl/tokens/&lt;accessor id&gt;          a token (its secret included: the ACL API gives it back)
 * acl/token-secrets/&lt;sha-256 hex&gt;    the accessor id holding that secret: one token per secret
 * acl/bootstrap                       written once, by the bootstrap that won
 * acl/policies/&lt;name&gt;                a policy
 * acl/roles/&lt;role id&gt;               a role
 * acl/role-names/&lt;name&gt;              the id of the role with that name: one role per name
 * acl/auth/methods/&lt;name&gt;            an auth method (its Config as the exact text the plugin validated)
 * acl/auth/rules/&lt;rule id&gt;           a binding rule (one watch for both: every agent applies them in order)
 * acl/auth-method-rules/&lt;name&gt;       empty, rewritten with every rule of that method: deleting a method is
 *                                     guarded on it, so no rule can be added to a method being deleted
 * variables/&lt;namespace&gt;/&lt;path&gt;     a variable: key id and ciphertext, never plaintext
 * nodes/&lt;node id&gt;                   a node as its agent registered it
 * node-alive/&lt;node id&gt;              empty, under the agent's lease: gone when the agent is (the node is down)
 * node-meta/&lt;node id&gt;               the node's dynamic metadata
 * allocations/&lt;allocation id&gt;       an allocation: its node, workload and whether it runs
 * keyring/public/&lt;key id&gt;           a public key that verifies workload identities
 * keyring/variable-keys/&lt;key id&gt;    a variable key, wrapped by the agents' root key (never in clear)
 * keyring/active/variables          the active variable key's id
 * keyring/signing-keys/&lt;key id&gt;     a signing key's private half, wrapped by the root key
 * keyring/active/signing            the active signing key's id
 * views/&lt;kind&gt;/&lt;node&gt;/&lt;id&gt;  an agent's own job or allocation as its list routes show it
 *                                   (kind: jobs, allocations), for the other agents' lists
 * </pre>
 */
final class KeyLayout {
    /** The layout's version, part of every key: a new layout gets a new version beside the old. */
    static final String VERSION = "v1";

    static final String TOKENS = "acl/tokens/";
    static final String TOKEN_SECRETS = "acl/token-secrets/";
    static final String BOOTSTRAP = "acl/bootstrap";
    static final String POLICIES = "acl/policies/";
    static final String ROLES = "acl/roles/";
    static final String ROLE_NAMES = "acl/role-names/";
    static final String AUTH = "acl/auth/";
    /** Under {@link #AUTH}, as {@link #BINDING_RULES} is. */
    static final String AUTH_METHODS = "methods/";
    static final String BINDING_RULES = "rules/";
    static final String AUTH_METHOD_RULES = "acl/auth-method-rules/";
    static final String VARIABLES = "variables/";
    static final String NODES = "nodes/";
    static final String NODES_ALIVE = "node-alive/";
    static final String NODE_META = "node-meta/";
    static final String ALLOCATIONS = "allocations/";
    static final String PUBLIC_KEYS = "keyring/public/";
    static final String VARIABLE_KEYS = "keyring/variable-keys/";
    static final String ACTIVE_KEYS = "keyring/active/";
    static final String SIGNING_KEYS = "keyring/signing-keys/";
    static final String VIEWS = "views/";

    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String root;

    /** @param keyPrefix the deployment's prefix, such as {@code /taskapi} */
    KeyLayout(String keyPrefix) {
        this.root = keyPrefix + "/" + VERSION + "/";
    }

    /** @return {@code <prefix>/v1/}, under which every key lives */
    String root() {
        return root;
    }

    /**
     * @param relative a key relative to the root
     * @return the full key
     */
    ByteSequence key(String relative) {
        return ByteSequence.from(root + relative, UTF_8);
    }

    ByteSequence token(String accessorId) {
        return key(TOKENS + accessorId);
    }

    ByteSequence tokenSecret(String secretId) {
        return key(TOKEN_SECRETS + sha256Hex(secretId));
    }

    ByteSequence bootstrap() {
        return key(BOOTSTRAP);
    }

    ByteSequence policy(String name) {
        return key(POLICIES + name);
    }

    ByteSequence role(String id) {
        return key(ROLES + id);
    }

    ByteSequence roleName(String name) {
        return key(ROLE_NAMES + name);
    }

    ByteSequence authMethod(String name) {
        return key(AUTH + AUTH_METHODS + name);
    }

    ByteSequence bindingRule(String id) {
        return key(AUTH + BINDING_RULES + id);
    }

    ByteSequence authMethodRules(String name) {
        return key(AUTH_METHOD_RULES + name);
    }

    ByteSequence variable(String namespace, String path) {
        return key(VARIABLES + namespace + "/" + path);
    }

    static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256().digest(value.getBytes(UTF_8)));
    }

    /** A clone of one prototype: looking the algorithm up again costs more than the digest (this is the hot path). */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException impossible) {
                throw new IllegalStateException("every JDK has SHA-256", impossible);
            }
        }
    }
}
