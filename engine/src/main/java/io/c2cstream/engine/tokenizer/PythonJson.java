package io.c2cstream.engine.tokenizer;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps}, which transformers' {@code tojson} template filter calls: {@code ",
 * "} and {@code ": "} separators (or {@code ","} with an indent), floats written as Python's
 * {@code repr}, only control characters, quotes and backslashes escaped unless {@code
 * ensureAscii}. Chat templates print tool schemas with it, so its output is part of the prompt.
 */
final class PythonJson {

    /**
     * json.dumps options.
     *
     * @param indent null for one line, else the per-level indent string ({@code indent=4} is four
     *     spaces)
     * @param itemSeparator null for the default ({@code ", "}, or {@code ","} with an indent)
     * @param keySeparator null for the default {@code ": "}
     */
    record Options(boolean ensureAscii, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
        static final Options HUGGING_FACE_DEFAULT = new Options(false, null, null, null, false);
    }

    private final Options options;
    private final String itemSeparator;
    private final String keySeparator;
    private final StringBuilder out = new StringBuilder();

    private PythonJson(Options options) {
        this.options = options;
        this.itemSeparator =
                options.itemSeparator() != null ? options.itemSeparator() : options.indent() == null ? ", " : ",";
        this.keySeparator = options.keySeparator() != null ? options.keySeparator() : ": ";
    }

    static String dumps(Object value, Options options) {
        PythonJson writer = new PythonJson(options);
        writer.write(value, 0);
        return writer.out.toString();
    }

    private void write(Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof CharSequence s) {
            writeString(s.toString());
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short
                || value instanceof Byte || value instanceof BigInteger) {
            out.append(value);
        } else if (value instanceof Number n) {
            out.append(floatRepr(n));
        } else if (value instanceof Map<?, ?> map) {
            writeObject(map, depth);
        } else if (value instanceof Collection<?> items) {
            writeArray(items, depth);
        } else if (value instanceof Object[] items) {
            writeArray(Arrays.asList(items), depth);
        } else {
            throw new IllegalArgumentException("Object of type " + value.getClass().getSimpleName() + " is not JSON serializable");
        }
    }

    private void writeArray(Collection<?> items, int depth) {
        if (items.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        for (Object item : items) {
            separate(first, depth + 1);
            write(item, depth + 1);
            first = false;
        }
        newline(depth);
        out.append(']');
    }

    private void writeObject(Map<?, ?> map, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        List<Map.Entry<String, Object>> entries = new ArrayList<>();
        map.forEach((key, value) -> entries.add(new AbstractMap.SimpleEntry<>(key(key), value)));
        if (options.sortKeys()) {
            entries.sort(Map.Entry.comparingByKey());
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> entry : entries) {
            separate(first, depth + 1);
            writeString(entry.getKey());
            out.append(keySeparator);
            write(entry.getValue(), depth + 1);
            first = false;
        }
        newline(depth);
        out.append('}');
    }

    /** Python converts str, int, float, bool and None keys to strings; anything else is an error. */
    private static String key(Object key) {
        if (key instanceof CharSequence s) {
            return s.toString();
        }
        if (key == null) {
            return "null";
        }
        if (key instanceof Boolean b) {
            return b ? "true" : "false";
        }
        if (key instanceof Long || key instanceof Integer || key instanceof Short || key instanceof Byte
                || key instanceof BigInteger) {
            return key.toString();
        }
        if (key instanceof Number n) {
            return floatRepr(n);
        }
        throw new IllegalArgumentException("keys must be str, int, float, bool or None, not " + key.getClass().getSimpleName());
    }

    private void separate(boolean first, int depth) {
        if (!first) {
            out.append(itemSeparator);
        }
        newline(depth);
    }

    private void newline(int depth) {
        if (options.indent() != null) {
            out.append('\n').append(options.indent().repeat(depth));
        }
    }

    private void writeString(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // Python escapes per UTF-16 unit too, so astral characters become surrogate pairs.
                    if (c < 0x20 || (options.ensureAscii() && c > 0x7E)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** Python's {@code repr(float)}: shortest round-trip digits, exponent form below 1e-4 or from 1e16. */
    static String floatRepr(Number number) {
        double d = number.doubleValue();
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal decimal = number instanceof Float f ? new BigDecimal(Float.toString(f))
                : number instanceof BigDecimal exact ? exact
                : new BigDecimal(Double.toString(d));
        decimal = decimal.stripTrailingZeros();
        String digits = decimal.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - decimal.scale();
        String sign = decimal.signum() < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 16) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
        }
        if (exponent < 0) {
            return sign + "0." + "0".repeat(-exponent - 1) + digits;
        }
        if (digits.length() <= exponent + 1) {
            return sign + digits + "0".repeat(exponent + 1 - digits.length()) + ".0";
        }
        return sign + digits.substring(0, exponent + 1) + "." + digits.substring(exponent + 1);
    }
}
