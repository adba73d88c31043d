package io.taskapi.spi.state;

/** Nomad's two kinds of ACL token. */
public enum AclTokenType {
    /** Holds named policies. */
    CLIENT,
    /** May do everything. */
    MANAGEMENT
}
