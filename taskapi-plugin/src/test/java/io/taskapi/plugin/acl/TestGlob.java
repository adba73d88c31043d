package io.taskapi.plugin.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TestGlob {

    // The cases of github.com/ryanuber/go-glob's tests (the library Nomad matches with), plus ACL-shaped ones.
    static Stream<Arguments> matching() {
        String subject = "this is a test";
        return Stream.of(
                arguments("*", ""), arguments("**", ""), arguments("****************", ""),
                arguments("*test", subject), arguments("this*", subject), arguments("this*test", subject),
                arguments("*is *", subject), arguments("*is*a*", subject), arguments("**test**", subject),
                arguments("**is**a***test*", subject), arguments("* *", subject), arguments("*", subject),
                arguments("**********", subject),
                arguments("*Ѿ*", "Ѿ"), arguments("*is a ϗѾ *", "this is a ϗѾ test"),
                arguments("a*a", "aa"), arguments("a*", "a"), arguments("*a", "a"),
                arguments("prod-api-*", "prod-api-services"), arguments("*-api-services", "prod-api-services"),
                arguments("nomad/*", "nomad/jobs/example/group"), arguments("ns\0foo/*", "ns\0foo/bar"),
                arguments("*\0foo/bar", "ns\0foo/bar"), arguments("production-*-api", "production-admin-api"));
    }

    @ParameterizedTest(name = "{0} matches \"{1}\"")
    @MethodSource("matching")
    void matches(String pattern, String name) {
        assertThat(Glob.compile(pattern).matches(name)).isTrue();
    }

    static Stream<Arguments> notMatching() {
        String subject = "this is a test";
        return Stream.of(
                arguments("*test*", ""), arguments("*x", ""), arguments("x*", ""), arguments("x*x", ""),
                arguments("*****************x", ""),
                arguments("test*", subject), arguments("*is", subject), arguments("*no*", subject),
                arguments("t*q", subject), arguments("a*a", "a"), arguments("ab*ba", "aba"),
                arguments("prod-api-*", "prod-api"), arguments("prod-*", "production-api"),
                arguments("nomad/*", "nomad"), arguments("ns\0foo/*", "ns\0bar/foo"),
                arguments("*/foo", "foo/bar"), arguments("system/*", "ns\0system/x"));
    }

    @ParameterizedTest(name = "{0} does not match \"{1}\"")
    @MethodSource("notMatching")
    void doesNotMatch(String pattern, String name) {
        assertThat(Glob.compile(pattern).matches(name)).isFalse();
    }

    // Nomad's TestACL_matchingCapabilitySet_difference.
    static Stream<Arguments> differences() {
        return Stream.of(
                arguments("production-*", "production-api", 3),
                arguments("production-*", "production-admin-api", 9),
                arguments("production-**", "production-admin-api", 9),
                arguments("*", "production-admin-api", 20),
                arguments("*admin*", "production-admin-api", 15),
                arguments("é*", "éé", 2)); // UTF-8 bytes, as Go's len()
    }

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @MethodSource("differences")
    void differenceIsNomads(String pattern, String name, int difference) {
        Glob glob = Glob.compile(pattern);
        assertThat(glob.matches(name)).isTrue();
        assertThat(glob.difference(name)).isEqualTo(difference);
    }

    @Test
    void onlyPatternsWithAStarAreGlobs() {
        assertThatThrownBy(() -> Glob.compile("default")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Glob.compile("a*b").pattern()).isEqualTo("a*b");
        assertThat(Glob.compile("a*b").literalBytes()).isEqualTo(2);
    }

    @Test
    void byteOrderIsUnsignedUtf8() {
        // '*' (0x2a) < 'f' (0x66) < 'é' (0xc3 0xa9) < '\uFF0A' (0xef 0xbc 0x8a) < '😀' (0xf0 …), unlike UTF-16 order.
        assertThat(Glob.BYTE_ORDER.compare(Glob.compile("*/bar"), Glob.compile("foo/*"))).isNegative();
        assertThat(Glob.BYTE_ORDER.compare(Glob.compile("é*"), Glob.compile("f*"))).isPositive();
        assertThat(Glob.BYTE_ORDER.compare(Glob.compile("\uFF0A*"), Glob.compile("😀*"))).isNegative();
        assertThat("\uFF0A*".compareTo("😀*")).isPositive();
    }
}
