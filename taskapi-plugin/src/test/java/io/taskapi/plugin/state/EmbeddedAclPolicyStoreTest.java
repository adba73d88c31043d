package io.taskapi.plugin.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskapi.spi.state.AclPolicy;
import io.taskapi.spi.state.JobAcl;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedAclPolicyStoreTest {
    private static final String RULES = "namespace \"default\" {\n  policy = \"read\"\n}\n";

    @TempDir
    Path tmp;

    private Path dataDir;
    private EmbeddedDatabase database;
    private EmbeddedAclPolicyStore policies;

    @BeforeEach
    void open() throws Exception {
        dataDir = tmp.resolve("data");
        database = EmbeddedDatabase.open(dataDir);
        policies = new EmbeddedAclPolicyStore(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void putSetsTheIndexesAndFindGivesThePolicyBack() throws Exception {
        AclPolicy policy = new AclPolicy("readers", "read default", RULES, Optional.empty(), 77, 88);

        AclPolicy stored = policies.put(policy);

        assertThat(stored).isEqualTo(policy.withIndexes(1, 1));
        assertThat(policies.find("readers")).contains(stored);
        assertThat(policies.find("missing")).isEmpty();
    }

    @Test
    void keepsTheJobAclInEveryShape() throws Exception {
        for (JobAcl jobAcl : new JobAcl[] {new JobAcl("prod", "", "", ""), new JobAcl("prod", "web", "", ""),
                new JobAcl("prod", "web", "frontend", ""), new JobAcl("prod", "web", "frontend", "nginx")}) {
            String name = "p-" + jobAcl.jobId() + "-" + jobAcl.group() + "-" + jobAcl.task();
            AclPolicy stored = policies.put(new AclPolicy(name, "", RULES, Optional.of(jobAcl), 0, 0));

            assertThat(policies.find(name)).contains(stored);
            assertThat(stored.jobAcl()).contains(jobAcl);
        }
    }

    @Test
    void replacingKeepsTheCreateIndexAndMovesTheModifyIndex() throws Exception {
        AclPolicy first = policies.put(new AclPolicy("p", "one", RULES, Optional.empty(), 0, 0));
        policies.put(new AclPolicy("other", "", RULES, Optional.empty(), 0, 0));

        AclPolicy second = policies.put(new AclPolicy("p", "two", "{}", Optional.of(new JobAcl("ns", "", "", "")),
                0, 0));

        assertThat(second.createIndex()).isEqualTo(first.createIndex()).isEqualTo(1);
        assertThat(second.modifyIndex()).isEqualTo(3);
        assertThat(policies.find("p")).contains(second);
        assertThat(second.description()).isEqualTo("two");
        AclPolicy withoutJob = policies.put(new AclPolicy("p", "three", RULES, Optional.empty(), 0, 0));
        assertThat(policies.find("p").orElseThrow().jobAcl()).isEmpty();
        assertThat(withoutJob.createIndex()).isEqualTo(1);
    }

    @Test
    void listIsSortedByName() throws Exception {
        for (String name : new String[] {"zeta", "alpha", "Beta", "m-1", "m_0"}) {
            policies.put(new AclPolicy(name, "", RULES, Optional.empty(), 0, 0));
        }

        assertThat(policies.list()).extracting(AclPolicy::name).containsExactly("Beta", "alpha", "m-1", "m_0", "zeta");
    }

    @Test
    void deleteRemovesAndSaysWhetherThereWasOne() throws Exception {
        policies.put(new AclPolicy("p", "", RULES, Optional.empty(), 0, 0));

        assertThat(policies.delete("p")).isTrue();
        assertThat(policies.delete("p")).isFalse();
        assertThat(policies.find("p")).isEmpty();
        assertThat(policies.list()).isEmpty();
    }

    @Test
    void listenersHearOfPutsAndDeletes() throws Exception {
        AtomicInteger changes = new AtomicInteger();
        policies.onChange(changes::incrementAndGet);

        policies.put(new AclPolicy("p", "", RULES, Optional.empty(), 0, 0));
        policies.delete("p");
        policies.delete("p");

        assertThat(changes).hasValue(2);
    }

    @Test
    void policiesSurviveReopening() throws Exception {
        AclPolicy stored = policies.put(new AclPolicy("p", "d", RULES, Optional.of(new JobAcl("a", "b", "c", "d")),
                0, 0));
        database.close();

        database = EmbeddedDatabase.open(dataDir);
        policies = new EmbeddedAclPolicyStore(database);

        assertThat(policies.find("p")).contains(stored);
    }
}
