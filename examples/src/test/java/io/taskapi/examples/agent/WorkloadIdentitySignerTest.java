package io.taskapi.examples.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.taskapi.spi.driver.TaskRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadIdentitySignerTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final TaskRef TASK = new TaskRef("8a1b2c3d-0000-4000-8000-000000000001", "default",
            "taskapi-example", "taskapi-example", "taskapi");

    @TempDir
    Path keys;

    @Test
    void signsNomadsClaimsAndAnIndependentLibraryVerifiesThem() throws Exception {
        IdentityKeyring keyring = IdentityKeyring.loadOrCreate(keys);
        WorkloadIdentitySigner signer = new WorkloadIdentitySigner(keyring, "global", Duration.ofHours(24),
                Clock.fixed(NOW, ZoneOffset.UTC));

        SignedJWT jwt = SignedJWT.parse(signer.sign(TASK));

        assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) keyring.verificationKey().publicKey()))).isTrue();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(keyring.keyId());
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly("nomadproject.io");
        assertThat(claims.getSubject()).isEqualTo("global:default:taskapi-example:taskapi-example:taskapi:default");
        assertThat(claims.getStringClaim("nomad_namespace")).isEqualTo("default");
        assertThat(claims.getStringClaim("nomad_job_id")).isEqualTo("taskapi-example");
        assertThat(claims.getStringClaim("nomad_allocation_id")).isEqualTo(TASK.allocationId());
        assertThat(claims.getStringClaim("nomad_task")).isEqualTo("taskapi");
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(24)));
        assertThat(UUID.fromString(claims.getJWTID())).isNotNull();
    }

    @Test
    void everyIdentityHasItsOwnJwtId() {
        WorkloadIdentitySigner signer = new WorkloadIdentitySigner(keyring(), "global", Duration.ofHours(1),
                Clock.systemUTC());

        assertThat(signer.sign(TASK)).isNotEqualTo(signer.sign(TASK));
    }

    @Test
    void keepsItsKeyPrivateAndStableAcrossRestarts() throws Exception {
        IdentityKeyring first = IdentityKeyring.loadOrCreate(keys);
        Path file = keys.resolve(IdentityKeyring.KEY_FILE);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        IdentityKeyring again = IdentityKeyring.loadOrCreate(keys);
        assertThat(again.keyId()).isEqualTo(first.keyId());
        // The kid is the key's RFC 7638 thumbprint, as an independent implementation computes it.
        assertThat(first.keyId()).isEqualTo(new RSAKey.Builder((RSAPublicKey) first.verificationKey().publicKey())
                .build().computeThumbprint().toString());
        assertThat(first.findKey(first.keyId())).contains(first.verificationKey());
        assertThat(first.findKey("other")).isEmpty();
        assertThat(first.publishedKeys()).containsExactly(first.verificationKey());
    }

    @Test
    void refusesAKeyFileOthersCanRead() throws Exception {
        IdentityKeyring.loadOrCreate(keys);
        Files.setPosixFilePermissions(keys.resolve(IdentityKeyring.KEY_FILE),
                PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> IdentityKeyring.loadOrCreate(keys)).isInstanceOf(IOException.class)
                .hasMessageContaining("mode 0600");
    }

    private IdentityKeyring keyring() {
        try {
            return IdentityKeyring.loadOrCreate(keys);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
