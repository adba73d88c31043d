/**
 * HashiCorp's go-bexpr filter language over Jackson trees; the entry point is {@link io.taskapi.bexpr.Filter}.
 */
// re2j 1.8 names no module (no module-info, no Automatic-Module-Name: google/re2j#176), so its name is the one the
// JDK derives from the jar's file name, re2j-VERSION.jar.
@SuppressWarnings("requires-automatic")
module io.taskapi.bexpr {
    requires transitive com.fasterxml.jackson.databind;
    requires re2j;

    exports io.taskapi.bexpr;
}
