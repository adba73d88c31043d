package io.taskapi.plugin.auth.rejection;

/** Why a credential was refused, in categories small enough to count. */
public enum RejectionReason {
    /** Neither an ACL secret nor a JWS, or too long. */
    UNRECOGNIZED,
    /** An ACL secret nobody holds. */
    UNKNOWN_TOKEN,
    /** An ACL token past its expiration time. */
    EXPIRED_TOKEN,
    /** Not a well-formed compact JWS, or claims of the wrong type. */
    MALFORMED,
    /** An algorithm that is not allowed, or not the key's. */
    BAD_ALGORITHM,
    /** A kid the keyring does not know, or no kid. */
    UNKNOWN_KEY,
    /** The signature does not verify. */
    BAD_SIGNATURE,
    /** exp passed, nbf or iat in the future, or exp missing when required. */
    BAD_TIME,
    /** The audience does not name this API. */
    WRONG_AUDIENCE,
    /** A required Nomad claim is missing. */
    MISSING_CLAIM,
    /** The allocation is terminal or unknown. */
    ALLOCATION_NOT_LIVE,
    /** The claims name another namespace, job, group or task than the allocation runs. */
    ALLOCATION_MISMATCH,
    /** The caller's uid is not the task user's. */
    PEER_NOT_ALLOWED
}
