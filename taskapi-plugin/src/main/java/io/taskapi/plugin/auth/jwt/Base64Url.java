package io.taskapi.plugin.auth.jwt;

import static java.util.Objects.requireNonNull;

import io.taskapi.plugin.auth.rejection.CredentialRejectedException;
import io.taskapi.plugin.auth.rejection.RejectionReason;
import java.util.Base64;

/**
 * Strict base64url as RFC 7515 §2 uses it: the URL-safe alphabet only, no padding, no whitespace, and the unused low
 * bits of the last character zero, so that every byte string has exactly one accepted encoding.
 */
public final class Base64Url {
    private Base64Url() {}

    /**
     * @param text one part of a compact JWS
     * @return the decoded bytes
     * @throws CredentialRejectedException (MALFORMED) for anything but canonical unpadded base64url
     */
    public static byte[] decode(String text) throws CredentialRejectedException {
        requireNonNull(text, "text is null");
        int length = text.length();
        // A lone trailing character carries only 6 bits: never a whole byte, so never valid.
        if (length % 4 == 1) {
            throw malformed();
        }
        for (int i = 0; i < length; i++) {
            if (value(text.charAt(i)) < 0) {
                throw malformed();
            }
        }
        // The JDK decoder ignores non-zero leftover bits; refuse them so a token cannot be re-spelled.
        int leftoverMask = switch (length % 4) {
            case 2 -> 0x0F;
            case 3 -> 0x03;
            default -> 0;
        };
        if (leftoverMask != 0 && (value(text.charAt(length - 1)) & leftoverMask) != 0) {
            throw malformed();
        }
        try {
            return Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw malformed();
        }
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '-') {
            return 62;
        }
        if (c == '_') {
            return 63;
        }
        return -1;
    }

    private static CredentialRejectedException malformed() {
        return new CredentialRejectedException(RejectionReason.MALFORMED,
                "token is not unpadded base64url");
    }
}
