package io.taskapi.hcl;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Position-free views of parsed HCL, to compare values and to compare the HCL and JSON forms of one document. */
final class HclTesting {
    /** A number as the tests expect it: the exact decimal and whether it was written as an integer. */
    record Num(BigDecimal value, boolean integral) {
        static Num integer(String text) {
            return new Num(new BigDecimal(text), true);
        }

        static Num decimal(String text) {
            return new Num(new BigDecimal(text), false);
        }
    }

    /** Stands for {@code null}, since collections in the expected values cannot hold it. */
    enum Null { NULL }

    private HclTesting() {}

    /** String, Num, Boolean, Null.NULL, List or (ordered) Map. */
    static Object plain(HclValue value) {
        if (value instanceof HclString) {
            return ((HclString) value).value();
        }
        if (value instanceof HclNumber) {
            HclNumber number = (HclNumber) value;
            return new Num(number.value(), number.integral());
        }
        if (value instanceof HclBool) {
            return ((HclBool) value).value();
        }
        if (value instanceof HclNull) {
            return Null.NULL;
        }
        if (value instanceof HclList) {
            List<Object> out = new ArrayList<>();
            ((HclList) value).elements().forEach(e -> out.add(plain(e)));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((HclObject) value).entries().forEach(e -> out.put(e.name(), plain(e.value())));
        return out;
    }

    /** A canonical text of a body: attributes then blocks, each in source order, no positions. */
    static String render(HclBody body) {
        StringBuilder out = new StringBuilder("{");
        for (HclAttribute attribute : body.attributes()) {
            out.append(attribute.name()).append('=').append(plain(attribute.value())).append(';');
        }
        for (HclBlock block : body.blocks()) {
            out.append(block.type());
            out.append(block.labels().stream().map(l -> "\"" + l.value() + "\"")
                    .collect(Collectors.joining(",", "[", "]")));
            out.append(render(block.body())).append(';');
        }
        return out.append('}').toString();
    }
}
