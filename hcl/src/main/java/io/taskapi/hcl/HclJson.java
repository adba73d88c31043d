package io.taskapi.hcl;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads HCL's JSON form into the same {@link HclBody} the native syntax gives. JSON cannot tell a block from an object
 * attribute, so the reading follows a schema (as HCL's own JSON decoding does): for a block type with N labels, the
 * value is an object nested N levels deep by label, ending in the block body; at every level an array of such objects
 * stands for several of them. So {@code "namespace": {"default": {"policy": "read"}}} and
 * {@code "namespace": [{"default": {"policy": "read"}}]} both mean {@code namespace "default" { policy = "read" }}.
 *
 * <p>Positions are Jackson's (1-based line and column): a key's position for attributes and labels, the opening
 * brace of the body for an unlabelled block. Trailing commas are accepted, as Nomad's HCL 1 JSON parser accepts them;
 * duplicate keys, unknown keys and anything after the top-level object are errors.
 */
public final class HclJson {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();
    private static final Pattern SOURCE_MARKER = Pattern.compile(
            "\\s*\\(start marker at \\[Source: [^;]*; line: (\\d+), column: (\\d+)]\\)");

    private final JsonParser parser;

    private HclJson(JsonParser parser) {
        this.parser = parser;
    }

    /**
     * @param json the JSON text: one object
     * @param schema what the top-level body may contain; it decides what is a block
     * @return the body, already checked against {@code schema}
     * @throws HclParseException on malformed JSON (at Jackson's location) or any schema error
     */
    public static HclBody parse(String json, HclSchema schema) {
        HclBody body = read(json, schema);
        schema.validate(body);
        return body;
    }

    /**
     * Reads without checking the body against the schema beyond what tells blocks from attributes: a key the schema
     * does not know is read as an attribute, so {@link HclSchema#problems} can report it with every other problem.
     *
     * @param json the JSON text: one object
     * @param schema what decides which keys are blocks
     * @return the body, not yet checked
     * @throws HclParseException on malformed JSON, or a block key whose value is not a block
     */
    public static HclBody read(String json, HclSchema schema) {
        requireNonNull(json, "json is null");
        requireNonNull(schema, "schema is null");
        try (JsonParser parser = JSON.createParser(json)) {
            HclJson reader = new HclJson(parser);
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new HclParseException(reader.here(), "expected a JSON object at the top level");
            }
            HclBody body = reader.body(schema);
            if (parser.nextToken() != null) {
                throw new HclParseException(reader.here(), "trailing content after the top-level object: "
                        + reader.describe());
            }
            return body;
        } catch (JsonProcessingException e) {
            throw new HclParseException(position(e.getLocation()), cleanMessage(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String does not do I/O
        }
    }

    /** The current token is the body's START_OBJECT. */
    private HclBody body(HclSchema schema) throws IOException {
        List<HclAttribute> attributes = new ArrayList<>();
        List<HclBlock> blocks = new ArrayList<>();
        Map<String, HclPosition> keys = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            HclPosition at = here();
            unique(keys, name, at);
            parser.nextToken();
            if (schema.block(name).isPresent()) {
                HclSchema.BlockSpec spec = schema.block(name).orElseThrow();
                blocks(spec, spec.labels(), new ArrayList<>(), blocks);
            } else {
                // An attribute, or an unknown key that the schema reports when the body is checked.
                attributes.add(new HclAttribute(name, value(), at));
            }
        }
        return new HclBody(attributes, blocks);
    }

    /**
     * Reads the value under a block type (or under some of its labels).
     *
     * @param remaining how many labels are still to come
     * @param labels the labels read so far
     */
    private void blocks(HclSchema.BlockSpec spec, int remaining, List<HclString> labels, List<HclBlock> out)
            throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_ARRAY) {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    throw notABlock(spec, remaining);
                }
                blocks(spec, remaining, labels, out);
            }
            return;
        }
        if (token != JsonToken.START_OBJECT) {
            throw notABlock(spec, remaining);
        }
        if (remaining == 0) {
            HclPosition at = labels.isEmpty() ? here() : labels.get(labels.size() - 1).position();
            out.add(new HclBlock(spec.type(), labels, body(spec.body()), at));
            return;
        }
        Map<String, HclPosition> keys = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            HclString label = new HclString(parser.currentName(), here());
            unique(keys, label.value(), label.position());
            parser.nextToken();
            List<HclString> more = new ArrayList<>(labels);
            more.add(label);
            blocks(spec, remaining - 1, more, out);
        }
    }

    private HclParseException notABlock(HclSchema.BlockSpec spec, int remaining) {
        return new HclParseException(here(), "\"" + spec.type() + "\" must be a block (a JSON object"
                + (remaining == 0 ? "" : " keyed by label") + "), found " + describe());
    }

    private HclValue value() throws IOException {
        HclPosition at = here();
        switch (parser.currentToken()) {
            case VALUE_STRING:
                return new HclString(parser.getText(), at);
            case VALUE_NUMBER_INT:
                return new HclNumber(parser.getDecimalValue(), true, at);
            case VALUE_NUMBER_FLOAT:
                return new HclNumber(parser.getDecimalValue(), false, at);
            case VALUE_TRUE:
                return new HclBool(true, at);
            case VALUE_FALSE:
                return new HclBool(false, at);
            case VALUE_NULL:
                return new HclNull(at);
            case START_ARRAY: {
                List<HclValue> elements = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(value());
                }
                return new HclList(elements, at);
            }
            case START_OBJECT: {
                List<HclAttribute> entries = new ArrayList<>();
                Map<String, HclPosition> keys = new HashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    HclPosition keyAt = here();
                    unique(keys, key, keyAt);
                    parser.nextToken();
                    entries.add(new HclAttribute(key, value(), keyAt));
                }
                return new HclObject(entries, at);
            }
            default:
                throw new HclParseException(at, "unexpected " + describe());
        }
    }

    private String describe() {
        JsonToken token = parser.currentToken();
        switch (token) {
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a bool";
            case VALUE_NULL:
                return "null";
            case START_ARRAY:
                return "an array";
            case START_OBJECT:
                return "an object";
            default:
                return "'" + token.asString() + "'";
        }
    }

    private static void unique(Map<String, HclPosition> keys, String key, HclPosition at) {
        HclPosition first = keys.putIfAbsent(key, at);
        if (first != null) {
            throw new HclParseException(at, "duplicate key \"" + key + "\" (first defined at " + first + ")");
        }
    }

    private HclPosition here() {
        return position(parser.currentTokenLocation());
    }

    private static HclPosition position(JsonLocation location) {
        if (location == null) {
            return HclPosition.START;
        }
        return new HclPosition(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    }

    /** Jackson's messages name a redacted source; keep only the useful part of the start-marker note. */
    private static String cleanMessage(String message) {
        Matcher m = SOURCE_MARKER.matcher(message);
        return m.replaceAll(" (opened at $1:$2)");
    }
}
