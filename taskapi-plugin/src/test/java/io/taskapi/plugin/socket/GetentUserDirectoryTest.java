package io.taskapi.plugin.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Users are found with the host's real getent. */
class GetentUserDirectoryTest {
    private final GetentUserDirectory users = new GetentUserDirectory();

    @Test
    void findsAUserByNameWithItsPrimaryGroup() throws IOException {
        assertThat(users.lookup("nobody")).contains(new TaskUser("nobody", 65534, 65534));
        assertThat(users.lookup("root")).contains(new TaskUser("root", 0, 0));
    }

    @Test
    void takesADecimalNameAsAUid() throws IOException {
        assertThat(users.lookup("65534")).contains(new TaskUser("65534", 65534, 65534));
        assertThat(users.lookup("65533")).contains(new TaskUser("65533", 65533, 65533));
    }

    @Test
    void unknownOrImpossibleNamesAreNotFound() throws IOException {
        assertThat(users.lookup("no-such-user-4f1c2")).isEmpty();
        assertThat(users.lookup("-s")).isEmpty();
        assertThat(users.lookup("root:x")).isEmpty();
        assertThat(users.lookup("a b")).isEmpty();
        assertThat(users.lookup("")).isEqualTo(Optional.empty());
        assertThat(users.lookup("99999999999")).isEmpty();
    }

    @Test
    void parsesPasswdLines() throws IOException {
        assertThat(GetentUserDirectory.parse("svc", "svc:x:4294967294:100:Service:/:/bin/false\n"))
                .isEqualTo(new TaskUser("svc", (int) 4294967294L, 100));
        assertThatThrownBy(() -> GetentUserDirectory.parse("svc", "svc:x:abc:100::/:/bin/false"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> GetentUserDirectory.parse("svc", "garbage")).isInstanceOf(IOException.class);
    }
}
