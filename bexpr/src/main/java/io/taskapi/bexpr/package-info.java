/**
 * Nomad's list filters ({@code ?filter=}): HashiCorp's go-bexpr language, compiled by {@link
 * io.taskapi.bexpr.Filter#compile} and evaluated against JSON records.
 *
 * <h2>Grammar</h2>
 *
 * <p>bexpr's PEG ({@code grammar/grammar.peg}), in the order alternatives are tried; the first that matches wins and
 * there are no reserved words ({@code not in foo} compares the text "not"). {@code _} is one or more of space, tab,
 * CR, LF.
 *
 * <pre>
 * Input        = _? "(" _? Or _? ")" _? EOF | _? Or _? EOF
 * Or           = And _ "or" _ Or | And | Collection
 * And          = Not _ "and" _ And | Not
 * Not          = "not" _ Not | Group
 * Group        = "(" _? Or _? ")" | Match
 * Collection   = ("any" | "all") _ Selector _ "as" _ Names _? "{" _? Or _? "}"
 * Names        = Ident _? "," _? Ident | Ident _? "," _? "_" | "_" _? "," _? Ident | Ident
 * Match        = Selector ( _? "==" _? | _? "!=" _? | _ "contains" _ | _ "not" _ "contains" _
 *                         | _ "matches" _ | _ "not" _ "matches" _ ) Value
 *              | Selector ( _ "is" _ "empty" | _ "is" _ "not" _ "empty" | _ "is" _ "nil" | _ "is" _ "not" _ "nil" )
 *              | Value ( _ "in" _ | _ "not" _ "in" _ ) Selector
 * Selector     = Ident ( "." Ident | "[" _? String _? "]" | "." [0-9]+ )*
 *              | '"' ( "/" [\pL\pN-_.~:|]+ )* '"'                  (a JSON pointer; ~1 is "/", ~0 is "~")
 * Ident        = [a-zA-Z] [a-zA-Z0-9_/]*
 * Value        = Selector | Number | String                        (a selector value is its text: a.b, or a/b)
 * Number       = "-"? ( "0" | [1-9][0-9]* ) ( "." [0-9]+ )?  followed by _, ")" or EOF
 * String       = "`" (any but "`")* "`" | '"' (any but '"')* '"'   (then Go's strconv.Unquote)
 * </pre>
 *
 * <p>So: {@code not} binds tighter than {@code and}, which binds tighter than {@code or}; {@code contains} is
 * {@code in} with its operands swapped; there are no ordering operators ({@code <}, {@code >}); a double-quoted
 * string cannot contain an escaped quote (the literal ends at the first {@code "}); a collection expression can only
 * be the last operand of an {@code or} chain unless parenthesized; {@code not}, {@code and}, {@code or} need
 * whitespace on both sides.
 *
 * <h2>Semantics</h2>
 *
 * <p>A selector is looked up part by part: a key of an object, an index of an array (Go integer syntax, so
 * {@code Tags.0} and {@code Tags["0x1"]}). A dotted selector never matches a key containing a dot: {@code
 * Attributes.os.name} is {@code Attributes → os → name}; write {@code Attributes["os.name"]} or {@code
 * "/Attributes/os.name"}. A key missing from an object decides the comparison ({@code ==}, {@code in}, {@code
 * matches} false; {@code !=}, {@code not in}, {@code not matches}, {@code is empty}, {@code is nil} true; {@code any}
 * false, {@code all} true); a missing top-level field, a key under a string or number, or an index out of range is an
 * evaluation error. The raw value is converted to the type of the selected value with Go's rules ({@code
 * ParseInt(s, 0, 64)}, {@code ParseFloat}, {@code ParseBool}), so {@code 5}, {@code "5"} and {@code "0x5"} equal the
 * number 5 and {@code T} equals true; a value that does not convert is an error. {@code in} looks for a key in an
 * object, an element in an array (each element at its own type), a substring in a string. Regular expressions are Go
 * RE2, unanchored, run on RE2/J (a port of Go's {@code regexp}, so the same syntax, semantics and messages, and
 * matching in time linear in the value; {@code Re2Regex} and
 * {@code GoRegexRules} bridge the few places where RE2/J's parser differs from Go's).
 *
 * <h2>Bounds</h2>
 *
 * <p>A filter is attacker-controlled, so everything it costs is bounded: the expression's length and nesting (below),
 * the program its regular expressions compile to (100,000 instructions for the whole filter), and its evaluation, by
 * a {@link io.taskapi.bexpr.FilterDeadline} (the clock is read every 256 steps and, during a match, every
 * 2<sup>20</sup> instructions × characters; {@code filter.evaluation-timeout}, 1 s, for one request's records). Past
 * the deadline evaluation stops with {@link io.taskapi.bexpr.FilterTimeoutException}. Nested {@code any} and
 * {@code all} over large maps are exponential in bexpr too; that is what the deadline is for.
 *
 * <h2>Where this differs from go-bexpr</h2>
 *
 * <ul>
 *   <li>JSON {@code null} is treated as Nomad's nil map, slice or pointer (what Nomad writes it for): empty, nil, no
 *       keys, no elements. bexpr over raw JSON fails on most operators there, and panics on a null array element.
 *   <li>Numbers in arrays compare as numbers ({@code "0x2" in [2]}), as in Nomad's typed {@code []int}; bexpr over
 *       {@code json.Number} compares their texts.
 *   <li>Regular expressions are compiled with the filter, so a bad one is a compile error (at the value's position)
 *       even when the record would never reach it; bexpr only reports it when that comparison is evaluated.
 *   <li>Go 1.22's {@code (?<name>re)} is accepted, as in current Nomad builds. The regular expressions of one filter
 *       may compile to at most 100,000 instructions ({@code error parsing regexp: expression too large}; Go allows
 *       some three million per expression). {@code \p{Script}} knows the scripts of the JDK's Unicode (13 on Java
 *       17) where Go 1.22 knows Unicode 15's; classes and case folding follow RE2/J's tables, which may lag Go's for
 *       the newest characters. Regular expressions nested more than 1000 levels deep are accepted (Go refuses them).
 *   <li>Evaluation stops at a deadline with an error; bexpr has none.
 *   <li>Expressions are limited to {@value io.taskapi.bexpr.Filter#MAX_LENGTH} characters and 64 levels of
 *       parentheses or collection braces. bexpr instead stops after 2 million parser steps, which its exponential
 *       backtracking reaches at about ten nested parentheses; this parser is linear.
 *   <li>{@code \x} and octal escapes in a string must spell UTF-8; Go would keep the raw bytes.
 * </ul>
 */
package io.taskapi.bexpr;
